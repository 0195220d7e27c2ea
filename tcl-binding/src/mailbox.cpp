// mailbox.cpp - Tcl commands over PVM's mailbox: putinfo, recvinfo, delinfo,
// mboxinfo. Flags are words (persistent multiinstance overwritable firstavail
// readanddelete waitforinfo) or PVM's numbers.
#include <cstring>
#include <string>

#include "tcl_pvm.h"

namespace pvm::tcl {

namespace {
struct FlagWord {
    const char* word;
    int value;
};
constexpr FlagWord kFlags[] = {
    {"default", PvmMboxDefault},           {"persistent", PvmMboxPersistent}, {"multiinstance", PvmMboxMultiInstance},
    {"overwritable", PvmMboxOverWritable}, {"firstavail", PvmMboxFirstAvail}, {"readanddelete", PvmMboxReadAndDelete},
    {"waitforinfo", PvmMboxWaitForInfo}};

bool getFlags(Tcl_Interp* interp, Tcl_Obj* list, int* flags) {
    int n = 0;
    Tcl_Obj** items = nullptr;
    if (Tcl_ListObjGetElements(interp, list, &n, &items) != TCL_OK) return false;
    *flags = 0;
    for (int i = 0; i < n; ++i) {
        int v = 0;
        if (Tcl_GetIntFromObj(nullptr, items[i], &v) == TCL_OK) {
            *flags |= v;
            continue;
        }
        const FlagWord* found = nullptr;
        for (const auto& f : kFlags)
            if (std::strcmp(Tcl_GetString(items[i]), f.word) == 0) found = &f;
        if (!found) {
            usage(interp, std::string("unknown mailbox flag \"") + Tcl_GetString(items[i]) +
                              "\": should be persistent, multiinstance, overwritable, firstavail, readanddelete, "
                              "waitforinfo or a number");
            return false;
        }
        *flags |= found->value;
    }
    return true;
}

/// cmdPutinfo: pvm putinfo name ?-flags list? field ... -> the entry's index.
int cmdPutinfo(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (objc < 2) return usage(interp, "wrong # args: should be \"pvm putinfo name ?-flags list? ?field ...?\"");
    int flags = 0, first = 2;
    if (objc > 3 && std::strcmp(Tcl_GetString(objv[2]), "-flags") == 0) {
        if (!getFlags(interp, objv[3], &flags)) return TCL_ERROR;
        first = 4;
    }
    return guarded(interp, "putinfo", [&] {
        Session& s = Session::instance();
        s.tid();
        ScratchBuffer scratch;
        if (!packFields(interp, scratch.buffer().body, first, objc, objv)) return TCL_ERROR;
        Tcl_SetObjResult(interp, Tcl_NewIntObj(s.putInfo(Tcl_GetString(objv[1]), scratch.id(), flags)));
        return TCL_OK;
    });
}

/// cmdRecvinfo: pvm recvinfo name ?-index i? ?-flags list? ?-types list? -> handle or dict.
int cmdRecvinfo(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (objc < 2 || objc % 2 != 0)
        return usage(interp, "wrong # args: should be \"pvm recvinfo name ?-index i? ?-flags list? ?-types list?\"");
    int index = 0, flags = 0;
    Tcl_Obj* types = nullptr;
    for (int i = 2; i < objc; i += 2) {
        std::string option = Tcl_GetString(objv[i]);
        if (option == "-index") {
            if (Tcl_GetIntFromObj(nullptr, objv[i + 1], &index) != TCL_OK || index < 0)
                return usage(interp, "-index wants an integer >= 0");
        } else if (option == "-flags") {
            if (!getFlags(interp, objv[i + 1], &flags)) return TCL_ERROR;
        } else if (option == "-types") {
            types = objv[i + 1];
        } else {
            return usage(interp, "unknown option \"" + option + "\": should be -index, -flags or -types");
        }
    }
    return guarded(interp, "recvinfo", [&] {
        Session& s = Session::instance();
        int id = s.recvInfo(Tcl_GetString(objv[1]), index, flags);
        // The handle owns the buffer: it is no longer the task's active receive buffer.
        s.buffers().setRecv(0);
        return messageResult(interp, id, types);
    });
}

int cmdDelinfo(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int index = 0;
    if (objc != 3 || Tcl_GetIntFromObj(nullptr, objv[2], &index) != TCL_OK)
        return usage(interp, "wrong # args: should be \"pvm delinfo name index\"");
    return guarded(interp, "delinfo", [&] {
        Session::instance().delInfo(Tcl_GetString(objv[1]), index, 0);
        return TCL_OK;
    });
}

/// cmdMboxinfo: pvm mboxinfo ?pattern? -> a list of dicts {name indices owners flags}.
int cmdMboxinfo(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (objc > 2) return usage(interp, "wrong # args: should be \"pvm mboxinfo ?pattern?\"");
    return guarded(interp, "mboxinfo", [&] {
        Tcl_Obj* list = Tcl_NewListObj(0, nullptr);
        for (const MailboxClass& c : Session::instance().mailboxInfo(objc == 2 ? Tcl_GetString(objv[1]) : "")) {
            Tcl_Obj* dict = Tcl_NewDictObj();
            Tcl_DictObjPut(nullptr, dict, Tcl_NewStringObj("name", -1), Tcl_NewStringObj(c.name.c_str(), -1));
            Tcl_DictObjPut(nullptr, dict, Tcl_NewStringObj("indices", -1), tidList(c.indices));
            Tcl_DictObjPut(nullptr, dict, Tcl_NewStringObj("owners", -1), tidList(c.owners));
            Tcl_DictObjPut(nullptr, dict, Tcl_NewStringObj("flags", -1), tidList(c.flags));
            Tcl_ListObjAppendElement(nullptr, list, dict);
        }
        Tcl_SetObjResult(interp, list);
        return TCL_OK;
    });
}
}  // namespace

void registerMailboxCommands(Tcl_Interp* interp) {
    define(interp, "putinfo", cmdPutinfo);
    define(interp, "recvinfo", cmdRecvinfo);
    define(interp, "delinfo", cmdDelinfo);
    define(interp, "mboxinfo", cmdMboxinfo);
}

}  // namespace pvm::tcl
