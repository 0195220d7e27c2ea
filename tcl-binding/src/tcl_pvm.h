// tcl_pvm.h - what the files of the Tcl package `pvm` share: the lock around the
// C++ core, error reporting (tcl_errors.h), argument parsing (typed fields:
// typed_fields.h) and the per-interpreter state of callbacks. Every command is a
// thin layer over pvm::Session, the same core as the C API.
#pragma once

#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

// Before tcl.h, whose VOID macro breaks Cap'n Proto's headers.
#include "errors.h"
#include "pvm3.h"
#include "session.h"
#include "tcl_errors.h"
#include "typed_fields.h"

#include <tcl.h>

namespace pvm::tcl {

/// coreLock serialises the interpreters (and threads) of a process around its one Session.
/// Recursive: a callback run from the event loop may call pvm commands again.
std::recursive_mutex& coreLock();

struct InterpState;
InterpState& state(Tcl_Interp* interp);
void scheduleDispatch(InterpState& st);
void forgetEvents(InterpState& st);

/// guarded runs body under the core lock, turning pvm::Error into a Tcl error, and lets
/// the event loop look at the queue afterwards.
template <class Body>
int guarded(Tcl_Interp* interp, const char* what, Body body) {
    std::lock_guard lock(coreLock());
    try {
        int code = body();
        scheduleDispatch(state(interp));
        return code;
    } catch (const Error& e) {
        // A session that ended with this error (its daemon died) takes the callbacks along:
        // their descriptor is gone.
        if (!Session::instance().enrolled()) forgetEvents(state(interp));
        return fail(interp, what, e);
    }
}

/// ScratchBuffer is a send buffer (PvmDataDefault) for one command, freed when it ends.
class ScratchBuffer {
public:
    ScratchBuffer() : release_{Session::instance().buffers(), Session::instance().buffers().create(PvmDataDefault)} {}
    int id() const { return release_.id; }
    Buffer& buffer() { return release_.table.get(release_.id); }

private:
    BufferRelease release_;
};

/// getTid reads a task or daemon tid: an integer, "t40001" (hex, as PVM prints tids), or
/// the words "mytid" and "parent".
bool getTid(Tcl_Interp* interp, Tcl_Obj* word, int* tid);
/// getTidList reads one tid or a list of them.
bool getTidList(Tcl_Interp* interp, Tcl_Obj* word, std::vector<int>* tids);
Tcl_Obj* tidList(const std::vector<int>& tids);

/// ReservedTags lets the binding use the negative tags of its own callbacks for a moment.
class ReservedTags {
public:
    ReservedTags() : saved_(Session::instance().setOption(PvmResvTids, 1)) {}
    ~ReservedTags() { Session::instance().setOption(PvmResvTids, saved_); }

private:
    int saved_;
};

/// Callback is a script run from the event loop when messages matching tid and tag come.
struct Callback {
    enum class Kind { Message, Once, Notify, Output, Trace };
    Kind kind = Kind::Message;
    int id = 0;
    int tid = -1, tag = -1;
    Tcl_Obj* script = nullptr;           // Output: the command, or null for a channel
    std::string channel;                 // Output: channel name
    std::string types;                   // Message/Once: with -types, a dict instead of a handle
    int remaining = -1;                  // Notify: firings left (-1: for ever)
    std::map<int, std::string> partial;  // Output: unfinished line per task
    std::set<int> open;                  // Output: tasks whose output has not ended (children too)
    Tcl_Obj* ended = nullptr;            // Output: called with the tid when a task's output ends
    Tcl_Obj* done = nullptr;             // Output: called once every task's output has ended
};

/// InterpState is the package's state in one interpreter.
struct InterpState {
    Tcl_Interp* interp = nullptr;
    std::deque<Callback> callbacks;  // in the order they were made
    int nextId = 1;
    int nextTag = -1000;  // reserved tags of callbacks count down from here
    int watchedFd = -1;   // the descriptor of pvm_getfds given to Tcl's notifier
    bool dispatchScheduled = false;
    int nextHandle = 1;
};

InterpState& state(Tcl_Interp* interp);

// events.cpp
/// addCallback registers cb (taking a reference to its script) and starts watching the
/// daemon connection; returns its id.
int addCallback(InterpState& st, Callback cb);
bool removeCallback(InterpState& st, int id);
/// scheduleDispatch makes the event loop look at the queue soon: a command may have moved
/// messages a callback waits for into it without the descriptor showing them.
void scheduleDispatch(InterpState& st);
void forgetEvents(InterpState& st);

// messages.cpp (packFields: typed_fields.h)
/// newHandle wraps a received buffer in a command ::pvm::msgN that unpacks it; the buffer
/// is freed with the command.
Tcl_Obj* newHandle(Tcl_Interp* interp, int bufferId);
/// unpackTypes reads the fields named by types ("int string double:3 bytes:10") from the
/// buffer into a list.
bool unpackTypes(Tcl_Interp* interp, int bufferId, Tcl_Obj* types, Tcl_Obj** values);
/// messageResult makes a received buffer the command's result: a handle, or with types
/// (not null) the dict of its fields, the buffer then freed.
int messageResult(Tcl_Interp* interp, int bufferId, Tcl_Obj* types);
/// messageDict is {src S tag T bytes N values {...}} for a received buffer and types.
Tcl_Obj* messageDict(Tcl_Interp* interp, int bufferId, Tcl_Obj* values);

using Command = int(ClientData, Tcl_Interp*, int, Tcl_Obj* const[]);
/// registerTaskCommands and registerMessageCommands create ::pvm::<name> commands.
void registerTaskCommands(Tcl_Interp* interp);
void registerMessageCommands(Tcl_Interp* interp);
void registerEventCommands(Tcl_Interp* interp);
void registerOptionCommands(Tcl_Interp* interp);
void registerMailboxCommands(Tcl_Interp* interp);
void registerGroupCommands(Tcl_Interp* interp);
void define(Tcl_Interp* interp, const char* name, Command* proc);

}  // namespace pvm::tcl
