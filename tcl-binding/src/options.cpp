// options.cpp - Tcl commands for task options and status: setopt, getopt, pstat,
// mstat, sendsig. Options go by PVM's names with or without the "Pvm" prefix
// (Route, PvmRoute, route); values are integers or the names of PVM's constants.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <string>

#include "tcl_pvm.h"

namespace pvm::tcl {

namespace {
struct Named {
    const char* name;
    int value;
};
constexpr Named kOptions[] = {
    {"Route", PvmRoute},
    {"DebugMask", PvmDebugMask},
    {"AutoErr", PvmAutoErr},
    {"OutputTid", PvmOutputTid},
    {"OutputCode", PvmOutputCode},
    {"TraceTid", PvmTraceTid},
    {"TraceCode", PvmTraceCode},
    {"TraceBuffer", PvmTraceBuffer},
    {"TraceOptions", PvmTraceOptions},
    {"FragSize", PvmFragSize},
    {"ResvTids", PvmResvTids},
    {"SelfOutputTid", PvmSelfOutputTid},
    {"SelfOutputCode", PvmSelfOutputCode},
    {"SelfTraceTid", PvmSelfTraceTid},
    {"SelfTraceCode", PvmSelfTraceCode},
    {"SelfTraceBuffer", PvmSelfTraceBuffer},
    {"SelfTraceOptions", PvmSelfTraceOptions},
    {"ShowTids", PvmShowTids},
    {"PollType", PvmPollType},
    {"PollTime", PvmPollTime},
    {"OutputContext", PvmOutputContext},
    {"TraceContext", PvmTraceContext},
    {"SelfOutputContext", PvmSelfOutputContext},
    {"SelfTraceContext", PvmSelfTraceContext},
    {"NoReset", PvmNoReset},
};
constexpr Named kValues[] = {
    {"DontRoute", PvmDontRoute},       {"AllowDirect", PvmAllowDirect}, {"RouteDirect", PvmRouteDirect},
    {"TraceFull", PvmTraceFull},       {"TraceTime", PvmTraceTime},     {"TraceCount", PvmTraceCount},
    {"PollConstant", PvmPollConstant}, {"PollSleep", PvmPollSleep},
};

bool sameName(const char* given, const char* name) {
    if (std::strncmp(given, "Pvm", 3) == 0) given += 3;
    for (; *given && *name; ++given, ++name)
        if (std::tolower(static_cast<unsigned char>(*given)) != std::tolower(static_cast<unsigned char>(*name)))
            return false;
    return *given == *name;
}

template <std::size_t N>
bool lookUp(Tcl_Interp* interp, Tcl_Obj* word, const Named (&table)[N], const char* what, int* value) {
    if (Tcl_GetIntFromObj(nullptr, word, value) == TCL_OK) return true;
    for (const auto& n : table)
        if (sameName(Tcl_GetString(word), n.name)) {
            *value = n.value;
            return true;
        }
    std::string names;
    for (const auto& n : table) names += std::string(names.empty() ? "" : ", ") + n.name;
    usage(interp, std::string("unknown ") + what + " \"" + Tcl_GetString(word) + "\": should be one of " + names);
    return false;
}

int cmdSetopt(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int what = 0, value = 0;
    if (objc != 3) return usage(interp, "wrong # args: should be \"pvm setopt option value\"");
    if (!lookUp(interp, objv[1], kOptions, "option", &what) || !lookUp(interp, objv[2], kValues, "value", &value))
        return TCL_ERROR;
    return guarded(interp, "setopt", [&] {
        Session::instance().tid();
        Tcl_SetObjResult(interp, Tcl_NewIntObj(Session::instance().setOption(what, value)));
        return TCL_OK;
    });
}

int cmdGetopt(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int what = 0;
    if (objc != 2) return usage(interp, "wrong # args: should be \"pvm getopt option\"");
    if (!lookUp(interp, objv[1], kOptions, "option", &what)) return TCL_ERROR;
    return guarded(interp, "getopt", [&] {
        Session::instance().tid();
        Tcl_SetObjResult(interp, Tcl_NewIntObj(Session::instance().option(what)));
        return TCL_OK;
    });
}

/// status is "ok" for PvmOk, else the name of the code (PvmNoTask, PvmNoHost, PvmHostFail).
Tcl_Obj* status(int code) { return Tcl_NewStringObj(code == PvmOk ? "ok" : errorName(code), -1); }

/// statusOf runs a status query: the answers that are a status (as pvm_pstat and pvm_mstat
/// return them, without AutoErr) become the result, any other error stays an error.
template <typename Query>
int statusOf(Tcl_Interp* interp, const char* what, std::initializer_list<int> answers, Query query) {
    return guarded(interp, what, [&] {
        int code = PvmOk;
        try {
            code = query();
        } catch (const Error& e) {
            if (std::find(answers.begin(), answers.end(), e.code()) == answers.end()) throw;
            code = e.code();
        }
        Tcl_SetObjResult(interp, status(code));
        return TCL_OK;
    });
}

int cmdPstat(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int tid = 0;
    if (objc != 2) return usage(interp, "wrong # args: should be \"pvm pstat tid\"");
    if (!getTid(interp, objv[1], &tid)) return TCL_ERROR;
    return statusOf(interp, "pstat", {PvmNoTask}, [&] { return Session::instance().pstat(tid); });
}

int cmdMstat(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (objc != 2) return usage(interp, "wrong # args: should be \"pvm mstat host\"");
    return statusOf(interp, "mstat", {PvmNoHost, PvmHostFail},
                    [&] { return Session::instance().mstat(Tcl_GetString(objv[1])); });
}

int cmdSendsig(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int number = 0;
    std::vector<int> tids;
    if (objc < 3) return usage(interp, "wrong # args: should be \"pvm sendsig signal tid ?tid ...?\"");
    if (Tcl_GetIntFromObj(nullptr, objv[1], &number) != TCL_OK || number < 1 || number > 64)
        return usage(interp, "pvm sendsig: the signal must be a number from 1 to 64");
    for (int i = 2; i < objc; ++i)
        if (!getTidList(interp, objv[i], &tids)) return TCL_ERROR;
    return guarded(interp, "sendsig", [&] {
        for (int t : tids) Session::instance().sendSignal(t, number);
        return TCL_OK;
    });
}

/// cmdNoresets: the tasks that set PvmNoReset, which reset spares.
int cmdNoresets(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const[]) {
    if (objc != 1) return usage(interp, "wrong # args: should be \"pvm noresets\"");
    return guarded(interp, "noresets", [&] {
        Tcl_SetObjResult(interp, tidList(Session::instance().noResetTasks()));
        return TCL_OK;
    });
}
}  // namespace

namespace {
/// cmdTracemask: pvm tracemask self|child ?calls? - the calls traced (pvm_settmask): names
/// like pvm_send or send, or "all"; an empty list traces nothing.
int cmdTracemask(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    std::string who = objc >= 2 ? Tcl_GetString(objv[1]) : "";
    if (objc < 2 || objc > 3 || (who != "self" && who != "child"))
        return usage(interp, "wrong # args: should be \"pvm tracemask self|child ?calls?\"");
    return guarded(interp, "tracemask", [&] {
        Session& s = Session::instance();
        if (objc == 3) {
            int n = 0;
            Tcl_Obj** items = nullptr;
            if (Tcl_ListObjGetElements(interp, objv[2], &n, &items) != TCL_OK) return TCL_ERROR;
            std::vector<std::string> names;
            for (int i = 0; i < n; ++i) names.emplace_back(Tcl_GetString(items[i]));
            s.setTraceMask(who == "child", Session::traceMaskOf(names));
        }
        std::vector<std::string> names = Session::traceEventNames(s.traceMask(who == "child"));
        Tcl_Obj* list = Tcl_NewListObj(0, nullptr);
        for (const auto& n : names) Tcl_ListObjAppendElement(nullptr, list, Tcl_NewStringObj(n.c_str(), -1));
        Tcl_SetObjResult(interp, list);
        return TCL_OK;
    });
}
}  // namespace

void registerOptionCommands(Tcl_Interp* interp) {
    define(interp, "tracemask", cmdTracemask);
    define(interp, "noresets", cmdNoresets);
    define(interp, "setopt", cmdSetopt);
    define(interp, "getopt", cmdGetopt);
    define(interp, "pstat", cmdPstat);
    define(interp, "mstat", cmdMstat);
    define(interp, "sendsig", cmdSendsig);
}

}  // namespace pvm::tcl
