/* cctx - contexts and message handlers: newcontext, setcontext, getcontext, freecontext,
 * matching by context, a child spawned in a context, addmhf and delmhf (order, duplicates,
 * bad arguments). Started with "child" it reports the context it started in. */
#include "compat.h"

static int calls;

static int handler(int mid) {
    int bytes, tag, src, v = -1;
    pvm_bufinfo(mid, &bytes, &tag, &src);
    pvm_upkint(&v, 1, 1);
    printf("  handler: tag=%d value=%d call=%d\n", tag, v, ++calls);
    return 0;
}

static void sendInt(int to, int tag, int v) {
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&v, 1, 1);
    pvm_send(to, tag);
}

static int recvInt(int src, int tag) {
    int v = -1, buf = pvm_recv(src, tag);
    if (buf > 0) pvm_upkint(&v, 1, 1);
    return v;
}

int main(int argc, char** argv) {
    int me, base, c1, c2, h1, h2, kid, rc, v;
    struct timeval zero = {0, 0};

    if (argc > 1 && strcmp(argv[1], "child") == 0) {
        int ctx = pvm_getcontext();
        sendInt(pvm_parent(), 1, ctx);
        pvm_exit();
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "send") == 0) {
        /* Handlers run only for messages from others in PVM, so a child sends these. */
        sendInt(pvm_parent(), 33, 1);
        sendInt(pvm_parent(), 4, 2);
        sendInt(pvm_parent(), 33, 3);
        sendInt(pvm_parent(), 4, 4);
        pvm_exit();
        return 0;
    }
    me = begin("cctx", 0);
    base = pvm_getcontext();
    R(pvm_getcontext());
    c1 = pvm_newcontext();
    c2 = pvm_newcontext();
    printf("pvm_newcontext() x2 > 0 = %d %d distinct=%d\n", c1 > 0, c2 > 0, c1 != c2);
    printf("pvm_setcontext(c1) == base = %d\n", pvm_setcontext(c1) == base);
    printf("pvm_getcontext() == c1 = %d\n", pvm_getcontext() == c1);
    sendInt(me, 5, 51);
    pvm_setcontext(c2);
    sendInt(me, 5, 52);
    pvm_setcontext(base);
    sendInt(me, 5, 50);
    printf("in base: %d\n", recvInt(me, 5));
    R(pvm_nrecv(me, 5));
    pvm_setcontext(c2);
    printf("in c2: %d\n", recvInt(me, 5));
    pvm_setcontext(c1);
    printf("in c1: %d\n", recvInt(me, 5));

    /* A child spawned while the current context is c1 starts in c1. */
    rc = pvm_spawn("cctx", (char*[]){"child", NULL}, 0, "", 1, &kid);
    printf("pvm_spawn(cctx) in c1 = %s\n", res(rc));
    rc = pvm_trecv(kid, 1, &(struct timeval){10, 0});
    if (rc > 0) {
        pvm_upkint(&v, 1, 1);
        printf("child reached us in c1; its context == c1 = %d\n", v == c1);
    } else {
        printf("child did not reach us in c1: %s\n", res(rc));
    }
    pvm_setcontext(base);
    R(pvm_setcontext(-1) < 0);
    R(pvm_getcontext());
    pvm_setcontext(base);
    R(pvm_freecontext(c2));
    R(pvm_freecontext(c2));
    R(pvm_freecontext(12345));
    R(pvm_freecontext(-1));
    R(pvm_freecontext(c1));

    /* Handlers: run when their message is reached, in arrival order. */
    h1 = pvm_addmhf(-1, 33, base, handler);
    printf("pvm_addmhf(-1, 33, base) >= 0 = %d\n", h1 >= 0);
    R(pvm_addmhf(-1, 33, base, handler));
    R(pvm_addmhf(-1, 34, base, NULL) >= 0);
    rc = pvm_spawn("cctx", (char*[]){"send", NULL}, 0, "", 1, &kid);
    printf("pvm_spawn(cctx send) = %s\n", res(rc));
    printf("recv(-1, 4): %d\n", recvInt(-1, 4));
    printf("recv(-1, 4): %d\n", recvInt(-1, 4));
    h2 = pvm_addmhf(me, -1, base, handler);
    printf("pvm_addmhf(me, -1, base) = %s\n", res(h2));
    R(pvm_addmhf(me, -1, -1, handler) >= 0);
    sendInt(me, 6, 5);
    R(pvm_nrecv(-1, 7));
    R(pvm_trecv(-1, 7, &zero));
    R(pvm_delmhf(h2));
    R(pvm_delmhf(h2));
    R(pvm_delmhf(h1));
    R(pvm_delmhf(-1));
    R(pvm_delmhf(12345));
    sendInt(me, 33, 8);
    v = -1;
    if (pvm_trecv(-1, 33, &(struct timeval){5, 0}) > 0) pvm_upkint(&v, 1, 1);
    printf("recv(-1, 33) with no handler: %d\n", v);
    printf("handler calls: %d\n", calls);
    R(pvm_exit());
    return 0;
}
