/* spawntree.c - a PVM 3.4-era program, in K&R C as such codes were: a tree of tasks,
 * each spawning two children until the depth runs out; the root ("spawntree master",
 * from the shell or the console) reports how many tasks the tree had. Built unmodified with: cc spawntree.c -lpvm3 -lgpvm3 */
#include <stdio.h>
#include <string.h>
#include "pvm3.h"

main(argc, argv)
int argc;
char **argv;
{
	int depth, n, total, kids[2], i, mytid, master;
	char arg[16];
	char *args[2];

	master = argc > 1 && !strcmp(argv[1], "master");
	mytid = pvm_mytid();
	if (master)
		depth = 2;
	else {
		pvm_recv(pvm_parent(), 1);
		pvm_upkint(&depth, 1, 1);
	}
	total = 1;
	if (depth > 0) {
		args[0] = 0;
		if (pvm_spawn("spawntree", args, PvmTaskDefault, "", 2, kids) != 2) {
			printf("legacy spawntree: spawn failed\n");
			pvm_exit();
			exit(1);
		}
		n = depth - 1;
		for (i = 0; i < 2; i++) {
			pvm_initsend(PvmDataDefault);
			pvm_pkint(&n, 1, 1);
			pvm_send(kids[i], 1);
		}
		for (i = 0; i < 2; i++) {
			pvm_recv(-1, 2);
			pvm_upkint(&n, 1, 1);
			total += n;
		}
	}
	if (master)
		printf("legacy spawntree: ok %d\n", total);
	else {
		pvm_initsend(PvmDataDefault);
		pvm_pkint(&total, 1, 1);
		pvm_send(pvm_parent(), 2);
	}
	pvm_exit();
	exit(0);
}
