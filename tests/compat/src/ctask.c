/* ctask - task calls: mytid, parent, tidtohost, config, tasks, pstat, mstat, spawn
 * (good and bad names, flags, counts), notify, kill and exit. Started with "child" it
 * is the spawned task: it reports its parent and waits to be told to exit. */
#include "compat.h"

static int cmpTask(const void* a, const void* b) {
    return ((const struct pvmtaskinfo*)a)->ti_tid - ((const struct pvmtaskinfo*)b)->ti_tid;
}

/* showTasks prints pvm_tasks' result, sorted by tid, without pids and paths. */
static void showTasks(const char* call, int where) {
    int n = -1, i, rc;
    struct pvmtaskinfo *ti = NULL, copy[64];
    rc = pvm_tasks(where, &n, &ti);
    printf("%s = %s ntask=%d\n", call, res(rc), rc < 0 ? -1 : n);
    if (rc < 0 || n > 64) return;
    memcpy(copy, ti, n * sizeof *ti);
    qsort(copy, n, sizeof *copy, cmpTask);
    for (i = 0; i < n; i++) {
        const char* base = strrchr(copy[i].ti_a_out, '/');
        printf("  task tid=%s ptid=%s host=%s flag=0x%x aout=%s pid>0=%d\n", tidStr(copy[i].ti_tid),
               tidStr(copy[i].ti_ptid), tidStr(copy[i].ti_host), copy[i].ti_flag, base ? base + 1 : copy[i].ti_a_out,
               copy[i].ti_pid > 0);
    }
}

static int child(void) {
    int me = pvm_mytid(), parent = pvm_parent();
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&me, 1, 1);
    pvm_pkint(&parent, 1, 1);
    pvm_send(parent, 1);
    pvm_recv(parent, 2); /* told to exit; the other one is killed while waiting here */
    pvm_exit();
    return 0;
}

int main(int argc, char** argv) {
    int me, host, nhost = -1, narch = -1, i, rc, tids[4], who, parent, dead;
    struct pvmhostinfo* hi = NULL;
    char hostname[256];
    char* args[] = {"child", NULL};

    if (argc > 1 && strcmp(argv[1], "child") == 0) return child();
    me = begin("ctask", 0);
    RT(pvm_parent());
    RT(pvm_mytid());
    host = pvm_tidtohost(me);
    printf("pvm_tidtohost(me) = %s\n", tidStr(host));
    RT(pvm_tidtohost(0));
    RT(pvm_tidtohost(-1));
    RT(pvm_tidtohost(host));

    rc = pvm_config(&nhost, &narch, &hi);
    printf("pvm_config() = %s nhost=%d narch=%d\n", res(rc), nhost, narch);
    for (i = 0; rc >= 0 && i < nhost; i++)
        printf("  host tid=%s name=%s arch=%s speed=%d\n", tidStr(hi[i].hi_tid), hostWord(hi[i].hi_name), hi[i].hi_arch,
               hi[i].hi_speed);
    strncpy(hostname, hi[0].hi_name, sizeof hostname - 1);
    hostname[sizeof hostname - 1] = 0;

    showTasks("pvm_tasks(0)", 0);
    showTasks("pvm_tasks(me)", me);
    showTasks("pvm_tasks(host)", host);
    showTasks("pvm_tasks(0x7ffff)", 0x7ffff);
    showTasks("pvm_tasks(-1)", -1);

    R(pvm_pstat(me));
    R(pvm_pstat(host));
    R(pvm_pstat(me + 100));
    R(pvm_pstat(0));
    R(pvm_pstat(-5));
    printf("pvm_mstat(hostname) = %s\n", res(pvm_mstat(hostname)));
    R(pvm_mstat("no.such.host"));
    R(pvm_mstat(""));

    /* Bad spawns: tids[] tells why each one failed. */
    tids[0] = 12345;
    rc = pvm_spawn("no_such_program", NULL, PvmTaskDefault, "", 1, tids);
    printf("pvm_spawn(no_such_program, 1) = %s tids[0]=%s\n", res(rc), res(rc == 1 ? 0 : tids[0]));
    tids[0] = 12345;
    rc = pvm_spawn("ctask", args, PvmTaskDefault, "", 0, tids);
    printf("pvm_spawn(ctask, count 0) = %s\n", res(rc));
    rc = pvm_spawn("ctask", args, PvmTaskDefault, "", -1, tids);
    printf("pvm_spawn(ctask, count -1) = %s\n", res(rc));
    tids[0] = 12345;
    rc = pvm_spawn("ctask", args, PvmTaskHost, "no.such.host", 1, tids);
    printf("pvm_spawn(ctask, PvmTaskHost no.such.host) = %s tids[0]=%s\n", res(rc), res(tids[0]));
    tids[0] = 12345;
    rc = pvm_spawn("ctask", args, PvmTaskArch, "NOSUCHARCH", 1, tids);
    printf("pvm_spawn(ctask, PvmTaskArch NOSUCHARCH) = %s tids[0]=%s\n", res(rc), res(tids[0]));

    /* Two good children: one by host name, one by architecture. */
    rc = pvm_spawn("ctask", args, PvmTaskHost, hostname, 1, tids);
    printf("pvm_spawn(ctask, PvmTaskHost hostname) = %s tids[0]=%s\n", res(rc), tidStr(tids[0]));
    rc = pvm_spawn("ctask", args, PvmTaskArch, "LINUX64", 1, tids + 1);
    printf("pvm_spawn(ctask, PvmTaskArch LINUX64) = %s tids[1]=%s\n", res(rc), tidStr(tids[1]));
    for (i = 0; i < 2; i++) {
        pvm_recv(tids[i], 1);
        pvm_upkint(&who, 1, 1);
        pvm_upkint(&parent, 1, 1);
        printf("child %d says mytid=%s parent=%s\n", i, tidStr(who), tidStr(parent));
    }
    showTasks("pvm_tasks(0) with children", 0);
    R(pvm_pstat(tids[0]));

    /* Notify: bad arguments, then exits of both children. */
    R(pvm_notify(99, 50, 1, tids));
    R(pvm_notify(PvmTaskExit, 50, -1, tids));
    R(pvm_notify(PvmTaskExit, 50, 2, tids));
    R(pvm_notify(PvmHostDelete, 51, 1, &host));
    R(pvm_notify(PvmHostDelete, 53, 1, &tids[0])); /* a task tid: PVM watches its host */
    R(pvm_notify(PvmHostAdd, 52, -1, NULL));
    R(pvm_notify(PvmHostAdd | PvmNotifyCancel, 52, 0, NULL));

    R(pvm_kill(tids[0]));
    pvm_recv(-1, 50);
    pvm_upkint(&dead, 1, 1);
    printf("TaskExit notify for %s\n", tidStr(dead));
    pvm_initsend(PvmDataDefault);
    R(pvm_send(tids[1], 2));
    pvm_recv(-1, 50);
    pvm_upkint(&dead, 1, 1);
    printf("TaskExit notify for %s\n", tidStr(dead));
    R(pvm_pstat(tids[0]));
    R(pvm_kill(tids[0]));
    R(pvm_kill(0x7ffff));
    R(pvm_kill(-3));
    R(pvm_notify(PvmTaskExit, 53, 1, tids));
    pvm_recv(-1, 53);
    pvm_upkint(&dead, 1, 1);
    printf("TaskExit notify on a dead task for %s\n", tidStr(dead));
    showTasks("pvm_tasks(0) at the end", 0);
    R(pvm_exit());
    return 0;
}
