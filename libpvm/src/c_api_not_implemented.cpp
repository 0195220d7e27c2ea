// c_api_not_implemented.cpp - pvm3.h functions not built yet. Each returns
// PvmNotImpl (reported like any error) and is listed in docs/compatibility.md.
#include "c_api.h"

namespace {
int notImplemented(const char* function) { return pvm::capi::report(function, PvmNotImpl, function); }
}  // namespace

extern "C" {

// pvm_tickle pokes PVM's pvmd debugging internals; ours has none (its log and the console
// serve instead).
int pvm_tickle(int, int*, int*, int*) { return notImplemented("pvm_tickle"); }
// The pvm_reg_* calls let a task replace parts of PVM (host starter, task starter, resource
// manager, tracer); this pvmd has no such hooks.
int pvm_reg_hoster(void) { return notImplemented("pvm_reg_hoster"); }
int pvm_reg_rm(struct pvmhostinfo**) { return notImplemented("pvm_reg_rm"); }
int pvm_reg_tasker(void) { return notImplemented("pvm_reg_tasker"); }
int pvm_reg_tracer(int, int, int, int, char*, int, int) { return notImplemented("pvm_reg_tracer"); }

}  // extern "C"
