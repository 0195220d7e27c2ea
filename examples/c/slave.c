/* slave.c - the worker of master.c: takes work items from its parent until told to stop.
 * Each item is a range lo .. hi-1; the answer is the sum of the squares in it. */
#include <stdio.h>

#include "pvm3.h"

/* Message tags; the same numbers appear in master.c and examples/cpp. */
#define TAG_WORK 1
#define TAG_RESULT 2
#define TAG_STOP 3

int main(void) {
    int parent = pvm_parent();

    if (parent < 0) {
        fprintf(stderr, "slave: start me from master, not by hand\n");
        pvm_exit();
        return 1;
    }
    for (;;) {
        /* Only the parent's messages: anything else would be a stray. */
        int bufid = pvm_recv(parent, -1);
        int bytes, tag, src, item;
        long lo, hi, i, sum = 0;

        if (bufid < 0) break; /* the pvmd went away */
        pvm_bufinfo(bufid, &bytes, &tag, &src);
        if (tag == TAG_STOP) break;
        if (tag != TAG_WORK) continue;
        if (pvm_upkint(&item, 1, 1) < 0 || pvm_upklong(&lo, 1, 1) < 0 || pvm_upklong(&hi, 1, 1) < 0) continue;
        for (i = lo; i < hi; i++) sum += i * i;
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&item, 1, 1);
        pvm_pklong(&sum, 1, 1);
        pvm_send(parent, TAG_RESULT);
    }
    pvm_exit();
    return 0;
}
