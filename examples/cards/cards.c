/* cards.c - the card dealer: many small work items dealt one at a time to slaves on
 * every host of the virtual machine. Whichever slave finishes first gets the next item, so
 * fast hosts do more of the work and slow or busy ones less, with no tuning.
 *
 *   cards [items [slaves-per-host [slave-path]]]    (default 2000 items, 1 slave per host)
 *
 * The work: count the primes below items * SPAN, and add them up. Item i is the range
 * i*SPAN .. (i+1)*SPAN-1, which a slave (cards_slave.c) tests by trial division, a few
 * milliseconds of CPU. The master checks the combined answer against a sieve of its own.
 *
 * Every slave is watched with pvm_notify(PvmTaskExit): when one dies, or its host is deleted,
 * the item it held goes back on the pile and is dealt again. At the end every slave gets a
 * stop message, the master waits until all of them have exited, and prints per host its
 * name, its speed from pvm_config and how many items its slaves did.
 *
 * The slave program is looked for beside this one (/proc/self/exe), or given as the third
 * argument: an absolute path that holds on every host, or a bare name, which each host's
 * pvmd looks up in $PVM_ROOT/bin/$PVM_ARCH and $HOME/pvm3/bin/$PVM_ARCH. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pvm3.h"

/* Message tags; the same numbers appear in cards_slave.c. */
#define TAG_WORK 1   /* master -> slave: int item, int lo, int hi */
#define TAG_RESULT 2 /* slave -> master: int item, int count, long sum (primes in lo .. hi-1) */
#define TAG_STOP 3   /* master -> slave: no more work, exit */
#define TAG_EXITED 4 /* pvmd -> master: int tid of a slave that exited */

#define SPAN 10000L /* numbers per item */
#define MAX_ITEMS 100000
#define MAX_PER_HOST 64

struct host {
    char name[256];
    int speed;
    int slaves; /* slaves that started there */
    int items;  /* items its slaves finished */
};

struct slave {
    int tid;
    int host;  /* index into hosts */
    int busy;  /* item it works on, or -1 when idle */
    int alive; /* until its exit notify arrives */
};

static struct host* hosts;
static struct slave* slaves;
static int nslaves = 0;
static int nitems;
static int* done; /* per item: how many results were accepted (0 or 1) */
static int* pile; /* items taken back from slaves that died, dealt first */
static int npile = 0;
static int next_item = 0;

static int find_slave(int tid) {
    int i;
    for (i = 0; i < nslaves; i++)
        if (slaves[i].tid == tid) return i;
    return -1;
}

/* deal gives slave s the next item, if any is left; otherwise the slave stays idle. */
static void deal(int s) {
    int item, lo, hi;

    if (npile > 0)
        item = pile[--npile];
    else if (next_item < nitems)
        item = next_item++;
    else
        return;
    lo = (int)(SPAN * item);
    hi = (int)(SPAN * (item + 1));
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&item, 1, 1);
    pvm_pkint(&lo, 1, 1);
    pvm_pkint(&hi, 1, 1);
    pvm_send(slaves[s].tid, TAG_WORK);
    slaves[s].busy = item;
}

static void slave_path(char* path, size_t size, int argc, char** argv) {
    if (argc > 3) {
        snprintf(path, size, "%s", argv[3]);
    } else {
        /* The slave lives beside this program. */
        ssize_t n = readlink("/proc/self/exe", path, size - 1);
        char* slash;
        path[n > 0 ? n : 0] = '\0';
        slash = strrchr(path, '/');
        if (slash) snprintf(slash + 1, size - (size_t)(slash + 1 - path), "cards_slave");
    }
}

/* sieve counts and adds up the primes below limit another way (Eratosthenes), to check the slaves. */
static void sieve(long limit, long* count, long* sum) {
    /* One bit per odd number n, at bit n/2. */
    unsigned char* composite = calloc((size_t)(limit / 16 + 1), 1);
    long i, j;

    *count = 0;
    *sum = 0;
    if (!composite) return;
    if (limit > 2) {
        *count = 1;
        *sum = 2;
    }
    for (i = 3; i * i < limit; i += 2)
        if (!(composite[i >> 4] & (1 << ((i >> 1) & 7))))
            for (j = i * i; j < limit; j += 2 * i) composite[j >> 4] |= (unsigned char)(1 << ((j >> 1) & 7));
    for (i = 3; i < limit; i += 2)
        if (!(composite[i >> 4] & (1 << ((i >> 1) & 7)))) {
            (*count)++;
            *sum += i;
        }
    free(composite);
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char** argv) {
    char path[4096];
    int per = argc > 2 ? atoi(argv[2]) : 1;
    int nhost, narch, nalive, ncompleted = 0, nrepeated = 0, nredealt = 0, stopping = 0;
    int mytid, i, h, *tids, *spawned;
    struct pvmhostinfo* info;
    long count = 0, sum = 0, want_count, want_sum;
    double start;
    int ok;

    nitems = argc > 1 ? atoi(argv[1]) : 2000;
    if (nitems < 1 || nitems > MAX_ITEMS || per < 1 || per > MAX_PER_HOST) {
        fprintf(stderr, "usage: cards [items (1-%d) [slaves-per-host (1-%d) [slave-path]]]\n", MAX_ITEMS, MAX_PER_HOST);
        return 2;
    }
    slave_path(path, sizeof path, argc, argv);
    mytid = pvm_mytid();
    if (mytid < 0) {
        fprintf(stderr, "cards: no pvmd running (start one with `pvmd [hostfile]`)\n");
        return 1;
    }
    if (pvm_config(&nhost, &narch, &info) < 0 || nhost < 1) {
        fprintf(stderr, "cards: pvm_config failed\n");
        pvm_exit();
        return 1;
    }
    /* The array from pvm_config only lasts until the next call: keep what we need. */
    hosts = calloc((size_t)nhost, sizeof *hosts);
    slaves = calloc((size_t)(nhost * per), sizeof *slaves);
    tids = calloc((size_t)(nhost * per), sizeof *tids);
    spawned = calloc((size_t)per, sizeof *spawned);
    done = calloc((size_t)nitems, sizeof *done);
    pile = calloc((size_t)nitems, sizeof *pile);
    if (!hosts || !slaves || !tids || !spawned || !done || !pile) {
        fprintf(stderr, "cards: out of memory\n");
        pvm_exit();
        return 1;
    }
    for (h = 0; h < nhost; h++) {
        snprintf(hosts[h].name, sizeof hosts[h].name, "%s", info[h].hi_name);
        hosts[h].speed = info[h].hi_speed;
    }

    printf("cards t%x: %d items of %ld numbers, %d slave%s per host on %d host%s, slave %s\n", mytid, nitems, SPAN, per,
           per == 1 ? "" : "s", nhost, nhost == 1 ? "" : "s", path);
    fflush(stdout);
    start = seconds();
    for (h = 0; h < nhost; h++) {
        int started = pvm_spawn(path, (char**)0, PvmTaskHost, hosts[h].name, per, spawned);
        /* Failed entries hold error codes; keep the tids of those that started. */
        for (i = 0; i < per; i++) {
            if (spawned[i] <= 0) continue;
            slaves[nslaves].tid = spawned[i];
            slaves[nslaves].host = h;
            slaves[nslaves].busy = -1;
            slaves[nslaves].alive = 1;
            tids[nslaves++] = spawned[i];
            hosts[h].slaves++;
        }
        if (started < per)
            printf("cards: host %s: %d of %d slaves started (error %d)\n", hosts[h].name, started < 0 ? 0 : started,
                   per, started < 0 ? started : spawned[per - 1]);
    }
    if (nslaves < 1) {
        fprintf(stderr, "cards: could not start any slave\n");
        pvm_exit();
        return 1;
    }
    /* Before dealing: a slave that dies at any time is then reported, never missed. */
    pvm_notify(PvmTaskExit, TAG_EXITED, nslaves, tids);
    for (i = 0; i < nslaves; i++) deal(i);
    nalive = nslaves;

    while (nalive > 0) {
        int bufid = pvm_recv(-1, -1);
        int bytes, tag, src, s, item, n, tid;
        long total;

        if (bufid < 0) break; /* the pvmd went away */
        pvm_bufinfo(bufid, &bytes, &tag, &src);
        if (tag == TAG_RESULT) {
            s = find_slave(src);
            if (s < 0 || pvm_upkint(&item, 1, 1) < 0 || pvm_upkint(&n, 1, 1) < 0 || pvm_upklong(&total, 1, 1) < 0 ||
                item < 0 || item >= nitems)
                continue;
            if (slaves[s].busy == item) slaves[s].busy = -1;
            /* A slave counted dead may still have sent its result: take each item once. */
            if (done[item]) {
                nrepeated++;
            } else {
                done[item] = 1;
                count += n;
                sum += total;
                hosts[slaves[s].host].items++;
                ncompleted++;
            }
            if (slaves[s].alive) deal(s);
            if (ncompleted == nitems && !stopping) {
                stopping = 1;
                pvm_initsend(PvmDataDefault);
                for (i = 0; i < nslaves; i++)
                    if (slaves[i].alive) pvm_send(slaves[i].tid, TAG_STOP);
            }
        } else if (tag == TAG_EXITED) {
            pvm_upkint(&tid, 1, 1);
            s = find_slave(tid);
            if (s < 0 || !slaves[s].alive) continue;
            slaves[s].alive = 0;
            nalive--;
            item = slaves[s].busy;
            slaves[s].busy = -1;
            if (item >= 0 && !done[item]) {
                printf("cards: slave t%x on %s died; item %d goes back on the pile\n", tid, hosts[slaves[s].host].name,
                       item);
                fflush(stdout);
                pile[npile++] = item;
                nredealt++;
                for (i = 0; i < nslaves; i++)
                    if (slaves[i].alive && slaves[i].busy < 0) {
                        deal(i);
                        break;
                    }
            }
        }
    }

    sieve(SPAN * nitems, &want_count, &want_sum);
    ok = ncompleted == nitems && count == want_count && sum == want_sum;
    printf("%-24s %6s %7s %7s\n", "host", "speed", "slaves", "items");
    for (h = 0; h < nhost; h++)
        printf("%-24s %6d %7d %7d\n", hosts[h].name, hosts[h].speed, hosts[h].slaves, hosts[h].items);
    printf("%-24s %6s %7d %7d\n", "total", "", nslaves, ncompleted);
    printf("items: %d dealt, %d done once, %d repeated, %d re-dealt, %d missing, %.2f s\n", nitems, ncompleted,
           nrepeated, nredealt, nitems - ncompleted, seconds() - start);
    printf("primes below %ld: %ld, sum %ld; sieve: %ld, sum %ld: %s\n", SPAN * nitems, count, sum, want_count, want_sum,
           ok ? "ok" : "MISMATCH");
    free(hosts);
    free(slaves);
    free(tids);
    free(spawned);
    free(done);
    free(pile);
    pvm_exit();
    return ok ? 0 : 1;
}
