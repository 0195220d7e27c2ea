/* pvmops-child.c - what a copy of pvmops started with "-child KIND" does, for each benchmark. */
#define _XOPEN_SOURCE 700

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pvm3.h"

#include "pvmops.h"

int child_main(const char* kind, int parent, int argc, char** argv) {
    int i;
    const char* group = NULL;
    int members = 0;
    for (i = 0; i < argc; i++) {
        if (strcmp(argv[i], "-g") == 0 && i + 1 < argc)
            group = argv[++i];
        else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc)
            members = atoi(argv[++i]);
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            g_direct = strcmp(argv[++i], "direct") == 0;
    }
    alarm(3 * WATCHDOG_S); /* a child never outlives a dead master for long */

    if (strcmp(kind, "spawn") == 0 || strcmp(kind, "memory") == 0) {
        int pid = (int)getpid();
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&pid, 1, 1);
        pvm_send(parent, TAG_READY);
        pvm_recv(parent, TAG_STOP);
    } else if (strcmp(kind, "farm") == 0) {
        int v[2], bufid, tag, bytes, src;
        if (g_direct) pvm_setopt(PvmRoute, PvmRouteDirect);
        pvm_initsend(PvmDataDefault);
        pvm_send(parent, TAG_READY);
        for (;;) {
            bufid = pvm_recv(parent, -1);
            if (bufid < 0 || pvm_bufinfo(bufid, &bytes, &tag, &src) < 0 || tag != TAG_WORK) break;
            pvm_upkint(v, 2, 1);
            v[1] = v[1] * 3 + 1; /* the "work" */
            pvm_initsend(PvmDataDefault);
            pvm_pkint(v, 2, 1);
            pvm_send(parent, TAG_RESULT);
        }
    } else if (strcmp(kind, "group") == 0 && group && members > 0) {
        int inst = pvm_joingroup((char*)group), cmd[2], k, data, payload[2];
        if (inst < 0) {
            fprintf(stderr, "pvmops: pvm_joingroup(%s) = %d\n", group, inst);
            pvm_exit();
            return 1;
        }
        pvm_barrier((char*)group, members);
        for (;;) {
            if (pvm_recv(parent, TAG_CMD) < 0) break;
            pvm_upkint(cmd, 2, 1);
            alarm(3 * WATCHDOG_S);
            if (cmd[0] == OP_QUIT) break;
            for (k = 0; k < cmd[1]; k++) {
                if (cmd[0] == OP_BARRIER) {
                    pvm_barrier((char*)group, members);
                } else if (cmd[0] == OP_BCAST) {
                    pvm_recv(-1, TAG_BC);
                    pvm_upkint(payload, 2, 1);
                } else if (cmd[0] == OP_REDUCE) {
                    data = inst + 1;
                    pvm_reduce(PvmSum, &data, 1, PVM_INT, TAG_RED + k, (char*)group, 0);
                }
            }
            pvm_barrier((char*)group, members);
        }
        pvm_lvgroup((char*)group);
    }
    pvm_exit();
    return 0;
}
