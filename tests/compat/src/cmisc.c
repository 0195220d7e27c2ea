/* cmisc - options (getopt/setopt of every option and bad ones), pvm_perror's text for every
 * error code, pvm_errno, getfds, archcode, version, siblings and tidtohost of bad tids. */
#include "compat.h"

/* Exported by libpvm3 though pvm3.h does not declare it; weak, so that a library without
 * it still links and the output says so. */
extern int pvm_errno __attribute__((weak));
#define ERRNO (&pvm_errno ? pvm_errno : -999)
#define SET_ERRNO(v)                     \
    do {                                 \
        if (&pvm_errno) pvm_errno = (v); \
    } while (0)

int main(void) {
    int me, opt, old, n, *fds = NULL, *sib = NULL, code, ntask = 0;
    struct pvmtaskinfo* ti = NULL;
    char prefix[64];

    /* PVM changes pvm_errno inside some calls that succeed: enrolling, pvm_tasks, and the
     * pvm_setopt calls in the loop below. */
    SET_ERRNO(-99);
    me = begin("cmisc", 0);
    printf("pvm_errno after enrolling = %d\n", ERRNO);
    SET_ERRNO(-99);
    n = pvm_tasks(0, &ntask, &ti);
    printf("pvm_tasks(0) = %s ntask>0 = %d pvm_errno = %d\n", res(n), ntask > 0, ERRNO);
    for (opt = 0; opt <= 30; opt++) {
        old = pvm_getopt(opt);
        printf("pvm_getopt(%d) = %s", opt,
               opt == PvmOutputTid || opt == PvmTraceTid || opt == PvmSelfOutputTid || opt == PvmSelfTraceTid
                   ? tidStr(old)
                   : res(old));
        printf(" errno=%d\n", ERRNO);
        if (old >= 0) printf("  pvm_setopt(%d, same) = %s\n", opt, res(pvm_setopt(opt, old)));
    }
    R(pvm_setopt(PvmRoute, PvmRouteDirect));
    R(pvm_getopt(PvmRoute));
    R(pvm_setopt(PvmRoute, 99));
    R(pvm_getopt(PvmRoute));
    R(pvm_setopt(PvmRoute, PvmDontRoute));
    R(pvm_setopt(PvmFragSize, 8192));
    R(pvm_getopt(PvmFragSize));
    R(pvm_setopt(PvmFragSize, -1));
    R(pvm_setopt(PvmDebugMask, 0));
    R(pvm_setopt(PvmAutoErr, 2));
    R(pvm_setopt(PvmAutoErr, 0));
    R(pvm_setopt(PvmShowTids, 0));
    R(pvm_setopt(PvmNoReset, 1));
    R(pvm_getopt(PvmNoReset));
    R(pvm_setopt(-1, 0));
    R(pvm_setopt(999, 0));
    R(pvm_getopt(-1));
    R(pvm_getopt(999));

    /* pvm_perror prints "prefix: text" for pvm_errno; stderr is merged into the output. */
    for (code = 0; code >= -35; code--) {
        SET_ERRNO(code);
        snprintf(prefix, sizeof prefix, "perror %d", code);
        pvm_perror(prefix);
    }
    SET_ERRNO(0);
    R(pvm_send(-1, 1));
    printf("pvm_errno after a failed send = %s\n", res(ERRNO));
    R(pvm_perror("after send"));

    n = pvm_getfds(&fds);
    printf("pvm_getfds() > 0 = %d fds[0] >= 0 = %d\n", n > 0, n > 0 && fds[0] >= 0);
    /* The data signature of a host of that architecture in the machine. */
    R(pvm_archcode("LINUX64"));
    R(pvm_archcode("LINUX"));
    R(pvm_archcode("NOSUCHARCH"));
    R(pvm_archcode(""));
    printf("pvm_version() = %s\n", pvm_version());
    n = pvm_siblings(&sib);
    printf("pvm_siblings() = %s first=%s\n", res(n), n > 0 ? tidStr(sib[0]) : "-");
    RT(pvm_tidtohost(0x7ffff));
    RT(pvm_tidtohost(0x40000));
    RT(pvm_tidtohost(me | 0x3ffff));
    R(pvm_exit());
    return 0;
}
