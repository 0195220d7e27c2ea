/*
 * pvmops.c - spawn, farm, group and memory benchmarks for PVM 3.4.
 *
 * Like pingpong.c this is plain C99 that only uses pvm3.h (the group calls
 * come from libgpvm3), so the same source builds against Debian's PVM 3.4.6
 * and against this project; bench/run-all.sh runs both side by side.
 *
 *   pvmops spawn  [-c 1,16,64] [-reps R]
 *   pvmops farm   [-w 4] [-t SECONDS] [-r default|direct]
 *   pvmops group  [-m 8] [-t SECONDS] [-ops barrier,bcast,reduce]
 *   pvmops memory
 *   pvmops -haltonly
 *
 * A copy started from a shell is the master; it spawns copies of itself
 * (absolute path: -exe, else argv[0], else /proc/self/exe) with "-child
 * KIND" on their argv.  The master prints one key=value line per result:
 *
 * spawn   For every count N: t0; pvm_spawn(N copies); t1 = pvm_spawn has
 *         returned; t2 = all N children have enrolled (pvm_mytid) and
 *         their "ready" message has arrived.  spawn_ms = t1-t0,
 *         ready_ms = t2-t0 (median and min over R repetitions).  The
 *         children are then told to exit and the master waits for all
 *         their PvmTaskExit notifications (not timed) before the next rep.
 *         hosts = on how many hosts the children ran (PvmTaskDefault placement).
 *         test=spawn n=64 reps=3 spawn_ms=.. spawn_ms_min=.. ready_ms=.. ready_ms_min=.. hosts=1
 * farm    The master spawns W workers (not timed) and deals work items:
 *         request = two ints (item, value: 8 bytes, PvmDataDefault), answer =
 *         two ints (item, value*3+1).  One item is outstanding per worker;
 *         each answer is checked and the worker gets the next item.
 *         items_per_s = items / time from first send to last answer (median
 *         of 3 timed runs, after a warm-up of 200 items).  -r direct: the
 *         master and the workers set PvmRouteDirect; default: neither
 *         touches PvmRoute (PVM's default, PvmAllowDirect).
 *         test=farm route=default workers=4 items=.. items_per_s=..
 * group   The master joins group "pvmops<M>" (instance 0) and spawns M-1
 *         members, which join it; all meet in pvm_barrier.  For each op the
 *         master pvm_bcast's a command (op, count); then all M members do
 *         `count` operations and one pvm_barrier.  us_per_op = time on the
 *         master from before the command to after that barrier / count
 *         (count is chosen for about -t seconds, at least 10).
 *           barrier  pvm_barrier(group, M)
 *           bcast    root packs 8 bytes and pvm_bcast's; the M-1 others pvm_recv
 *           reduce   pvm_reduce(PvmSum, &int, 1, PVM_INT, tag, group, 0);
 *                    the root checks the sum.  pvm_reduce does not block
 *                    the non-root members (see its man page), so the k-th
 *                    reduce uses tag TAG_RED+k: back-to-back reduces with
 *                    one tag could mix their contributions
 *         test=group op=barrier members=8 count=.. us_per_op=..
 * memory  The master spawns one child which enrolls, sends its pid and
 *         blocks in pvm_recv; after 1 s the master reads VmRSS from
 *         /proc/PID/status.  test=memory task_rss_kb=..
 *
 * Every wait has a timeout or an alarm() watchdog, so a broken
 * implementation prints "error=..." instead of hanging.
 */
#define _XOPEN_SOURCE 700

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

#define TAG_READY 201  /* child -> master: enrolled (and pid for memory)   */
#define TAG_STOP 202   /* master -> child: exit                            */
#define TAG_EXITED 203 /* pvmd -> master: PvmTaskExit notification         */
#define TAG_WORK 204   /* master -> farm worker: item                      */
#define TAG_RESULT 205 /* farm worker -> master: answer                    */
#define TAG_CMD 206    /* group root -> members: op, count                 */
#define TAG_BC 207     /* group bcast payload                              */
#define TAG_RED 1000   /* group reduce: TAG_RED + k for the k-th reduce     */

#define CTRL_TIMEOUT_S 60
#define WATCHDOG_S 300
#define MAX_LIST 16

enum { OP_QUIT = 0, OP_BARRIER = 1, OP_BCAST = 2, OP_REDUCE = 3 };

static const char* g_exe = NULL;
static char g_self[PATH_MAX];
static double g_target_s = 0.75;
static int g_reps = 5;
static int g_workers = 4;
static int g_direct = 0;
static int g_list[MAX_LIST];
static int g_nlist = 0;
static const char* g_ops = "barrier,bcast,reduce";
static char g_what[160] = "test=?"; /* prefix of the watchdog's error line */

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static void on_alarm(int sig) {
    char line[256];
    int len;
    (void)sig;
    len = snprintf(line, sizeof line, "%s error=watchdog_timeout_%ds\n", g_what, WATCHDOG_S);
    if (len > 0) {
        ssize_t w = write(1, line, (size_t)len);
        (void)w;
    }
    _exit(3);
}

static void watch(int seconds) { alarm((unsigned)seconds); }

static int trecv(int tid, int tag, int seconds) {
    struct timeval tmo;
    tmo.tv_sec = seconds;
    tmo.tv_usec = 0;
    return pvm_trecv(tid, tag, &tmo);
}

static int cmp_double(const void* a, const void* b) {
    double x = *(const double*)a, y = *(const double*)b;
    return x < y ? -1 : x > y;
}

static double median(double* v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return (n % 2) ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static int parse_list(const char* s) {
    char buf[256], *tok, *save = NULL;
    if (strlen(s) >= sizeof buf) return -1;
    strcpy(buf, s);
    g_nlist = 0;
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int v = atoi(tok);
        if (v <= 0 || g_nlist >= MAX_LIST) return -1;
        g_list[g_nlist++] = v;
    }
    return g_nlist > 0 ? 0 : -1;
}

static void self_path(const char* argv0) {
    char buf[PATH_MAX];
    ssize_t n;
    if (g_exe) {
        if (g_exe[0] != '/' && realpath(g_exe, buf))
            snprintf(g_self, sizeof g_self, "%s", buf);
        else
            snprintf(g_self, sizeof g_self, "%s", g_exe);
        return;
    }
    if (strchr(argv0, '/') && realpath(argv0, buf)) {
        snprintf(g_self, sizeof g_self, "%s", buf);
        return;
    }
    n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        buf[n] = '\0';
        snprintf(g_self, sizeof g_self, "%s", buf);
        return;
    }
    snprintf(g_self, sizeof g_self, "%s", argv0);
}

/* Spawn n children "-child KIND [extra...]"; returns how many started. */
static int spawn_children(const char* kind, char** extra, int n, int* tids) {
    char* argv[12];
    int i = 0, numt;
    argv[i++] = "-child";
    argv[i++] = (char*)kind;
    while (extra && *extra && i < 11) argv[i++] = *extra++;
    argv[i] = NULL;
    numt = pvm_spawn(g_self, argv, PvmTaskDefault, "", n, tids);
    return numt;
}

/* Wait for n PvmTaskExit notifications; returns how many came. */
static int wait_exits(int n) {
    int got = 0;
    while (got < n && trecv(-1, TAG_EXITED, CTRL_TIMEOUT_S) > 0) got++;
    return got;
}

/* ------------------------------------------------------------- children */

static int child_main(const char* kind, int parent, int argc, char** argv) {
    int i;
    const char* group = NULL;
    int members = 0;
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-g") == 0 && i + 1 < argc)
            group = argv[++i];
        else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc)
            members = atoi(argv[++i]);
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            g_direct = strcmp(argv[++i], "direct") == 0;
    }
    alarm(3 * WATCHDOG_S); /* a child never outlives a dead master for long */

    if (strcmp(kind, "spawn") == 0 || strcmp(kind, "memory") == 0) {
        int pid = (int)getpid();
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&pid, 1, 1);
        pvm_send(parent, TAG_READY);
        pvm_recv(parent, TAG_STOP);
    } else if (strcmp(kind, "farm") == 0) {
        int v[2], bufid, tag, bytes, src;
        if (g_direct) pvm_setopt(PvmRoute, PvmRouteDirect);
        pvm_initsend(PvmDataDefault);
        pvm_send(parent, TAG_READY);
        for (;;) {
            bufid = pvm_recv(parent, -1);
            if (bufid < 0 || pvm_bufinfo(bufid, &bytes, &tag, &src) < 0 || tag != TAG_WORK) break;
            pvm_upkint(v, 2, 1);
            v[1] = v[1] * 3 + 1; /* the "work" */
            pvm_initsend(PvmDataDefault);
            pvm_pkint(v, 2, 1);
            pvm_send(parent, TAG_RESULT);
        }
    } else if (strcmp(kind, "group") == 0 && group && members > 0) {
        int inst = pvm_joingroup((char*)group), cmd[2], k, data, payload[2];
        if (inst < 0) {
            fprintf(stderr, "pvmops: pvm_joingroup(%s) = %d\n", group, inst);
            pvm_exit();
            return 1;
        }
        pvm_barrier((char*)group, members);
        for (;;) {
            if (pvm_recv(parent, TAG_CMD) < 0) break;
            pvm_upkint(cmd, 2, 1);
            alarm(3 * WATCHDOG_S);
            if (cmd[0] == OP_QUIT) break;
            for (k = 0; k < cmd[1]; k++) {
                if (cmd[0] == OP_BARRIER) {
                    pvm_barrier((char*)group, members);
                } else if (cmd[0] == OP_BCAST) {
                    pvm_recv(-1, TAG_BC);
                    pvm_upkint(payload, 2, 1);
                } else if (cmd[0] == OP_REDUCE) {
                    data = inst + 1;
                    pvm_reduce(PvmSum, &data, 1, PVM_INT, TAG_RED + k, (char*)group, 0);
                }
            }
            pvm_barrier((char*)group, members);
        }
        pvm_lvgroup((char*)group);
    }
    pvm_exit();
    return 0;
}

/* ---------------------------------------------------------------- spawn */

static int bench_spawn(void) {
    static const int defaults[] = {1, 16, 64};
    int counts[MAX_LIST], ncounts, c, rc = 0;
    if (g_nlist == 0) {
        ncounts = 3;
        memcpy(counts, defaults, sizeof defaults);
    } else {
        ncounts = g_nlist;
        memcpy(counts, g_list, sizeof(int) * (size_t)g_nlist);
    }
    for (c = 0; c < ncounts; c++) {
        int n = counts[c], r, i, got, numt;
        int* tids = calloc((size_t)n, sizeof *tids);
        double *sp = calloc((size_t)g_reps, sizeof *sp), *rd = calloc((size_t)g_reps, sizeof *rd);
        double t0, t1, t2;
        int nhosts = 0, hosts[64], h, k;
        const char* err = NULL;
        char errbuf[64];
        snprintf(g_what, sizeof g_what, "test=spawn n=%d", n);
        for (r = 0; r < g_reps && !err; r++) {
            watch(WATCHDOG_S);
            t0 = now_us();
            numt = spawn_children("spawn", NULL, n, tids);
            t1 = now_us();
            if (numt < n) {
                snprintf(errbuf, sizeof errbuf, "spawn_failed_%d_of_%d_code_%d", numt < 0 ? 0 : numt, n,
                         numt < 0 ? numt : tids[numt]);
                err = errbuf;
                for (i = 0; i < numt; i++) pvm_kill(tids[i]);
                break;
            }
            for (got = 0; got < n; got++)
                if (trecv(-1, TAG_READY, CTRL_TIMEOUT_S) <= 0) break;
            t2 = now_us();
            pvm_notify(PvmTaskExit, TAG_EXITED, n, tids);
            if (got < n) {
                snprintf(errbuf, sizeof errbuf, "only_%d_of_%d_ready", got, n);
                err = errbuf;
                for (i = 0; i < n; i++) pvm_kill(tids[i]);
                wait_exits(n);
                break;
            }
            sp[r] = (t1 - t0) / 1e3;
            rd[r] = (t2 - t0) / 1e3;
            /* on how many hosts the children ran (placement is the library's) */
            for (i = 0; i < n; i++) {
                h = pvm_tidtohost(tids[i]);
                for (k = 0; k < nhosts && hosts[k] != h; k++) continue;
                if (k == nhosts && nhosts < 64) hosts[nhosts++] = h;
            }
            pvm_initsend(PvmDataDefault);
            pvm_mcast(tids, n, TAG_STOP);
            if (wait_exits(n) < n) {
                err = "children_did_not_exit";
                r++;
                break;
            }
        }
        alarm(0);
        if (err) {
            printf("test=spawn n=%d error=%s\n", n, err);
            rc = 1;
        } else {
            double spmin = sp[0], rdmin = rd[0];
            for (i = 1; i < g_reps; i++) {
                if (sp[i] < spmin) spmin = sp[i];
                if (rd[i] < rdmin) rdmin = rd[i];
            }
            printf("test=spawn n=%d reps=%d spawn_ms=%.3f spawn_ms_min=%.3f ready_ms=%.3f ready_ms_min=%.3f hosts=%d\n",
                   n, g_reps, median(sp, g_reps), spmin, median(rd, g_reps), rdmin, nhosts);
        }
        fflush(stdout);
        free(tids);
        free(sp);
        free(rd);
    }
    return rc;
}

/* ----------------------------------------------------------------- farm */

/* Deal items [first, first+n) to the workers; returns 0 or an error text. */
static const char* farm_run(int* tids, int w, int first, int n) {
    int next = first, done = 0, i, v[2], bufid, bytes, tag, src;
    for (i = 0; i < w && next < first + n; i++, next++) {
        v[0] = next;
        v[1] = next & 0xffff;
        pvm_initsend(PvmDataDefault);
        pvm_pkint(v, 2, 1);
        if (pvm_send(tids[i], TAG_WORK) < 0) return "send_failed";
    }
    while (done < n) {
        bufid = trecv(-1, TAG_RESULT, CTRL_TIMEOUT_S);
        if (bufid <= 0) return "no_answer";
        pvm_bufinfo(bufid, &bytes, &tag, &src);
        pvm_upkint(v, 2, 1);
        if (v[0] < first || v[0] >= first + n || v[1] != (v[0] & 0xffff) * 3 + 1) return "bad_answer";
        done++;
        if (next < first + n) {
            v[0] = next;
            v[1] = next & 0xffff;
            next++;
            pvm_initsend(PvmDataDefault);
            pvm_pkint(v, 2, 1);
            if (pvm_send(src, TAG_WORK) < 0) return "send_failed";
        }
    }
    return NULL;
}

static int bench_farm(void) {
    int w = g_workers, numt, i, n, first = 0, ready;
    int tids[64];
    char* extra[3] = {"-r", g_direct ? "direct" : "default", NULL};
    const char* route = g_direct ? "direct" : "default";
    const char* err = NULL;
    double t0, el, rates[3];

    if (w > 64) w = 64;
    snprintf(g_what, sizeof g_what, "test=farm route=%s workers=%d", route, w);
    watch(WATCHDOG_S);
    if (g_direct) pvm_setopt(PvmRoute, PvmRouteDirect);
    numt = spawn_children("farm", extra, w, tids);
    if (numt < w) {
        printf("%s error=spawn_failed_%d_of_%d\n", g_what, numt < 0 ? 0 : numt, w);
        for (i = 0; i < numt; i++) pvm_kill(tids[i]);
        return 1;
    }
    pvm_notify(PvmTaskExit, TAG_EXITED, w, tids);
    for (ready = 0; ready < w; ready++)
        if (trecv(-1, TAG_READY, CTRL_TIMEOUT_S) <= 0) break;
    if (ready < w) err = "workers_not_ready";

    /* warm-up, which also estimates the rate */
    if (!err) {
        t0 = now_us();
        err = farm_run(tids, w, first, 200);
        el = now_us() - t0;
        first += 200;
    }
    n = 0;
    if (!err) {
        double per = g_target_s / 3 * 1e6 / (el / 200);
        n = per < 500 ? 500 : per > 300000 ? 300000 : (int)per;
        for (i = 0; i < 3 && !err; i++) {
            watch(WATCHDOG_S);
            t0 = now_us();
            err = farm_run(tids, w, first, n);
            el = now_us() - t0;
            first += n;
            rates[i] = n / (el / 1e6);
        }
    }
    alarm(0);
    if (err) {
        printf("%s error=%s\n", g_what, err);
        for (i = 0; i < w; i++) pvm_kill(tids[i]);
    } else {
        printf("%s items=%d items_per_s=%.0f items_per_s_max=%.0f\n", g_what, n, median(rates, 3),
               rates[0] > rates[1] ? (rates[0] > rates[2] ? rates[0] : rates[2])
                                   : (rates[1] > rates[2] ? rates[1] : rates[2]));
        pvm_initsend(PvmDataDefault);
        pvm_mcast(tids, w, TAG_STOP);
    }
    fflush(stdout);
    watch(CTRL_TIMEOUT_S + 10);
    if (wait_exits(w) < w) fprintf(stderr, "pvmops: farm workers did not all exit\n");
    alarm(0);
    return err ? 1 : 0;
}

/* ---------------------------------------------------------------- group */

static const char* op_name(int op) {
    return op == OP_BARRIER ? "barrier" : op == OP_BCAST ? "bcast" : op == OP_REDUCE ? "reduce" : "quit";
}

/* One timed cycle of `count` ops; returns elapsed us or < 0 on error. */
static double group_cycle(const char* group, int members, int op, int count) {
    int cmd[2], k, data, payload[2] = {42, 43}, want = members * (members + 1) / 2, cc;
    double t0 = now_us();
    cmd[0] = op;
    cmd[1] = count;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(cmd, 2, 1);
    if ((cc = pvm_bcast((char*)group, TAG_CMD)) < 0) return cc;
    for (k = 0; k < count; k++) {
        if (op == OP_BARRIER) {
            if ((cc = pvm_barrier((char*)group, members)) < 0) return cc;
        } else if (op == OP_BCAST) {
            pvm_initsend(PvmDataRaw);
            pvm_pkint(payload, 2, 1);
            if ((cc = pvm_bcast((char*)group, TAG_BC)) < 0) return cc;
        } else {
            data = 1;
            if ((cc = pvm_reduce(PvmSum, &data, 1, PVM_INT, TAG_RED + k, (char*)group, 0)) < 0) return cc;
            if (data != want) return -1000 - data;
        }
    }
    if ((cc = pvm_barrier((char*)group, members)) < 0) return cc;
    return now_us() - t0;
}

static int bench_group(void) {
    int m = g_nlist > 0 ? g_list[0] : 8, numt, i, inst, rc = 0, nops = 0, ops[3], count = 0;
    int* tids;
    char group[32], mstr[16];
    char* extra[5];

    if (strstr(g_ops, "barrier")) ops[nops++] = OP_BARRIER;
    if (strstr(g_ops, "bcast")) ops[nops++] = OP_BCAST;
    if (strstr(g_ops, "reduce")) ops[nops++] = OP_REDUCE;
    snprintf(group, sizeof group, "pvmops%d", m);
    snprintf(mstr, sizeof mstr, "%d", m);
    extra[0] = "-g";
    extra[1] = group;
    extra[2] = "-m";
    extra[3] = mstr;
    extra[4] = NULL;
    tids = calloc((size_t)m, sizeof *tids);

    snprintf(g_what, sizeof g_what, "test=group op=join members=%d", m);
    watch(WATCHDOG_S);
    inst = pvm_joingroup(group);
    if (inst != 0) {
        printf("%s error=joingroup_%d\n", g_what, inst);
        free(tids);
        return 1;
    }
    numt = m > 1 ? spawn_children("group", extra, m - 1, tids) : 0;
    if (numt < m - 1) {
        printf("%s error=spawn_failed_%d_of_%d\n", g_what, numt < 0 ? 0 : numt, m - 1);
        for (i = 0; i < numt; i++) pvm_kill(tids[i]);
        pvm_lvgroup(group);
        free(tids);
        return 1;
    }
    if (m > 1) pvm_notify(PvmTaskExit, TAG_EXITED, m - 1, tids);
    if ((i = pvm_barrier(group, m)) < 0) {
        printf("%s error=barrier_%d\n", g_what, i);
        rc = 1;
    }

    for (i = 0; i < nops && rc == 0; i++) {
        int op = ops[i];
        double el;
        snprintf(g_what, sizeof g_what, "test=group op=%s members=%d", op_name(op), m);
        watch(WATCHDOG_S);
        el = group_cycle(group, m, op, 3); /* warm-up */
        if (el >= 0) {                     /* estimate on ~1/10 of the target */
            double want = g_target_s * 1e5 / (el / 3);
            count = want < 5 ? 5 : want > 10000 ? 10000 : (int)want;
            el = group_cycle(group, m, op, count);
        }
        if (el >= 0) {
            double want = g_target_s * 1e6 / (el / count);
            count = want < 10 ? 10 : want > 100000 ? 100000 : (int)want;
            el = group_cycle(group, m, op, count);
        }
        alarm(0);
        if (el < 0) {
            printf("%s error=pvm_%d\n", g_what, (int)el);
            rc = 1;
        } else {
            printf("%s count=%d us_per_op=%.2f\n", g_what, count, el / count);
        }
        fflush(stdout);
    }
    snprintf(g_what, sizeof g_what, "test=group op=quit members=%d", m);
    watch(CTRL_TIMEOUT_S + 10);
    if (rc == 0) {
        int cmd[2] = {OP_QUIT, 0};
        pvm_initsend(PvmDataDefault);
        pvm_pkint(cmd, 2, 1);
        pvm_bcast(group, TAG_CMD);
    } else {
        for (i = 0; i < m - 1; i++) pvm_kill(tids[i]);
    }
    if (m > 1 && wait_exits(m - 1) < m - 1) fprintf(stderr, "pvmops: group members did not all exit\n");
    pvm_lvgroup(group);
    alarm(0);
    free(tids);
    return rc;
}

/* --------------------------------------------------------------- memory */

static long vmrss_kb(int pid) {
    char path[64], line[256];
    long kb = -1;
    FILE* f;
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    if (!(f = fopen(path, "r"))) return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0) kb = atol(line + 6);
    fclose(f);
    return kb;
}

static int bench_memory(void) {
    int tid, pid = 0, numt;
    long kb;
    snprintf(g_what, sizeof g_what, "test=memory");
    watch(WATCHDOG_S);
    numt = spawn_children("memory", NULL, 1, &tid);
    if (numt < 1) {
        printf("test=memory error=spawn_failed_%d\n", numt < 0 ? numt : tid);
        return 1;
    }
    pvm_notify(PvmTaskExit, TAG_EXITED, 1, &tid);
    if (trecv(tid, TAG_READY, CTRL_TIMEOUT_S) <= 0) {
        printf("test=memory error=no_ready\n");
        pvm_kill(tid);
        wait_exits(1);
        return 1;
    }
    pvm_upkint(&pid, 1, 1);
    sleep(1); /* let it settle in pvm_recv */
    kb = vmrss_kb(pid);
    if (kb < 0)
        printf("test=memory error=no_proc_status_pid_%d\n", pid);
    else
        printf("test=memory task_pid=%d task_rss_kb=%ld master_rss_kb=%ld\n", pid, kb, vmrss_kb((int)getpid()));
    fflush(stdout);
    pvm_initsend(PvmDataDefault);
    pvm_send(tid, TAG_STOP);
    wait_exits(1);
    alarm(0);
    return kb < 0 ? 1 : 0;
}

/* ----------------------------------------------------------------- main */

static void usage(const char* prog) {
    fprintf(stderr,
            "usage: %s spawn [-c 1,16,64] [-reps R]\n"
            "       %s farm [-w WORKERS] [-t SECONDS] [-r default|direct]\n"
            "       %s group [-m MEMBERS] [-t SECONDS] [-ops barrier,bcast,reduce]\n"
            "       %s memory\n"
            "       %s -haltonly\n"
            "  common: [-exe PATH]\n",
            prog, prog, prog, prog, prog);
}

int main(int argc, char** argv) {
    const char* cmd = NULL;
    int i, mytid, parent, rc = 2, haltonly = 0;

    setvbuf(stdout, NULL, _IOLBF, 0);
    /* Children: "-child KIND ..." */
    if (argc >= 3 && strcmp(argv[1], "-child") == 0) {
        mytid = pvm_mytid();
        parent = pvm_parent();
        if (mytid < 0 || parent < 0) return 1;
        return child_main(argv[2], parent, argc - 3, argv + 3);
    }
    for (i = 1; i < argc; i++) {
        const char* a = argv[i];
        const char* v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "-haltonly") == 0) {
            haltonly = 1;
        } else if (!strcmp(a, "-c") || !strcmp(a, "-m")) {
            if (!v || parse_list(v) < 0) goto bad;
            i++;
        } else if (!strcmp(a, "-reps")) {
            if (!v || (g_reps = atoi(v)) <= 0) goto bad;
            i++;
        } else if (!strcmp(a, "-w")) {
            if (!v || (g_workers = atoi(v)) <= 0) goto bad;
            i++;
        } else if (!strcmp(a, "-t")) {
            if (!v || (g_target_s = atof(v)) <= 0) goto bad;
            i++;
        } else if (!strcmp(a, "-r")) {
            if (!v || (strcmp(v, "default") && strcmp(v, "direct"))) goto bad;
            g_direct = strcmp(v, "direct") == 0;
            i++;
        } else if (!strcmp(a, "-ops")) {
            if (!v) goto bad;
            g_ops = v;
            i++;
        } else if (!strcmp(a, "-exe")) {
            if (!v) goto bad;
            g_exe = v;
            i++;
        } else if (!cmd && a[0] != '-') {
            cmd = a;
        } else {
            goto bad;
        }
    }
    if (!haltonly &&
        (!cmd || (strcmp(cmd, "spawn") && strcmp(cmd, "farm") && strcmp(cmd, "group") && strcmp(cmd, "memory"))))
        goto bad;

    signal(SIGALRM, on_alarm);
    alarm(CTRL_TIMEOUT_S);
    mytid = pvm_mytid();
    alarm(0);
    if (mytid < 0) {
        printf("test=%s error=cannot_enroll_%d\n", cmd ? cmd : "halt", mytid);
        return 1;
    }
    if (haltonly) {
        signal(SIGTERM, SIG_IGN);
        return pvm_halt() < 0 ? 1 : 0;
    }
    self_path(argv[0]);
    if (!strcmp(cmd, "spawn"))
        rc = bench_spawn();
    else if (!strcmp(cmd, "farm"))
        rc = bench_farm();
    else if (!strcmp(cmd, "group"))
        rc = bench_group();
    else
        rc = bench_memory();
    fflush(stdout);
    pvm_exit();
    return rc;

bad:
    usage(argv[0]);
    return 2;
}
