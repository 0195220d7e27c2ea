/* hello_other.c - the greeter spawned by hello: sends its host name to its parent. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pvm3.h"

int main(void) {
    char text[256] = "hello, world from ";
    int parent = pvm_parent();

    gethostname(text + strlen(text), sizeof text - strlen(text) - 1);
    pvm_initsend(PvmDataDefault);
    pvm_pkstr(text);
    pvm_send(parent, 1);
    pvm_exit();
    return 0;
}
