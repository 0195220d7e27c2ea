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
 * The parts: pvmops-util.c (helpers), pvmops-child.c (the children),
 * pvmops-spawn.c (spawn, farm), pvmops-group.c (group, memory); pvmops.h.
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

#include "pvmops.h"

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
