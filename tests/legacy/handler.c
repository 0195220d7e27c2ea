/* handler.c - message handlers and contexts, K&R C: a handler counts tag 5 messages
 * as they come; a message sent in a private context is not seen from the base one. */
#include <stdio.h>
#include "pvm3.h"

int count = 0;

int counter(mid)
int mid;
{
	count++;
	return 0;
}

main()
{
	int me, ctx, base, i, bufid;
	struct timeval tmout;

	me = pvm_mytid();
	pvm_addmhf(-1, 5, -1, counter);
	for (i = 0; i < 3; i++) {
		pvm_initsend(PvmDataDefault);
		pvm_send(me, 5);
	}
	pvm_initsend(PvmDataDefault);
	pvm_send(me, 6);
	pvm_recv(me, 6);
	ctx = pvm_newcontext();
	base = pvm_setcontext(ctx);
	pvm_initsend(PvmDataDefault);
	pvm_send(me, 7);
	pvm_setcontext(base);
	tmout.tv_sec = 0;
	tmout.tv_usec = 200000;
	bufid = pvm_trecv(me, 7, &tmout);
	pvm_setcontext(ctx);
	if (count == 3 && bufid == 0 && pvm_recv(me, 7) > 0)
		printf("legacy handler: ok %d\n", count);
	else
		printf("legacy handler: failed count=%d bufid=%d\n", count, bufid);
	pvm_exit();
	exit(0);
}
