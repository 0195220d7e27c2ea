// c_api.h - what every pvm3.h shim shares: turning exceptions into PVM codes
// and reporting them as PvmAutoErr asks.
#pragma once

#include <new>

#include "errors.h"
#include "pvm3.h"
#include "session.h"

/// pvm_errno: the last failed call's code, exported as PVM's libpvm3 does (c_api_misc.cpp).
extern "C" int pvm_errno;

namespace pvm::capi {

/// report records a failed call for pvm_perror, prints it when PvmAutoErr is on, and returns code.
/// quiet records the error without printing it (failures PVM's AutoErr does not show).
int report(const char* function, int code, const char* context, bool quiet = false);

/// guard runs body and turns any exception into its PVM code (body returns an int result).
/// PVM returns some failures without an AutoErr message: those silent(code) is true for.
template <class Body>
int guard(const char* function, Body&& body, bool (*silent)(int) = nullptr) {
    int result;
    try {
        result = body();
    } catch (const Error& e) {
        result = report(function, e.code(), e.what(), silent && silent(e.code()));
    } catch (const std::bad_alloc&) {
        result = report(function, PvmNoMem, "out of memory");
    } catch (const std::exception& e) {
        result = report(function, PvmSysErr, e.what());
    }
    Session::instance().traceCall(function, result);  // nothing unless this task is traced
    return result;
}

inline Session& session() { return Session::instance(); }

/// notFound: the mailbox calls of PVM say nothing about a name that is not there.
inline bool notFound(int code) { return code == PvmNotFound; }
/// groupAnswer: PVM's group server answers these without an AutoErr message.
inline bool groupAnswer(int code) {
    return code == PvmDupGroup || code == PvmNoGroup || code == PvmNotInGroup || code == PvmNoInst;
}

}  // namespace pvm::capi
