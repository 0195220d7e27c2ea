// groups.cpp - Tcl commands over PVM's dynamic groups: joingroup, leavegroup, gsize,
// getinst, gettid, barrier, freezegroup, bcast.
#include <string>

#include "tcl_pvm.h"
#include "wire.h"

namespace pvm::tcl {

namespace {
/// groupOp runs one group server call; its value is the command's result.
int groupOp(Tcl_Interp* interp, const char* what, wire::GroupOp op, const std::string& group, int number, int tid) {
    return guarded(interp, what, [&] {
        int value = Session::instance().groupCall(static_cast<int>(op), group, number, tid);
        Tcl_SetObjResult(interp, Tcl_NewIntObj(value));
        return TCL_OK;
    });
}

int cmdJoingroup(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (objc != 2) return usage(interp, "wrong # args: should be \"pvm joingroup group\"");
    return groupOp(interp, "joingroup", wire::GroupOp::JOIN, Tcl_GetString(objv[1]), 0, 0);
}

int cmdLeavegroup(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (objc != 2) return usage(interp, "wrong # args: should be \"pvm leavegroup group\"");
    return groupOp(interp, "leavegroup", wire::GroupOp::LEAVE, Tcl_GetString(objv[1]), 0, 0);
}

int cmdGsize(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    if (objc != 2) return usage(interp, "wrong # args: should be \"pvm gsize group\"");
    return groupOp(interp, "gsize", wire::GroupOp::SIZE, Tcl_GetString(objv[1]), 0, 0);
}

int cmdGetinst(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int tid = 0;
    if (objc != 3) return usage(interp, "wrong # args: should be \"pvm getinst group tid\"");
    if (!getTid(interp, objv[2], &tid)) return TCL_ERROR;
    return groupOp(interp, "getinst", wire::GroupOp::INSTANCE, Tcl_GetString(objv[1]), 0, tid);
}

int cmdGettid(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int inst = 0;
    if (objc != 3 || Tcl_GetIntFromObj(nullptr, objv[2], &inst) != TCL_OK)
        return usage(interp, "wrong # args: should be \"pvm gettid group instance\"");
    return groupOp(interp, "gettid", wire::GroupOp::TID_OF, Tcl_GetString(objv[1]), inst, 0);
}

int cmdBarrier(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int count = -1;
    if (objc < 2 || objc > 3 || (objc == 3 && Tcl_GetIntFromObj(nullptr, objv[2], &count) != TCL_OK))
        return usage(interp, "wrong # args: should be \"pvm barrier group ?count?\"");
    return groupOp(interp, "barrier", wire::GroupOp::BARRIER, Tcl_GetString(objv[1]), count, 0);
}

int cmdFreezegroup(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int size = -1;
    if (objc < 2 || objc > 3 || (objc == 3 && Tcl_GetIntFromObj(nullptr, objv[2], &size) != TCL_OK))
        return usage(interp, "wrong # args: should be \"pvm freezegroup group ?size?\"");
    return groupOp(interp, "freezegroup", wire::GroupOp::FREEZE, Tcl_GetString(objv[1]), size, 0);
}

/// cmdBcast: pvm bcast group tag ?field ...? - to every member but this task.
int cmdBcast(ClientData, Tcl_Interp* interp, int objc, Tcl_Obj* const objv[]) {
    int tag = 0;
    if (objc < 3 || Tcl_GetIntFromObj(nullptr, objv[2], &tag) != TCL_OK || tag < 0)
        return usage(interp, "wrong # args: should be \"pvm bcast group tag ?field ...?\"");
    return guarded(interp, "bcast", [&] {
        Session& s = Session::instance();
        int me = s.tid();
        std::vector<int> dsts;
        for (int t : s.groupMembers(Tcl_GetString(objv[1])))
            if (t != me) dsts.push_back(t);
        ScratchBuffer scratch;
        if (!packFields(interp, scratch.buffer().body, 3, objc, objv)) return TCL_ERROR;
        if (!dsts.empty()) s.sendBuffer(scratch.buffer(), dsts, tag);
        return TCL_OK;
    });
}
}  // namespace

void registerGroupCommands(Tcl_Interp* interp) {
    define(interp, "joingroup", cmdJoingroup);
    define(interp, "leavegroup", cmdLeavegroup);
    define(interp, "gsize", cmdGsize);
    define(interp, "getinst", cmdGetinst);
    define(interp, "gettid", cmdGettid);
    define(interp, "barrier", cmdBarrier);
    define(interp, "freezegroup", cmdFreezegroup);
    define(interp, "bcast", cmdBcast);
}

}  // namespace pvm::tcl
