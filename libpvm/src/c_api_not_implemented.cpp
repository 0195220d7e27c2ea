// c_api_not_implemented.cpp - pvm3.h functions not built yet. Each returns
// PvmNotImpl (reported like any error) and is listed in docs/compatibility.md.
#include "c_api.h"

namespace {
int notImplemented(const char* function) { return pvm::capi::report(function, PvmNotImpl, function); }
}  // namespace

extern "C" {

int pvm_addmhf(int, int, int, int (*)(int)) { return notImplemented("pvm_addmhf"); }
int pvm_delmhf(int) { return notImplemented("pvm_delmhf"); }
int pvm_newcontext(void) { return notImplemented("pvm_newcontext"); }
int pvm_setcontext(int) { return notImplemented("pvm_setcontext"); }
int pvm_freecontext(int) { return notImplemented("pvm_freecontext"); }
int pvm_export(char*) { return notImplemented("pvm_export"); }
int pvm_unexport(char*) { return notImplemented("pvm_unexport"); }
int pvm_getnoresets(int**, int*) { return notImplemented("pvm_getnoresets"); }
int pvm_getminfo(int, struct pvmminfo*) { return notImplemented("pvm_getminfo"); }
int pvm_setminfo(int, struct pvmminfo*) { return notImplemented("pvm_setminfo"); }
int pvm_getmwid(int) { return notImplemented("pvm_getmwid"); }
int pvm_setmwid(int, int) { return notImplemented("pvm_setmwid"); }
int pvm_pkmesg(int) { return notImplemented("pvm_pkmesg"); }
int pvm_pkmesgbody(int) { return notImplemented("pvm_pkmesgbody"); }
int pvm_upkmesg(void) { return notImplemented("pvm_upkmesg"); }
int pvm_start_pvmd(int, char**, int) { return notImplemented("pvm_start_pvmd"); }
int pvm_tickle(int, int*, int*, int*) { return notImplemented("pvm_tickle"); }
int pvm_insert(char*, int, int) { return notImplemented("pvm_insert"); }
int pvm_lookup(char*, int, int*) { return notImplemented("pvm_lookup"); }
int pvm_delete(char*, int) { return notImplemented("pvm_delete"); }
int pvm_reg_hoster(void) { return notImplemented("pvm_reg_hoster"); }
int pvm_reg_rm(struct pvmhostinfo**) { return notImplemented("pvm_reg_rm"); }
int pvm_reg_tasker(void) { return notImplemented("pvm_reg_tasker"); }
int pvm_reg_tracer(int, int, int, int, char*, int, int) { return notImplemented("pvm_reg_tracer"); }

// pvm_recvf cannot return an error code: it installs nothing and hands back the default.
int (*pvm_recvf(int (*)(int, int, int)))(int, int, int) {
    notImplemented("pvm_recvf");
    return nullptr;
}

// Group functions (libgpvm3 in PVM) live in the same library until groups exist.

}  // extern "C"
