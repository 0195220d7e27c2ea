/* hello.c - the smallest PVM program: spawn one greeter and print what it says.
 * Run with a pvmd up: ./hello  (hello_other must be found: give PVM_ROOT or run from
 * the build tree, where the examples pass the absolute path). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pvm3.h"

int main(int argc, char** argv) {
    char other[4096];
    char greeting[256];
    int mytid = pvm_mytid();
    int child, bufid, bytes, tag, src;

    if (mytid < 0) {
        fprintf(stderr, "hello: no pvmd running (start one with `pvmd`)\n");
        return 1;
    }
    /* hello_other lives beside this program unless told otherwise. */
    if (argc > 1) {
        snprintf(other, sizeof other, "%s", argv[1]);
    } else {
        ssize_t n = readlink("/proc/self/exe", other, sizeof other - 1);
        char* slash;
        other[n > 0 ? n : 0] = '\0';
        slash = strrchr(other, '/');
        if (slash) strcpy(slash + 1, "hello_other");
    }
    printf("i'm t%x\n", mytid);
    if (pvm_spawn(other, (char**)0, PvmTaskDefault, "", 1, &child) != 1) {
        printf("can't start %s: %d\n", other, child);
        pvm_exit();
        return 1;
    }
    bufid = pvm_recv(-1, -1);
    pvm_bufinfo(bufid, &bytes, &tag, &src);
    pvm_upkstr(greeting);
    printf("from t%x: %s\n", src, greeting);
    pvm_exit();
    return 0;
}
