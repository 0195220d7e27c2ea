/* legacy_abi.c - a PVM program as a user builds it against Debian's PVM 3.4.6: compiled with
 * Debian's pvm3.h and linked with Debian's libpvm3.so, then run with LD_LIBRARY_PATH set to
 * this project's library. It prints what the structures, arrays and globals of the API hold,
 * with tids and host names replaced by what they are, so that the output of real PVM
 * (legacy_abi.expected) and ours can be compared line by line. It says which libpvm3 the
 * dynamic linker loaded (from /proc/self/maps) on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pvm3.h>
#include <pvmtev.h>

extern char* pvm_errlist[];
extern int pvm_nerr;
extern int pvmdebmask;
int pvmgetclock(struct timeval*);
int pvmstrtoi(char*);
int pvmxtoi(char*);
int pvmsleep(int);
int lpvmerr(char*, int);
int pvmputenv(char*);
int pvmendtask(void);
int pvmreset(int, int, char*, int);
extern int pvmmyctx;
extern struct Pvmtevinfo pvmtevinfo[];
extern struct Pvmtevdid pvmtevdidlist[];

static int me, host;

/* who names a tid as the program sees it. */
static const char* who(int tid) {
    static char buf[64];
    if (tid == me) return "me";
    if (tid == host) return "my pvmd";
    if (tid == 0) return "0";
    if (tid < 0) {
        sprintf(buf, "error %d", tid);
        return buf;
    }
    return "another task";
}

static void loaded_library(void) {
    char line[512];
    FILE* maps = fopen("/proc/self/maps", "r");
    while (maps && fgets(line, sizeof line, maps)) {
        char* path = strchr(line, '/');
        if (path && strstr(path, "libpvm3.so")) {
            fprintf(stderr, "libpvm3: %s", path);
            break;
        }
    }
    if (maps) fclose(maps);
}

int main(void) {
    int i, nhost, narch, ntask, nclasses, bufid, value = 42, back = 0, cc;
    struct pvmhostinfo* hosts;
    struct pvmtaskinfo* tasks;
    struct pvmmboxinfo* classes;
    struct pvmminfo info;
    struct timeval tv;
    char text[32];

    loaded_library();
    me = pvm_mytid();
    printf("enrolled: %s\n", me > 0 ? "yes" : "no");
    host = pvm_tidtohost(me);
    printf("tidtohost: %x\n", host);
    printf("version: %s\n", pvm_version());

    cc = pvm_config(&nhost, &narch, &hosts);
    printf("config: cc %d, %d host, %d arch\n", cc, nhost, narch);
    for (i = 0; i < nhost; i++)
        printf("  host %s, arch %s, name %s\n", who(hosts[i].hi_tid), hosts[i].hi_arch,
               hosts[i].hi_name && hosts[i].hi_name[0] ? "set" : "empty");

    cc = pvm_tasks(me, &ntask, &tasks);
    printf("tasks: cc %d, %d task\n", cc, ntask);
    for (i = 0; i < ntask; i++)
        printf("  task %s, parent %s, host %s, pid %s, a.out %s\n", who(tasks[i].ti_tid), who(tasks[i].ti_ptid),
               who(tasks[i].ti_host), tasks[i].ti_pid == getpid() ? "mine" : "other",
               strstr(tasks[i].ti_a_out, "legacy_abi") ? "legacy_abi" : tasks[i].ti_a_out);

    /* A message to itself, read back through pvm_bufinfo and pvm_getminfo. */
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&value, 1, 1);
    pvm_pkstr("legacy");
    pvm_send(me, 7);
    bufid = pvm_recv(-1, -1);
    pvm_upkint(&back, 1, 1);
    pvm_upkstr(text);
    printf("message: %d \"%s\"\n", back, text);
    memset(&info, 0, sizeof info);
    cc = pvm_getminfo(bufid, &info);
    printf("getminfo: cc %d, tag %d, ctx %d, enc %d, src %s, dst %s\n", cc, info.tag, info.ctx, info.enc, who(info.src),
           who(info.dst));

    /* The mailbox: two instances of one class. */
    for (i = 0; i < 2; i++) {
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&i, 1, 1);
        printf("putinfo: %d\n", pvm_putinfo("legacy-abi", pvm_getsbuf(), PvmMboxMultiInstance));
    }
    cc = pvm_getmboxinfo("legacy-*", &nclasses, &classes);
    printf("getmboxinfo: cc %d, %d class\n", cc, nclasses);
    for (i = 0; i < nclasses; i++) {
        int k;
        printf("  class %s, %d entries\n", classes[i].mi_name, classes[i].mi_nentries);
        for (k = 0; k < classes[i].mi_nentries; k++)
            printf("    index %d, owner %s, flags %d\n", classes[i].mi_indices[k], who(classes[i].mi_owners[k]),
                   classes[i].mi_flags[k]);
    }

    /* Globals and helpers PVM exports beyond pvm3.h. */
    printf("pvm_nerr: %d\n", pvm_nerr);
    printf("pvm_errlist[-PvmNoTask]: %s\n", pvm_errlist[-PvmNoTask]);
    printf("pvm_errlist[-PvmBadParam]: %s\n", pvm_errlist[-PvmBadParam]);
    pvm_setopt(PvmDebugMask, 3);
    printf("pvmdebmask after setopt: %d\n", pvmdebmask);
    pvm_setopt(PvmDebugMask, 0);
    cc = pvmgetclock(&tv);
    printf("pvmgetclock: %d, after 2001: %s\n", cc, tv.tv_sec > 1000000000 ? "yes" : "no");
    printf("pvmstrtoi: %d %d %d\n", pvmstrtoi("0x20"), pvmstrtoi("010"), pvmstrtoi("77"));

    printf("pvmxtoi: %d %d\n", pvmxtoi("ff"), pvmxtoi("0x10"));
    printf("pvmsleep(0): %d\n", pvmsleep(0));
    printf("pvmtevinfo: %s %s %s\n", pvmtevinfo[TEV_SEND].name, pvmtevinfo[TEV_GETINFO].name,
           pvmtevinfo[TEV_ADDHOSTS].name);
    printf("pvmtevdidlist: %s %s\n", pvmtevdidlist[TEV_DID_TID].did, pvmtevdidlist[TEV_DID_WID].did);
    pvm_setcontext(pvm_newcontext());
    printf("pvmmyctx follows pvm_setcontext: %s\n", pvmmyctx == pvm_getcontext() ? "yes" : "no");
    pvm_setcontext(PvmBaseContext);
    printf("pvmputenv: %d %d\n", pvmputenv("LEGACY_ABI=1"), pvmputenv("no equals sign"));
    printf("pvmreset of no other task: %d\n", pvmreset(me, 1, (char*)0, 0));
    printf("lpvmerr: %d\n", lpvmerr("legacy", PvmNoData));
    fflush(stdout);

    /* Errors, as codes and as texts. */
    pvm_setopt(PvmAutoErr, 0);
    printf("send to a bad tid: %d\n", pvm_send(-5, 1));
    printf("kill of no task: %d\n", pvm_kill(host + 0x3ffff));
    printf("gsize of no group: %d\n", pvm_gsize("no such group"));
    printf("archcode LINUX64: %s\n", pvm_archcode("LINUX64") > 0 ? "positive" : "not positive");
    printf("pvmendtask: %d\n", pvmendtask());
    printf("enrolled again with a new tid: %s\n", pvm_mytid() != me ? "yes" : "no");
    printf("exit: %d\n", pvm_exit());
    return 0;
}
