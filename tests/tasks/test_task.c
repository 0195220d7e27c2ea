/* test_task.c - the task program the system tests spawn. argv[1] picks what it
 * does; results go back to the parent as messages with tag 1 unless noted. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvm3.h"

static void reply_str(const char* s) {
    pvm_initsend(PvmDataDefault);
    pvm_pkstr((char*)s);
    pvm_send(pvm_parent(), 1);
}

/* alltoall_wrong checks one message of the alltoall mode (tag 11: int index, int round): it
 * must come from tids[index] and be that peer's next round. Returns 1 when it is not. */
static int alltoall_wrong(int bufid, int n, const int* tids, int* next) {
    int bytes, tag, src, from = -1, round = -1;
    pvm_bufinfo(bufid, &bytes, &tag, &src);
    pvm_upkint(&from, 1, 1);
    pvm_upkint(&round, 1, 1);
    return from < 0 || from >= n || tids[from] != src || next[from]++ != round;
}

static int mhf_nothing(int mid) { return mid ? 0 : 0; }
static int mhf_other(int mid) { return mid ? 1 : 1; }

int main(int argc, char** argv) {
    const char* mode = argc > 1 ? argv[1] : "echo";
    int me = pvm_mytid();
    int parent = pvm_parent();
    int i;

    if (me < 0) return 2;
    if (strcmp(mode, "echo") == 0 || strcmp(mode, "directecho") == 0) {
        /* Send every message back to its sender with the same tag; tag 99 ends.
         * directecho answers over the direct route. */
        if (strcmp(mode, "directecho") == 0) pvm_setopt(PvmRoute, PvmRouteDirect);
        for (;;) {
            int bufid = pvm_recv(-1, -1), bytes, tag, src;
            pvm_bufinfo(bufid, &bytes, &tag, &src);
            if (tag == 99) break;
            pvm_setsbuf(bufid);
            pvm_send(src, tag);
            pvm_setsbuf(0);
        }
    } else if (strcmp(mode, "print") == 0) {
        int n = argc > 2 ? atoi(argv[2]) : 3;
        for (i = 0; i < n; i++) {
            printf("line %d\n", i);
            fflush(stdout);
        }
        fprintf(stderr, "to stderr\n");
    } else if (strcmp(mode, "exitprint") == 0) {
        /* Leaves PVM, then still prints: PVM announces the exit when the process ends. */
        printf("before pvm_exit\n");
        fflush(stdout);
        pvm_exit();
        printf("after pvm_exit\n");
        return 0;
    } else if (strcmp(mode, "sleep") == 0) {
        reply_str("ready");
        for (;;) pause();
    } else if (strcmp(mode, "delhost") == 0 && argc > 2) { /* deletes host argv[2], its own, say */
        int info = 0;
        reply_str("ready");
        pvm_delhosts(&argv[2], 1, &info);
        for (;;) pause();
    } else if (strcmp(mode, "exit") == 0) {
        reply_str("ready");
        exit(argc > 2 ? atoi(argv[2]) : 0); /* no pvm_exit: the daemon must notice */
    } else if (strcmp(mode, "info") == 0) {
        /* parent, siblings, argv, cwd and an environment variable, in that order */
        int *sibs, nsib = pvm_siblings(&sibs);
        char cwd[4096];
        const char* var = getenv(argc > 2 ? argv[2] : "PVM_TEST_VAR");
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&parent, 1, 1);
        pvm_pkint(&nsib, 1, 1);
        pvm_pkint(sibs, nsib, 1);
        i = argc;
        pvm_pkint(&i, 1, 1);
        for (i = 0; i < argc; i++) pvm_pkstr(argv[i]);
        pvm_pkstr(getcwd(cwd, sizeof cwd) ? cwd : "");
        pvm_pkstr((char*)(var ? var : "(unset)"));
        pvm_send(parent, 1);
    } else if (strcmp(mode, "flood") == 0 || (strcmp(mode, "floodto") == 0 && argc > 2)) {
        /* After tag 1 from the parent, n messages of size bytes each (tag 2, the first int
         * numbers them) as fast as the daemon takes them, then exit: to the parent, or with
         * floodto to the task whose tid argv[2] gives (in decimal), which need not have
         * enrolled yet. Through the daemon always: a busy pair's ring would hold the flood
         * back before the daemon does. */
        int to = strcmp(mode, "floodto") == 0;
        int dst = to ? atoi(argv[2]) : parent;
        int n = argc > 2 + to ? atoi(argv[2 + to]) : 64;
        int size = argc > 3 + to ? atoi(argv[3 + to]) : 1 << 20;
        char* block = calloc((size_t)size, 1);
        pvm_setopt(PvmRoute, PvmDontRoute);
        pvm_recv(parent, 1);
        for (i = 0; i < n; i++) {
            memcpy(block, &i, sizeof i);
            pvm_initsend(PvmDataInPlace);
            pvm_pkbyte(block, size, 1);
            pvm_send(dst, 2);
        }
        free(block);
    } else if (strcmp(mode, "collect") == 0 && argc > 2) {
        /* Receives argv[2] messages (tag 2) numbered by their first int, from anyone, and
         * tells the parent (tag 3) how many came in order. */
        int n = atoi(argv[2]), inorder = 0;
        for (i = 0; i < n; i++) {
            int v = -1;
            pvm_recv(-1, 2);
            pvm_upkbyte((char*)&v, sizeof v, 1);
            if (v == i) inorder++;
        }
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&inorder, 1, 1);
        pvm_send(parent, 3);
    } else if (strcmp(mode, "streamcrash") == 0) {
        /* After tag 1 from the parent, n numbered messages (tag 2) as fast as they go, then
         * death by SIGKILL: no pvm_exit, no farewell, most of them still in its socket (or
         * its ring). A third argument "daemon" keeps them off the ring a busy pair gets. */
        int n = argc > 2 ? atoi(argv[2]) : 5000;
        if (argc > 3 && strcmp(argv[3], "daemon") == 0) pvm_setopt(PvmRoute, PvmDontRoute);
        pvm_recv(parent, 1);
        for (i = 0; i < n; i++) {
            pvm_initsend(PvmDataRaw);
            pvm_pkint(&i, 1, 1);
            pvm_send(parent, 2);
        }
        raise(SIGKILL);
    } else if (strcmp(mode, "stream") == 0) {
        /* n numbered messages to the parent, to check ordering. With a third argument k,
         * messages from number k on take the direct route; with a fourth, "wait", the task
         * waits for tag 99 before it exits (so the parent can look at the ring). */
        int n = argc > 2 ? atoi(argv[2]) : 1000;
        int k = argc > 3 ? atoi(argv[3]) : -1;
        int wait = argc > 4 && strcmp(argv[4], "wait") == 0;
        for (i = 0; i < n; i++) {
            if (i == k) pvm_setopt(PvmRoute, PvmRouteDirect);
            pvm_initsend(PvmDataRaw);
            pvm_pkint(&i, 1, 1);
            pvm_send(parent, 2);
        }
        if (wait) pvm_recv(parent, 99);
    } else if (strcmp(mode, "vanish") == 0) {
        /* Never reads a message: after "ready" and ms milliseconds it dies without a word,
         * or with "leave" it calls pvm_exit and then waits to be killed. */
        int ms = argc > 2 ? atoi(argv[2]) : 300;
        int leave = argc > 3 && strcmp(argv[3], "leave") == 0;
        reply_str("ready");
        usleep((useconds_t)ms * 1000);
        if (!leave) _exit(0);
        pvm_exit();
        for (;;) pause();
    } else if (strcmp(mode, "directclient") == 0) {
        /* n direct round trips with the echo task argv[2] (sizes 0 to 300000 bytes), then
         * stops it and sends the parent "ok" or what failed, then the number of rings it
         * has mapped (from /proc/self/maps). */
        int peer = argc > 2 ? atoi(argv[2]) : 0;
        int n = argc > 3 ? atoi(argv[3]) : 100, rings = 0, size, j;
        const char* result = "ok";
        char *out = malloc(300000), *in = malloc(300000), line[4096];
        FILE* maps;
        pvm_setopt(PvmRoute, PvmRouteDirect);
        for (j = 0; j < 300000; j++) out[j] = (char)(j * 13);
        for (i = 0; i < n && strcmp(result, "ok") == 0; i++) {
            size = (i * 7919) % 300000;
            pvm_initsend(PvmDataRaw);
            pvm_pkbyte(out, size, 1);
            pvm_send(peer, 4);
            if (pvm_recv(peer, 4) < 0 || pvm_upkbyte(in, size, 1) < 0)
                result = "recv failed";
            else if (memcmp(in, out, (size_t)size) != 0)
                result = "data differs";
        }
        maps = fopen("/proc/self/maps", "r");
        while (maps && fgets(line, sizeof line, maps))
            if (strstr(line, "/dev/shm/pvm.")) rings++;
        if (maps) fclose(maps);
        pvm_initsend(PvmDataDefault);
        pvm_send(peer, 99);
        pvm_initsend(PvmDataDefault);
        pvm_pkstr((char*)result);
        pvm_pkint(&rings, 1, 1);
        pvm_send(parent, 1);
        free(out);
        free(in);
    } else if (strcmp(mode, "alltoall") == 0) {
        /* Gets the task list from the parent (tag 10: int n, int tids[n]), sends rounds
         * (argv[2]) numbered messages to every other task in it (tag 11: int index, int
         * round), and checks that each peer's arrive in order. Reports to the parent int
         * received, int out of order or from a stranger. */
        int rounds = argc > 2 ? atoi(argv[2]) : 10;
        int n = 0, self = -1, received = 0, wrong = 0, expected, j, round, bufid;
        int *tids, *next;
        pvm_recv(parent, 10);
        pvm_upkint(&n, 1, 1);
        tids = calloc((size_t)(n > 0 ? n : 1), sizeof *tids);
        next = calloc((size_t)(n > 0 ? n : 1), sizeof *next);
        pvm_upkint(tids, n, 1);
        for (j = 0; j < n; j++)
            if (tids[j] == me) self = j;
        expected = self < 0 ? 0 : (n - 1) * rounds;
        for (round = 0; round < rounds && self >= 0; round++) {
            for (j = 0; j < n; j++) {
                if (j == self) continue;
                pvm_initsend(PvmDataDefault);
                pvm_pkint(&self, 1, 1);
                pvm_pkint(&round, 1, 1);
                pvm_send(tids[j], 11);
            }
            /* Take what has come so far, then send the next round. */
            while (received < expected && (bufid = pvm_nrecv(-1, 11)) > 0) {
                wrong += alltoall_wrong(bufid, n, tids, next);
                received++;
            }
        }
        while (received < expected && (bufid = pvm_recv(-1, 11)) > 0) {
            wrong += alltoall_wrong(bufid, n, tids, next);
            received++;
        }
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&received, 1, 1);
        pvm_pkint(&wrong, 1, 1);
        pvm_send(parent, 1);
        free(tids);
        free(next);
    } else if (strcmp(mode, "directsink") == 0) {
        /* Over the direct route: tag 1 carries a sequence number, checked to come in order;
         * tag 2 is answered to its sender; tag 3 ends, telling the parent (tag 5) how many
         * numbers came and how many were out of order. With "allow", the sink keeps the
         * default PvmAllowDirect: it answers over the link its peer asked for. */
        int expected = 0, wrong = 0;
        if (argc < 3 || strcmp(argv[2], "allow") != 0) pvm_setopt(PvmRoute, PvmRouteDirect);
        for (;;) {
            int bufid = pvm_recv(-1, -1), bytes, tag, src, v = -1;
            pvm_bufinfo(bufid, &bytes, &tag, &src);
            pvm_upkint(&v, 1, 1);
            if (tag == 1) wrong += v != expected++;
            if (tag == 2) {
                pvm_initsend(PvmDataDefault);
                pvm_pkint(&v, 1, 1);
                pvm_send(src, 2);
            }
            if (tag == 3) break;
        }
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&expected, 1, 1);
        pvm_pkint(&wrong, 1, 1);
        pvm_send(parent, 5);
    } else if (strcmp(mode, "directsource") == 0 && argc > 4) {
        /* directsource SINK COUNT FIFO [PINGS]: streams COUNT numbers to a directsink, looking
         * at its queue now and then (which takes the route set-up), plays PINGS (200) rounds
         * of ping-pong, tells the parent "ready", then waits for "go" on FIFO and does it all
         * again (the parent stops the daemons meanwhile), and writes "done OK" to FIFO.result,
         * OK the number of pings answered right. */
        int sink = atoi(argv[2]), count = atoi(argv[3]), seq = 0, round, ok = 0;
        int pings = argc > 5 ? atoi(argv[5]) : 200;
        char result[4096], go[8] = "";
        FILE* f;
        pvm_setopt(PvmRoute, PvmRouteDirect);
        for (round = 0; round < 2; ++round) {
            for (i = 0; i < count; ++i, ++seq) {
                pvm_initsend(PvmDataDefault);
                pvm_pkint(&seq, 1, 1);
                pvm_send(sink, 1);
                if (i % 16 == 0) pvm_probe(-1, -1);
            }
            for (i = 0, ok = 0; i < pings; ++i) {
                int v = -1;
                pvm_initsend(PvmDataDefault);
                pvm_pkint(&i, 1, 1);
                pvm_send(sink, 2);
                pvm_recv(sink, 2);
                pvm_upkint(&v, 1, 1);
                ok += v == i;
            }
            if (round == 0) {
                reply_str("ready");
                f = fopen(argv[4], "r"); /* blocks until the parent writes */
                if (!f || !fgets(go, sizeof go, f)) return 3;
                fclose(f);
            }
        }
        snprintf(result, sizeof result, "%s.result", argv[4]);
        f = fopen(result, "w");
        if (!f) return 4;
        fprintf(f, "done %d\n", ok);
        fclose(f);
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&seq, 1, 1);
        pvm_send(sink, 3);
    } else if (strcmp(mode, "typed") == 0) {
        /* Reads from the parent (tag 1): int n, n ints, short, long, float, double, string,
         * 4 bytes; answers (tag 2): the sum of the ints, short+1, long*2, float*2, double*2,
         * the string reversed, the bytes reversed. Then sends (tag 3) one field of every
         * type with known values: int -7, ints 1 2 3, short -2, long 2^40, float 1.5,
         * double 3.25, string "héllo wörld", bytes 0 1 255. */
        int n = 0, ints[64], sum = 0, three[3] = {1, 2, 3}, seven = -7;
        short sh = 0, two = -2;
        long lo = 0, big = 1L << 40;
        float fl = 0, onehalf = 1.5f;
        double db = 0, quarter = 3.25;
        char str[256], rev[256];
        unsigned char bytes[4], rb[4], some[3] = {0, 1, 255};
        size_t len;
        pvm_recv(parent, 1);
        pvm_upkint(&n, 1, 1);
        if (n > 64) n = 64;
        pvm_upkint(ints, n, 1);
        for (i = 0; i < n; i++) sum += ints[i];
        pvm_upkshort(&sh, 1, 1);
        pvm_upklong(&lo, 1, 1);
        pvm_upkfloat(&fl, 1, 1);
        pvm_upkdouble(&db, 1, 1);
        pvm_upkstr(str);
        pvm_upkbyte((char*)bytes, 4, 1);
        len = strlen(str);
        for (i = 0; i < (int)len; i++) rev[i] = str[len - 1 - i];
        rev[len] = 0;
        for (i = 0; i < 4; i++) rb[i] = bytes[3 - i];
        sh += 1;
        lo *= 2;
        fl *= 2;
        db *= 2;
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&sum, 1, 1);
        pvm_pkshort(&sh, 1, 1);
        pvm_pklong(&lo, 1, 1);
        pvm_pkfloat(&fl, 1, 1);
        pvm_pkdouble(&db, 1, 1);
        pvm_pkstr(rev);
        pvm_pkbyte((char*)rb, 4, 1);
        pvm_send(parent, 2);
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&seven, 1, 1);
        pvm_pkint(three, 3, 1);
        pvm_pkshort(&two, 1, 1);
        pvm_pklong(&big, 1, 1);
        pvm_pkfloat(&onehalf, 1, 1);
        pvm_pkdouble(&quarter, 1, 1);
        pvm_pkstr("h\xc3\xa9llo w\xc3\xb6rld");
        pvm_pkbyte((char*)some, 3, 1);
        pvm_send(parent, 3);
    } else if (strcmp(mode, "mbox") == 0 && argc > 4) {
        /* mbox NAME FLAGS VALUE [stay]: puts an int VALUE in the mailbox under NAME, tells
         * the parent the result (tag 1), and with "stay" waits for tag 99 before it exits. */
        int value = atoi(argv[4]), r;
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&value, 1, 1);
        r = pvm_putinfo(argv[2], pvm_getsbuf(), atoi(argv[3]));
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&r, 1, 1);
        pvm_send(parent, 1);
        if (argc > 5) pvm_recv(parent, 99);
    } else if (strcmp(mode, "group") == 0 && argc > 3) {
        /* group NAME N: joins NAME, waits at a barrier for N members, then does every
         * collective with instance 0 as root and reports to the parent (tag 41): instance,
         * gsize, gettid(instance) == me, getinst == instance, the two scattered ints, the
         * broadcast int; instance 0 also the sum reduce (2 ints), the max reduce (double)
         * and the gathered squares (N ints). Waits for tag 99, leaves and exits. */
        char* g = argv[2];
        int n = atoi(argv[3]), inst = pvm_joingroup(g), k, ints[2], got[2], all[64], spread[64], sq, b = 0;
        double d;
        pvm_barrier(g, n);
        ints[0] = inst + 1;
        ints[1] = (inst + 1) * 10;
        pvm_reduce(PvmSum, ints, 2, PVM_INT, 40, g, 0);
        d = inst + 1;
        pvm_reduce(PvmMax, &d, 1, PVM_DOUBLE, 42, g, 0);
        sq = inst * inst;
        pvm_gather(all, &sq, 1, PVM_INT, 43, g, 0);
        for (k = 0; k < 64; k++) spread[k] = k;
        pvm_scatter(got, spread, 2, PVM_INT, 44, g, 0);
        if (inst == 0) {
            b = 77;
            pvm_initsend(PvmDataDefault);
            pvm_pkint(&b, 1, 1);
            pvm_bcast(g, 45);
        } else {
            pvm_recv(-1, 45);
            pvm_upkint(&b, 1, 1);
        }
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&inst, 1, 1);
        k = pvm_gsize(g);
        pvm_pkint(&k, 1, 1);
        k = pvm_gettid(g, inst) == me;
        pvm_pkint(&k, 1, 1);
        k = pvm_getinst(g, me) == inst;
        pvm_pkint(&k, 1, 1);
        pvm_pkint(got, 2, 1);
        pvm_pkint(&b, 1, 1);
        if (inst == 0) {
            pvm_pkint(ints, 2, 1);
            pvm_pkdouble(&d, 1, 1);
            pvm_pkint(all, n, 1);
        }
        pvm_send(parent, 41);
        pvm_recv(parent, 99);
        pvm_lvgroup(g);
    } else if (strcmp(mode, "context") == 0) {
        /* Sends its first context (tag 1) in that context, then the same in the base
         * context (tag 2). */
        int c = pvm_getcontext();
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&c, 1, 1);
        pvm_send(parent, 1);
        pvm_setcontext(0);
        pvm_send(parent, 2);
    } else if (strcmp(mode, "handlerorder") == 0) {
        /* Waits for tag 1, then sends 33 "a", 4 "x", 33 "b", 4 "y" to the parent. */
        static const char* texts[] = {"a", "x", "b", "y"};
        static const int tags[] = {33, 4, 33, 4};
        pvm_recv(parent, 1);
        for (i = 0; i < 4; i++) {
            pvm_initsend(PvmDataDefault);
            pvm_pkstr((char*)texts[i]);
            pvm_send(parent, tags[i]);
        }
    } else if (strcmp(mode, "mhfids") == 0) {
        /* pvm_addmhf and pvm_delmhf in a fresh task; the 17 results to the parent (tag 1). */
        int r[17], n = 0;
        pvm_setopt(PvmAutoErr, 0);
        r[n++] = pvm_addmhf(me, 50, 0, mhf_nothing);
        r[n++] = pvm_addmhf(-1, 51, -1, mhf_nothing);
        r[n++] = pvm_addmhf(me, 50, 0, mhf_other);    /* same pattern, other function */
        r[n++] = pvm_addmhf(-1, 50, -1, mhf_nothing); /* the wildcards overlap */
        r[n++] = pvm_addmhf(me, -1, 0, mhf_nothing);
        r[n++] = pvm_addmhf(-1, -1, -1, mhf_nothing);
        r[n++] = pvm_addmhf(me + 1, 50, 0, mhf_nothing);  /* another source */
        r[n++] = pvm_addmhf(me, 50, 5, mhf_nothing);      /* another context */
        r[n++] = pvm_addmhf(-1, -2, -1, (int (*)(int))0); /* nothing else is checked */
        r[n++] = pvm_delmhf(10);
        r[n++] = pvm_delmhf(12);
        r[n++] = pvm_addmhf(-1, 60, -1, mhf_nothing); /* the last freed first */
        r[n++] = pvm_addmhf(-1, 61, -1, mhf_nothing);
        r[n++] = pvm_addmhf(-1, 62, -1, mhf_nothing);
        r[n++] = pvm_delmhf(10);
        r[n++] = pvm_delmhf(10);
        r[n++] = pvm_delmhf(-1);
        pvm_initsend(PvmDataDefault);
        pvm_pkint(r, n, 1);
        pvm_send(parent, 1);
    } else if (strcmp(mode, "autoerrs") == 0) {
        /* Failures PVM 3.4.6 reports on stderr with PvmAutoErr, and some it does not. */
        int t = 0, code = 0;
        pvm_spawn("no_such_program", (char**)0, 0, "", 1, &t); /* silent */
        pvm_recvinfo("no_such_name", 0, 0);                    /* silent */
        pvm_kill(me + 0x3000);                                 /* silent, returns 0 */
        pvm_addmhf(-1, 33, -1, (int (*)(int))0);
        pvm_addmhf(-1, -1, -1, (int (*)(int))0); /* Already Exists */
        pvm_delmhf(-1);                          /* Bad parameter */
        pvm_initsend(77);                        /* two lines */
        pvm_joingroup("g");
        code = pvm_joingroup("g"); /* silent */
        printf("joingroup again %d\n", code);
        fflush(stdout);
        pvm_lvgroup("g");
    } else if (strcmp(mode, "autoerr") == 0) {
        pvm_send(0, 1); /* bad tid: PvmAutoErr prints the error on stderr */
        pvm_perror("after send");
    } else if (strcmp(mode, "sendself") == 0) {
        int v = 42, got = 0;
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&v, 1, 1);
        pvm_send(me, 5);
        pvm_recv(me, 5);
        pvm_upkint(&got, 1, 1);
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&got, 1, 1);
        pvm_send(parent, 1);
    } else if (strcmp(mode, "parentout") == 0) {
        printf("parent %d\n", parent); /* PvmParentNotSet under PvmNoSpawnParent */
        fflush(stdout);
        pvm_recv(-1, 99); /* stays listed until told to go */
    } else if (strcmp(mode, "whoami") == 0) {
        printf("I am t%x\n", me); /* the tid it enrolled as, to compare with spawn's */
        fflush(stdout);
    } else if (strcmp(mode, "family") == 0 && argc > 2) {
        /* Starts argv[2] "late" (a child whose output comes after this task's own has
         * ended), says its tid, and leaves; with argv[3] "stay", waits for tag 99 first. */
        char* args[] = {(char*)"late", NULL};
        int child = 0;
        pvm_spawn(argv[2], args, PvmTaskDefault, NULL, 1, &child);
        printf("child t%x\n", child);
        fflush(stdout);
        if (argc > 3 && strcmp(argv[3], "stay") == 0) pvm_recv(-1, 99);
    } else if (strcmp(mode, "late") == 0) {
        pvm_recv(-1, 7); /* prints once told to (tag 7, from anyone) */
        printf("late line\n");
        fflush(stdout);
    } else {
        fprintf(stderr, "test_task: unknown mode %s\n", mode);
        pvm_exit();
        return 2;
    }
    pvm_exit();
    return 0;
}
