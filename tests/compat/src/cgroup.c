/* cgroup - groups: joingroup, lvgroup, gsize, getinst, gettid, barrier, bcast, reduce,
 * gather, scatter and freezegroup, with good and bad arguments. Children ("child") join
 * one at a time so that instance numbers do not depend on timing. */
#include "compat.h"

static int child(void) {
    int parent = pvm_parent(), inst, x, data[3], out, bytes, tag, src;
    pvm_setopt(PvmAutoErr, 0);
    inst = pvm_joingroup("g1");
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&inst, 1, 1);
    pvm_send(parent, 1);
    pvm_barrier("g1", 3);
    pvm_recv(-1, 2); /* bcast */
    pvm_bufinfo(pvm_getrbuf(), &bytes, &tag, &src);
    pvm_upkint(&x, 1, 1);
    x += inst;
    pvm_reduce(PvmSum, &x, 1, PVM_INT, 3, "g1", 0);
    pvm_gather(NULL, &x, 1, PVM_INT, 4, "g1", 0);
    pvm_scatter(&out, data, 1, PVM_INT, 5, "g1", 0);
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&out, 1, 1);
    pvm_send(parent, 6);
    pvm_barrier("g1", 3);
    pvm_lvgroup("g1");
    pvm_exit();
    return 0;
}

int main(int argc, char** argv) {
    int me, kids[2], i, inst, x = 100, sum, all[3] = {0}, data[3] = {7, 8, 9}, out = -1;
    char* args[] = {"child", NULL};

    if (argc > 1 && strcmp(argv[1], "child") == 0) return child();
    me = begin("cgroup", 0);
    R(pvm_gsize("g1"));
    R(pvm_getinst("g1", me));
    R(pvm_lvgroup("g1"));
    R(pvm_joingroup("g1"));
    R(pvm_joingroup("g1"));
    R(pvm_joingroup("g2"));
    R(pvm_joingroup(""));
    R(pvm_joingroup(NULL));
    R(pvm_gsize("g1"));
    R(pvm_gsize("nogroup"));
    R(pvm_gsize(""));
    R(pvm_getinst("g1", me));
    R(pvm_getinst("g2", me));
    R(pvm_getinst("g1", me + 1));
    R(pvm_getinst("nogroup", me));
    R(pvm_getinst("g1", -1));
    RT(pvm_gettid("g1", 0));
    R(pvm_gettid("g1", 5));
    R(pvm_gettid("g1", -1));
    R(pvm_gettid("nogroup", 0));
    R(pvm_lvgroup("g2"));
    R(pvm_lvgroup("g2"));
    R(pvm_lvgroup("nogroup"));
    R(pvm_barrier("g1", 1));
    R(pvm_barrier("nogroup", 1));
    pvm_initsend(PvmDataDefault);
    R(pvm_bcast("nogroup", 1));
    R(pvm_bcast("g1", -1));
    R(pvm_bcast("g1", 5));

    for (i = 0; i < 2; i++) {
        printf("pvm_spawn(cgroup child) = %s\n", res(pvm_spawn("cgroup", args, 0, "", 1, kids + i)));
        pvm_recv(kids[i], 1);
        pvm_upkint(&inst, 1, 1);
        printf("child %d (%s) joined as %d\n", i, tidStr(kids[i]), inst);
    }
    R(pvm_gsize("g1"));
    RT(pvm_gettid("g1", 1));
    RT(pvm_gettid("g1", 2));
    R(pvm_barrier("g1", 3));
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&x, 1, 1);
    R(pvm_bcast("g1", 2));
    sum = 100;
    R(pvm_reduce(PvmSum, &sum, 1, PVM_INT, 3, "g1", 0));
    printf("sum = %d\n", sum);
    all[0] = 1;
    R(pvm_gather(all, &all[0], 1, PVM_INT, 4, "g1", 0));
    printf("gathered %d %d %d\n", all[0], all[1], all[2]);
    R(pvm_scatter(&out, data, 1, PVM_INT, 5, "g1", 0));
    printf("scattered to me %d\n", out);
    for (i = 0; i < 2; i++) {
        pvm_recv(kids[i], 6);
        pvm_upkint(&out, 1, 1);
        printf("child %d got %d\n", i, out);
    }
    R(pvm_reduce(PvmSum, &sum, 1, 99, 7, "g1", 0));
    R(pvm_reduce(PvmSum, &sum, 1, PVM_INT, 7, "nogroup", 0));
    R(pvm_reduce(PvmSum, &sum, -1, PVM_INT, 7, "g1", 0));
    R(pvm_gather(all, &x, 1, PVM_INT, 8, "nogroup", 0));
    R(pvm_scatter(&out, data, 1, PVM_INT, 9, "nogroup", 0));
    R(pvm_barrier("g1", 3));
    /* Children leave after the barrier; wait until they did. */
    while (pvm_gsize("g1") > 1) {
        struct timeval tv = {0, 20000};
        pvm_trecv(-1, 999, &tv);
    }
    R(pvm_gsize("g1"));
    R(pvm_freezegroup("g1", -1));
    R(pvm_freezegroup("nogroup", 1));
    R(pvm_joingroup("g3"));
    R(pvm_freezegroup("g3", 1));
    R(pvm_gsize("g3"));
    /* Last: a bad barrier count leaves real PVM's group server refusing later barriers. */
    R(pvm_barrier("g1", 0));
    R(pvm_lvgroup("g1"));
    R(pvm_gsize("g1"));
    R(pvm_lvgroup("g3"));
    R(pvm_exit());
    return 0;
}
