// session.h - the C++ core of a task: its enrollment with the local pvmd, its
// message buffers and queue, and every PVM operation. The C API (pvm3.h), the
// C++ API (pvm/pvm.hpp), the console and the Tcl binding all call this.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "buffer_table.h"
#include "control_channel.h"
#include "daemon_link.h"
#include "direct_links.h"
#include "handler_table.h"
#include "mailroom.h"
#include "output_catcher.h"
#include "remote_route.h"
#include "static_group.h"
#include "wire.h"

namespace pvm {

/// HostEntry is one host of the virtual machine (pvm_config).
struct HostEntry {
    int tid = 0;
    std::string name;
    std::string arch;
    int speed = 0;
    int dataSignature = 0;
};

/// TaskEntry is one task of the virtual machine (pvm_tasks).
struct TaskEntry {
    int tid = 0;
    int parent = 0;
    int hostTid = 0;
    int flags = 0;
    std::string name;
    int pid = 0;
    std::int64_t cpuMs = 0;     // CPU time used so far
    std::int64_t rssKb = 0;     // resident memory
    std::int64_t sent = 0;      // messages it sent through its daemon
    std::int64_t received = 0;  // messages its daemon delivered to it
};

/// MailboxClass is one name in the mailbox with its entries (pvm_getmboxinfo).
struct MailboxClass {
    std::string name;
    std::vector<int> indices, owners, flags;
};

/// SpawnRequest is what pvm_spawn asks for.
struct SpawnRequest {
    std::string file;
    std::vector<std::string> argv;
    int flags = 0;
    std::string where;
    int count = 1;
};

/// kCatchOutputTag is the reserved tag of output messages collected by pvm_catchout.
constexpr int kCatchOutputTag = static_cast<int>(0x80000001u);
/// kDirectRouteTag is the reserved tag of the messages that set up the direct route: the
/// name of a shared-memory ring (same host), or a "tcp-..." step of a cross-host link
/// (remote_route.h); body PvmDataRaw. They travel the daemon route, behind every message
/// sent before them, and the receiver reads the ring or link only from then on.
constexpr int kDirectRouteTag = static_cast<int>(0x80000002u);

/// Session is the task's side of the virtual machine; one per process (instance()).
class Session {
public:
    static Session& instance();

    /// tid enrolls with the local pvmd on first use and returns this task's tid.
    int tid();
    /// enrolled is true while the task is connected to a pvmd.
    bool enrolled() const noexcept { return link_ != nullptr; }
    int parent();
    const std::vector<int>& siblings();
    int hostTid();
    /// exit leaves the virtual machine (pvm_exit), after collected output has ended. Handlers
    /// of messages that came meanwhile run (a notify of the task's own exit comes then), stdout
    /// is flushed, and lastWords runs while the task still has its tid.
    void exit(const std::function<void()>& lastWords = {});
    /// farewell tells the daemon this process is ending without pvm_exit (an atexit handler).
    void farewell() noexcept;
    /// halt stops every task and daemon of the virtual machine except this task.
    void halt();

    std::vector<int> spawn(const SpawnRequest& request);
    void kill(int tid);
    /// sendSignal sends signal number to a task on any host (pvm_sendsig).
    void sendSignal(int tid, int number);
    /// config lists the hosts; slurmJob, when given, gets the Slurm job whose nodes they are
    /// (docs/slurm.md), or "".
    std::vector<HostEntry> config(std::string* slurmJob = nullptr);
    /// tasks lists the tasks of where (0: the machine); with usage, also each one's CPU time
    /// and memory (cpuMs, rssKb; 0 without).
    std::vector<TaskEntry> tasks(int where, bool usage = false);
    int pstat(int tid);
    int mstat(const std::string& host);
    int tidToHost(int tid);
    void notify(int what, int tag, int count, std::span<const int> tids);
    /// addHosts starts a pvmd on each host (lines as in a hostfile); per host the new daemon
    /// tid or an error code (PvmDupHost, PvmNoHost, PvmCantStart, PvmBadParam).
    std::vector<int> addHosts(const std::vector<std::string>& lines);
    /// hostClock reads the time of day of the host whose daemon tid is hostTid, in microseconds.
    std::int64_t hostClock(int hostTid);
    /// putInfo stores a copy of buffer bufferId in the mailbox under name; its index.
    int putInfo(const std::string& name, int bufferId, int flags);
    /// recvInfo fetches an entry into a new buffer, made the active receive buffer; its id.
    int recvInfo(const std::string& name, int index, int flags);
    /// fetchInfo is recvInfo leaving the active receive buffer alone: the caller owns the buffer.
    int fetchInfo(const std::string& name, int index, int flags);
    /// delInfo deletes an entry; its index, as PVM returns it.
    int delInfo(const std::string& name, int index, int flags);
    std::vector<MailboxClass> mailboxInfo(const std::string& pattern);
    // Dynamic groups (session_groups.cpp).
    /// groupCall runs one call of the group server (op is a wire::GroupOp); its value.
    int groupCall(int op, const std::string& name, int number, int tid);
    /// groupMembers are the group's tids in instance order.
    std::vector<int> groupMembers(const std::string& name);
    /// GroupState is one group as pvm_gstat shows it: tids by instance (-1 where free), and
    /// the barrier in progress (count -1 when none).
    struct GroupState {
        std::string name;
        std::vector<int> tids;
        int barrierCount = -1, barrierReached = 0;
    };
    /// groupStates are every group of the machine (for pvmgs, the group server of pvm_gstat).
    std::vector<GroupState> groupStates();
    /// broadcast sends the active send buffer to every member but this task.
    void broadcast(const std::string& name, int tag);
    using ReduceFunction = void (*)(int*, void*, void*, int*, int*);
    void reduce(ReduceFunction func, void* data, int count, int datatype, int tag, const std::string& name, int root);
    void gather(void* result, const void* data, int count, int datatype, int tag, const std::string& name, int root);
    void scatter(void* result, const void* data, int count, int datatype, int tag, const std::string& name, int root);
    /// delHosts stops the daemons of the named hosts; per host 0 or an error code.
    std::vector<int> delHosts(const std::vector<std::string>& names);

    BufferTable& buffers() noexcept { return buffers_; }
    /// send sends the active send buffer to tid with tag.
    void send(int tid, int tag);
    /// sendBuffer sends buffer to every tid of dsts (pvm_mcast, pvm_psend).
    void sendBuffer(Buffer& buffer, std::span<const int> dsts, int tag);
    /// recv waits up to timeoutMs (-1: forever) for a message matching tid and tag (-1 for any),
    /// makes it the active receive buffer and returns its id; 0 on time-out.
    int recv(int tid, int tag, int timeoutMs);
    /// take is recv without touching the active receive buffer: the caller owns the buffer id.
    int take(int tid, int tag, int timeoutMs);
    /// probe returns the id of a matching message already arrived, or 0; nothing is consumed.
    int probe(int tid, int tag);

    int setOption(int what, int value);
    int option(int what);
    int context() const noexcept { return context_; }
    void setContext(int context) { context_ = context; }
    /// catchOutput collects the output of tasks spawned from now on into file (null: stop).
    void catchOutput(std::FILE* file);
    /// eventFd is readable when messages may be waiting (pvm_getfds, Tcl event loop).
    int eventFd();

    // Message handlers, contexts, matching and messages in messages (session_handlers.cpp).
    using MessageHandler = HandlerTable::Function;
    /// addHandler calls func(bufferId) for every arriving message matching src, tag and
    /// context (-1: any) instead of queueing it; returns the handler's id.
    int addHandler(int src, int tag, int context, MessageHandler func);
    void removeHandler(int id);
    /// handlers is the table as PVM keeps it (pvm_delmhf's messages, pvmdisplaymhfinfo).
    const HandlerTable& handlers() const noexcept { return mail_.handlers(); }
    /// newContext gives a context number no other task of the machine gets.
    int newContext();
    /// freeContext gives back a context newContext gave; PvmNotFound for any other.
    void freeContext(int context);
    using MatchFunction = Mailroom::MatchFunction;
    /// setMatch installs pvm_recvf's function (null: the default); returns the previous one.
    MatchFunction setMatch(MatchFunction match) { return mail_.setMatch(match); }
    /// packMessage packs message bufferId (with its header when whole) into the active send buffer.
    void packMessage(int bufferId, bool whole);
    /// unpackMessage unpacks a message packed by packMessage from the active receive buffer.
    int unpackMessage();
    // Tracing (session_trace.cpp).
    /// traceCall reports a C API call that returned, when this task is traced.
    void traceCall(const char* function, int result) {
        if (tracing_) traceReturn(function, result);
    }
    /// traceMask is the task's own mask (child false) or its children's (pvm_gettmask).
    std::string traceMask(bool child) const;
    void setTraceMask(bool child, const std::string& mask);
    /// traceEventNames lists the calls of a mask; traceMaskOf makes a mask ("all" for every call).
    static std::vector<std::string> traceEventNames(const std::string& mask);
    static std::string traceMaskOf(const std::vector<std::string>& names);
    /// noResetTasks are the tasks that set PvmNoReset (pvm_getnoresets).
    std::vector<int> noResetTasks();
    /// markNoReset lists this task in the mailbox among those a reset spares, or not.
    void markNoReset(bool on);

    /// lastError is the code of the last failed call, for pvm_perror.
    int lastError = 0;
    std::string lastErrorContext;
    /// afterEnroll, when set, runs each time this process has enrolled (the C API sets
    /// pvm_errno there, as PVM's enrolment leaves it).
    static inline void (*afterEnroll)() = nullptr;

private:
    Session() = default;
    void enroll();
    void requireEnrolled() {
        if (!link_) enroll();
    }
    /// Answer keeps a reply packet alive while it is read.
    struct Answer {
        std::unique_ptr<PacketReader> reader;
        wire::Reply::Reader reply() { return reader->packet().getReply(); }
    };
    using RequestFill = std::function<void(wire::Request::Builder)>;
    /// call sends a request filled by fill and waits for its reply; throws its error.
    Answer call(const RequestFill& fill);
    /// pump takes every packet and ring message waiting, or waits up to timeoutMs
    /// (-1: forever) for some; false when none came.
    bool pump(int timeoutMs);
    /// accept handles one packet from the daemon; true when it announced a ring.
    bool accept(Incoming&& in);
    /// arrive queues a received message, or hands caught output to the catcher.
    void arrive(std::unique_ptr<Buffer> buffer);
    void fillEnvelope(wire::Envelope::Builder envelope, int dst, int tag, int context, const MessageBuffer& body) const;
    /// sendViaDaemon sends one packet to dsts.front() and, as a multicast the daemons split,
    /// to the other dsts too.
    void sendViaDaemon(std::span<const int> dsts, int tag, int context, const MessageBuffer& body,
                       const std::vector<Segment>& segments, BodySendGuard& guard);
    void sendViaDaemon(int dst, int tag, int context, const MessageBuffer& body, const std::vector<Segment>& segments,
                       BodySendGuard& guard);

    // The same-host direct route (session_direct.cpp).
    /// collect takes what is waiting now, from the daemon and the rings; true if anything.
    bool collect();
    /// sleep waits until the daemon socket, a ring or the wake FIFO may have something, or
    /// blocked may have space, or timeoutMs passes. Throws Error(PvmSysErr) when the daemon dies.
    void sleep(int timeoutMs, DirectLink* blocked);
    /// sleepUntilReady is sleep's part after the spin: arm the rings, poll, disarm.
    void sleepUntilReady(int timeoutMs, DirectLink* blocked);
    /// daemonGone returns if packets the dead daemon sent are still arriving; otherwise it
    /// leaves the machine and throws Error(PvmSysErr).
    void daemonGone();
    /// sendDirect sends through a ring to dst when the direct route applies; false when the
    /// message must take the daemon route instead.
    bool sendDirect(const Buffer& buffer, const std::vector<Segment>& segments, int dst, int tag);
    /// directLinkTo gives the ring a message of bytes to dst takes, making it when the route
    /// option or the pair's traffic asks for one; null for the daemon route.
    DirectLink* directLinkTo(int dst, std::uint64_t bytes);
    /// routeNotice takes a kDirectRouteTag message; true when it announced a ring.
    bool routeNotice(Buffer& notice);
    bool attachRing(int src, const std::string& name);

    // The cross-host direct route (session_remote.cpp).
    /// sendRemote sends over a link to dst when the cross-host direct route is open; false
    /// when the message must take the daemon route (perhaps after offering a link).
    void traceReturn(const char* function, int result);
    void updateTracing();
    /// traceInheritance is the PVM_TRACE setting for a spawn with flags, or "".
    std::string traceInheritance(int flags);
    /// inheritTracing takes PVM_TRACE from the spawning task, at enrolment.
    void inheritTracing();
    void sendData(int dst, int tag, DataType type, const void* data, int count);
    void receiveData(int src, int tag, DataType type, void* data, int count);
    bool sendRemote(const Buffer& buffer, const std::vector<Segment>& segments, int dst, int tag, BodySendGuard& guard);
    /// remoteNotice handles a "tcp-..." step from src.
    void remoteNotice(int src, const std::string& text);
    /// takeFromLinks accepts what the cross-host links hold for us now; true if anything.
    bool takeFromLinks();
    void sendRouteNotice(int dst, const std::string& text);
    RemoteRoute* remoteRoute();
    /// findMatch is the first queued message tid and tag select in the current context.
    std::optional<int> findMatch(int tid, int tag) { return mail_.find(tid, tag, context_); }
    /// makeActiveReceive makes id the active receive buffer and frees the one it replaces.
    void makeActiveReceive(int id);
    void checkTid(int tid, const char* what);
    void checkTag(int tag);
    void leave();
    std::vector<int> changeHosts(const std::vector<std::string>& names, bool add);

    std::unique_ptr<DaemonLink> link_;
    std::unique_ptr<DirectLinks> direct_;   // made on first use of the direct route
    std::chrono::microseconds spinFor_{0};  // how long sleep() spins before it sleeps (session_direct.cpp)
    std::unique_ptr<RemoteRoute> remote_;   // made on first use of the cross-host direct route
    std::string hostAddress_;               // how other hosts reach ours
    std::string machineKeys_;               // for cross-host direct links
    int tid_ = 0;
    int parent_ = 0;
    int hostTid_ = 0;
    int enrolledPid_ = 0;
    std::vector<int> siblings_;
    ControlChannel control_;  // request ids and their answers: calls nest
    /// HandlersHeld keeps message handlers from running in the calls the library makes in
    /// the middle of a direct send (the peer's pid, whether a silent reader lives): a
    /// handler that sent to the same peer there would write into a ring being opened or
    /// half written. They run at the task's next call instead.
    struct HandlersHeld {
        explicit HandlersHeld(Session& s) : session(s) { ++session.handlersHeld_; }
        ~HandlersHeld() { --session.handlersHeld_; }
        Session& session;
    };
    int handlersHeld_ = 0;
    /// awaitReply pumps until the answer to id has come; false at the deadline.
    bool awaitReply(std::uint32_t id, std::optional<std::chrono::steady_clock::time_point> deadline = {});

    BufferTable buffers_;
    Mailroom mail_{buffers_};  // what has arrived, matching, message handlers
    bool tracing_ = false;     // PvmSelfTraceTid set and a mask
    bool inTrace_ = false;     // sending a trace event: do not trace that
    std::string selfMask_ = traceMaskOf({"all"}), childMask_ = traceMaskOf({"all"});
    int context_ = 0;
    std::set<int> ownContexts_;  // given by newContext and not freed yet
    /// Groups frozen by pvm_freezegroup, kept at the first call that found them static.
    std::map<std::string, StaticGroup> staticGroups_;
    /// keepStaticGroup fetches a frozen group's instances from the group server once.
    void keepStaticGroup(const std::string& name);

    // Options (pvm_setopt).
    int route_ = 2;  // PvmAllowDirect
    int debugMask_ = 0;
    int autoErr_ = 1;
    int outputTid_ = 0, outputCode_ = 0, outputContext_ = 0;
    int selfOutputTid_ = 0, selfOutputCode_ = 0, selfOutputContext_ = 0;
    int fragSize_ = 4080;
    int resvTids_ = 0;
    int showTids_ = 1;
    int noReset_ = 0;
    int pollType_ = 1, pollTime_ = 0;
    std::map<int, int> traceOptions_;  // stored only: tracing is not implemented

    OutputCatcher catcher_;

    friend int autoErrSetting();
};

/// autoErrSetting is the PvmAutoErr option, read by the C shims when reporting errors.
int autoErrSetting();

}  // namespace pvm
