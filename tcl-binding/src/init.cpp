// init.cpp - loading the package: Pvm_Init creates the ::pvm namespace, its
// commands and the `pvm` ensemble; and the helpers every command uses.
#include <cstdlib>
#include <cstring>

#include "pvm3.h"
#include "tcl_pvm.h"
#include "tid.h"

namespace pvm::tcl {

std::recursive_mutex& coreLock() {
    static std::recursive_mutex lock;
    return lock;
}

bool getTid(Tcl_Interp* interp, Tcl_Obj* word, int* tid) {
    const char* text = Tcl_GetString(word);
    try {
        if (std::strcmp(text, "mytid") == 0) {
            *tid = Session::instance().tid();
            return true;
        }
        if (std::strcmp(text, "parent") == 0) {
            *tid = Session::instance().parent();
            if (*tid > 0) return true;
            failCode(interp, "parent", PvmNoParent, "this task has no parent");
            return false;
        }
    } catch (const Error& e) {
        fail(interp, "tid", e);
        return false;
    }
    if (text[0] == 't' && text[1]) {
        char* end = nullptr;
        long value = std::strtol(text + 1, &end, 16);
        if (*end == '\0' && value > 0 && value <= 0x7fffffff) {
            *tid = static_cast<int>(value);
            return true;
        }
    }
    int value = 0;
    if (Tcl_GetIntFromObj(nullptr, word, &value) == TCL_OK && value > 0) {
        *tid = value;
        return true;
    }
    usage(interp, std::string("expected a tid (an integer, t<hex>, mytid or parent) but got \"") + text + "\"");
    return false;
}

bool getTidList(Tcl_Interp* interp, Tcl_Obj* word, std::vector<int>* tids) {
    int n = 0;
    Tcl_Obj** items = nullptr;
    if (Tcl_ListObjGetElements(interp, word, &n, &items) != TCL_OK) return false;
    if (n == 0) {
        usage(interp, "expected one or more tids, got an empty list");
        return false;
    }
    for (int i = 0; i < n; ++i) {
        int tid = 0;
        if (!getTid(interp, items[i], &tid)) return false;
        tids->push_back(tid);
    }
    return true;
}

Tcl_Obj* tidList(const std::vector<int>& tids) {
    Tcl_Obj* list = Tcl_NewListObj(0, nullptr);
    for (int t : tids) Tcl_ListObjAppendElement(nullptr, list, Tcl_NewIntObj(t));
    return list;
}

namespace {
void deleteState(ClientData data, Tcl_Interp*) {
    auto* st = static_cast<InterpState*>(data);
    forgetEvents(*st);
    delete st;
}
}  // namespace

InterpState& state(Tcl_Interp* interp) {
    auto* st = static_cast<InterpState*>(Tcl_GetAssocData(interp, "pvm", nullptr));
    if (!st) {
        st = new InterpState;
        st->interp = interp;
        Tcl_SetAssocData(interp, "pvm", deleteState, st);
    }
    return *st;
}

void define(Tcl_Interp* interp, const char* name, Command* proc) {
    std::string full = std::string("::pvm::") + name;
    Tcl_CreateObjCommand(interp, full.c_str(), proc, nullptr, nullptr);
}

}  // namespace pvm::tcl

extern "C" {

/// Pvm_Init is what `load libtclpvm.so Pvm` calls (pkgIndex.tcl does that).
int Pvm_Init(Tcl_Interp* interp) {
    if (!Tcl_InitStubs(interp, "8.6", 0)) return TCL_ERROR;
    using namespace pvm::tcl;
    state(interp);
    registerTaskCommands(interp);
    registerMessageCommands(interp);
    registerEventCommands(interp);
    registerOptionCommands(interp);
    registerMailboxCommands(interp);
    registerGroupCommands(interp);
    // `pvm spawn ...` and `::pvm::spawn ...` are the same command.
    const char* ensemble =
        "namespace eval ::pvm {\n"
        "    namespace export {[a-z]*}\n"
        "    namespace ensemble create\n"
        "}\n";
    if (Tcl_Eval(interp, ensemble) != TCL_OK) return TCL_ERROR;
    return Tcl_PkgProvide(interp, "pvm", PVM_PACKAGE_VERSION);
}

}  // extern "C"
