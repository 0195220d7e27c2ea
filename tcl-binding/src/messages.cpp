// messages.cpp - Tcl commands that send and receive: send, mcast, recv, probe,
// and the message handles (::pvm::msg::N) that unpack what was received.
// Messages are packed with PvmDataDefault, so C tasks read them with pvm_upk*.
#include <cstring>
#include <string>

#include "tcl_pvm.h"

namespace pvm::tcl {

namespace {
/// FieldType is one type a field can be packed or unpacked as.
struct FieldType {
    const char* name;
    DataType type;
};
constexpr FieldType kTypes[] = {{"int", DataType::Int},     {"short", DataType::Short},   {"long", DataType::Long},
                                {"float", DataType::Float}, {"double", DataType::Double}, {"string", DataType::String},
                                {"bytes", DataType::Byte}};

const FieldType* typeNamed(const std::string& name) {
    for (const auto& t : kTypes)
        if (name == t.name) return &t;
    return nullptr;
}

/// packList packs the elements of list as numbers of type.
bool packNumbers(Tcl_Interp* interp, MessageBuffer& body, DataType type, Tcl_Obj* list) {
    int n = 0;
    Tcl_Obj** items = nullptr;
    if (Tcl_ListObjGetElements(interp, list, &n, &items) != TCL_OK) return false;
    for (int i = 0; i < n; ++i) {
        Tcl_WideInt w = 0;
        double d = 0;
        bool integral = type != DataType::Float && type != DataType::Double;
        if (integral ? Tcl_GetWideIntFromObj(interp, items[i], &w) != TCL_OK
                     : Tcl_GetDoubleFromObj(interp, items[i], &d) != TCL_OK) {
            Tcl_SetErrorCode(interp, "PVM", "PvmBadParam", "-2", nullptr);
            return false;
        }
        if (type == DataType::Short) {
            auto v = static_cast<short>(w);
            body.pack(type, &v, 1, 1);
        } else if (type == DataType::Int) {
            auto v = static_cast<int>(w);
            body.pack(type, &v, 1, 1);
        } else if (type == DataType::Long) {
            auto v = static_cast<long>(w);
            body.pack(type, &v, 1, 1);
        } else if (type == DataType::Float) {
            auto v = static_cast<float>(d);
            body.pack(type, &v, 1, 1);
        } else {
            body.pack(type, &d, 1, 1);
        }
    }
    return true;
}

/// packValue packs an untyped argument: an integer as int (long if it does not fit), a
/// number as double, anything else as a string.
void packValue(MessageBuffer& body, Tcl_Obj* value) {
    Tcl_WideInt w = 0;
    double d = 0;
    if (Tcl_GetWideIntFromObj(nullptr, value, &w) == TCL_OK) {
        if (w >= INT32_MIN && w <= INT32_MAX) {
            auto v = static_cast<int>(w);
            body.pack(DataType::Int, &v, 1, 1);
        } else {
            auto v = static_cast<long>(w);
            body.pack(DataType::Long, &v, 1, 1);
        }
    } else if (Tcl_GetDoubleFromObj(nullptr, value, &d) == TCL_OK) {
        body.pack(DataType::Double, &d, 1, 1);
    } else {
        body.packString(Tcl_GetString(value));
    }
}

}  // namespace

bool packFields(Tcl_Interp* interp, MessageBuffer& body, int first, int objc, Tcl_Obj* const objv[]) {
    bool options = true;
    for (int i = first; i < objc; ++i) {
        const char* word = Tcl_GetString(objv[i]);
        Tcl_WideInt ignored;
        double ignoredD;
        bool isOption = options && word[0] == '-' && Tcl_GetWideIntFromObj(nullptr, objv[i], &ignored) != TCL_OK &&
                        Tcl_GetDoubleFromObj(nullptr, objv[i], &ignoredD) != TCL_OK;
        if (!isOption) {
            packValue(body, objv[i]);
            continue;
        }
        if (std::strcmp(word, "--") == 0) {
            options = false;
            continue;
        }
        const FieldType* t = typeNamed(word + 1);
        if (!t) {
            usage(interp, std::string("unknown field type \"") + word +
                              "\": should be -int, -short, -long, -float, -double, -string or -bytes");
            return false;
        }
        if (i + 1 >= objc) {
            usage(interp, std::string(word) + " needs a value");
            return false;
        }
        Tcl_Obj* value = objv[++i];
        if (t->type == DataType::String) {
            body.packString(Tcl_GetString(value));
        } else if (t->type == DataType::Byte) {
            int n = 0;
            unsigned char* bytes = Tcl_GetByteArrayFromObj(value, &n);
            body.pack(DataType::Byte, bytes, n, 1);
        } else if (!packNumbers(interp, body, t->type, value)) {
            return false;
        }
    }
    return true;
}

namespace {
/// unpackOne reads count fields of type; a single number or string is returned bare.
Tcl_Obj* unpackOne(MessageBuffer& body, DataType type, int count) {
    if (type == DataType::String) {
        if (count == 1) return Tcl_NewStringObj(body.unpackString().c_str(), -1);
        Tcl_Obj* list = Tcl_NewListObj(0, nullptr);
        for (int i = 0; i < count; ++i)
            Tcl_ListObjAppendElement(nullptr, list, Tcl_NewStringObj(body.unpackString().c_str(), -1));
        return list;
    }
    if (type == DataType::Byte) {
        std::string bytes(static_cast<std::size_t>(count), '\0');
        body.unpack(DataType::Byte, bytes.data(), count, 1);
        return Tcl_NewByteArrayObj(reinterpret_cast<const unsigned char*>(bytes.data()), count);
    }
    Tcl_Obj* list = Tcl_NewListObj(0, nullptr);
    for (int i = 0; i < count; ++i) {
        Tcl_Obj* v = nullptr;
        if (type == DataType::Short) {
            short x;
            body.unpack(type, &x, 1, 1);
            v = Tcl_NewIntObj(x);
        } else if (type == DataType::Int) {
            int x;
            body.unpack(type, &x, 1, 1);
            v = Tcl_NewIntObj(x);
        } else if (type == DataType::Long) {
            long x;
            body.unpack(type, &x, 1, 1);
            v = Tcl_NewWideIntObj(x);
        } else if (type == DataType::Float) {
            float x;
            body.unpack(type, &x, 1, 1);
            v = Tcl_NewDoubleObj(x);
        } else {
            double x;
            body.unpack(type, &x, 1, 1);
            v = Tcl_NewDoubleObj(x);
        }
        if (count == 1) return v;
        Tcl_ListObjAppendElement(nullptr, list, v);
    }
    return list;
}

/// parseType reads "int", "int:3" or "bytes:10".
bool parseType(Tcl_Interp* interp, const std::string& spec, const FieldType** type, int* count) {
    std::string name = spec.substr(0, spec.find(':'));
    *type = typeNamed(name);
    *count = 1;
    if (spec.find(':') != std::string::npos) {
        char* end = nullptr;
        long n = std::strtol(spec.c_str() + spec.find(':') + 1, &end, 10);
        if (*end || n < 1 || n > (1 << 28)) *type = nullptr;
        *count = static_cast<int>(n);
    }
    if (!*type) {
        usage(interp, "bad field type \"" + spec +
                          "\": should be int, short, long, float, double, string or bytes, with an optional :count");
        return false;
    }
    return true;
}

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
    int n = 0;
    Tcl_Obj** items = nullptr;
    if (Tcl_ListObjGetElements(interp, types, &n, &items) != TCL_OK) return false;
    Buffer& b = Session::instance().buffers().get(bufferId);
    Tcl_Obj* list = Tcl_NewListObj(0, nullptr);
    for (int i = 0; i < n; ++i) {
        const FieldType* type = nullptr;
        int count = 1;
        if (!parseType(interp, Tcl_GetString(items[i]), &type, &count)) {
            Tcl_IncrRefCount(list);
            Tcl_DecrRefCount(list);
            return false;
        }
        try {
            Tcl_ListObjAppendElement(nullptr, list, unpackOne(b.body, type->type, count));
        } catch (const Error& e) {
            Tcl_IncrRefCount(list);
            Tcl_DecrRefCount(list);
            fail(interp, "unpack", e);
            return false;
        }
    }
    *values = list;
    return true;
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
