// tcl_errors.cpp - the Tcl package's error results.
#include "tcl_errors.h"

#include "pvm3.h"

namespace pvm::tcl {

int failCode(Tcl_Interp* interp, const char* what, int code, const std::string& text) {
    std::string message = std::string("pvm ") + what + ": " + text;
    Tcl_SetObjResult(interp, Tcl_NewStringObj(message.c_str(), -1));
    Tcl_SetErrorCode(interp, "PVM", errorName(code), std::to_string(code).c_str(), nullptr);
    return TCL_ERROR;
}

int fail(Tcl_Interp* interp, const char* what, const Error& e) { return failCode(interp, what, e.code(), e.what()); }

int usage(Tcl_Interp* interp, const std::string& text) {
    Tcl_SetObjResult(interp, Tcl_NewStringObj(text.c_str(), -1));
    Tcl_SetErrorCode(interp, "PVM", errorName(PvmBadParam), std::to_string(PvmBadParam).c_str(), nullptr);
    return TCL_ERROR;
}

}  // namespace pvm::tcl
