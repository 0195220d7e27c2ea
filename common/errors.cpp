// errors.cpp - names and texts of PVM error codes.
#include "errors.h"

#include "pvm3.h"

namespace pvm {

namespace {
struct ErrorInfo {
    int code;
    const char* name;
    const char* text;
};

constexpr ErrorInfo kErrors[] = {
    {PvmOk, "PvmOk", "Success"},
    {PvmBadParam, "PvmBadParam", "Bad parameter"},
    {PvmMismatch, "PvmMismatch", "Parameter mismatch"},
    {PvmOverflow, "PvmOverflow", "Value too large"},
    {PvmNoData, "PvmNoData", "End of buffer"},
    {PvmNoHost, "PvmNoHost", "No such host"},
    {PvmNoFile, "PvmNoFile", "No such file"},
    {PvmDenied, "PvmDenied", "Permission denied"},
    {PvmNoMem, "PvmNoMem", "Malloc failed"},
    {PvmBadMsg, "PvmBadMsg", "Can't decode message"},
    {PvmSysErr, "PvmSysErr", "Can't contact local daemon"},
    {PvmNoBuf, "PvmNoBuf", "No current buffer"},
    {PvmNoSuchBuf, "PvmNoSuchBuf", "No such buffer"},
    {PvmNullGroup, "PvmNullGroup", "Null group name"},
    {PvmDupGroup, "PvmDupGroup", "Already in group"},
    {PvmNoGroup, "PvmNoGroup", "No such group"},
    {PvmNotInGroup, "PvmNotInGroup", "Not in group"},
    {PvmNoInst, "PvmNoInst", "No such instance"},
    {PvmHostFail, "PvmHostFail", "Host failed"},
    {PvmNoParent, "PvmNoParent", "No parent task"},
    {PvmNotImpl, "PvmNotImpl", "Not implemented"},
    {PvmDSysErr, "PvmDSysErr", "Pvmd system error"},
    {PvmBadVersion, "PvmBadVersion", "Version mismatch"},
    {PvmOutOfRes, "PvmOutOfRes", "Out of resources"},
    {PvmDupHost, "PvmDupHost", "Duplicate host"},
    {PvmCantStart, "PvmCantStart", "Can't start pvmd"},
    {PvmAlready, "PvmAlready", "Already in progress"},
    {PvmNoTask, "PvmNoTask", "No such task"},
    {PvmNotFound, "PvmNotFound", "Not Found"},
    {PvmExists, "PvmExists", "Already Exists"},
    {PvmHostrNMstr, "PvmHostrNMstr", "Hoster must run on master host"},
    {PvmParentNotSet, "PvmParentNotSet", "Spawning parent set PvmNoParent"},
    {PvmIPLoopback, "PvmIPLoopback", "Master Host IP Address is Loopback! (See pvm3/Readme)"},
};

const ErrorInfo* find(int code) noexcept {
    for (const auto& e : kErrors)
        if (e.code == code) return &e;
    return nullptr;
}
}  // namespace

namespace {
/// describe joins context and the code's words, unless context already ends with them (a
/// daemon's error text passed on: "task t40099: No such task" must not get them twice).
std::string describe(int code, const std::string& context) {
    std::string words = errorText(code);
    if (context.empty()) return words;
    std::string tail = ": " + words;
    if (context.size() >= tail.size() && context.compare(context.size() - tail.size(), tail.size(), tail) == 0)
        return context;
    return context + tail;
}
}  // namespace

Error::Error(int code, const std::string& context) : std::runtime_error(describe(code, context)), code_(code) {}

const char* errorName(int code) noexcept {
    const ErrorInfo* e = find(code);
    return e ? e->name : "PvmUnknownError";
}

bool knownError(int code) noexcept { return find(code) != nullptr; }

const char* errorText(int code) noexcept {
    const ErrorInfo* e = find(code);
    return e ? e->text : "Unknown error";
}

}  // namespace pvm
