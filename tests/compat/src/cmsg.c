/* cmsg - messaging: send, recv, nrecv, trecv, probe, mcast, psend and precv with wildcards,
 * bad tids and bad tags. Started with "child" it echoes each message back with tag + 1000
 * until it gets tag 0. */
#include "compat.h"

static void showArrival(const char* what, int buf) {
    int bytes = -1, tag = -1, src = -1, v = -1;
    if (buf <= 0) {
        printf("%s = %s\n", what, res(buf));
        return;
    }
    pvm_bufinfo(buf, &bytes, &tag, &src);
    pvm_upkint(&v, 1, 1);
    printf("%s > 0: bytes=%d tag=%d src=%s value=%d\n", what, bytes, tag, tidStr(src), v);
}

static void sendInt(int to, int tag, int v) {
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&v, 1, 1);
    printf("pvm_send(%s, %d) value %d = %s\n", tidStr(to), tag, v, res(pvm_send(to, tag)));
}

static int child(void) {
    int buf, bytes, tag, src, v[8], n, len, rtag, rsrc, rc;
    for (;;) {
        buf = pvm_recv(-1, -1);
        pvm_bufinfo(buf, &bytes, &tag, &src);
        if (tag == 0) break;
        if (tag == 500) { /* psend/precv round */
            rc = pvm_precv(src, 501, v, 8, PVM_INT, &rsrc, &rtag, &len);
            pvm_psend(src, 502, &rc, 1, PVM_INT);
            pvm_psend(src, 502, &len, 1, PVM_INT);
            pvm_psend(src, 503, v, len > 0 && len <= 8 ? len : 1, PVM_INT);
            continue;
        }
        pvm_upkint(&n, 1, 1);
        n += 1000;
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&n, 1, 1);
        pvm_send(src, tag + 1000);
    }
    pvm_exit();
    return 0;
}

int main(int argc, char** argv) {
    int me, kids[2], rc, i, v[4] = {1, 2, 3, 4}, w[8] = {0}, src, tag, len;
    struct timeval tv = {0, 100000}, zero = {0, 0};
    double dv[2] = {0.5, 1.5}, dw[2] = {0};
    char* args[] = {"child", NULL};

    if (argc > 1 && strcmp(argv[1], "child") == 0) return child();
    me = begin("cmsg", 0);

    /* To ourselves: order, wildcards, probe. */
    sendInt(me, 1, 11);
    sendInt(me, 2, 22);
    sendInt(me, 3, 33);
    sendInt(me, 2, 44);
    /* Messages to ourselves go through the pvmd: once this marker is in, so are the others. */
    sendInt(me, 99, 0);
    showArrival("pvm_recv(me, 99)", pvm_recv(me, 99));
    showArrival("pvm_probe(-1, 2)", pvm_probe(-1, 2));
    showArrival("pvm_probe(me, 9)", pvm_probe(me, 9));
    showArrival("pvm_nrecv(-1, 3)", pvm_nrecv(-1, 3));
    showArrival("pvm_recv(-1, -1)", pvm_recv(-1, -1));
    showArrival("pvm_trecv(me, -1, 0s)", pvm_trecv(me, -1, &zero));
    showArrival("pvm_recv(me, 2)", pvm_recv(me, 2));
    showArrival("pvm_nrecv(-1, -1) empty", pvm_nrecv(-1, -1));
    showArrival("pvm_trecv(-1, -1, 0.1s) empty", pvm_trecv(-1, -1, &tv));
    showArrival("pvm_probe(-1, -1) empty", pvm_probe(-1, -1));

    /* Bad tids and tags. */
    pvm_initsend(PvmDataDefault);
    R(pvm_send(me, -5));
    R(pvm_send(0, 1));
    R(pvm_send(-1, 1));
    R(pvm_send(me + 1000, 1));
    R(pvm_send(0x3ffc0000, 1));
    R(pvm_nrecv(-1, -5));
    R(pvm_probe(-1, -5));
    R(pvm_nrecv(-7, 1));
    R(pvm_nrecv(0x7fffffff, 1));

    /* Two echo children: direct sends and mcast. */
    rc = pvm_spawn("cmsg", args, PvmTaskDefault, "", 2, kids);
    printf("pvm_spawn(cmsg, 2) = %s %s %s\n", res(rc), tidStr(kids[0]), tidStr(kids[1]));
    sendInt(kids[0], 7, 70);
    showArrival("pvm_recv(kid0, 1007)", pvm_recv(kids[0], 1007));
    pvm_initsend(PvmDataDefault);
    i = 5;
    pvm_pkint(&i, 1, 1);
    R(pvm_mcast(kids, 2, 8));
    showArrival("pvm_recv(kid0, 1008)", pvm_recv(kids[0], 1008));
    showArrival("pvm_recv(kid1, 1008)", pvm_recv(kids[1], 1008));
    R(pvm_mcast(kids, 0, 8));
    R(pvm_mcast(kids, -1, 8));
    R(pvm_mcast(kids, 2, -1));
    w[0] = me;
    R(pvm_mcast(w, 1, 9));
    showArrival("pvm_recv(me, 9) after mcast to self", pvm_nrecv(me, 9));

    /* psend / precv, and their bad arguments. */
    for (i = 0; i < 2; i++) {
        pvm_initsend(PvmDataDefault);
        pvm_send(kids[0], 500);
        rc = i == 0 ? pvm_psend(kids[0], 501, v, 3, PVM_INT) : pvm_psend(kids[0], 501, dv, 2, PVM_DOUBLE);
        printf("pvm_psend(kid0, 501, %s) = %s\n", i == 0 ? "3 PVM_INT" : "2 PVM_DOUBLE", res(rc));
        R(pvm_precv(kids[0], 502, w, 1, PVM_INT, &src, &tag, &len));
        printf("  child's precv = %s\n", res(w[0]));
        R(pvm_precv(kids[0], 502, w, 1, PVM_INT, &src, &tag, &len));
        printf("  child's rlen = %d\n", w[0]);
        src = tag = len = -99;
        rc = pvm_precv(kids[0], 503, w, 8, PVM_INT, &src, &tag, &len);
        printf("pvm_precv(kid0, 503, 8 PVM_INT) = %s src=%s tag=%d rlen=%d\n", res(rc), tidStr(src), tag, len);
    }
    R(pvm_psend(kids[0], 504, v, 1, 99));
    R(pvm_psend(kids[0], -1, v, 1, PVM_INT));
    R(pvm_psend(-1, 504, v, 1, PVM_INT));
    R(pvm_psend(me, 505, dv, 2, PVM_DOUBLE));
    rc = pvm_precv(me, 505, dw, 2, PVM_DOUBLE, &src, &tag, &len);
    printf("pvm_precv(me, 505, 2 PVM_DOUBLE) = %s src=%s tag=%d rlen=%d values %g %g\n", res(rc), tidStr(src), tag, len,
           dw[0], dw[1]);
    R(pvm_psend(me, 506, "text", 5, PVM_STR));
    R(pvm_psend(me, 506, "text", 5, PVM_BYTE));
    rc = pvm_precv(me, 506, w, 8, PVM_BYTE, &src, &tag, &len);
    printf("pvm_precv(me, 506, PVM_BYTE) = %s rlen=%d '%s'\n", res(rc), len, (char*)w);

    pvm_initsend(PvmDataDefault);
    R(pvm_mcast(kids, 2, 0));
    R(pvm_exit());
    return 0;
}
