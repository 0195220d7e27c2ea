// gpvm3.cpp - libgpvm3: legacy link lines say -lpvm3 -lgpvm3, and Debian's binaries that
// use groups list libgpvm3.so.3 as NEEDED. The group calls themselves are in libpvm3, which
// this library depends on, so a binary built against PVM finds them through it. What PVM's
// libgpvm3 alone exports and Debian's tools import (pvm_gstat, pvmgroups) is here.
#include <sys/time.h>

#include "pvm3.h"

extern "C" {

int pvm_gpvm3_present(void) { return 1; }

// pvmgs_tmout is how long pvm_gstat waits for the group server's answer (null: for ever).
struct timeval* pvmgs_tmout = nullptr;

// gs_getgstid gives the tid of PVM's group server task. Groups here are kept by the master
// pvmd, which is not a task that answers pvmgs's requests: PvmNotImpl, without AutoErr text,
// so that pvm_gstat says "no groups server" as PVM does when pvmgs cannot be started.
int gs_getgstid(void) { return PvmNotImpl; }

}  // extern "C"
