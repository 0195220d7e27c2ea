/*
 * pingpong.c - PVM round-trip / bandwidth benchmark.
 *
 * One plain C99 source that only uses the PVM 3.4 C API (pvm3.h), so that the
 * very same file can be built against Debian's PVM 3.4.6 and against this
 * project's libpvm3 and the numbers can be compared side by side
 * (see bench/run-pingpong.sh and bench/README.md).
 *
 * Started from a shell (pvm_parent() == PvmNoParent) the program is the
 * master.  For every route mode it spawns one fresh copy of itself (the
 * slave, given an absolute executable path), and for every message size it
 * does warm-up round trips followed by N timed round trips.  A round trip is
 *     master: pvm_initsend + pvm_pkbyte + pvm_send, pvm_recv + pvm_upkbyte
 *     slave : pvm_recv + pvm_upkbyte, pvm_initsend + pvm_pkbyte + pvm_send
 * One machine-readable line is printed per (route, size) cell:
 *     route=daemon size=8 n=20000 rtt_us=41.20 rtt_med_us=38.90 rtt_min_us=34.37
 *           mbps=0.39 mbps_med=0.41 enc=raw
 * (one line) where rtt_us is the mean, rtt_med_us the median and rtt_min_us
 * the fastest of the N timed round trips, and mbps = 2*size/rtt in MB/s
 * (1 MB = 10^6 bytes; mbps_med uses the median).
 *
 * Route modes:
 *   daemon  both tasks call pvm_setopt(PvmRoute, PvmDontRoute): every message
 *           goes task -> pvmd -> task.
 *   direct  both tasks call pvm_setopt(PvmRoute, PvmRouteDirect) before they
 *           exchange their first message, so a direct task-task link is made.
 *   oneside only the master sets PvmRouteDirect; the slave keeps the default
 *           (PvmAllowDirect), so it accepts the link the master asks for
 *           but never asks for one itself.  (The slave's first message, its
 *           hello, therefore still goes through the daemons.)
 *   default neither task touches PvmRoute, as in a plain PVM program: PVM
 *           3.4.6 then routes through its daemons; this project moves a busy
 *           pair of one host to shared memory (during the warm-up).
 * A route option in PVM 3.4 only affects links set up afterwards, and a link
 * persists once made, so the master uses a *new* slave for each route mode
 * (the mode is passed on the slave's argv); nothing is switched mid-link.
 *
 * Options (master):
 *   -r MODES                route mode(s) to measure: daemon, direct, oneside, default,
 *                           a comma separated list of them, both (= daemon,direct,
 *                           the default) or all (= daemon,direct,oneside,default)
 *   -e raw|inplace|default  encoding for pvm_initsend (default raw)
 *   -s LIST                 comma separated sizes in bytes
 *                           (default 8,1024,65536,1048576,16777216)
 *   -t SECONDS              target timed duration per cell (default 0.75)
 *   -n N                    fixed number of timed round trips (overrides -t)
 *   -exe PATH               executable to spawn as slave (default: own path)
 *   -host NAME              spawn the slave on host NAME (default: anywhere)
 *   -halt                   call pvm_halt() at the end (stops the daemon)
 *   -haltonly               only enroll and call pvm_halt()
 *   -version                print pvm_version() and PVM_VER and exit
 *
 * The parts: pingpong-args.c (options, helpers), pingpong-master.c (the
 * master and its timed cells); pingpong.h.
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pvm3.h"

#include "pingpong.h"

static int slave_main(int parent) {
    char* buf = NULL;
    int cap = 0, size = 0;
    /* Set the route before the first message to the master; in "oneside"
     * mode the slave keeps the default (PvmAllowDirect). */
    if (strcmp(g_route, "direct") == 0) pvm_setopt(PvmRoute, PvmRouteDirect);
    if (strcmp(g_route, "daemon") == 0) pvm_setopt(PvmRoute, PvmDontRoute);

    pvm_initsend(PvmDataDefault);
    if (pvm_send(parent, TAG_HELLO) < 0) {
        fprintf(stderr, "pingpong slave: hello failed\n");
        pvm_exit();
        return 1;
    }

    for (;;) {
        int bufid, bytes, tag, src;
        bufid = pvm_recv(parent, -1);
        if (bufid < 0) {
            fprintf(stderr, "pingpong slave: pvm_recv failed (%d)\n", bufid);
            break;
        }
        if (pvm_bufinfo(bufid, &bytes, &tag, &src) < 0) break;
        if (tag == TAG_PING) {
            pvm_upkbyte(buf, size, 1);
            pvm_initsend(g_enc);
            pvm_pkbyte(buf, size, 1);
            pvm_send(parent, TAG_ECHO);
        } else if (tag == TAG_SETSIZE) {
            pvm_upkint(&size, 1, 1);
            if (size > cap) {
                free(buf);
                buf = xmalloc((size_t)size);
                memset(buf, 0, (size_t)size);
                cap = size;
            }
            pvm_initsend(PvmDataDefault);
            pvm_pkint(&size, 1, 1);
            pvm_send(parent, TAG_ACK);
        } else if (tag == TAG_STOP) {
            break;
        } else {
            fprintf(stderr, "pingpong slave: unexpected tag %d\n", tag);
        }
    }
    free(buf);
    pvm_exit();
    return 0;
}

int main(int argc, char** argv) {
    int mytid, parent, rc;

    setvbuf(stdout, NULL, _IOLBF, 0);
    if (parse_args(argc, argv) < 0) {
        usage(argv[0]);
        return 2;
    }
    if (g_version) {
        const char* v = pvm_version();
        printf("pvm_version=%s PVM_VER=%s\n", v ? v : "?", PVM_VER);
        return 0;
    }

    mytid = pvm_mytid();
    if (mytid < 0) {
        fprintf(stderr, "pingpong: cannot enroll in PVM (%d); is pvmd running?\n", mytid);
        return 1;
    }

    if (g_haltonly) {
        signal(SIGTERM, SIG_IGN);
        fflush(stdout);
        return pvm_halt() < 0 ? 1 : 0;
    }

    parent = pvm_parent();
    if (parent >= 0 && parent != PvmNoParent) return slave_main(parent);

    signal(SIGALRM, on_alarm);
    rc = master_main(argv[0]);
    fflush(stdout);
    if (g_halt) {
        signal(SIGTERM, SIG_IGN);
        pvm_halt();
    } else {
        pvm_exit();
    }
    return rc;
}
