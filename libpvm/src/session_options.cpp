// session_options.cpp - the task's options: pvm_setopt and pvm_getopt, with PVM's
// checks and PVM's quirks.
#include "errors.h"
#include "pvm3.h"
#include "session.h"

namespace pvm {

namespace {
/// isTraceOption: the trace settings, kept in one map (buffer and options for getopt only;
/// every traced call sends one event, session_trace.cpp).
bool isTraceOption(int what) {
    switch (what) {
        case PvmTraceTid:
        case PvmTraceCode:
        case PvmTraceBuffer:
        case PvmTraceOptions:
        case PvmSelfTraceTid:
        case PvmSelfTraceCode:
        case PvmSelfTraceBuffer:
        case PvmSelfTraceOptions:
        case PvmTraceContext:
        case PvmSelfTraceContext:
            return true;
        default:
            return false;
    }
}
}  // namespace

int Session::setOption(int what, int value) {
    int old = option(what);
    if (isTraceOption(what)) {
        traceOptions_[what] = value;
        // PVM: setting the task's own trace destination also sets what its children inherit.
        if (what == PvmSelfTraceTid || what == PvmSelfTraceCode) {
            traceOptions_[PvmTraceTid] = option(PvmSelfTraceTid);
            traceOptions_[PvmTraceCode] = option(PvmSelfTraceCode);
        }
        updateTracing();
        return old;
    }
    switch (what) {
        case PvmRoute:
            PVM_REQUIRE(value >= PvmDontRoute && value <= PvmRouteDirect, PvmBadParam,
                        "route " + std::to_string(value));
            route_ = value;
            break;
        case PvmDebugMask:
            debugMask_ = value;
            break;
        case PvmAutoErr:
            PVM_REQUIRE(value >= 0 && value <= 3, PvmBadParam, "autoerr " + std::to_string(value));
            autoErr_ = value;
            break;
        case PvmOutputTid:
            outputTid_ = value;
            break;
        case PvmOutputCode:
            outputCode_ = value;
            break;
        case PvmOutputContext:
            outputContext_ = value;
            break;
        case PvmSelfOutputTid:
        case PvmSelfOutputCode:
        case PvmSelfOutputContext: {
            int t = what == PvmSelfOutputTid ? value : selfOutputTid_;
            int c = what == PvmSelfOutputCode ? value : selfOutputCode_;
            int x = what == PvmSelfOutputContext ? value : selfOutputContext_;
            call([&](wire::Request::Builder r) {
                auto o = r.initSetOutput();
                o.setTid(t);
                o.setCode(c);
                o.setContext(x);
            });
            // PVM: setting the task's own output also sets what its children inherit.
            outputTid_ = selfOutputTid_ = t;
            outputCode_ = selfOutputCode_ = c;
            outputContext_ = selfOutputContext_ = x;
            break;
        }
        case PvmFragSize:
            PVM_REQUIRE(value > 0, PvmBadParam, "fragment size " + std::to_string(value));
            fragSize_ = value;
            break;
        case PvmResvTids:
            resvTids_ = value;
            break;
        case PvmShowTids:
            showTids_ = value;
            catcher_.setShowTids(value != 0);
            break;
        case PvmPollType:
            pollType_ = value;
            break;
        case PvmPollTime:
            pollTime_ = value;
            break;
        case PvmNoReset:
            if ((value != 0) != (noReset_ != 0)) markNoReset(value != 0);
            noReset_ = value;
            break;
        default:
            throw Error(PvmBadParam, "option " + std::to_string(what));
    }
    return old;
}

int Session::option(int what) {
    if (isTraceOption(what)) {
        auto it = traceOptions_.find(what);
        return it == traceOptions_.end() ? 0 : it->second;
    }
    switch (what) {
        case PvmRoute:
            return route_;
        case PvmDebugMask:
            return debugMask_;
        case PvmAutoErr:
            return autoErr_;
        case PvmOutputTid:
            return outputTid_;
        case PvmOutputCode:
            return outputCode_;
        case PvmOutputContext:
            return outputContext_;
        case PvmSelfOutputTid:
            return selfOutputTid_;
        case PvmSelfOutputCode:
            return selfOutputCode_;
        case PvmSelfOutputContext:
            return selfOutputContext_;
        case PvmFragSize:
            return fragSize_;
        case PvmResvTids:
            return resvTids_;
        case PvmShowTids:
            return showTids_;
        case PvmPollType:
            return pollType_;
        case PvmPollTime:
            return pollTime_;
        case PvmNoReset:
            return noReset_;
        default:
            throw Error(PvmBadParam, "option " + std::to_string(what));
    }
}

}  // namespace pvm
