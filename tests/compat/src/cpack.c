/* cpack - buffers and packing: initsend with every encoding, pk and upk of every type with
 * strides, bufinfo, get/set/free/mkbuf, pkstr/upkstr, packf/unpackf, and misuse of each. */
#include "compat.h"

static int me;

/* roundTrip sends the current buffer to ourselves and makes the arrival the receive buffer. */
static void roundTrip(int tag, int enc) {
    int bytes = -1, t = -1, src = -1, rc;
    R(pvm_send(me, tag));
    rc = pvm_recv(me, tag);
    pvm_bufinfo(rc, &bytes, &t, &src);
    /* PvmDataDefault sizes differ on purpose (docs/compatibility.md): "xdrbytes" is masked. */
    printf("pvm_recv(me, %d) > 0 = %d %s=%d tag=%d src=%s\n", tag, rc > 0, enc == PvmDataDefault ? "xdrbytes" : "bytes",
           bytes, t, tidStr(src));
}

static void types(int enc) {
    char c[6] = "abcde", c2[6] = {0};
    short s[6] = {1, -2, 3, -4, 5, -6}, s2[6] = {0};
    unsigned short us[3] = {65535, 1, 2}, us2[3] = {0};
    int i[6] = {10, -20, 30, -40, 50, -60}, i2[6] = {0};
    unsigned int ui[3] = {4000000000u, 1, 2}, ui2[3] = {0};
    long l[3] = {-5000000000L, 7, 8}, l2[3] = {0};
    unsigned long ul[3] = {9000000000UL, 1, 2}, ul2[3] = {0};
    float f[6] = {1.5f, -2.25f, 3.125f, 4, 5, 6}, f2[6] = {0};
    double d[6] = {1e10, -2.5, 3.75, 4, 5, 6}, d2[6] = {0};
    float cx[4] = {1, 2, 3, 4}, cx2[4] = {0};
    double dc[4] = {5, 6, 7, 8}, dc2[4] = {0};
    char str[32] = {0};
    int k, buf = pvm_initsend(enc);
    printf("pvm_initsend(%d) > 0 = %d\n", enc, buf > 0);
    R(pvm_pkbyte(c, 5, 1));
    R(pvm_pkshort(s, 3, 2));
    R(pvm_pkushort(us, 3, 1));
    R(pvm_pkint(i, 3, 2));
    R(pvm_pkuint(ui, 3, 1));
    R(pvm_pklong(l, 3, 1));
    R(pvm_pkulong(ul, 3, 1));
    R(pvm_pkfloat(f, 2, 3));
    R(pvm_pkdouble(d, 3, 2));
    R(pvm_pkcplx(cx, 2, 1));
    R(pvm_pkdcplx(dc, 1, 2));
    R(pvm_pkstr("hello world"));
    roundTrip(10 + enc, enc);
    R(pvm_upkbyte(c2, 5, 1));
    R(pvm_upkshort(s2, 3, 2));
    R(pvm_upkushort(us2, 3, 1));
    R(pvm_upkint(i2, 3, 2));
    R(pvm_upkuint(ui2, 3, 1));
    R(pvm_upklong(l2, 3, 1));
    R(pvm_upkulong(ul2, 3, 1));
    R(pvm_upkfloat(f2, 2, 3));
    R(pvm_upkdouble(d2, 3, 2));
    R(pvm_upkcplx(cx2, 2, 1));
    R(pvm_upkdcplx(dc2, 1, 2));
    R(pvm_upkstr(str));
    printf("bytes %s; shorts", c2);
    for (k = 0; k < 6; k++) printf(" %d", s2[k]);
    printf("; ushorts %u %u %u; ints", us2[0], us2[1], us2[2]);
    for (k = 0; k < 6; k++) printf(" %d", i2[k]);
    /* PVM 3.4.6 keeps 32 bits of a long in PvmDataDefault, we keep all: "xdrlongs" is masked. */
    printf("; uints %u %u %u; %s %ld %ld %ld; ulongs %lu %lu %lu\n", ui2[0], ui2[1], ui2[2],
           enc == PvmDataDefault ? "xdrlongs" : "longs", l2[0], l2[1], l2[2], ul2[0], ul2[1], ul2[2]);
    printf("floats");
    for (k = 0; k < 6; k++) printf(" %g", f2[k]);
    printf("; doubles");
    for (k = 0; k < 6; k++) printf(" %g", d2[k]);
    printf("; cplx %g %g %g %g; dcplx %g %g %g %g; str '%s'\n", cx2[0], cx2[1], cx2[2], cx2[3], dc2[0], dc2[1], dc2[2],
           dc2[3], str);
    /* Past the end, and a count that does not fit. */
    R(pvm_upkint(i2, 1, 1));
    R(pvm_upkbyte(c2, 1, 1));
    R(pvm_upkstr(str));
}

int main(void) {
    int b1, b2, rc, n = 0, x = 7, y[4] = {0}, bytes, tag, src;
    double dv = 0;
    float fv = 0;
    char s[40] = {0};
    short hv = 0;
    long lv = 0;
    me = begin("cpack", 0);

    R(pvm_getsbuf());
    R(pvm_getrbuf());
    R(pvm_pkint(&x, 1, 1));
    R(pvm_upkint(&x, 1, 1));
    types(PvmDataDefault);
    types(PvmDataRaw);
    /* InPlace keeps pointers: the data must still be there at send time. */
    pvm_initsend(PvmDataInPlace);
    R(pvm_pkint(y, 4, 1));
    R(pvm_pkstr("in place"));
    roundTrip(20, PvmDataInPlace);
    R(pvm_upkint(y, 4, 1));
    R(pvm_upkstr(s));
    printf("in place: '%s'\n", s);

    R(pvm_initsend(99) > 0);
    R(pvm_initsend(-1) > 0);
    pvm_initsend(PvmDataDefault);
    R(pvm_pkint(&x, 0, 1));
    R(pvm_pkint(&x, -1, 1));
    R(pvm_pkint(&x, 1, 0));
    R(pvm_pkint(&x, 1, -1));
    R(pvm_pkstr(""));
    roundTrip(21, PvmDataDefault);
    R(pvm_upkint(&x, 0, 1));
    R(pvm_upkint(&x, -1, 1));
    R(pvm_upkint(&x, 1, 0));
    R(pvm_upkint(&x, 1, -1));
    R(pvm_upkstr(s));
    printf("empty str: '%s'\n", s);

    /* Buffer table: mkbuf, set, get, free and bad ids. */
    b1 = pvm_mkbuf(PvmDataDefault);
    b2 = pvm_mkbuf(PvmDataRaw);
    printf("pvm_mkbuf x2 > 0 = %d %d distinct=%d\n", b1 > 0, b2 > 0, b1 != b2);
    R(pvm_mkbuf(99) > 0);
    rc = pvm_setsbuf(b1);
    printf("pvm_setsbuf(b1) returns old > 0 = %d\n", rc > 0);
    printf("pvm_getsbuf() == b1 = %d\n", pvm_getsbuf() == b1);
    R(pvm_pkint(&x, 1, 1));
    rc = pvm_bufinfo(b1, &bytes, &tag, &src);
    printf("pvm_bufinfo(b1) = %s bytes=%d tag=%d src=%s\n", res(rc), bytes, tag, tidStr(src));
    R(pvm_bufinfo(12345, &bytes, &tag, &src));
    R(pvm_bufinfo(0, &bytes, &tag, &src));
    R(pvm_bufinfo(-1, &bytes, &tag, &src));
    printf("pvm_setrbuf(b2) == old rbuf = %d\n", pvm_setrbuf(b2) >= 0);
    printf("pvm_getrbuf() == b2 = %d\n", pvm_getrbuf() == b2);
    R(pvm_setsbuf(12345));
    R(pvm_setrbuf(12345));
    R(pvm_setsbuf(-1));
    R(pvm_setrbuf(-1));
    R(pvm_freebuf(b2));
    R(pvm_getrbuf());
    R(pvm_freebuf(b2));
    R(pvm_freebuf(12345));
    R(pvm_freebuf(-1));
    R(pvm_freebuf(0));
    printf("pvm_setsbuf(0) == b1 = %d\n", pvm_setsbuf(0) == b1);
    R(pvm_getsbuf());
    R(pvm_pkint(&x, 1, 1));
    R(pvm_send(me, 1));
    R(pvm_setsbuf(b1));
    R(pvm_freebuf(b1));
    R(pvm_getsbuf());

    /* packf / unpackf */
    pvm_initsend(PvmDataDefault);
    x = 42;
    R(pvm_packf("%d %s %lf %hd %ld %f %4d", x, "packf", 2.5, (short)-3, 1234567890123L, 0.5f, y));
    roundTrip(30, PvmDataDefault);
    rc = pvm_unpackf("%d %s %lf %hd %ld %f %4d", &n, s, &dv, &hv, &lv, &fv, y);
    printf("pvm_unpackf() = %s -> %d '%s' %g %d xdrlong %ld; %g %d %d %d %d\n", res(rc), n, s, dv, hv, lv, fv, y[0],
           y[1], y[2], y[3]);
    R(pvm_unpackf("%d", &n));
    R(pvm_exit());
    return 0;
}
