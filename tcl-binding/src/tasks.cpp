// tasks.cpp - Tcl commands about tasks and hosts: mytid, parent, siblings,
// spawn, kill, exit, config, tasks, addhosts, delhosts, halt, reset, version,
// tidtohost, joingroup, leavegroup.
#include <algorithm>
#include <cstring>

#include "tcl_pvm.h"
#include "tid.h"

namespace pvm::tcl {

namespace {
int noArgs(Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (objc == 1) return TCL_OK;
    Tcl_WrongNumArgs(interp, 1, objv, "");
    Tcl_SetErrorCode(interp, "PVM", "PvmBadParam", "-2", nullptr);
    return TCL_ERROR;
}

Tcl_Obj* dictOf(std::initializer_list<std::pair<const char*, Tcl_Obj*>> entries) {
    Tcl_Obj* dict = Tcl_NewDictObj();
    for (const auto& [key, value] : entries) Tcl_DictObjPut(nullptr, dict, Tcl_NewStringObj(key, -1), value);
    return dict;
}

int cmdMytid(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (noArgs(interp, objc, objv) != TCL_OK) return TCL_ERROR;
    return guarded(interp, "mytid", [&] {
        Tcl_SetObjResult(interp, Tcl_NewIntObj(Session::instance().tid()));
        return TCL_OK;
    });
}

int cmdParent(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (noArgs(interp, objc, objv) != TCL_OK) return TCL_ERROR;
    return guarded(interp, "parent", [&] {
        int parent = Session::instance().parent();
        if (parent <= 0) return failCode(interp, "parent", PvmNoParent, "this task has no parent");
        Tcl_SetObjResult(interp, Tcl_NewIntObj(parent));
        return TCL_OK;
    });
}

int cmdSiblings(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (noArgs(interp, objc, objv) != TCL_OK) return TCL_ERROR;
    return guarded(interp, "siblings", [&] {
        Tcl_SetObjResult(interp, tidList(Session::instance().siblings()));
        return TCL_OK;
    });
}

int cmdSpawn(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    static const char* const options[] = {"-host",      "-arch",  "-count",      "-wd",       "-output", "-debug",
                                          "-outputend", "-trace", "-outputdone", "-noparent", "--",      nullptr};
    enum { Host, Arch, Count, Wd, Output, Debug, OutputEnd, Trace, OutputDone, NoParent, End };
    SpawnRequest request;
    std::string host, arch, wd;
    Tcl_Obj* output = nullptr;
    Tcl_Obj* outputEnd = nullptr;
    Tcl_Obj* outputDone = nullptr;
    Tcl_Obj* trace = nullptr;
    int i = 1;
    for (; i < objc; ++i) {
        const char* word = Tcl_GetString(objv[i]);
        if (word[0] != '-') break;
        int which = 0;
        if (Tcl_GetIndexFromObj(interp, objv[i], options, "option", 0, &which) != TCL_OK) {
            Tcl_SetErrorCode(interp, "PVM", "PvmBadParam", "-2", nullptr);
            return TCL_ERROR;
        }
        if (which == End) {
            ++i;
            break;
        }
        if (which == Debug || which == NoParent) {
            request.flags |= which == Debug ? PvmTaskDebug : PvmNoSpawnParent;
            continue;
        }
        if (i + 1 >= objc) return usage(interp, std::string("pvm spawn: ") + word + " needs a value");
        Tcl_Obj* value = objv[++i];
        if (which == Host) host = Tcl_GetString(value);
        if (which == Arch) arch = Tcl_GetString(value);
        if (which == Wd) wd = Tcl_GetString(value);
        if (which == Output) output = value;
        if (which == OutputEnd) outputEnd = value;
        if (which == OutputDone) outputDone = value;
        if (which == Trace) trace = value;
        if (which == Count && (Tcl_GetIntFromObj(interp, value, &request.count) != TCL_OK || request.count < 1))
            return usage(interp, "pvm spawn: -count wants a positive integer");
    }
    if (i >= objc)
        return usage(
            interp,
            "wrong # args: should be \"pvm spawn ?-host h? ?-arch a? ?-count n? ?-wd dir? ?-output "
            "channel-or-command? ?-outputend command? ?-outputdone command? ?-trace command? ?-debug? ?-noparent? "
            "program ?arg "
            "...?\"");
    if (!host.empty() && !arch.empty()) return usage(interp, "pvm spawn: give -host or -arch, not both");
    if ((outputEnd || outputDone) && !output)
        return usage(interp, "pvm spawn: -outputend and -outputdone go with -output");
    request.file = Tcl_GetString(objv[i]);
    for (++i; i < objc; ++i) request.argv.push_back(Tcl_GetString(objv[i]));
    if (!host.empty()) request.flags |= PvmTaskHost;
    if (!arch.empty()) request.flags |= PvmTaskArch;
    request.where = host.empty() ? arch : host;
    if (!wd.empty()) request.where += ":" + wd;
    InterpState& st = state(interp);
    return guarded(interp, "spawn", [&] {
        Session& s = Session::instance();
        s.tid();
        Callback sink;
        int savedTid = s.option(PvmOutputTid), savedCode = s.option(PvmOutputCode);
        if (output) {
            // The tasks' output comes as messages with a reserved tag, read by the event loop.
            sink.kind = Callback::Kind::Output;
            sink.tag = st.nextTag--;
            if (Tcl_GetChannel(interp, Tcl_GetString(output), nullptr))
                sink.channel = Tcl_GetString(output);
            else
                sink.script = output;
            sink.ended = outputEnd;
            sink.done = outputDone;
            s.setOption(PvmOutputTid, s.tid());
            s.setOption(PvmOutputCode, sink.tag);
        }
        Callback tracer;
        int savedTraceTid = s.option(PvmTraceTid), savedTraceCode = s.option(PvmTraceCode);
        if (trace) {
            // The tasks report their PVM calls to us, with a reserved tag (session_trace.cpp).
            tracer.kind = Callback::Kind::Trace;
            tracer.tag = st.nextTag--;
            tracer.script = trace;
            s.setOption(PvmTraceTid, s.tid());
            s.setOption(PvmTraceCode, tracer.tag);
            request.flags |= PvmTaskTrace;
        }
        auto restore = [&] {
            s.setOption(PvmOutputTid, savedTid);
            s.setOption(PvmOutputCode, savedCode);
            s.setOption(PvmTraceTid, savedTraceTid);
            s.setOption(PvmTraceCode, savedTraceCode);
        };
        std::vector<int> result;
        try {
            result = s.spawn(request);
        } catch (...) {
            restore();
            throw;
        }
        restore();
        std::vector<int> started;
        int firstError = 0;
        for (int r : result) {
            if (r > 0) started.push_back(r);
            if (r < 0 && !firstError) firstError = r;
        }
        if (started.empty())
            return failCode(interp, "spawn", firstError ? firstError : PvmSysErr,
                            "cannot start " + request.file + ": " + errorText(firstError));
        if (output) {
            sink.open.insert(started.begin(), started.end());
            addCallback(st, std::move(sink));
        }
        if (trace) addCallback(st, std::move(tracer));
        Tcl_SetObjResult(interp, tidList(started));
        return TCL_OK;
    });
}

int cmdKill(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    std::vector<int> tids;
    for (int i = 1; i < objc; ++i)
        if (!getTidList(interp, objv[i], &tids)) return TCL_ERROR;
    if (tids.empty()) return usage(interp, "wrong # args: should be \"pvm kill tid ?tid ...?\"");
    return guarded(interp, "kill", [&] {
        for (int t : tids) Session::instance().kill(t);
        return TCL_OK;
    });
}

int cmdExit(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (noArgs(interp, objc, objv) != TCL_OK) return TCL_ERROR;
    std::lock_guard lock(coreLock());
    forgetEvents(state(interp));
    try {
        Session::instance().exit();
    } catch (const Error& e) {
        return fail(interp, "exit", e);
    }
    return TCL_OK;
}

int cmdConfig(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (noArgs(interp, objc, objv) != TCL_OK) return TCL_ERROR;
    return guarded(interp, "config", [&] {
        Tcl_Obj* list = Tcl_NewListObj(0, nullptr);
        for (const HostEntry& h : Session::instance().config())
            Tcl_ListObjAppendElement(nullptr, list,
                                     dictOf({{"tid", Tcl_NewIntObj(h.tid)},
                                             {"name", Tcl_NewStringObj(h.name.c_str(), -1)},
                                             {"arch", Tcl_NewStringObj(h.arch.c_str(), -1)},
                                             {"speed", Tcl_NewIntObj(h.speed)},
                                             {"dsig", Tcl_NewIntObj(h.dataSignature)}}));
        Tcl_SetObjResult(interp, list);
        return TCL_OK;
    });
}

/// pvm slurmjob: the Slurm job whose nodes are the machine (docs/slurm.md), or "".
int cmdSlurmjob(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (noArgs(interp, objc, objv) != TCL_OK) return TCL_ERROR;
    return guarded(interp, "slurmjob", [&] {
        std::string job;
        Session::instance().config(&job);
        Tcl_SetObjResult(interp, Tcl_NewStringObj(job.c_str(), -1));
        return TCL_OK;
    });
}

int cmdTasks(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int where = 0;
    if (objc > 2) return usage(interp, "wrong # args: should be \"pvm tasks ?tid-or-host-tid?\"");
    if (objc == 2 && std::strcmp(Tcl_GetString(objv[1]), "0") != 0 && !getTid(interp, objv[1], &where))
        return TCL_ERROR;
    return guarded(interp, "tasks", [&] {
        Tcl_Obj* list = Tcl_NewListObj(0, nullptr);
        for (const TaskEntry& t : Session::instance().tasks(where, true))
            Tcl_ListObjAppendElement(nullptr, list,
                                     dictOf({{"tid", Tcl_NewIntObj(t.tid)},
                                             {"parent", Tcl_NewIntObj(t.parent)},
                                             {"host", Tcl_NewIntObj(t.hostTid)},
                                             {"name", Tcl_NewStringObj(t.name.c_str(), -1)},
                                             {"pid", Tcl_NewIntObj(t.pid)},
                                             {"flags", Tcl_NewIntObj(t.flags)},
                                             {"cpu", Tcl_NewDoubleObj(static_cast<double>(t.cpuMs) / 1000)},
                                             {"rss", Tcl_NewWideIntObj(t.rssKb)},
                                             {"sent", Tcl_NewWideIntObj(t.sent)},
                                             {"received", Tcl_NewWideIntObj(t.received)}}));
        Tcl_SetObjResult(interp, list);
        return TCL_OK;
    });
}

/// changeHosts is addhosts and delhosts: per host the daemon tid (add) or 0 (delete), or
/// the name of the error, e.g. PvmDupHost.
int changeHosts(Tcl_Interp* interp, int objc, Tcl_Obj* const objv[], bool add) {
    const char* what = add ? "addhosts" : "delhosts";
    std::vector<std::string> names;
    for (int i = 1; i < objc; ++i) {
        int n = 0;
        Tcl_Obj** items = nullptr;
        if (Tcl_ListObjGetElements(interp, objv[i], &n, &items) != TCL_OK) return TCL_ERROR;
        // One argument may be a whole hostfile line: "node2 sp=2000 ep=/opt/bin".
        if (n > 1 && std::strchr(Tcl_GetString(items[1]), '='))
            names.push_back(Tcl_GetString(objv[i]));
        else
            for (int k = 0; k < n; ++k) names.push_back(Tcl_GetString(items[k]));
    }
    if (names.empty())
        return usage(interp, std::string("wrong # args: should be \"pvm ") + what + " host ?host ...?\"");
    return guarded(interp, what, [&] {
        Session& s = Session::instance();
        std::vector<int> results = add ? s.addHosts(names) : s.delHosts(names);
        Tcl_Obj* list = Tcl_NewListObj(0, nullptr);
        for (int r : results)
            Tcl_ListObjAppendElement(nullptr, list, r < 0 ? Tcl_NewStringObj(errorName(r), -1) : Tcl_NewIntObj(r));
        Tcl_SetObjResult(interp, list);
        return TCL_OK;
    });
}

int cmdAddhosts(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    return changeHosts(interp, objc, objv, true);
}

int cmdDelhosts(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    return changeHosts(interp, objc, objv, false);
}

int cmdHalt(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (noArgs(interp, objc, objv) != TCL_OK) return TCL_ERROR;
    std::lock_guard lock(coreLock());
    forgetEvents(state(interp));
    try {
        Session::instance().halt();
    } catch (const Error& e) {
        return fail(interp, "halt", e);
    }
    return TCL_OK;
}

int cmdReset(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (noArgs(interp, objc, objv) != TCL_OK) return TCL_ERROR;
    // As the console's reset: every other task of the machine is killed.
    return guarded(interp, "reset", [&] {
        Session& s = Session::instance();
        int me = s.tid();
        int killed = 0;
        std::vector<int> spared = s.noResetTasks();  // tasks that set PvmNoReset
        for (const TaskEntry& t : s.tasks(0))
            if (t.tid != me && std::find(spared.begin(), spared.end(), t.tid) == spared.end()) {
                try {
                    s.kill(t.tid);
                    ++killed;
                } catch (const Error&) {
                    // gone meanwhile
                }
            }
        Tcl_SetObjResult(interp, Tcl_NewIntObj(killed));
        return TCL_OK;
    });
}

int cmdVersion(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (noArgs(interp, objc, objv) != TCL_OK) return TCL_ERROR;
    Tcl_SetObjResult(interp, Tcl_NewStringObj(PVM_PACKAGE_VERSION, -1));
    return TCL_OK;
}

int cmdTidtohost(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int tid = 0;
    if (objc != 2) return usage(interp, "wrong # args: should be \"pvm tidtohost tid\"");
    if (!getTid(interp, objv[1], &tid)) return TCL_ERROR;
    return guarded(interp, "tidtohost", [&] {
        Tcl_SetObjResult(interp, Tcl_NewIntObj(Session::instance().tidToHost(tid)));
        return TCL_OK;
    });
}

}  // namespace

void registerTaskCommands(Tcl_Interp* interp) {
    define(interp, "mytid", cmdMytid);
    define(interp, "tid", cmdMytid);  // TkPvm's name
    define(interp, "parent", cmdParent);
    define(interp, "siblings", cmdSiblings);
    define(interp, "spawn", cmdSpawn);
    define(interp, "kill", cmdKill);
    define(interp, "exit", cmdExit);
    define(interp, "config", cmdConfig);
    define(interp, "slurmjob", cmdSlurmjob);
    define(interp, "tasks", cmdTasks);
    define(interp, "addhosts", cmdAddhosts);
    define(interp, "addhost", cmdAddhosts);  // TkPvm's name
    define(interp, "delhosts", cmdDelhosts);
    define(interp, "delhost", cmdDelhosts);  // TkPvm's name
    define(interp, "halt", cmdHalt);
    define(interp, "reset", cmdReset);
    define(interp, "version", cmdVersion);
    define(interp, "tidtohost", cmdTidtohost);
}

}  // namespace pvm::tcl
