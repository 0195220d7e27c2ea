/* reduce.c - groups from libgpvm3, K&R C: NPROC members join "sum", meet at a
 * barrier, and reduce their instance numbers with PvmSum; instance 0 reports. */
#include <stdio.h>
#include <string.h>
#include "pvm3.h"

#define NPROC 4

main(argc, argv)
int argc;
char **argv;
{
	int tids[NPROC], inst, value, result, i;
	char *args[1];

	pvm_mytid();
	if (argc > 1 && !strcmp(argv[1], "master")) {
		args[0] = 0;
		if (pvm_spawn("reduce", args, PvmTaskDefault, "", NPROC, tids) != NPROC) {
			printf("legacy reduce: spawn failed\n");
			exit(1);
		}
		pvm_recv(-1, 9);
		pvm_upkint(&result, 1, 1);
		printf("legacy reduce: ok %d\n", result);
		pvm_initsend(PvmDataDefault);
		pvm_mcast(tids, NPROC, 10);
	} else {
		inst = pvm_joingroup("sum");
		pvm_barrier("sum", NPROC);
		value = inst + 1;
		pvm_reduce(PvmSum, &value, 1, PVM_INT, 8, "sum", 0);
		if (inst == 0) {
			pvm_initsend(PvmDataDefault);
			pvm_pkint(&value, 1, 1);
			pvm_send(pvm_parent(), 9);
		}
		pvm_recv(pvm_parent(), 10);
		pvm_lvgroup("sum");
	}
	pvm_exit();
	exit(0);
}
