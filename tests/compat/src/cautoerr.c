/* cautoerr - what libpvm itself prints with PvmAutoErr on (its default): which failing
 * calls print, and with which words. */
#include "compat.h"

int main(void) {
    int me, x = 1;
    me = begin("cautoerr", 1);
    R(pvm_getopt(PvmAutoErr));
    R(pvm_pkint(&x, 1, 1));
    pvm_initsend(PvmDataDefault);
    R(pvm_send(-1, 1));
    R(pvm_send(me, -2));
    R(pvm_nrecv(me, 1));
    R(pvm_upkint(&x, 1, 1));
    R(pvm_freebuf(12345));
    R(pvm_setrbuf(12345));
    R(pvm_gsize("nogroup"));
    R(pvm_lvgroup("nogroup"));
    R(pvm_pstat(me + 100));
    R(pvm_kill(-3));
    R(pvm_mstat("no.such.host"));
    R(pvm_recvinfo("nothing", 0, 0));
    R(pvm_delinfo("nothing", 0, 0));
    R(pvm_freecontext(12345));
    R(pvm_delmhf(12345));
    R(pvm_setopt(999, 0));
    R(pvm_archcode("NOSUCHARCH"));
    R(pvm_spawn("no_such_program", NULL, 0, "", 0, &x));
    R(pvm_exit());
    return 0;
}
