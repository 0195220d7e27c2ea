// c_api.h - what every pvm3.h shim shares: turning exceptions into PVM codes
// and reporting them as PvmAutoErr asks.
#pragma once

#include <new>

#include "errors.h"
#include "pvm3.h"
#include "session.h"

namespace pvm::capi {

/// report records a failed call for pvm_perror, prints it when PvmAutoErr is on, and returns code.
int report(const char* function, int code, const char* context);

/// guard runs body and turns any exception into its PVM code (body returns an int result).
template <class Body>
int guard(const char* function, Body&& body) {
    int result;
    try {
        result = body();
    } catch (const Error& e) {
        result = report(function, e.code(), e.what());
    } catch (const std::bad_alloc&) {
        result = report(function, PvmNoMem, "out of memory");
    } catch (const std::exception& e) {
        result = report(function, PvmSysErr, e.what());
    }
    Session::instance().traceCall(function, result);  // nothing unless this task is traced
    return result;
}

inline Session& session() { return Session::instance(); }

}  // namespace pvm::capi
