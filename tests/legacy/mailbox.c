/* mailbox.c - a mailbox handoff, K&R C: a server advertises its tid under a name;
 * a client finds it there and asks it to double a number. */
#include <stdio.h>
#include <string.h>
#include "pvm3.h"

main(argc, argv)
int argc;
char **argv;
{
	int me, tid, server, n, kids[2];
	char *args[2];

	me = pvm_mytid();
	if (argc > 1 && !strcmp(argv[1], "server")) {
		pvm_initsend(PvmDataDefault);
		pvm_pkint(&me, 1, 1);
		pvm_putinfo("doubler", pvm_getsbuf(), PvmMboxDefault);
		pvm_recv(-1, 1);
		pvm_upkint(&n, 1, 1);
		n *= 2;
		tid = pvm_parent();
		pvm_initsend(PvmDataDefault);
		pvm_pkint(&n, 1, 1);
		pvm_send(tid, 2);
	} else if (argc > 1 && !strcmp(argv[1], "client")) {
		pvm_recvinfo("doubler", 0, PvmMboxWaitForInfo);
		pvm_upkint(&server, 1, 1);
		n = 21;
		pvm_initsend(PvmDataDefault);
		pvm_pkint(&n, 1, 1);
		pvm_send(server, 1);
	} else {
		args[1] = 0;
		args[0] = "client";
		pvm_spawn("mailbox", args, PvmTaskDefault, "", 1, &kids[0]);
		args[0] = "server";
		pvm_spawn("mailbox", args, PvmTaskDefault, "", 1, &kids[1]);
		pvm_recv(kids[1], 2);
		pvm_upkint(&n, 1, 1);
		printf("legacy mailbox: ok %d\n", n);
	}
	pvm_exit();
	exit(0);
}
