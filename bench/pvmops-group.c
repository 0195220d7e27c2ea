/* pvmops-group.c - the group and memory benchmarks (pvmops.c says what they measure). */
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

int bench_group(void) {
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

int bench_memory(void) {
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
