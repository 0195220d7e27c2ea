/* consumer.c - a legacy-style C program built with pkg-config against the prefix. */
#include <stdio.h>
#include "pvm3.h"

int main() {
    int me = pvm_mytid(), v = 7, got = 0;
    if (me < 0) return 1;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&v, 1, 1);
    pvm_send(me, 3);
    pvm_recv(me, 3);
    pvm_upkint(&got, 1, 1);
    printf("c consumer t%x got %d\n", me, got);
    pvm_exit();
    return got == 7 ? 0 : 1;
}
