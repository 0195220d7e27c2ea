// tcl_errors.h - how the commands of the Tcl package `pvm` report errors: a message, and an
// errorCode {PVM <Name> <code>} that scripts can switch on. Apart from tcl_pvm.h so that the
// code that needs nothing else (typed_fields.cpp) builds without the task library.
#pragma once

#include <string>

#include "errors.h"

#include <tcl.h>

namespace pvm::tcl {

/// fail reports e as a Tcl error: message "pvm <what>: <text>", errorCode {PVM <Name> <code>}.
int fail(Tcl_Interp* interp, const char* what, const Error& e);
/// failCode reports a bare PVM code the same way.
int failCode(Tcl_Interp* interp, const char* what, int code, const std::string& text);
/// usage reports wrong arguments: errorCode {PVM PvmBadParam -2}.
int usage(Tcl_Interp* interp, const std::string& text);

}  // namespace pvm::tcl
