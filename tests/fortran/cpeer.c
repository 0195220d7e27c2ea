/* cpeer.c - the C side of fctask.f. For each message from its parent with tag 1 (int
 * encoding, then the message of fcheck.f) it unpacks every item with the C calls, counts
 * those that differ, and answers with tag 2: the same values packed by C in that encoding,
 * then the count. Tag 99 ends it. The values and their order are those of fcheck.f. */
#include <string.h>

#include "pvm3.h"

static int i4[5] = {1, -2, 30000000, -2147483647, 2147483647};
static short i2[3] = {1, -2, 32767};
static char b4[4] = {'p', 'V', '#', 'm'};
static char str[14] = {'h', 'e', 'l', 'l', 'o', ',', ' ', 'f', 'o', 'r', 't', 'r', 'a', 'n'};
static float r4[3] = {1.5f, -0.25f, 3.0e30f};
static double r8[3] = {1.5, -0.125, 1.0e300};
static float c8[4] = {1.0f, -2.0f, 0.5f, 4.0f}; /* COMPLEX8: (re, im) pairs */
static double z16[4] = {1.0, -2.0, 1.0e-300, 3.0};
static long i8[2] = {1099511627781L, -1099511627781L}; /* INTEGER8 */
static double s8[6] = {1, 2, 3, 4, 5, 6};              /* packed with stride 2 */

/* pack_all returns a negative value if any call failed. A Fortran STRING of n characters
 * travels as n bytes (pvmfpack(STRING, s, n, 1, info)). */
static int pack_all(void) {
    int cc = 0;
    cc |= pvm_pkint(i4, 5, 1);
    cc |= pvm_pkshort(i2, 3, 1);
    cc |= pvm_pkbyte(b4, 4, 1);
    cc |= pvm_pkbyte(str, 14, 1);
    cc |= pvm_pkfloat(r4, 3, 1);
    cc |= pvm_pkdouble(r8, 3, 1);
    cc |= pvm_pkcplx(c8, 2, 1);
    cc |= pvm_pkdcplx(z16, 2, 1);
    cc |= pvm_pklong(i8, 2, 1);
    cc |= pvm_pkdouble(s8, 3, 2);
    return cc;
}

static int differ(const void* a, const void* b, size_t n, int cc) { return cc < 0 || memcmp(a, b, n) != 0; }

/* check_all counts the items that fail to unpack or differ from the expected values. */
static int check_all(void) {
    int xi4[5];
    short xi2[3];
    char xb4[4], xstr[14];
    float xr4[3], xc8[4];
    double xr8[3], xz16[4], xs8[3], want[3] = {1, 3, 5};
    long xi8[2];
    int bad = 0;
    bad += differ(xi4, i4, sizeof i4, pvm_upkint(xi4, 5, 1));
    bad += differ(xi2, i2, sizeof i2, pvm_upkshort(xi2, 3, 1));
    bad += differ(xb4, b4, sizeof b4, pvm_upkbyte(xb4, 4, 1));
    bad += differ(xstr, str, sizeof str, pvm_upkbyte(xstr, 14, 1));
    bad += differ(xr4, r4, sizeof r4, pvm_upkfloat(xr4, 3, 1));
    bad += differ(xr8, r8, sizeof r8, pvm_upkdouble(xr8, 3, 1));
    bad += differ(xc8, c8, sizeof c8, pvm_upkcplx(xc8, 2, 1));
    bad += differ(xz16, z16, sizeof z16, pvm_upkdcplx(xz16, 2, 1));
    bad += differ(xi8, i8, sizeof i8, pvm_upklong(xi8, 2, 1));
    bad += differ(xs8, want, sizeof want, pvm_upkdouble(xs8, 3, 1));
    return bad;
}

int main(void) {
    int parent = pvm_parent();
    if (parent < 0) return 1;
    for (;;) {
        int bufid = pvm_recv(parent, -1), bytes, tag, src, encoding = -1, bad;
        if (bufid < 0) break;
        pvm_bufinfo(bufid, &bytes, &tag, &src);
        if (tag == 99) break;
        if (tag != 1) continue;
        pvm_upkint(&encoding, 1, 1);
        bad = check_all();
        pvm_initsend(encoding);
        if (pack_all() < 0) bad++;
        pvm_pkint(&bad, 1, 1);
        pvm_send(parent, 2);
    }
    pvm_exit();
    return 0;
}
