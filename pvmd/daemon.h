// daemon.h - the pvmd of one host: one event loop on one thread that routes
// user messages between tasks and daemons and answers requests. The master
// (host 1) also starts slaves and owns the host table.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "daemon_log.h"
#include "groups.h"
#include "host_table.h"
#include "mailbox.h"
#include "hostfile.h"
#include "message_buffer.h"
#include "notify_table.h"
#include "output_relay.h"
#include "peer_flow.h"
#include "peer_links.h"
#include "process_control.h"
#include "pvm.capnp.h"
#include "slave_starter.h"
#include "slurm_allocation.h"
#include "slurm_job_watch.h"
#include "task_connections.h"
#include "reactor.h"
#include "zmq_inputs.h"
#include "task_table.h"
#include "vm_keys.h"

namespace pvm {

/// DaemonOptions are pvmd's command-line settings.
struct DaemonOptions {
    std::string hostName;  // name reported by pvm_config; default: gethostname()
    int debugMask = 0;
    bool slave = false;             // started by a master through $PVM_RSH
    int hostNumber = 1;             // the master is host 1
    std::string keys;               // slave: SlaveKeys text, from the start-up channel
    std::string bindAddress = "*";  // slave: where the peer socket listens
    std::chrono::milliseconds heartbeat{1000};
    std::chrono::milliseconds hostTimeout{5000};      // silence after which a host counts as dead
    std::chrono::milliseconds startTimeout{30000};    // a slave that has not answered by then fails
    std::chrono::milliseconds manualTimeout{600000};  // time a person has to answer for so=ms and so=pw
    Hostfile hostfile;           // master: its hosts start with it; '&' lines and '*' defaults serve later adds
    std::string executablePath;  // ep= of this host: where spawn looks for programs
    std::string workDir;         // wd= of this host: where tasks start (default $HOME)
    int speed = 0;               // sp= of this host; 0: measure at start-up
    std::string debuggerPath;    // bx= of this host: runs tasks spawned with PvmTaskDebug
    /// queueLimit is how many bytes may wait for one local task before the tasks sending to
    /// it are no longer read (PVM_QUEUE_LIMIT).
    long long queueLimit = 16LL << 20;
    /// slurm is the job whose nodes are the machine's hosts, started with srun (master only).
    std::optional<SlurmAllocation> slurm;
};

/// Requester is whoever asked: a local task on its connection, or a task on another host
/// whose daemon forwarded the request.
struct Requester {
    int tid = 0;
    std::uint32_t id = 0;  // request id (local) or forward token (remote)
    int viaHost = 0;       // 0: local task; else the host whose daemon forwarded it
    std::string route;     // local connection
};

/// ResultGather collects the per-item results of a request answered in parts (spawn over
/// several hosts, addhosts starting several slaves); the last part answers.
struct ResultGather {
    Requester who;
    std::vector<int> results;
    int outstanding = 0;  // parts not yet in
    bool asTids = false;  // spawn answers tids; addhosts, results
};

/// Daemon serves the tasks of this host.
class Daemon {
public:
    /// Daemon serves with processes: the system's (systemProcesses()), or a stand-in.
    explicit Daemon(DaemonOptions options, ProcessControl& processes);
    ~Daemon();
    /// start binds the endpoints and writes the address file; throws Error.
    void start();
    /// peerPort is the TCP port of a slave's peer socket (0 for the master).
    int peerPort() const { return peerPort_; }
    /// speed is this host's relative speed (sp=, or measured at start).
    int speed() const { return speed_; }
    /// publicKey is this daemon's own CurveZMQ public key, which its peers know it by.
    const std::string& publicKey() const { return ownKeys_->publicKey; }
    /// run serves until halted or signalled (SIGTERM, SIGINT). It calls started once the
    /// machine is up: at once, or in a Slurm job once every node's slave has started or failed.
    void run(const std::function<void()>& started = {});

    // A daemon in memory, for tests and fuzzing (daemon_in_memory.cpp): no socket, file,
    // signal or loop; the caller plays its tasks and peers, and ProcessControl its processes.
    /// startInMemory sets the daemon up as start() does, binding and writing nothing but
    /// its log (at logPath, when given).
    void startInMemory(const std::string& logPath = {});
    /// attachTask makes a task connection in memory for process pid; returns its route.
    std::string attachTask(int pid);
    /// fromTask handles one message (a packet frame, then body frames) sent on route.
    void fromTask(const std::string& route, std::vector<Frame> frames);
    /// toTask takes what the daemon has sent on route so far, oldest first.
    std::vector<std::vector<Frame>> toTask(const std::string& route);
    /// fromPeer handles one message as if the daemon of host number had sent it.
    void fromPeer(int number, std::vector<Frame> frames);
    /// settle does what the loop does between messages: start the spawned tasks queued.
    void settle();
    /// running is false once the daemon has been halted.
    bool running() const { return running_; }

private:
    bool isMaster() const { return !options_.slave; }
    int myHost() const { return options_.hostNumber; }

    // Event sources (daemon.cpp).
    /// onTasksReadable takes up to budget messages from each connection on fds.
    void onTasksReadable(const std::vector<int>& fds, int budget);
    /// onProcessExited handles the end of task tid's process (pidfd readable).
    void onProcessExited(int pidfd, int tid);
    /// watchExit has the reactor call onProcessExited when task tid's process ends.
    void watchExit(int pidfd, int tid);
    void onSignal();
    void onTimer();
    /// logRefused notes connections the ZAP handler refused.
    void logRefused(int refused);
    /// watchStarterAndSlurm keeps the reactor's registrations of starter_'s and slurmWatch_'s
    /// descriptors up to date.
    void watchStarterAndSlurm();
    /// handleFrames handles one message (a packet frame, then a message's body frames) that
    /// came on the connection named route.
    void handleFrames(const std::string& route, std::vector<Frame>& frames);
    /// dropIfBad runs work; an exception from it (a bad packet) is logged as what + why.
    void dropIfBad(const char* what, const std::function<void()>& work);
    void routeUserMessage(Task& sender, const wire::Envelope::Reader& envelope, std::vector<Frame>& frames);
    /// deliverMulticast routes a message with further destinations (daemon_multicast.cpp):
    /// one copy per other host, one per task here. fromHost is the peer it came from, or 0.
    void deliverMulticast(const wire::Envelope::Reader& envelope, std::vector<Frame>& frames, int fromHost);

    // Requests, one handler per type (daemon_requests.cpp).
    void handleRequest(const Requester& who, const wire::Request::Reader& request);
    void handleEnroll(const std::string& route, std::uint32_t id, const wire::Enroll::Reader& e);
    void handleExit(const Requester& who);
    void handleSpawn(const Requester& who, const wire::Spawn::Reader& s);
    void handleConfig(const Requester& who);
    /// handleTasks lists tasks; with usage, each one's CPU time and memory from /proc too.
    void handleTasks(const Requester& who, int where, bool usage);
    /// handleSignal sends a task a signal (pvm_sendsig; pvm_kill is SIGTERM).
    void handleSignal(const Requester& who, int tid, int number);
    void handleNotify(const Requester& who, const wire::Notify::Reader& n);
    void handleHalt(const Requester& who);
    void handlePstat(const Requester& who, int tid);
    void handleMstat(const Requester& who, const std::string& host);
    void handleTidToHost(const Requester& who, int tid);
    void handleSetOutput(const Requester& who, const wire::Redirect::Reader& r);
    void handleHostClock(const Requester& who, int hostTid);
    void handleAddHosts(const Requester& who, const capnp::List<capnp::Text>::Reader& lines);
    void handleDelHosts(const Requester& who, const capnp::List<capnp::Text>::Reader& names);
    /// debuggerProgram runs tasks spawned with PvmTaskDebug: bx=, $PVM_DEBUGGER, $PVM_ROOT/lib/debugger.
    std::string debuggerProgram() const;
    /// spawnHere gives tids to count new tasks here and queues their start (startQueued).
    std::vector<int> spawnHere(int parent, const wire::Spawn::Reader& s, int count, const std::string& workDir);
    /// startQueued starts up to most of the queued tasks.
    void startQueued(std::size_t most);

    // Answers.
    using ReplyFill = std::function<void(wire::Reply::Builder)>;
    using RequestFill = std::function<void(wire::Request::Builder)>;
    using PeerFill = std::function<void(wire::PeerPacket::Builder)>;
    using ReplyHandler = std::function<void(const wire::Reply::Reader&)>;
    void respond(const Requester& who, const ReplyFill& fill);
    /// answer sends who a reply, filled by fill or copied from copy.
    void answer(const Requester& who, const ReplyFill& fill, const wire::Reply::Reader* copy);
    void respondError(const Requester& who, int code, const std::string& text);
    /// partDone counts one part of gather in; the last one answers with every result.
    void partDone(const std::shared_ptr<ResultGather>& gather);
    void relay(const Requester& who, const wire::Reply::Reader& reply);
    void sendToRoute(const std::string& route, std::vector<Frame>& frames);
    /// deliver hands a user message (packet frame + body) to task dst here or on its host,
    /// holding it if dst has not connected yet; false when there is no such task or host.
    bool deliver(int dst, std::vector<Frame>& frames);
    /// sendSystemMessage sends a message from this daemon (notifies, task output).
    void sendSystemMessage(int dst, int tag, int context, MessageBuffer body);
    void sendNotify(const Subscription& s, int value);
    void notifyHostsAdded(const std::vector<int>& daemonTids);
    void notifyTaskExit(int tid);

    // Peers (daemon_peers.cpp).
    /// setUpPeers makes the keys and the host table; a slave also binds its peer socket,
    /// unless bind is false (in memory).
    void setUpPeers(bool bind = true);
    /// sendToHost sends frames (starting with a packet) to the daemon of host number.
    bool sendToHost(int number, std::vector<Frame>& frames);
    bool sendPeer(int number, const PeerFill& fill);
    void onPeerReadable(int fromHost, zmq::socket_t& socket, bool router);
    void handlePeerFrames(int fromHost, std::vector<Frame>& frames);
    void handlePeerPacket(int fromHost, const wire::PeerPacket::Reader& p);
    void forgetDeliveredWatch(const wire::Envelope::Reader& envelope, const std::vector<Frame>& frames);
    /// forwardFor has host number's daemon handle who's request and relays its answer to who.
    void forwardFor(const Requester& who, int number, const RequestFill& fill);
    /// forward asks host number's daemon to handle a task's request; onReply gets its answer.
    void forward(int number, int taskTid, const RequestFill& fill, ReplyHandler onReply);
    /// failForward answers a forwarded request with PvmHostFail: its host will never answer.
    void failForward(const ReplyHandler& handler, const std::string& why);
    void applyHostTable(const capnp::List<wire::HostRecord>::Reader& records);
    void broadcastHostTable();
    void sendHeartbeats();
    void checkHeartbeats();
    /// silenceDeadline is when the peer heard from longest ago will have been silent for -T.
    std::chrono::steady_clock::time_point silenceDeadline();
    /// hostGone forgets a host that left or died: its tasks count as exited.
    void hostGone(int number, const std::string& why);
    // Flow control between daemons (peer_flow.h).
    /// queuedFor is what waits here for local task tid (held before it enrolled, or in its
    /// connection), or -1 when there is no such task.
    long long queuedFor(int tid);
    /// throttlePeer asks host from to hold its messages for local task dst when too many wait.
    void throttlePeer(int from, int dst);
    /// releasePeers tells the hosts holding messages for tasks that have caught up to go on.
    void releasePeers();
    /// sendToPeer sends a message (packet frame + body) to host number's daemon when the
    /// window allows, else queues it and pauses sender (a connection, or empty); false
    /// when the host is not reachable.
    bool sendToPeer(int number, std::vector<Frame>& frames, const std::string& sender);
    /// sendReleased sends what the window (windowOpened) or a hold let go, in order, and
    /// resumes its senders.
    void sendReleased(PeerFlow::Released released, int number, bool windowOpened);

    // Hosts (daemon_hosts.cpp).
    void startSlave(const HostSpec& spec, std::function<void(int result)> done);
    /// srunPrefix is the srun command that runs a slave's pvmd on spec's node, in a step of
    /// the job of its own that shares the job's CPUs (daemon_slurm.cpp).
    std::vector<std::string> srunPrefix(const HostSpec& spec) const;
    /// slurmSpeed is a job node's relative speed: 1000 per CPU the job has there.
    int slurmSpeed(const std::string& node) const;
    /// ownSlurmNode is this host's name in the job.
    std::string ownSlurmNode() const;
    /// startSlurmHosts starts a slave on each of the job's nodes but this one.
    void startSlurmHosts();
    /// initialStartDone counts one of the first slaves in; the last one calls started_.
    void initialStartDone();
    /// onSlurmJobState halts the machine once its Slurm job has ended.
    void onSlurmJobState(SlurmJobWatch::State state);
    void awaitManualStart(int number, const HostSpec& spec, const std::vector<std::string>& pvmdCommand);
    void startWithPassword(int number, const HostSpec& spec, const std::vector<std::string>& command);
    void onSlaveResult(const SlaveResult& result);
    void deleteHost(int number, const std::string& why);
    Host* hostByName(const std::string& name);
    /// slaveKeys is what a new slave reads on its start-up channel (SlaveKeys).
    std::string slaveKeys() const { return SlaveKeys{*keys_, ownKeys_->publicKey}.text(); }
    /// ownAddress is how other hosts reach this one.
    std::string ownAddress();
    /// addDefaults gives the options a pvm_addhosts line starts from (hostfile '*' and '&').
    HostSpec addDefaults(const std::string& line) const;

    // The mailbox, held by the master (daemon_mailbox.cpp).
    void handleMboxPut(const Requester& who, const wire::MboxPut::Reader& put);
    void handleMboxGet(const Requester& who, const wire::MboxKey::Reader& key);
    void handleMboxDel(const Requester& who, const wire::MboxKey::Reader& key);
    void handleMboxList(const Requester& who, const std::string& pattern);
    void handleTaskGone(const Requester& who, int tid);
    /// forwardToMaster hands a request to the master (true), or returns false on the master.
    bool forwardToMaster(const Requester& who, const RequestFill& fill);
    /// answerWaiting answers pvm_recvinfo calls waiting (PvmMboxWaitForInfo) for name.
    void answerWaiting(const std::string& name);
    /// masterStateGone drops what an exited task held at the master (or tells the master).
    void masterStateGone(int tid);

    // The group server, held by the master (daemon_groups.cpp).
    void handleGroup(const Requester& who, const wire::GroupCall::Reader& call);
    void releaseGroupWaiters(const std::vector<Release>& released);
    void groupMemberGone(int tid);

    // Task life.
    void taskGone(int tid, const std::string& why);
    bool isLocalHostName(const std::string& name) const;
    void shutdown(int spareTid);

    DaemonOptions options_;
    ProcessControl& processes_;
    Reactor reactor_;  // before everything that registers descriptors with it
    ZmqInputs zmqInputs_{reactor_};
    int hostTid_;
    std::string hostName_;
    std::string workDir_;
    zmq::context_t context_;       // the links between daemons
    TaskConnections connections_;  // local tasks, over a Unix-domain socket
    PeerFlow peerFlow_;            // flow control between daemons
    std::string readingFrom_;      // route of the connection whose packet is being handled
    std::string endpoint_;
    int signalFd_ = -1;
    int lockFd_ = -1;
    bool running_ = false;
    DaemonLog log_;
    TaskTable tasks_;
    NotifyTable notifies_;
    OutputRelay output_;
    /// Departed is a child that left PVM but still runs: PVM announces its exit when it ends.
    struct Departed {
        int pidfd;
        int pid;
        int tid;
    };
    std::vector<Departed> departed_;
    /// SpawnJob is a spawned task whose process is not started yet.
    struct SpawnJob {
        int tid, parent;
        std::string path;
        std::vector<std::string> args, env;
        std::string workDir;
        OutputSink sink;
    };
    std::deque<SpawnJob> spawnQueue_;

    // Multi-host state.
    std::optional<VmKeys> keys_;      // the machine's: handed to tasks for their direct links
    std::optional<VmKeys> ownKeys_;   // this daemon's own, for the links between daemons
    std::optional<PeerLinks> peers_;  // made with ownKeys_
    int peerPort_ = 0;
    int speed_ = 1000;
    HostTable hosts_;
    SlaveStarter starter_;
    std::optional<SlurmJobWatch> slurmWatch_;  // master in a Slurm job: polls the job's state
    std::map<int, std::uint32_t> starterFds_;  // starter_'s descriptors -> their registrations
    int slurmFd_ = -1;                         // slurmWatch_'s descriptor in the reactor, if any
    std::uint32_t slurmRegistration_ = 0;
    int startingAtFirst_ = 0;        // the job's slaves not started (or failed) yet
    std::function<void()> started_;  // run's: called once they all have
    struct Starting {
        HostSpec spec;
        std::function<void(int)> done;  // gets the new daemon tid or an error code
    };
    std::map<int, Starting> starting_;  // host number -> a slave being started
    struct PendingForward {
        int host;
        std::function<void(const wire::Reply::Reader&)> onReply;
    };
    std::map<std::uint32_t, PendingForward> forwards_;
    std::uint32_t nextToken_ = 1;
    std::map<int, std::vector<Subscription>> remoteWatches_;  // remote tid -> local exit watchers
    Mailbox mailbox_;                                         // master only
    struct MailWaiter {
        Requester who;
        std::string name;
        int index, flags;
    };
    std::vector<MailWaiter> mboxWaiting_;
    std::set<int> masterStateTids_;               // local tasks with mailbox entries or groups at the master
    Groups groups_;                               // master only
    std::map<unsigned, Requester> groupWaiters_;  // in pvm_barrier or pvm_freezegroup, by token
    unsigned nextGroupToken_ = 1;
    int contextsGiven_ = 0;  // pvm_newcontext
    std::chrono::steady_clock::time_point nextHeartbeat_;
    std::chrono::steady_clock::time_point masterHeard_;
};

}  // namespace pvm
