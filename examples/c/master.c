/* master.c - a pool of workers: spawn N slaves, deal them work items one at a time,
 * whichever slave is free gets the next, and add up what they send back.
 *
 * The work is the sum of the squares of 0 .. RANGE-1, cut into ITEMS ranges. Every slave
 * is watched with pvm_notify, so the master also learns when one dies: its unfinished item
 * goes to another slave. At the end every slave gets a stop message and the master waits
 * until all of them have exited.
 *
 * Run with a pvmd up: ./master [nslaves [slave-path]]  (default 4 slaves, and the slave
 * program beside this one). The protocol matches slave.c and the C++ master_cpp/slave_cpp,
 * so C and C++ masters and slaves can be mixed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvm3.h"

/* Message tags; the same numbers appear in slave.c and examples/cpp. */
#define TAG_WORK 1   /* master -> slave: int item, long lo, long hi */
#define TAG_RESULT 2 /* slave -> master: int item, long sum of squares of lo .. hi-1 */
#define TAG_STOP 3   /* master -> slave: no more work, exit */
#define TAG_EXITED 4 /* pvmd -> master: int tid of a slave that exited */

#define RANGE 1000000L
#define ITEMS 100
#define MAX_SLAVES 64

static int tids[MAX_SLAVES];
static int busy[MAX_SLAVES]; /* item a slave works on, or -1 when idle */
static int alive[MAX_SLAVES];
static int count[MAX_SLAVES]; /* items each slave finished */
static int done[ITEMS];
static int requeued[ITEMS]; /* items taken back from slaves that died */
static int nrequeued = 0;
static int next_item = 0;

static int find_slave(int tid, int nslaves) {
    int i;
    for (i = 0; i < nslaves; i++)
        if (tids[i] == tid) return i;
    return -1;
}

/* deal gives slave s the next item, if any is left; otherwise the slave stays idle. */
static void deal(int s) {
    int item;
    long lo, hi;

    if (nrequeued > 0)
        item = requeued[--nrequeued];
    else if (next_item < ITEMS)
        item = next_item++;
    else
        return;
    lo = RANGE * item / ITEMS;
    hi = RANGE * (item + 1) / ITEMS;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&item, 1, 1);
    pvm_pklong(&lo, 1, 1);
    pvm_pklong(&hi, 1, 1);
    pvm_send(tids[s], TAG_WORK);
    busy[s] = item;
}

static void slave_path(char* path, size_t size, int argc, char** argv) {
    if (argc > 2) {
        snprintf(path, size, "%s", argv[2]);
    } else {
        /* The slave lives beside this program. */
        ssize_t n = readlink("/proc/self/exe", path, size - 1);
        char* slash;
        path[n > 0 ? n : 0] = '\0';
        slash = strrchr(path, '/');
        if (slash) snprintf(slash + 1, size - (size_t)(slash + 1 - path), "slave");
    }
}

int main(int argc, char** argv) {
    char path[4096];
    int want = argc > 1 ? atoi(argv[1]) : 4;
    int nslaves = 0, nalive, ncompleted = 0, stopping = 0;
    int spawned[MAX_SLAVES];
    int mytid, started, i;
    long total = 0, direct = 0, x;

    if (want < 1 || want > MAX_SLAVES) {
        fprintf(stderr, "usage: master [nslaves (1-%d) [slave-path]]\n", MAX_SLAVES);
        return 2;
    }
    slave_path(path, sizeof path, argc, argv);
    mytid = pvm_mytid();
    if (mytid < 0) {
        fprintf(stderr, "master: no pvmd running (start one with `pvmd`)\n");
        return 1;
    }
    printf("master t%x: spawning %d slaves of %s\n", mytid, want, path);
    started = pvm_spawn(path, (char**)0, PvmTaskDefault, "", want, spawned);
    /* Failed entries hold error codes; keep the tids of those that started. */
    for (i = 0; i < want; i++)
        if (spawned[i] > 0) tids[nslaves++] = spawned[i];
    if (started < 1 || nslaves < 1) {
        fprintf(stderr, "master: could not start any slave (%d)\n", spawned[0]);
        pvm_exit();
        return 1;
    }
    if (nslaves < want) printf("master: only %d of %d slaves started\n", nslaves, want);
    /* Before dealing: a slave that dies at any time is then reported, never missed. */
    pvm_notify(PvmTaskExit, TAG_EXITED, nslaves, tids);
    for (i = 0; i < nslaves; i++) {
        alive[i] = 1;
        busy[i] = -1;
        deal(i);
    }
    nalive = nslaves;

    while (nalive > 0) {
        int bufid = pvm_recv(-1, -1);
        int bytes, tag, src, s, item, tid;
        long sum;

        if (bufid < 0) break;
        pvm_bufinfo(bufid, &bytes, &tag, &src);
        if (tag == TAG_RESULT) {
            s = find_slave(src, nslaves);
            pvm_upkint(&item, 1, 1);
            pvm_upklong(&sum, 1, 1);
            if (s < 0 || item < 0 || item >= ITEMS) continue;
            busy[s] = -1;
            /* A slave may have been counted dead after sending its result: count it once. */
            if (!done[item]) {
                done[item] = 1;
                total += sum;
                count[s]++;
                ncompleted++;
            }
            if (alive[s]) deal(s);
            if (ncompleted == ITEMS && !stopping) {
                stopping = 1;
                pvm_initsend(PvmDataDefault);
                for (i = 0; i < nslaves; i++)
                    if (alive[i]) pvm_send(tids[i], TAG_STOP);
            }
        } else if (tag == TAG_EXITED) {
            pvm_upkint(&tid, 1, 1);
            s = find_slave(tid, nslaves);
            if (s < 0 || !alive[s]) continue;
            alive[s] = 0;
            nalive--;
            if (busy[s] >= 0 && !done[busy[s]]) {
                printf("master: slave t%x died; item %d goes to another\n", tid, busy[s]);
                requeued[nrequeued++] = busy[s];
                busy[s] = -1;
                for (i = 0; i < nslaves; i++)
                    if (alive[i] && busy[i] < 0) {
                        deal(i);
                        break;
                    }
            }
        }
    }

    for (i = 0; i < nslaves; i++) printf("slave t%x: %d items\n", tids[i], count[i]);
    if (ncompleted != ITEMS) printf("master: only %d of %d items done\n", ncompleted, ITEMS);
    for (x = 0; x < RANGE; x++) direct += x * x;
    printf("total %ld, direct %ld: %s\n", total, direct, ncompleted == ITEMS && total == direct ? "ok" : "MISMATCH");
    pvm_exit();
    return ncompleted == ITEMS && total == direct ? 0 : 1;
}
