/* cextra - the remaining calls: sendsig, recvf, export/unexport, getnoresets, getminfo/
 * setminfo (Debian's libpvm3 lacks getmwid/setmwid), pkmesg/upkmesg, hostsync, the
 * PVM 3.3 database (insert, lookup, delete), strerror and start_pvmd while a pvmd runs.
 * Started with "child" it waits for a message and exits. */
#include <signal.h>

#include "compat.h"

/* matchAll takes the message with tag 77 whatever pvm_recv asked for (tid and tag are the
 * receive call's arguments; the message's own come from pvm_bufinfo). */
static int matchAll(int mid, int tid, int tag) {
    int bytes, msgtag = -1, src;
    (void)tid;
    (void)tag;
    pvm_bufinfo(mid, &bytes, &msgtag, &src);
    return msgtag == 77 ? 1 : 0;
}

int main(int argc, char** argv) {
    int me, kid, rc, buf, inner, n = -1, *noreset = NULL, v = 5, w = -1, bytes, tag, src;
    struct pvmminfo mi;
    struct timeval clk, delta;
    char* args[] = {"-d0", NULL};
    int (*old)(int, int, int);

    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        pvm_recv(pvm_parent(), 1);
        pvm_exit();
        return 0;
    }
    me = begin("cextra", 0);

    rc = pvm_spawn("cextra", (char*[]){"child", NULL}, 0, "", 1, &kid);
    printf("pvm_spawn(cextra child) = %s\n", res(rc));
    R(pvm_sendsig(kid, 0));
    R(pvm_sendsig(kid, SIGCONT));
    R(pvm_sendsig(kid, -1));
    R(pvm_sendsig(kid, 999));
    R(pvm_sendsig(0x7ffff, SIGCONT));
    R(pvm_sendsig(-1, SIGCONT));
    pvm_initsend(PvmDataDefault);
    pvm_send(kid, 1);

    old = pvm_recvf(matchAll);
    printf("pvm_recvf(matchAll) returns a function = %d\n", old != NULL);
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&v, 1, 1);
    pvm_send(me, 77);
    R(pvm_recv(me, 5) > 0);
    printf("pvm_recvf(old) == matchAll = %d\n", pvm_recvf(old) == matchAll);

    R(pvm_export("COMPAT_X"));
    R(pvm_export("COMPAT_X"));
    R(pvm_export(""));
    R(pvm_unexport("COMPAT_X"));
    R(pvm_unexport("COMPAT_X"));
    R(pvm_unexport("NEVER_SET"));

    R(pvm_getnoresets(&noreset, &n));
    printf("  n=%d\n", n);

    buf = pvm_initsend(PvmDataRaw);
    pvm_pkint(&v, 1, 1);
    memset(&mi, 0, sizeof mi);
    rc = pvm_getminfo(buf, &mi);
    /* enc is a data-format code (PVM's are its architecture codes): only its sign is checked. */
    printf("pvm_getminfo(sbuf) = %s len=%d ctx=%d tag=%d wid=%d enc>0=%d src=%s dst=%s\n", res(rc), mi.len, mi.ctx,
           mi.tag, mi.wid, mi.enc > 0, tidStr(mi.src), tidStr(mi.dst));
    R(pvm_getminfo(12345, &mi));
    mi.tag = 9;
    mi.wid = 3;
    R(pvm_setminfo(buf, &mi));

    inner = pvm_mkbuf(PvmDataDefault);
    pvm_setsbuf(inner);
    pvm_pkint(&v, 1, 1);
    pvm_initsend(PvmDataDefault);
    R(pvm_pkmesg(inner));
    R(pvm_pkmesg(12345));
    pvm_send(me, 8);
    pvm_recv(me, 8);
    rc = pvm_upkmesg();
    printf("pvm_upkmesg() > 0 = %d\n", rc > 0);
    if (rc > 0) {
        pvm_setrbuf(rc);
        R(pvm_upkint(&w, 1, 1));
        printf("  inner value %d\n", w);
    }

    rc = pvm_hostsync(pvm_tidtohost(me), &clk, &delta);
    printf("pvm_hostsync(host) = %s\n", res(rc));
    R(pvm_hostsync(0x7ffc0000, &clk, &delta));

    R(pvm_insert("db", 0, 42));
    R(pvm_insert("db", 0, 43));
    R(pvm_insert("db", -1, 44));
    R(pvm_lookup("db", 0, &w));
    printf("  data %d\n", w);
    R(pvm_lookup("db", -1, &w));
    R(pvm_lookup("nodb", 0, &w));
    R(pvm_delete("db", 0));
    R(pvm_delete("db", 0));
    R(pvm_lookup("db", 0, &w));

    pvm_send(-1, 1);
    printf("pvm_strerror() = %s\n", pvm_strerror());
    R(pvm_start_pvmd(1, args, 0));
    pvm_bufinfo(pvm_getsbuf(), &bytes, &tag, &src);
    R(pvm_exit());
    return 0;
}
