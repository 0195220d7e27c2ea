/*
 * pingpong.c - PVM round-trip / bandwidth benchmark.
 *
 * One plain C99 source that only uses the PVM 3.4 C API (pvm3.h), so that the
 * very same file can be built against Debian's PVM 3.4.6 and against this
 * project's libpvm3 and the numbers can be compared side by side
 * (see bench/run-pingpong.sh and bench/README.md).
 *
 * Started from a shell (pvm_parent() == PvmNoParent) the program is the
 * master.  For every route mode it spawns one fresh copy of itself (the
 * slave, given an absolute executable path), and for every message size it
 * does warm-up round trips followed by N timed round trips.  A round trip is
 *     master: pvm_initsend + pvm_pkbyte + pvm_send, pvm_recv + pvm_upkbyte
 *     slave : pvm_recv + pvm_upkbyte, pvm_initsend + pvm_pkbyte + pvm_send
 * One machine-readable line is printed per (route, size) cell:
 *     route=daemon size=8 n=20000 rtt_us=41.20 rtt_med_us=38.90 rtt_min_us=34.37
 *           mbps=0.39 mbps_med=0.41 enc=raw
 * (one line) where rtt_us is the mean, rtt_med_us the median and rtt_min_us
 * the fastest of the N timed round trips, and mbps = 2*size/rtt in MB/s
 * (1 MB = 10^6 bytes; mbps_med uses the median).
 *
 * Route modes:
 *   daemon  both tasks call pvm_setopt(PvmRoute, PvmDontRoute): every message
 *           goes task -> pvmd -> task.
 *   direct  both tasks call pvm_setopt(PvmRoute, PvmRouteDirect) before they
 *           exchange their first message, so a direct task-task link is made.
 *   oneside only the master sets PvmRouteDirect; the slave keeps the default
 *           (PvmAllowDirect), so it accepts the link the master asks for
 *           but never asks for one itself.  (The slave's first message, its
 *           hello, therefore still goes through the daemons.)
 *   default neither task touches PvmRoute, as in a plain PVM program: PVM
 *           3.4.6 then routes through its daemons; this project moves a busy
 *           pair of one host to shared memory (during the warm-up).
 * A route option in PVM 3.4 only affects links set up afterwards, and a link
 * persists once made, so the master uses a *new* slave for each route mode
 * (the mode is passed on the slave's argv); nothing is switched mid-link.
 *
 * Options (master):
 *   -r MODES                route mode(s) to measure: daemon, direct, oneside, default,
 *                           a comma separated list of them, both (= daemon,direct,
 *                           the default) or all (= daemon,direct,oneside,default)
 *   -e raw|inplace|default  encoding for pvm_initsend (default raw)
 *   -s LIST                 comma separated sizes in bytes
 *                           (default 8,1024,65536,1048576,16777216)
 *   -t SECONDS              target timed duration per cell (default 0.75)
 *   -n N                    fixed number of timed round trips (overrides -t)
 *   -exe PATH               executable to spawn as slave (default: own path)
 *   -host NAME              spawn the slave on host NAME (default: anywhere)
 *   -halt                   call pvm_halt() at the end (stops the daemon)
 *   -haltonly               only enroll and call pvm_halt()
 *   -version                print pvm_version() and PVM_VER and exit
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pvm3.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#define TAG_HELLO 101   /* slave -> master: enrolled, route option set     */
#define TAG_SETSIZE 102 /* master -> slave: int size of the next cell      */
#define TAG_ACK 103     /* slave -> master: buffer ready                   */
#define TAG_PING 104    /* master -> slave: payload                        */
#define TAG_ECHO 105    /* slave -> master: payload echoed                 */
#define TAG_STOP 106    /* master -> slave: exit now                       */
#define TAG_EXITED 107  /* pvmd -> master: pvm_notify(PvmTaskExit) on slave */

#define MAX_SIZES 32
#define MIN_ROUNDS 5
#define MAX_ROUNDS 20000
#define CTRL_TIMEOUT_S 60   /* for control messages (hello, ack, exit)     */
#define CELL_WATCHDOG_S 300 /* alarm() per cell: a hung cell aborts the run */

static const char* g_route = "both";
#define MAX_ROUTES 8
static const char* g_routes[MAX_ROUTES];
static int g_nroutes = 0;
static const char* g_enc_name = "raw";
static int g_enc = PvmDataRaw;
static int g_sizes[MAX_SIZES];
static int g_nsizes = 0;
static double g_target_s = 0.75;
static int g_fixed_n = 0;
static const char* g_exe = NULL;
static const char* g_host = NULL;
static int g_halt = 0;
static int g_haltonly = 0;
static int g_version = 0;

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void usage(const char* prog) {
    fprintf(stderr,
            "usage: %s [-r daemon|direct|oneside|default|both|all|LIST] [-e raw|inplace|default]\n"
            "          [-host NAME]\n"
            "          [-s size,size,...] [-t seconds] [-n rounds] [-exe path]\n"
            "          [-halt] [-haltonly] [-version]\n",
            prog);
}

static int parse_encoding(const char* s) {
    if (strcmp(s, "raw") == 0) return PvmDataRaw;
    if (strcmp(s, "inplace") == 0) return PvmDataInPlace;
    if (strcmp(s, "default") == 0 || strcmp(s, "xdr") == 0) return PvmDataDefault;
    return -1;
}

/* "daemon,oneside", "both", "all" -> g_routes; -1 on a bad name. */
static int parse_routes(const char* s) {
    static char copy[128];
    char *tok, *save = NULL;
    if (strcmp(s, "both") == 0) s = "daemon,direct";
    if (strcmp(s, "all") == 0) s = "daemon,direct,oneside,default";
    if (strlen(s) >= sizeof copy) return -1;
    strcpy(copy, s);
    g_nroutes = 0;
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (strcmp(tok, "daemon") && strcmp(tok, "direct") && strcmp(tok, "oneside") && strcmp(tok, "default"))
            return -1;
        if (g_nroutes >= MAX_ROUTES) return -1;
        g_routes[g_nroutes++] = tok;
    }
    return g_nroutes > 0 ? 0 : -1;
}

static int parse_sizes(const char* s) {
    char *copy = malloc(strlen(s) + 1), *tok, *save = NULL;
    if (!copy) return -1;
    strcpy(copy, s);
    g_nsizes = 0;
    for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char* end;
        long v = strtol(tok, &end, 10);
        if (*end == 'k' || *end == 'K') {
            v *= 1024;
            end++;
        } else if (*end == 'm' || *end == 'M') {
            v *= 1024 * 1024;
            end++;
        }
        if (*end != '\0' || v <= 0 || v > 1024L * 1024 * 1024 || g_nsizes >= MAX_SIZES) {
            free(copy);
            return -1;
        }
        g_sizes[g_nsizes++] = (int)v;
    }
    free(copy);
    return g_nsizes > 0 ? 0 : -1;
}

static int parse_args(int argc, char** argv) {
    int i;
    for (i = 1; i < argc; i++) {
        const char* a = argv[i];
        const char* v = (i + 1 < argc) ? argv[i + 1] : NULL;
        if (strcmp(a, "-r") == 0 || strcmp(a, "-route") == 0) {
            if (!v || parse_routes(v) < 0) return -1;
            g_route = v;
            i++;
        } else if (strcmp(a, "-e") == 0 || strcmp(a, "-enc") == 0) {
            if (!v || (g_enc = parse_encoding(v)) < 0) return -1;
            g_enc_name = v;
            i++;
        } else if (strcmp(a, "-s") == 0 || strcmp(a, "-sizes") == 0) {
            if (!v || parse_sizes(v) < 0) return -1;
            i++;
        } else if (strcmp(a, "-t") == 0) {
            if (!v || (g_target_s = atof(v)) <= 0) return -1;
            i++;
        } else if (strcmp(a, "-n") == 0) {
            if (!v || (g_fixed_n = atoi(v)) <= 0) return -1;
            i++;
        } else if (strcmp(a, "-exe") == 0) {
            if (!v) return -1;
            g_exe = v;
            i++;
        } else if (strcmp(a, "-host") == 0) {
            if (!v) return -1;
            g_host = v;
            i++;
        } else if (strcmp(a, "-halt") == 0) {
            g_halt = 1;
        } else if (strcmp(a, "-haltonly") == 0) {
            g_haltonly = 1;
        } else if (strcmp(a, "-version") == 0) {
            g_version = 1;
        } else {
            return -1;
        }
    }
    if (g_nsizes == 0) parse_sizes("8,1024,65536,1048576,16777216");
    if (g_nroutes == 0) parse_routes(g_route);
    return 0;
}

/* Absolute path of this executable, for pvm_spawn. */
static int self_path(const char* argv0, char* out, size_t outlen) {
    char buf[PATH_MAX];
    ssize_t n;
    if (g_exe) {
        if (g_exe[0] == '/' || !realpath(g_exe, buf)) {
            snprintf(out, outlen, "%s", g_exe);
        } else {
            snprintf(out, outlen, "%s", buf);
        }
        return 0;
    }
    if (strchr(argv0, '/') && realpath(argv0, buf)) {
        snprintf(out, outlen, "%s", buf);
        return 0;
    }
    n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
        snprintf(out, outlen, "%s", buf);
        return 0;
    }
    /* Last resort: a bare name, looked up in the PVM search path. */
    snprintf(out, outlen, "%s", argv0);
    return 0;
}

static void* xmalloc(size_t n) {
    void* p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "pingpong: out of memory (%lu bytes)\n", (unsigned long)n);
        exit(1);
    }
    return p;
}

/* ------------------------------------------------------------------ slave */

static int slave_main(int parent) {
    char* buf = NULL;
    int cap = 0, size = 0;
    /* Set the route before the first message to the master; in "oneside"
     * mode the slave keeps the default (PvmAllowDirect). */
    if (strcmp(g_route, "direct") == 0) pvm_setopt(PvmRoute, PvmRouteDirect);
    if (strcmp(g_route, "daemon") == 0) pvm_setopt(PvmRoute, PvmDontRoute);

    pvm_initsend(PvmDataDefault);
    if (pvm_send(parent, TAG_HELLO) < 0) {
        fprintf(stderr, "pingpong slave: hello failed\n");
        pvm_exit();
        return 1;
    }

    for (;;) {
        int bufid, bytes, tag, src;
        bufid = pvm_recv(parent, -1);
        if (bufid < 0) {
            fprintf(stderr, "pingpong slave: pvm_recv failed (%d)\n", bufid);
            break;
        }
        if (pvm_bufinfo(bufid, &bytes, &tag, &src) < 0) break;
        if (tag == TAG_PING) {
            pvm_upkbyte(buf, size, 1);
            pvm_initsend(g_enc);
            pvm_pkbyte(buf, size, 1);
            pvm_send(parent, TAG_ECHO);
        } else if (tag == TAG_SETSIZE) {
            pvm_upkint(&size, 1, 1);
            if (size > cap) {
                free(buf);
                buf = xmalloc((size_t)size);
                memset(buf, 0, (size_t)size);
                cap = size;
            }
            pvm_initsend(PvmDataDefault);
            pvm_pkint(&size, 1, 1);
            pvm_send(parent, TAG_ACK);
        } else if (tag == TAG_STOP) {
            break;
        } else {
            fprintf(stderr, "pingpong slave: unexpected tag %d\n", tag);
        }
    }
    free(buf);
    pvm_exit();
    return 0;
}

/* ----------------------------------------------------------------- master */

static const char* g_cell_route = "";
static int g_cell_size = 0;

static void on_alarm(int sig) {
    char line[160];
    int len;
    (void)sig;
    len = snprintf(line, sizeof line, "route=%s size=%d error=watchdog_timeout_%ds\n", g_cell_route, g_cell_size,
                   CELL_WATCHDOG_S);
    if (len > 0) {
        ssize_t w = write(1, line, (size_t)len);
        (void)w;
    }
    _exit(3);
}

/* Wait for a control message; returns bufid > 0, or <= 0 on error/timeout. */
static int ctrl_recv(int tid, int tag) {
    struct timeval tmo;
    tmo.tv_sec = CTRL_TIMEOUT_S;
    tmo.tv_usec = 0;
    return pvm_trecv(tid, tag, &tmo);
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}

/* One round trip; returns 0 or a negative PVM error. */
static int round_trip(int stid, char* sbuf, char* rbuf, int size) {
    int cc;
    if ((cc = pvm_initsend(g_enc)) < 0) return cc;
    if ((cc = pvm_pkbyte(sbuf, size, 1)) < 0) return cc;
    if ((cc = pvm_send(stid, TAG_PING)) < 0) return cc;
    if ((cc = pvm_recv(stid, TAG_ECHO)) < 0) return cc;
    if ((cc = pvm_upkbyte(rbuf, size, 1)) < 0) return cc;
    return 0;
}

/* Measure one cell; prints its line. Returns 0, or -1 if the slave is unusable. */
static int run_cell(const char* route, int stid, int size) {
    char *sbuf, *rbuf;
    double t0, t1, t, tmin = 1e300, total, rtt, med, mbps, warm_elapsed = 0;
    double* samples;
    int i, n, warm, cc, ack;

    g_cell_route = route;
    g_cell_size = size;
    alarm(CELL_WATCHDOG_S);

    pvm_initsend(PvmDataDefault);
    pvm_pkint(&size, 1, 1);
    if (pvm_send(stid, TAG_SETSIZE) < 0 || ctrl_recv(stid, TAG_ACK) <= 0) {
        printf("route=%s size=%d error=no_ack\n", route, size);
        alarm(0);
        return -1;
    }
    pvm_upkint(&ack, 1, 1);

    sbuf = xmalloc((size_t)size);
    rbuf = xmalloc((size_t)size);
    for (i = 0; i < size; i++) sbuf[i] = (char)((i * 7 + size) & 0xff);
    memset(rbuf, 0, (size_t)size);

    /* First round trip: sets up the link (direct route) and checks data. */
    if ((cc = round_trip(stid, sbuf, rbuf, size)) < 0) {
        printf("route=%s size=%d error=pvm_%d\n", route, size, cc);
        free(sbuf);
        free(rbuf);
        alarm(0);
        return -1;
    }
    if (memcmp(sbuf, rbuf, (size_t)size) != 0) {
        printf("route=%s size=%d error=data_mismatch\n", route, size);
        free(sbuf);
        free(rbuf);
        alarm(0);
        return -1;
    }

    /* Warm-up: ~10% of the target time (at least 2, at most 200 rounds),
     * which also estimates the round-trip time for choosing N. */
    warm = 0;
    t0 = now_us();
    do {
        if ((cc = round_trip(stid, sbuf, rbuf, size)) < 0) break;
        warm++;
        warm_elapsed = now_us() - t0;
    } while (warm < 200 && (warm < 2 || warm_elapsed < g_target_s * 1e5));
    if (cc < 0) {
        printf("route=%s size=%d error=pvm_%d\n", route, size, cc);
        free(sbuf);
        free(rbuf);
        alarm(0);
        return -1;
    }

    if (g_fixed_n > 0) {
        n = g_fixed_n;
    } else {
        double est = warm_elapsed / warm;
        double want = g_target_s * 1e6 / (est > 0.01 ? est : 0.01);
        n = want > MAX_ROUNDS ? MAX_ROUNDS : (int)want;
        if (n < MIN_ROUNDS) n = MIN_ROUNDS;
    }

    samples = xmalloc((size_t)n * sizeof *samples);
    memset(rbuf, 0, (size_t)size);
    total = 0;
    for (i = 0; i < n; i++) {
        t0 = now_us();
        cc = round_trip(stid, sbuf, rbuf, size);
        t1 = now_us();
        if (cc < 0) break;
        t = t1 - t0;
        samples[i] = t;
        total += t;
        if (t < tmin) tmin = t;
    }
    alarm(0);
    if (cc < 0) {
        printf("route=%s size=%d error=pvm_%d\n", route, size, cc);
        free(sbuf);
        free(rbuf);
        free(samples);
        return -1;
    }
    if (memcmp(sbuf, rbuf, (size_t)size) != 0) {
        printf("route=%s size=%d error=data_mismatch\n", route, size);
        free(sbuf);
        free(rbuf);
        free(samples);
        return -1;
    }

    qsort(samples, (size_t)n, sizeof *samples, cmp_double);
    med = (n % 2) ? samples[n / 2] : 0.5 * (samples[n / 2 - 1] + samples[n / 2]);
    rtt = total / n;
    mbps = 2.0 * size / rtt; /* bytes per microsecond == MB/s */
    printf(
        "route=%s size=%d n=%d rtt_us=%.2f rtt_med_us=%.2f rtt_min_us=%.2f "
        "mbps=%.2f mbps_med=%.2f enc=%s\n",
        route, size, n, rtt, med, tmin, mbps, 2.0 * size / med, g_enc_name);
    free(sbuf);
    free(rbuf);
    free(samples);
    return 0;
}

static int run_route(const char* route, const char* exe) {
    char* sargv[5];
    int stid = 0, numt, i, failed = 0;
    int route_opt = strcmp(route, "daemon") == 0    ? PvmDontRoute
                    : strcmp(route, "default") == 0 ? PvmAllowDirect
                                                    : PvmRouteDirect;

    /* Our own option first: it applies to links made from now on, and the
     * slave below is a brand new peer. */
    pvm_setopt(PvmRoute, route_opt);

    sargv[0] = "-r";
    sargv[1] = (char*)route;
    sargv[2] = "-e";
    sargv[3] = (char*)g_enc_name;
    sargv[4] = NULL;
    numt = pvm_spawn((char*)exe, sargv, g_host ? PvmTaskHost : PvmTaskDefault, (char*)(g_host ? g_host : ""), 1, &stid);
    if (numt < 1) {
        printf("route=%s error=spawn_failed code=%d exe=%s\n", route, numt < 0 ? numt : stid, exe);
        return -1;
    }
    pvm_notify(PvmTaskExit, TAG_EXITED, 1, &stid);

    if (ctrl_recv(stid, TAG_HELLO) <= 0) {
        printf("route=%s error=no_hello_from_slave tid=t%x\n", route, stid);
        pvm_kill(stid);
        return -1;
    }

    for (i = 0; i < g_nsizes; i++) {
        if (run_cell(route, stid, g_sizes[i]) < 0) {
            failed = 1;
            break;
        }
        fflush(stdout);
    }

    if (failed) {
        pvm_kill(stid);
    } else {
        pvm_initsend(PvmDataDefault);
        pvm_send(stid, TAG_STOP);
    }
    /* Wait until the slave is really gone before the next route mode. */
    if (ctrl_recv(-1, TAG_EXITED) <= 0) fprintf(stderr, "pingpong: slave t%x did not report its exit\n", stid);
    return failed ? -1 : 0;
}

static int master_main(const char* argv0) {
    char exe[PATH_MAX];
    int rc = 0;
    const char* ver = pvm_version();
    int i;

    self_path(argv0, exe, sizeof exe);
    printf("# pingpong pvm_version=%s PVM_VER=%s enc=%s route=%s exe=%s\n", ver ? ver : "?", PVM_VER, g_enc_name,
           g_route, exe);
    fflush(stdout);

    for (i = 0; i < g_nroutes; i++) rc |= run_route(g_routes[i], exe);
    return rc ? 1 : 0;
}

int main(int argc, char** argv) {
    int mytid, parent, rc;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (parse_args(argc, argv) < 0) {
        usage(argv[0]);
        return 2;
    }
    if (g_version) {
        const char* v = pvm_version();
        printf("pvm_version=%s PVM_VER=%s\n", v ? v : "?", PVM_VER);
        return 0;
    }

    mytid = pvm_mytid();
    if (mytid < 0) {
        fprintf(stderr, "pingpong: cannot enroll in PVM (%d); is pvmd running?\n", mytid);
        return 1;
    }

    if (g_haltonly) {
        signal(SIGTERM, SIG_IGN);
        fflush(stdout);
        return pvm_halt() < 0 ? 1 : 0;
    }

    parent = pvm_parent();
    if (parent >= 0 && parent != PvmNoParent) return slave_main(parent);

    signal(SIGALRM, on_alarm);
    rc = master_main(argv[0]);
    fflush(stdout);
    if (g_halt) {
        signal(SIGTERM, SIG_IGN);
        pvm_halt();
    } else {
        pvm_exit();
    }
    return rc;
}
