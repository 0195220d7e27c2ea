/* pvmops-spawn.c - the spawn and farm benchmarks (pvmops.c says what they measure). */
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

int bench_spawn(void) {
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

int bench_farm(void) {
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
