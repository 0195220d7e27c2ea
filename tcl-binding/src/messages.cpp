// messages.cpp - Tcl commands that send and receive: send, mcast, recv, probe,
// and the message handles (::pvm::msg::N) that unpack what was received.
// Messages are packed with PvmDataDefault, so C tasks read them with pvm_upk*;
// the fields themselves are typed_fields.cpp's.
#include <string>

#include "tcl_pvm.h"

namespace pvm::tcl {

namespace {
struct Handle {
    int bufferId;
};

void deleteHandle(ClientData data) {
    auto* h = static_cast<Handle*>(data);
    std::lock_guard lock(coreLock());
    try {
        Session::instance().buffers().free(h->bufferId);
    } catch (const Error&) {
        // the session ended and took its buffers with it
    }
    delete h;
}

int handleCommand(ClientData data, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    auto* h = static_cast<Handle*>(data);
    if (objc < 2)
        return usage(interp, std::string("wrong # args: should be \"") + Tcl_GetString(objv[0]) +
                                 " src|tag|bytes|free|unpack types|int|short|long|float|double|string|bytes ?count?\"");
    std::string sub = Tcl_GetString(objv[1]);
    if (sub == "free") {
        Tcl_DeleteCommandFromToken(interp, Tcl_GetCommandFromObj(interp, objv[0]));
        return TCL_OK;
    }
    return guarded(interp, "message", [&] {
        Buffer& b = Session::instance().buffers().get(h->bufferId);
        if (sub == "src" || sub == "tag" || (sub == "bytes" && objc == 2)) {
            int v = sub == "src" ? b.src : sub == "tag" ? b.tag : static_cast<int>(b.body.size());
            Tcl_SetObjResult(interp, Tcl_NewIntObj(v));
            return TCL_OK;
        }
        if (sub == "unpack") {
            if (objc != 3) return usage(interp, "wrong # args: should be \"handle unpack types\"");
            Tcl_Obj* values = nullptr;
            if (!unpackTypes(interp, h->bufferId, objv[2], &values)) return TCL_ERROR;
            Tcl_SetObjResult(interp, values);
            return TCL_OK;
        }
        const FieldType* type = nullptr;
        int count = 1;
        if (!parseType(interp, sub, &type, &count)) return TCL_ERROR;
        if (objc == 3 && (Tcl_GetIntFromObj(interp, objv[2], &count) != TCL_OK || count < 1))
            return usage(interp, "count must be a positive integer");
        Tcl_SetObjResult(interp, unpackOne(b.body, type->type, count));
        return TCL_OK;
    });
}

/// Receive is what recv and probe select: a source, a tag, and how long to wait.
struct Receive {
    int tid = -1, tag = -1;
    double timeout = -1;  // seconds; -1 for ever
    Tcl_Obj* types = nullptr;
    Tcl_Obj* command = nullptr;
};

bool parseReceive(Tcl_Interp* interp, int objc, Tcl_Obj* const objv[], Receive* r, bool allowWait) {
    for (int i = 1; i < objc; i += 2) {
        std::string option = Tcl_GetString(objv[i]);
        if (i + 1 >= objc) {
            usage(interp, option + " needs a value");
            return false;
        }
        Tcl_Obj* value = objv[i + 1];
        if (option == "-tid") {
            if (std::string(Tcl_GetString(value)) != "-1" && !getTid(interp, value, &r->tid)) return false;
        } else if (option == "-tag") {
            if (Tcl_GetIntFromObj(interp, value, &r->tag) != TCL_OK || r->tag < -1) {
                usage(interp, "-tag wants an integer >= -1");
                return false;
            }
        } else if (allowWait && option == "-timeout") {
            if (Tcl_GetDoubleFromObj(interp, value, &r->timeout) != TCL_OK || r->timeout < 0) {
                usage(interp, "-timeout wants seconds >= 0");
                return false;
            }
        } else if (allowWait && option == "-types") {
            r->types = value;
        } else if (allowWait && option == "-command") {
            r->command = value;
        } else {
            usage(interp, "unknown option \"" + option + "\": should be -tid, -tag" +
                              (allowWait ? ", -timeout, -types or -command" : ""));
            return false;
        }
    }
    return true;
}

int sendTo(Tcl_Interp* interp, const char* what, const std::vector<int>& dsts, Tcl_Obj* tagWord, int first, int objc,
           Tcl_Obj* const objv[]) {
    int tag = 0;
    if (Tcl_GetIntFromObj(interp, tagWord, &tag) != TCL_OK || tag < 0)
        return usage(interp, std::string("pvm ") + what + ": the tag must be an integer >= 0");
    return guarded(interp, what, [&] {
        Session& s = Session::instance();
        s.tid();
        ScratchBuffer scratch;
        if (!packFields(interp, scratch.buffer().body, first, objc, objv)) return TCL_ERROR;
        s.sendBuffer(scratch.buffer(), dsts, tag);
        return TCL_OK;
    });
}

int cmdSend(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (objc < 3)
        return usage(interp, "wrong # args: should be \"pvm send tid-or-tids tag ?-type value ...? ?value ...?\"");
    std::vector<int> dsts;
    if (!getTidList(interp, objv[1], &dsts)) return TCL_ERROR;
    return sendTo(interp, "send", dsts, objv[2], 3, objc, objv);
}

int cmdRecv(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    Receive r;
    if (!parseReceive(interp, objc, objv, &r, true)) return TCL_ERROR;
    InterpState& st = state(interp);
    if (r.command) {
        if (r.timeout >= 0) return usage(interp, "pvm recv: -command and -timeout do not go together");
        Callback cb;
        cb.kind = Callback::Kind::Once;
        cb.tid = r.tid;
        cb.tag = r.tag;
        cb.script = r.command;
        if (r.types) cb.types = Tcl_GetString(r.types);
        return guarded(interp, "recv", [&] {
            Session::instance().tid();
            Tcl_SetObjResult(interp, Tcl_NewIntObj(addCallback(st, std::move(cb))));
            return TCL_OK;
        });
    }
    if (r.types) {
        // Checked before anything is taken, so a typo does not cost a message.
        int n = 0;
        Tcl_Obj** items = nullptr;
        if (Tcl_ListObjGetElements(interp, r.types, &n, &items) != TCL_OK) return TCL_ERROR;
        for (int i = 0; i < n; ++i) {
            const FieldType* type = nullptr;
            int count = 0;
            if (!parseType(interp, Tcl_GetString(items[i]), &type, &count)) return TCL_ERROR;
        }
    }
    return guarded(interp, "recv", [&] {
        int waitMs = r.timeout < 0 ? -1 : static_cast<int>(r.timeout * 1000 + 0.5);
        int id = Session::instance().take(r.tid, r.tag, waitMs);
        if (id == 0) return TCL_OK;  // timed out: an empty result
        return messageResult(interp, id, r.types);
    });
}

int cmdProbe(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    Receive r;
    if (!parseReceive(interp, objc, objv, &r, false)) return TCL_ERROR;
    return guarded(interp, "probe", [&] {
        Tcl_SetObjResult(interp, Tcl_NewBooleanObj(Session::instance().probe(r.tid, r.tag) > 0));
        return TCL_OK;
    });
}
}  // namespace

Tcl_Obj* newHandle(Tcl_Interp* interp, int bufferId) {
    InterpState& st = state(interp);
    std::string name = "::pvm::msg::" + std::to_string(st.nextHandle++);
    Tcl_CreateObjCommand(interp, name.c_str(), handleCommand, new Handle{bufferId}, deleteHandle);
    return Tcl_NewStringObj(name.c_str(), -1);
}

bool unpackTypes(Tcl_Interp* interp, int bufferId, Tcl_Obj* types, Tcl_Obj** values) {
    // A types list that is no list is the error to report, before a buffer that is gone.
    int n = 0;
    Tcl_Obj** items = nullptr;
    if (Tcl_ListObjGetElements(interp, types, &n, &items) != TCL_OK) return false;
    return unpackFields(interp, Session::instance().buffers().get(bufferId).body, types, values);
}

int messageResult(Tcl_Interp* interp, int bufferId, Tcl_Obj* types) {
    if (!types) {
        Tcl_SetObjResult(interp, newHandle(interp, bufferId));
        return TCL_OK;
    }
    Tcl_Obj* values = nullptr;
    bool ok = unpackTypes(interp, bufferId, types, &values);
    Tcl_Obj* dict = ok ? messageDict(interp, bufferId, values) : nullptr;
    Session::instance().buffers().free(bufferId);
    if (!ok) return TCL_ERROR;
    Tcl_SetObjResult(interp, dict);
    return TCL_OK;
}

Tcl_Obj* messageDict(Tcl_Interp*, int bufferId, Tcl_Obj* values) {
    Buffer& b = Session::instance().buffers().get(bufferId);
    Tcl_Obj* dict = Tcl_NewDictObj();
    Tcl_DictObjPut(nullptr, dict, Tcl_NewStringObj("src", -1), Tcl_NewIntObj(b.src));
    Tcl_DictObjPut(nullptr, dict, Tcl_NewStringObj("tag", -1), Tcl_NewIntObj(b.tag));
    Tcl_DictObjPut(nullptr, dict, Tcl_NewStringObj("bytes", -1), Tcl_NewIntObj(static_cast<int>(b.body.size())));
    Tcl_DictObjPut(nullptr, dict, Tcl_NewStringObj("values", -1), values);
    return dict;
}

void registerMessageCommands(Tcl_Interp* interp) {
    Tcl_Eval(interp, "namespace eval ::pvm::msg {}");
    define(interp, "send", cmdSend);
    define(interp, "mcast", cmdSend);  // one tid or a list: the same command
    define(interp, "recv", cmdRecv);
    define(interp, "probe", cmdProbe);
}

}  // namespace pvm::tcl
