/* cards_slave.c - the slave of cards.c: takes work items from its parent until told to
 * stop. An item is a range lo .. hi-1; the answer is how many primes it holds and their
 * sum, found by trial division (deliberately plain: a few milliseconds per item). */
#include <stdio.h>

#include "pvm3.h"

/* Message tags; the same numbers appear in cards.c. */
#define TAG_WORK 1
#define TAG_RESULT 2
#define TAG_STOP 3

static int is_prime(unsigned n) {
    unsigned d;
    if (n < 2) return 0;
    if (n < 4) return 1;
    if (n % 2 == 0) return 0;
    for (d = 3; d * d <= n; d += 2)
        if (n % d == 0) return 0;
    return 1;
}

int main(void) {
    int parent = pvm_parent();

    if (parent < 0) {
        fprintf(stderr, "cards_slave: start me from cards, not by hand\n");
        pvm_exit();
        return 1;
    }
    for (;;) {
        /* Only the parent's messages: anything else would be a stray. */
        int bufid = pvm_recv(parent, -1);
        int bytes, tag, src, item, lo, hi, n, count = 0;
        long sum = 0;

        if (bufid < 0) break; /* the pvmd went away */
        pvm_bufinfo(bufid, &bytes, &tag, &src);
        if (tag == TAG_STOP) break;
        if (tag != TAG_WORK) continue;
        if (pvm_upkint(&item, 1, 1) < 0 || pvm_upkint(&lo, 1, 1) < 0 || pvm_upkint(&hi, 1, 1) < 0 || lo < 0) continue;
        for (n = lo; n < hi; n++)
            if (is_prime((unsigned)n)) {
                count++;
                sum += n;
            }
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&item, 1, 1);
        pvm_pkint(&count, 1, 1);
        pvm_pklong(&sum, 1, 1);
        pvm_send(parent, TAG_RESULT);
    }
    pvm_exit();
    return 0;
}
