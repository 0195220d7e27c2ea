/* ccatch - pvm_catchout: a child's output, prefixed with its tid, between its begin and end
 * marks. Started with "child" it prints two lines and exits. The parent prints its own
 * lines only after pvm_exit (which waits for the child's output to end), so that the order
 * of the lines does not depend on timing. */
#include "compat.h"

int main(int argc, char** argv) {
    int me, kid = 0, rc, rcCatch, rcExit;
    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        setvbuf(stdout, NULL, _IONBF, 0);
        pvm_mytid();
        printf("child line one\n");
        printf("child line two\n");
        pvm_exit();
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    pvm_setopt(PvmAutoErr, 0);
    me = pvm_mytid();
    rcCatch = pvm_catchout(stdout);
    rc = pvm_spawn("ccatch", (char*[]){"child", NULL}, 0, "", 1, &kid);
    /* Whether pvm_exit still has to wait ("child task(s) still running") is timing. */
    if (!freopen("/dev/null", "w", stderr)) return 1;
    rcExit = pvm_exit();
    printf("ccatch: mytid = %s\n", tidStr(me));
    printf("pvm_catchout(stdout) = %s\n", res(rcCatch));
    printf("pvm_spawn(ccatch child) = %s %s\n", res(rc), tidStr(kid));
    printf("pvm_exit() = %s\n", res(rcExit));
    return 0;
}
