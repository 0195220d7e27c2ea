/* cmbox - the mailbox: putinfo with every flag combination, recvinfo, delinfo and
 * getmboxinfo, with good and bad arguments. */
#include "compat.h"

/* put packs one int and stores it; the buffer is freed as a user would after putinfo. */
static int put(const char* name, int v, int flags) {
    int buf = pvm_initsend(PvmDataDefault), rc;
    pvm_pkint(&v, 1, 1);
    rc = pvm_putinfo((char*)name, buf, flags);
    printf("pvm_putinfo(%s, %d, 0x%x) = %s\n", name, v, flags, res(rc));
    pvm_freebuf(buf);
    return rc;
}

static void get(const char* name, int index, int flags) {
    int v = -1, buf = pvm_recvinfo((char*)name, index, flags);
    if (buf > 0) pvm_upkint(&v, 1, 1);
    printf("pvm_recvinfo(%s, %d, 0x%x) = %s value=%d\n", name, index, flags, buf > 0 ? "buf" : res(buf), v);
    if (buf > 0) pvm_freebuf(buf);
}

static void list(const char* pattern) {
    int n = -1, i, j, rc;
    struct pvmmboxinfo* mi = NULL;
    rc = pvm_getmboxinfo((char*)pattern, &n, &mi);
    printf("pvm_getmboxinfo(%s) = %s nclasses=%d\n", pattern, res(rc), rc < 0 ? -1 : n);
    for (i = 0; rc >= 0 && i < n; i++) {
        printf("  %s: nentries=%d", mi[i].mi_name, mi[i].mi_nentries);
        for (j = 0; j < mi[i].mi_nentries; j++)
            printf(" [idx=%d owner=%s flags=0x%x]", mi[i].mi_indices[j], tidStr(mi[i].mi_owners[j]), mi[i].mi_flags[j]);
        printf("\n");
    }
}

int main(void) {
    int buf;
    begin("cmbox", 0);
    get("nothing", 0, 0);
    R(pvm_delinfo("nothing", 0, 0));
    put("a", 1, PvmMboxDefault);
    put("a", 2, PvmMboxDefault);
    put("a", 3, PvmMboxOverWritable);
    put("a", 4, PvmMboxDefault);
    get("a", 0, 0);
    put("b", 10, PvmMboxOverWritable);
    put("b", 11, PvmMboxOverWritable);
    get("b", 0, 0);
    put("c", 20, PvmMboxMultiInstance);
    put("c", 21, PvmMboxMultiInstance);
    put("c", 22, PvmMboxMultiInstance | PvmMboxOverWritable);
    put("c", 23, PvmMboxDefault);
    get("c", 0, 0);
    get("c", 1, 0);
    get("c", 2, 0);
    get("c", 5, 0);
    get("c", -1, 0);
    put("d", 30, PvmMboxPersistent);
    put("e", 40, PvmMboxMultiInstance | PvmMboxPersistent | PvmMboxOverWritable);
    /* A direct index in the flags: where the entry goes, or where MultiInstance's search starts. */
    put("g", 50, PvmMboxDirectIndex(3));
    put("g", 51, PvmMboxDirectIndex(3));
    put("g", 52, PvmMboxDirectIndex(2) | PvmMboxMultiInstance);
    put("g", 53, PvmMboxDirectIndex(2) | PvmMboxMultiInstance);
    put("g", 54, PvmMboxMultiInstance);
    put("g", 55, PvmMboxMaxFlag | PvmMboxOverWritable);
    get("g", 3, 0);
    get("g", 1, PvmMboxFirstAvail);
    list("*");
    list("c");
    list("x*");
    get("b", 0, PvmMboxFirstAvail);
    get("c", 1, PvmMboxFirstAvail);
    get("a", 0, PvmMboxReadAndDelete);
    get("a", 0, 0);
    R(pvm_delinfo("c", 1, 0));
    R(pvm_delinfo("c", 1, 0));
    R(pvm_delinfo("c", 5, 0));
    R(pvm_delinfo("c", -1, 0));
    get("c", 1, PvmMboxFirstAvail);
    R(pvm_delinfo("b", 0, 0));
    list("*");
    /* Bad arguments. */
    buf = pvm_initsend(PvmDataDefault);
    R(pvm_putinfo("", buf, 0));
    R(pvm_putinfo(NULL, buf, 0));
    /* (A bad buffer id hangs real PVM's putinfo: not tested.) */
    R(pvm_putinfo("f", buf, -1));
    R(pvm_putinfo("f", buf, -1));
    list("f");
    R(pvm_recvinfo("", 0, 0));
    R(pvm_recvinfo(NULL, 0, 0));
    R(pvm_delinfo("", 0, 0));
    R(pvm_delinfo(NULL, 0, 0));
    R(pvm_getmboxinfo(NULL, NULL, NULL));
    R(pvm_exit());
    return 0;
}
