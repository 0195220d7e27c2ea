/* ring.c - a token ring, K&R C: the root spawns NPROC members, tells each its next
 * neighbour, and a counter goes round ROUNDS times, each member adding one. */
#include <stdio.h>
#include <string.h>
#include "pvm3.h"

#define NPROC 4
#define ROUNDS 5

main(argc, argv)
int argc;
char **argv;
{
	int tids[NPROC], next, token, i, me;
	char *args[1];

	me = pvm_mytid();
	if (argc > 1 && !strcmp(argv[1], "master")) {
		args[0] = 0;
		if (pvm_spawn("ring", args, PvmTaskDefault, "", NPROC, tids) != NPROC) {
			printf("legacy ring: spawn failed\n");
			exit(1);
		}
		for (i = 0; i < NPROC; i++) {
			next = i + 1 < NPROC ? tids[i + 1] : me;
			pvm_initsend(PvmDataDefault);
			pvm_pkint(&next, 1, 1);
			pvm_send(tids[i], 1);
		}
		token = 0;
		for (i = 0; i < ROUNDS; i++) {
			pvm_initsend(PvmDataDefault);
			pvm_pkint(&token, 1, 1);
			pvm_send(tids[0], 2);
			pvm_recv(-1, 2);
			pvm_upkint(&token, 1, 1);
		}
		pvm_initsend(PvmDataDefault);
		pvm_mcast(tids, NPROC, 3);
		printf("legacy ring: ok %d\n", token);
	} else {
		pvm_recv(pvm_parent(), 1);
		pvm_upkint(&next, 1, 1);
		for (;;) {
			int bufid, bytes, tag, src;
			bufid = pvm_recv(-1, -1);
			pvm_bufinfo(bufid, &bytes, &tag, &src);
			if (tag == 3)
				break;
			pvm_upkint(&token, 1, 1);
			token++;
			pvm_initsend(PvmDataDefault);
			pvm_pkint(&token, 1, 1);
			pvm_send(next, 2);
		}
	}
	pvm_exit();
	exit(0);
}
