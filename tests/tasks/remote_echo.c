/* remote_echo.c - used by tests/system/ssh-test.sh: adds one host with pvm_addhosts, spawns
 * test_task's echo mode there (PvmTaskHost), and checks that a message comes back from it.
 * The machine keeps running: the script looks at it, then halts it.
 *
 *   remote_echo HOST TASK-PATH     exit status 0 when all of that worked */
#include <stdio.h>
#include <sys/time.h>

#include "pvm3.h"

static int fail(const char* what, int code) {
    printf("remote_echo: %s failed (%d)\n", what, code);
    pvm_exit();
    return 1;
}

int main(int argc, char** argv) {
    char* hosts[1];
    char* args[] = {"echo", (char*)0};
    struct pvmhostinfo* info;
    struct timeval tmout = {20, 0};
    int result = 0, tid = 0, nhost = 0, narch = 0, sent = 4242, got = 0, i, n;

    if (argc != 3) {
        fprintf(stderr, "usage: remote_echo HOST TASK-PATH\n");
        return 2;
    }
    if (pvm_mytid() < 0) {
        printf("remote_echo: no pvmd\n");
        return 1;
    }
    hosts[0] = argv[1];
    n = pvm_addhosts(hosts, 1, &result);
    if (n != 1 || result <= 0) return fail("pvm_addhosts", n == 1 ? result : n);
    printf("added %s as t%x\n", argv[1], result);
    if (pvm_config(&nhost, &narch, &info) < 0) return fail("pvm_config", 0);
    for (i = 0; i < nhost; i++)
        printf("host t%x %s %s %d\n", info[i].hi_tid, info[i].hi_name, info[i].hi_arch, info[i].hi_speed);
    n = pvm_spawn(argv[2], args, PvmTaskHost, argv[1], 1, &tid);
    if (n != 1) return fail("pvm_spawn", n == 0 ? tid : n);
    printf("spawned t%x on %s\n", tid, argv[1]);
    if (pvm_tidtohost(tid) != result) return fail("pvm_tidtohost", pvm_tidtohost(tid));
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&sent, 1, 1);
    pvm_send(tid, 4);
    n = pvm_trecv(tid, 4, &tmout);
    if (n <= 0) return fail("pvm_trecv", n);
    pvm_upkint(&got, 1, 1);
    if (got != sent) return fail("the echo", got);
    printf("t%x echoed %d\n", tid, got);
    pvm_initsend(PvmDataDefault);
    pvm_send(tid, 99);
    pvm_exit();
    printf("remote echo ok\n");
    return 0;
}
