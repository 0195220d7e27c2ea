// session_trace.cpp - tracing of PVM calls: every C API call that returns reports
// itself, when its bit is in the task's trace mask and PvmSelfTraceTid is set, as a
// message to the tracer. Tasks spawned with PvmTaskTrace inherit PvmTraceTid,
// PvmTraceCode and the child mask as their own, through their environment.
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>

#include "errors.h"
#include "pvm3.h"
#include "pvmtev.h"
#include "session.h"
#include "trace_events.h"

namespace pvm {

namespace {
constexpr int kEvents = static_cast<int>(sizeof kTraceEvents / sizeof kTraceEvents[0]);

int eventNumber(const char* function) {
    for (int i = 0; i < kEvents; ++i)
        if (kTraceEvents[i] && std::strcmp(kTraceEvents[i], function) == 0) return i;
    return -1;
}

std::string fullMask() {
    std::string mask(TEV_MASK_LENGTH - 1, '@');
    for (int k = 0; k < kEvents; ++k)
        if (kTraceEvents[k]) mask[static_cast<std::size_t>(k / 4)] |= static_cast<char>(1 << (k & 3));
    return mask;
}
}  // namespace

void Session::traceReturn(const char* function, int result) {
    if (!link_ || inTrace_) return;
    int event = eventNumber(function);
    if (event < 0 || !(selfMask_[static_cast<std::size_t>(event / 4)] & (1 << (event & 3)))) return;
    inTrace_ = true;
    try {
        auto now = std::chrono::system_clock::now().time_since_epoch();
        auto usec = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
        int times[2] = {static_cast<int>(usec / 1000000), static_cast<int>(usec % 1000000)};
        MessageBuffer body(PvmDataDefault);
        body.packCopied(DataType::Int, &event, 1, 1);
        body.packString(function);
        body.packCopied(DataType::Int, &result, 1, 1);
        body.packCopied(DataType::Int, &tid_, 1, 1);
        body.packCopied(DataType::Int, times, 2, 1);
        BodySendGuard guard;
        sendViaDaemon(option(PvmSelfTraceTid), option(PvmSelfTraceCode), option(PvmSelfTraceContext), body,
                      body.segments(), guard);
    } catch (const Error&) {
        // A trace that cannot be sent must not fail the call it describes.
    }
    inTrace_ = false;
}

void Session::updateTracing() { tracing_ = option(PvmSelfTraceTid) > 0 && !selfMask_.empty(); }

std::string Session::traceMask(bool child) const {
    const std::string& m = child ? childMask_ : selfMask_;
    return m.empty() ? std::string(TEV_MASK_LENGTH - 1, '@') : m;
}

void Session::setTraceMask(bool child, const std::string& mask) {
    PVM_REQUIRE(mask.size() <= TEV_MASK_LENGTH - 1, PvmBadParam, "trace mask too long");
    std::string m = mask;
    m.resize(TEV_MASK_LENGTH - 1, '@');
    (child ? childMask_ : selfMask_) = m;
    updateTracing();
}

std::vector<std::string> Session::traceEventNames(const std::string& mask) {
    std::vector<std::string> names;
    for (int k = 0; k < kEvents; ++k)
        if (kTraceEvents[k] && static_cast<std::size_t>(k / 4) < mask.size() &&
            (mask[static_cast<std::size_t>(k / 4)] & (1 << (k & 3))))
            names.emplace_back(kTraceEvents[k]);
    return names;
}

std::string Session::traceMaskOf(const std::vector<std::string>& names) {
    std::string mask(TEV_MASK_LENGTH - 1, '@');
    for (const auto& n : names) {
        if (n == "all") return fullMask();
        int k = eventNumber(n.c_str());
        if (k < 0) k = eventNumber(("pvm_" + n).c_str());
        PVM_REQUIRE(k >= 0, PvmBadParam, "no PVM call named " + n);
        mask[static_cast<std::size_t>(k / 4)] |= static_cast<char>(1 << (k & 3));
    }
    return mask;
}

std::string Session::traceInheritance(int flags) {
    // PVM_TRACE=tid,code,mask: what a child traced with PvmTaskTrace reports to.
    if (!(flags & PvmTaskTrace) || option(PvmTraceTid) <= 0) return "";
    std::string mask = childMask_.empty() ? fullMask() : childMask_;
    return "PVM_TRACE=" + std::to_string(option(PvmTraceTid)) + "," + std::to_string(option(PvmTraceCode)) + "," + mask;
}

void Session::inheritTracing() {
    const char* trace = std::getenv("PVM_TRACE");
    if (!trace) return;
    std::string text = trace;
    unsetenv("PVM_TRACE");  // not for programs this task starts by other means
    std::size_t a = text.find(','), b = text.find(',', a + 1);
    if (a == std::string::npos || b == std::string::npos) return;
    setOption(PvmSelfTraceTid, std::atoi(text.substr(0, a).c_str()));
    setOption(PvmSelfTraceCode, std::atoi(text.substr(a + 1, b - a - 1).c_str()));
    selfMask_ = text.substr(b + 1);
    updateTracing();
}

}  // namespace pvm
