/* pingpong-master.c - the master: a slave per route, then every size timed as one cell. */
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

#include "pingpong.h"

static const char* g_cell_route = "";
static int g_cell_size = 0;

void on_alarm(int sig) {
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

int master_main(const char* argv0) {
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
