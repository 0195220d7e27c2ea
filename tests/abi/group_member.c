/* group_member.c - built against Debian's PVM like legacy_abi.c: joins the groups named on
 * the command line, says so, and stays a member until it is killed (the test halts the
 * virtual machine), so that Debian's pvm_gstat has groups to show. */
#include <stdio.h>

#include <pvm3.h>

int main(int argc, char** argv) {
    int i;
    if (pvm_mytid() < 0) return 1;
    for (i = 1; i < argc; i++) printf("joined %s as %d\n", argv[i], pvm_joingroup(argv[i]));
    printf("ready\n");
    fflush(stdout);
    pvm_recv(-1, 99); /* no one sends it */
    pvm_exit();
    return 0;
}
