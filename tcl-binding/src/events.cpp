// events.cpp - callbacks from Tcl's event loop: the descriptor of pvm_getfds
// is given to Tcl's notifier, and when it shows activity (or a command may have
// queued something) the callbacks take the messages meant for them. No polling:
// `vwait` and Tk stay responsive while nothing comes.
//
// Commands: notify, bind, cancel (alias unbind).
#include <algorithm>
#include <cstring>

#include "tcl_pvm.h"

namespace pvm::tcl {

namespace {
Callback* findCallback(InterpState& st, int id) {
    for (auto& cb : st.callbacks)
        if (cb.id == id) return &cb;
    return nullptr;
}

/// run evaluates script with args appended, at global level; an error goes to bgerror.
void run(Tcl_Interp* interp, Tcl_Obj* script, std::initializer_list<Tcl_Obj*> args) {
    Tcl_Obj* command = Tcl_DuplicateObj(script);
    Tcl_IncrRefCount(command);
    for (Tcl_Obj* a : args) Tcl_ListObjAppendElement(nullptr, command, a);
    if (Tcl_EvalObjEx(interp, command, TCL_EVAL_GLOBAL) != TCL_OK) Tcl_BackgroundException(interp, TCL_ERROR);
    Tcl_DecrRefCount(command);
}

void writeLine(InterpState& st, Callback& cb, int tid, const std::string& line) {
    if (cb.script) {
        run(st.interp, cb.script, {Tcl_NewIntObj(tid), Tcl_NewStringObj(line.c_str(), -1)});
        return;
    }
    Tcl_Channel channel = Tcl_GetChannel(st.interp, cb.channel.c_str(), nullptr);
    if (!channel) return;  // closed meanwhile: the output has nowhere to go
    std::string text = line + "\n";
    Tcl_WriteChars(channel, text.c_str(), static_cast<int>(text.size()));
    Tcl_Flush(channel);
}

/// deliverOutput splits a chunk of a task's output (int tid, int count, count bytes) into
/// lines; count 0 ends that task's output. Returns false when the sink is done.
bool deliverOutput(InterpState& st, int id, int bufferId) {
    Session& s = Session::instance();
    Buffer& b = s.buffers().get(bufferId);
    int header[2] = {0, 0};
    b.body.unpack(DataType::Int, header, 2, 1);
    std::string chunk(static_cast<std::size_t>(std::max(header[1], 0)), '\0');
    if (header[1] > 0) b.body.unpack(DataType::Byte, chunk.data(), header[1], 1);
    s.buffers().free(bufferId);
    Callback* cb = findCallback(st, id);
    // Children inherit their parent's output: the daemon announces each (count -1) when it
    // starts it, before its parent can end, so the sink stays open until they have ended too.
    if (header[1] != 0) cb->open.insert(header[0]);
    std::string& partial = cb->partial[header[0]];
    partial += chunk;
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1)
        lines.push_back(partial.substr(start, nl - start));
    partial.erase(0, start);
    bool ended = header[1] == 0;
    if (ended && !partial.empty()) lines.push_back(partial);
    if (ended) cb->partial.erase(header[0]);
    for (const auto& line : lines) {
        if (!(cb = findCallback(st, id))) return false;
        writeLine(st, *cb, header[0], line);
    }
    if (!(cb = findCallback(st, id))) return false;
    if (ended && cb->ended) {
        Tcl_Obj* script = cb->ended;
        Tcl_IncrRefCount(script);
        run(st.interp, script, {Tcl_NewIntObj(header[0])});
        Tcl_DecrRefCount(script);
        if (!(cb = findCallback(st, id))) return false;
    }
    if (ended) cb->open.erase(header[0]);
    if (!cb->open.empty()) return true;
    if (cb->done) {
        Tcl_Obj* script = cb->done;
        Tcl_IncrRefCount(script);
        removeCallback(st, id);  // before the script, which may wait in the event loop
        run(st.interp, script, {});
        Tcl_DecrRefCount(script);
    }
    return false;
}

/// deliverTrace turns a trace event (pvmtev.h) into "pvm_send() = 0" for cmd tid text.
bool deliverTrace(InterpState& st, int id, int bufferId) {
    Session& s = Session::instance();
    Buffer& b = s.buffers().get(bufferId);
    int event = 0, result = 0, tid = 0;
    b.body.unpack(DataType::Int, &event, 1, 1);
    std::string name = b.body.unpackString();
    b.body.unpack(DataType::Int, &result, 1, 1);
    b.body.unpack(DataType::Int, &tid, 1, 1);
    s.buffers().free(bufferId);
    Tcl_Obj* script = findCallback(st, id)->script;
    Tcl_IncrRefCount(script);
    run(st.interp, script,
        {Tcl_NewIntObj(tid), Tcl_NewStringObj((name + "() = " + std::to_string(result)).c_str(), -1)});
    Tcl_DecrRefCount(script);
    return true;
}

/// deliver hands one message to callback id; false when the callback is used up.
bool deliver(InterpState& st, int id, int bufferId) {
    Callback* cb = findCallback(st, id);
    if (cb->kind == Callback::Kind::Output) return deliverOutput(st, id, bufferId);
    if (cb->kind == Callback::Kind::Trace) return deliverTrace(st, id, bufferId);
    Tcl_Obj* script = cb->script;
    Tcl_IncrRefCount(script);
    Callback::Kind kind = cb->kind;
    std::string types = cb->types;
    bool keep = cb->kind == Callback::Kind::Message || (cb->kind == Callback::Kind::Notify && cb->remaining != 1);
    if (cb->kind == Callback::Kind::Notify && cb->remaining > 0) --cb->remaining;
    // One that is used up goes before its script runs, which may wait in the event loop.
    if (!keep) removeCallback(st, id);
    Session& s = Session::instance();
    if (kind == Callback::Kind::Notify) {
        // Task exit and host delete carry one tid; host add a count and the new daemon tids.
        Buffer& b = s.buffers().get(bufferId);
        std::vector<int> values(b.body.remaining() / 4);
        b.body.unpack(DataType::Int, values.data(), static_cast<int>(values.size()), 1);
        s.buffers().free(bufferId);
        Tcl_Obj* arg =
            values.size() == 1 ? Tcl_NewIntObj(values[0]) : tidList(std::vector<int>(values.begin() + 1, values.end()));
        run(st.interp, script, {arg});
    } else if (!types.empty()) {
        Tcl_Obj* typesObj = Tcl_NewStringObj(types.c_str(), -1);
        Tcl_IncrRefCount(typesObj);
        Tcl_Obj* values = nullptr;
        if (unpackTypes(st.interp, bufferId, typesObj, &values))
            run(st.interp, script, {messageDict(st.interp, bufferId, values)});
        else
            Tcl_BackgroundException(st.interp, TCL_ERROR);
        Tcl_DecrRefCount(typesObj);
        s.buffers().free(bufferId);
    } else {
        // The handle lives while the script runs; the buffer goes with it afterwards.
        Tcl_Obj* handle = newHandle(st.interp, bufferId);
        Tcl_IncrRefCount(handle);
        run(st.interp, script, {handle});
        if (Tcl_Command token = Tcl_FindCommand(st.interp, Tcl_GetString(handle), nullptr, 0))
            Tcl_DeleteCommandFromToken(st.interp, token);
        Tcl_DecrRefCount(handle);
    }
    Tcl_DecrRefCount(script);
    return keep;
}

void dispatch(InterpState& st) {
    std::lock_guard lock(coreLock());
    st.dispatchScheduled = false;
    Session& s = Session::instance();
    if (!s.enrolled()) {
        // A command saw the daemon go first: the descriptor is closed, nothing can come.
        forgetEvents(st);
        return;
    }
    Tcl_Preserve(st.interp);
    try {
        for (bool progress = true; progress && s.enrolled();) {
            progress = false;
            std::vector<int> ids;
            for (const auto& cb : st.callbacks) ids.push_back(cb.id);
            for (int id : ids) {
                Callback* cb = findCallback(st, id);
                if (!cb || !s.enrolled()) continue;
                int bufferId = 0;
                {
                    ReservedTags reserved;  // only for the take: scripts run without it
                    bufferId = s.take(cb->tid, cb->tag, 0);
                }
                if (!bufferId) continue;
                progress = true;
                // A script that used it up (or cancelled it) has removed it already.
                if (!deliver(st, id, bufferId)) removeCallback(st, id);
            }
        }
    } catch (const Error& e) {
        // The daemon has gone: callbacks can never fire; say so once.
        fail(st.interp, "event", e);
        Tcl_BackgroundException(st.interp, TCL_ERROR);
        forgetEvents(st);
    }
    Tcl_Release(st.interp);
}

void onReadable(ClientData data, int) { dispatch(*static_cast<InterpState*>(data)); }
void onIdle(ClientData data) { dispatch(*static_cast<InterpState*>(data)); }

void watch(InterpState& st) {
    if (st.watchedFd >= 0) return;
    st.watchedFd = Session::instance().eventFd();
    Tcl_CreateFileHandler(st.watchedFd, TCL_READABLE, onReadable, &st);
}
}  // namespace

int addCallback(InterpState& st, Callback cb) {
    cb.id = st.nextId++;
    if (cb.script) Tcl_IncrRefCount(cb.script);
    if (cb.ended) Tcl_IncrRefCount(cb.ended);
    if (cb.done) Tcl_IncrRefCount(cb.done);
    st.callbacks.push_back(std::move(cb));
    watch(st);
    scheduleDispatch(st);
    return st.callbacks.back().id;
}

bool removeCallback(InterpState& st, int id) {
    auto it = std::find_if(st.callbacks.begin(), st.callbacks.end(), [id](const Callback& c) { return c.id == id; });
    if (it == st.callbacks.end()) return false;
    if (it->script) Tcl_DecrRefCount(it->script);
    if (it->ended) Tcl_DecrRefCount(it->ended);
    if (it->done) Tcl_DecrRefCount(it->done);
    st.callbacks.erase(it);
    return true;
}

void scheduleDispatch(InterpState& st) {
    if (st.callbacks.empty() || st.dispatchScheduled) return;
    st.dispatchScheduled = true;
    Tcl_DoWhenIdle(onIdle, &st);
}

void forgetEvents(InterpState& st) {
    if (st.watchedFd >= 0) Tcl_DeleteFileHandler(st.watchedFd);
    st.watchedFd = -1;
    if (st.dispatchScheduled) Tcl_CancelIdleCall(onIdle, &st);
    st.dispatchScheduled = false;
    while (!st.callbacks.empty()) removeCallback(st, st.callbacks.front().id);
}

namespace {
/// hostTids reads daemon tids or host names.
bool hostTids(Tcl_Interp* interp, Tcl_Obj* word, std::vector<int>* tids) {
    int n = 0;
    Tcl_Obj** items = nullptr;
    if (Tcl_ListObjGetElements(interp, word, &n, &items) != TCL_OK) return false;
    std::vector<HostEntry> hosts = Session::instance().config();
    for (int i = 0; i < n; ++i) {
        std::string name = Tcl_GetString(items[i]);
        auto byName = std::find_if(hosts.begin(), hosts.end(), [&](const HostEntry& h) { return h.name == name; });
        int tid = 0;
        if (byName != hosts.end())
            tids->push_back(byName->tid);
        else if (getTid(interp, items[i], &tid))
            tids->push_back(tid);
        else
            return false;
    }
    return true;
}

int cmdNotify(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    static const char* const events[] = {"exit", "hostadd", "hostdelete", nullptr};
    const char* syntax =
        "wrong # args: should be \"pvm notify exit tids|hostdelete hosts|hostadd ?-count n? "
        "(-command script | -tag n)\"";
    int event = 0;
    if (objc < 2) return usage(interp, syntax);
    if (Tcl_GetIndexFromObj(interp, objv[1], events, "event", 0, &event) != TCL_OK) {
        Tcl_SetErrorCode(interp, "PVM", "PvmBadParam", "-2", nullptr);
        return TCL_ERROR;
    }
    int i = 2;
    Tcl_Obj* targets = nullptr;
    if (event != 1) {
        if (objc < 3) return usage(interp, syntax);
        targets = objv[i++];
    }
    int count = -1, tag = -1;
    Tcl_Obj* script = nullptr;
    for (; i + 1 < objc; i += 2) {
        std::string option = Tcl_GetString(objv[i]);
        if (option == "-command")
            script = objv[i + 1];
        else if (option == "-tag" && Tcl_GetIntFromObj(nullptr, objv[i + 1], &tag) == TCL_OK && tag >= 0)
            continue;
        else if (option == "-count" && event == 1 && Tcl_GetIntFromObj(nullptr, objv[i + 1], &count) == TCL_OK)
            continue;
        else
            return usage(interp, syntax);
    }
    if (i != objc || (script == nullptr) == (tag < 0)) return usage(interp, syntax);
    InterpState& st = state(interp);
    return guarded(interp, "notify", [&] {
        Session& s = Session::instance();
        std::vector<int> tids;
        if (event == 0 && !getTidList(interp, targets, &tids)) return TCL_ERROR;
        if (event == 2 && !hostTids(interp, targets, &tids)) return TCL_ERROR;
        int what = event == 0 ? PvmTaskExit : event == 1 ? PvmHostAdd : PvmHostDelete;
        int n = event == 1 ? count : static_cast<int>(tids.size());
        if (!script) {
            s.notify(what, tag, n, tids);
            return TCL_OK;
        }
        Callback cb;
        cb.kind = Callback::Kind::Notify;
        cb.tag = st.nextTag--;
        cb.script = script;
        cb.remaining = n;
        {
            ReservedTags reserved;
            s.notify(what, cb.tag, n, tids);
        }
        Tcl_SetObjResult(interp, Tcl_NewIntObj(addCallback(st, std::move(cb))));
        return TCL_OK;
    });
}

int cmdBind(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    const char* syntax =
        "wrong # args: should be \"pvm bind ?-tid t? ?-tag n? script\" or \"pvm bind -exit tid script\"";
    if (objc == 4 && std::strcmp(Tcl_GetString(objv[1]), "-exit") == 0) {
        Tcl_Obj* args[] = {objv[0], Tcl_NewStringObj("exit", -1), objv[2], Tcl_NewStringObj("-command", -1), objv[3]};
        for (Tcl_Obj* a : args) Tcl_IncrRefCount(a);
        int code = cmdNotify(nullptr, interp, 5, args);
        for (Tcl_Obj* a : args) Tcl_DecrRefCount(a);
        return code;
    }
    if (objc % 2 != 0) return usage(interp, syntax);
    Callback cb;
    for (int i = 1; i + 1 < objc; i += 2) {
        std::string option = Tcl_GetString(objv[i]);
        if (option == "-tid") {
            if (std::string(Tcl_GetString(objv[i + 1])) != "-1" && !getTid(interp, objv[i + 1], &cb.tid))
                return TCL_ERROR;
        } else if (option == "-tag") {
            if (Tcl_GetIntFromObj(nullptr, objv[i + 1], &cb.tag) != TCL_OK || cb.tag < -1) return usage(interp, syntax);
        } else {
            return usage(interp, syntax);
        }
    }
    cb.script = objv[objc - 1];
    InterpState& st = state(interp);
    return guarded(interp, "bind", [&] {
        Session::instance().tid();
        Tcl_SetObjResult(interp, Tcl_NewIntObj(addCallback(st, std::move(cb))));
        return TCL_OK;
    });
}

int cmdCancel(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int id = 0;
    if (objc != 2 || Tcl_GetIntFromObj(nullptr, objv[1], &id) != TCL_OK)
        return usage(interp, "wrong # args: should be \"pvm cancel callback-id\"");
    std::lock_guard lock(coreLock());
    if (!removeCallback(state(interp), id)) return usage(interp, "pvm cancel: no callback " + std::to_string(id));
    return TCL_OK;
}
}  // namespace

void registerEventCommands(Tcl_Interp* interp) {
    define(interp, "notify", cmdNotify);
    define(interp, "bind", cmdBind);
    define(interp, "cancel", cmdCancel);
    define(interp, "unbind", cmdCancel);
}

}  // namespace pvm::tcl
