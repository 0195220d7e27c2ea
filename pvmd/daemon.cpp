// daemon.cpp - the pvmd event loop, message routing and task life cycle.
#include "daemon.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <fcntl.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errors.h"
#include "paths.h"
#include "ring_names.h"
#include "speed.h"
#include "pvm3.h"
#include "tid.h"
#include "wire.h"

namespace pvm {

namespace {
constexpr auto kHaltGrace = std::chrono::milliseconds(2000);
/// kTurnBudget is how many messages one connection may hand in per turn of the loop, so a
/// busy task cannot starve the others or the timers; the rest come at the next turn.
constexpr int kTurnBudget = 256;
/// kWholeSocket is the budget that reads a connection to its end (a dying task's).
constexpr int kWholeSocket = std::numeric_limits<int>::max();
/// kSpawnSlice is how many queued tasks start per turn of the loop: about 1.5 ms of
/// process starts (spawner.h), so routing goes on while thousands start.
constexpr std::size_t kSpawnSlice = 8;
/// kSpin is how long the loop keeps looking, without sleeping, after it last had work.
constexpr auto kSpin = std::chrono::microseconds(50);

std::string defaultHostName() {
    char name[256] = {};
    gethostname(name, sizeof name - 1);
    return name;
}

std::string describeExit(int status) {
    if (WIFSIGNALED(status)) return std::string("killed by signal ") + strsignal(WTERMSIG(status));
    return "exited with status " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

Daemon::Daemon(DaemonOptions options, ProcessControl& processes)
    : options_(std::move(options)),
      processes_(processes),
      hostTid_(daemonTid(options_.hostNumber)),
      hostName_(options_.hostName.empty() ? defaultHostName() : options_.hostName),
      context_(1),
      connections_(reactor_, static_cast<std::size_t>(options_.queueLimit),
                   [this](int fd) { onTasksReadable({fd}, kTurnBudget); }),
      peerFlow_(static_cast<std::size_t>(options_.queueLimit)),
      tasks_(options_.hostNumber),
      output_(
          log_, reactor_,
          [this](int dst, int tag, int ctx, MessageBuffer body) { sendSystemMessage(dst, tag, ctx, std::move(body)); }),
      starter_(options_.startTimeout, processes_) {
    const char* home = std::getenv("HOME");
    workDir_ = !options_.workDir.empty() ? options_.workDir : home && *home ? home : "/";
}

Daemon::~Daemon() {
    if (signalFd_ >= 0) close(signalFd_);
    if (lockFd_ >= 0) close(lockFd_);
}

void Daemon::start() {
    std::string dir = ensureUserDir();
    // The lock, held for the daemon's life, makes "one master per user" race-free.
    lockFd_ = open((dir + "/pvmd.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (lockFd_ < 0) throw Error(PvmSysErr, "cannot open lock file in " + dir);
    if (flock(lockFd_, LOCK_EX | LOCK_NB) != 0) {
        auto running = readAddressFile();
        throw Error(PvmDupHost, "a pvmd is already running for this user" +
                                    (running ? " (pid " + std::to_string(running->pid) + ")" : std::string()) +
                                    "; use the console's halt to stop it");
    }
    log_.open(logFile());
    // Children must find this daemon, whatever PVM_TMP the user had.
    setenv("PVM_TMP", tmpDir().c_str(), 1);
    endpoint_ = localEndpoint();
    connections_.listen(localSocketPath());
    writeAddressFile({endpoint_, getpid()});

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    signalFd_ = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    signal(SIGPIPE, SIG_IGN);
    speed_ = options_.speed > 0                                      ? options_.speed
             : options_.slurm && options_.slurm->has(ownSlurmNode()) ? slurmSpeed(ownSlurmNode())
                                                                     : measureSpeed();
    setUpPeers();
    log_.write(
        std::string(isMaster() ? "master" : "slave") + " started, pid " + std::to_string(getpid()) + ", host " +
        hostName_ + " (" + formatTid(hostTid_) + "), endpoint " + endpoint_ +
        (peerPort_ ? ", peer port " + std::to_string(peerPort_) + ", key " + ownKeys_->publicKey : std::string()));
}

void Daemon::run(const std::function<void()>& started) {
    started_ = started;
    running_ = true;
    nextHeartbeat_ = std::chrono::steady_clock::now() + options_.heartbeat;
    masterHeard_ = std::chrono::steady_clock::now();
    for (const HostSpec& spec : options_.hostfile.hosts) {
        if (spec.deferred) continue;
        if (isLocalHostName(spec.name) || spec.name == hostName_) {
            // The master's own line only sets its options, as in PVM.
            if (!spec.executablePath.empty()) options_.executablePath = spec.executablePath;
            if (!spec.workDir.empty()) workDir_ = spec.workDir;
            if (!spec.debuggerPath.empty()) options_.debuggerPath = spec.debuggerPath;
            if (spec.speed > 0) hosts_.find(myHost())->speed = speed_ = spec.speed;
            continue;
        }
        startSlave(spec, [this, name = spec.name](int result) {
            if (result < 0) log_.write("hostfile host " + name + " did not start: " + errorText(result));
        });
    }
    if (options_.slurm && isMaster()) startSlurmHosts();
    ++startingAtFirst_;
    initialStartDone();  // with no Slurm slaves to wait for, the machine is up now
    if (signalFd_ >= 0) reactor_.add(signalFd_, true, false, [this](bool, bool) { onSignal(); });
    auto lastWork = std::chrono::steady_clock::time_point{};
    while (running_) {
        peers_->closeDropped();
        watchStarterAndSlurm();
        auto untilBeat = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::min(nextHeartbeat_, silenceDeadline()) - std::chrono::steady_clock::now());
        long wait = std::max<long>(0, untilBeat.count() + 1);
        if (int s = starter_.msUntilDeadline(); s >= 0) wait = std::min<long>(wait, s);
        if (starter_.busy()) wait = std::min<long>(wait, 200);
        if (slurmWatch_)
            if (int due = slurmWatch_->msUntilDue(std::chrono::steady_clock::now()); due >= 0)
                wait = std::min<long>(wait, due);
        std::vector<int> backlog = connections_.buffered();
        if (!backlog.empty() || !spawnQueue_.empty() || zmqInputs_.pending()) wait = 0;

        // What a turn's budget left in the connections' readers and the ZeroMQ sockets,
        // then whatever is ready. Right after some work the next packet often follows
        // within microseconds (the answer to what was just routed): looking again for a
        // moment spares the wake-up, which costs more than the work.
        bool worked = !backlog.empty();
        if (!backlog.empty()) onTasksReadable(backlog, kTurnBudget);
        if (zmqInputs_.serveDue()) worked = true;
        int ready = reactor_.dispatch(0);
        while (ready == 0 && !worked && wait > 0 && std::chrono::steady_clock::now() < lastWork + kSpin) {
            sched_yield();  // the task we wait for may need this core
            ready = reactor_.dispatch(0);
        }
        // ZeroMQ may hold messages its descriptor no longer shows (zmq_inputs.h): ask
        // before sleeping.
        if (ready == 0 && !worked && wait > 0 && !zmqInputs_.serveAll())
            ready = reactor_.dispatch(static_cast<int>(wait));
        if (ready > 0 || worked) lastWork = std::chrono::steady_clock::now();
        if (running_) onTimer();
        if (running_ && peerFlow_.asking()) releasePeers();
        if (running_) startQueued(kSpawnSlice);
    }
}

void Daemon::watchStarterAndSlurm() {
    // Their descriptors come and go with the slaves being started and the Slurm queries,
    // and a number may be closed and opened again within one turn: each one still in use is
    // renewed, and a registration whose descriptor was closed is dropped by its number only.
    std::vector<int> now = starter_.fds();
    std::erase_if(starterFds_, [&](const auto& entry) {
        if (std::find(now.begin(), now.end(), entry.first) != now.end()) return false;
        reactor_.remove(entry.first, entry.second);
        return true;
    });
    for (int fd : now)
        if (starterFds_.contains(fd))
            reactor_.renew(fd);
        else
            starterFds_[fd] = reactor_.add(fd, true, false, [this, fd](bool, bool) {
                if (auto result = starter_.onReadable(fd)) onSlaveResult(*result);
            });
    int slurmFd = slurmWatch_ ? slurmWatch_->fd() : -1;
    if (slurmFd == slurmFd_) {
        if (slurmFd_ >= 0) reactor_.renew(slurmFd_);
        return;
    }
    if (slurmFd_ >= 0) reactor_.remove(slurmFd_, slurmRegistration_);
    slurmFd_ = slurmFd;
    if (slurmFd_ >= 0)
        slurmRegistration_ = reactor_.add(slurmFd_, true, false, [this](bool, bool) {
            if (slurmWatch_)
                if (auto state = slurmWatch_->onReadable()) onSlurmJobState(*state);
        });
}

void Daemon::logRefused(int refused) {
    if (refused > 0)
        log_.write(std::to_string(refused) + " connection(s) without the key of a daemon of this machine refused");
}

void Daemon::onTimer() {
    for (const SlaveResult& r : starter_.expire()) onSlaveResult(r);
    if (slurmWatch_) slurmWatch_->tick(std::chrono::steady_clock::now());
    if (peers_) peers_->expireWaiting();
    auto now = std::chrono::steady_clock::now();
    if (now >= nextHeartbeat_) {
        nextHeartbeat_ = now + options_.heartbeat;
        sendHeartbeats();
    }
    // At the moment a peer's silence reaches -T, not at the next beat: a failure is noticed
    // within the time-out, whatever the heartbeat interval.
    if (now >= silenceDeadline()) checkHeartbeats();
}

void Daemon::onTasksReadable(const std::vector<int>& fds, int budget) {
    std::vector<Frame> frames;
    for (int fd : fds) {
        bool toTheEnd = budget == kWholeSocket;
        for (int n = 0; n < budget && running_ && connections_.receive(fd, frames, readingFrom_, toTheEnd); ++n) {
            dropIfBad("dropped a bad packet: ", [&] { handleFrames(readingFrom_, frames); });
            // A dying task's connection is read to its end whatever its receivers hold.
            if (!toTheEnd && connections_.paused(readingFrom_)) break;
        }
    }
    readingFrom_.clear();
}

void Daemon::dropIfBad(const char* what, const std::function<void()>& work) {
    try {
        work();
    } catch (const std::exception& e) {
        // One bad task, peer or message never takes the daemon down (pvm::Error is one of these).
        log_.dropped(what + std::string(e.what()));
    } catch (const kj::Exception& e) {
        log_.dropped(what + std::string(e.getDescription().cStr()));
    }
}

void Daemon::handleFrames(const std::string& route, std::vector<Frame>& frames) {
    if (frames.empty()) throw Error(PvmBadMsg, "packet without a header frame");
    PacketReader reader(frames[0]);
    auto packet = reader.packet();
    Task* sender = tasks_.findByRoute(route);
    switch (packet.which()) {
        case wire::Packet::MESSAGE:
            if (!sender) throw Error(PvmBadMsg, "message from a task that has not enrolled");
            routeUserMessage(*sender, packet.getMessage(), frames);
            return;
        case wire::Packet::REQUEST: {
            auto request = packet.getRequest();
            if (request.isEnroll()) return handleEnroll(route, request.getId(), request.getEnroll());
            Requester who{sender ? sender->tid : 0, request.getId(), 0, route};
            if (!sender) return respondError(who, PvmSysErr, "enroll first");
            return handleRequest(who, request);
        }
        default:
            throw Error(PvmBadMsg, "unexpected packet type from a task");
    }
}

void Daemon::routeUserMessage(Task& sender, const wire::Envelope::Reader& envelope, std::vector<Frame>& frames) {
    int src = envelope.getSrc(), dst = envelope.getDst();
    if (src != sender.tid)
        throw Error(PvmBadMsg, formatTid(sender.tid) + " sent a message claiming to be " + formatTid(src));
    ++sender.sent;
    if (envelope.getFanOut().size() > 0) return deliverMulticast(envelope, frames, 0);
    if (!deliver(dst, frames))
        log_.dropped("message " + formatTid(src) + " -> " + formatTid(dst) + " tag " +
                     std::to_string(envelope.getTag()) + " dropped: no such task");
}

bool Daemon::deliver(int dst, std::vector<Frame>& frames) {
    if (hostOf(dst) != myHost()) {
        if (!peerFlow_.holds(dst)) return sendToPeer(hostOf(dst), frames, readingFrom_);
        // dst's daemon asked to wait: keep the message, and stop a local sender that runs
        // ahead, as for a slow local reader.
        if (peerFlow_.keep(dst, frames, readingFrom_)) connections_.hold(readingFrom_);
        return true;
    }
    Task* task = tasks_.find(dst);
    if (!task) return false;
    ++task->received;
    if (!task->routingId) {
        // Held until it enrolls, within the same limit as a queue: past it, the local sender
        // waits for the enrollment (peers are asked to hold, see throttlePeer).
        task->waitingBytes += frameBytes(frames);
        task->waiting.push_back({std::move(frames)});
        if (task->waitingBytes > static_cast<std::size_t>(options_.queueLimit) &&
            pauseOnce(task->heldSenders, readingFrom_))
            connections_.hold(readingFrom_);
        return true;
    }
    sendToRoute(*task->routingId, frames);
    // A receiver that falls behind slows down the local task that feeds it. Messages from
    // peers and from this daemon are never held back: that would stall every other task.
    if (!readingFrom_.empty()) connections_.throttle(readingFrom_, *task->routingId);
    return true;
}

void Daemon::sendToRoute(const std::string& route, std::vector<Frame>& frames) {
    if (!connections_.send(route, frames)) log_.dropped("cannot send to task connection " + route + ": it has closed");
}

void Daemon::sendSystemMessage(int dst, int tag, int context, MessageBuffer body) {
    capnp::MallocMessageBuilder builder;
    auto envelope = builder.initRoot<wire::Packet>().initMessage();
    envelope.setSrc(hostTid_);
    envelope.setDst(dst);
    envelope.setTag(tag);
    envelope.setContext(context);
    envelope.setEncoding(body.encoding());
    envelope.setLength(body.size());
    std::vector<Frame> frames;
    frames.push_back(toFrame(builder));
    BodySendGuard guard;
    for (auto& f : bodyFrames(body.segments(), guard)) frames.push_back(std::move(f));
    if (!deliver(dst, frames))
        log_.dropped("system message to " + formatTid(dst) + " tag " + std::to_string(tag) + " dropped: no such task");
}

void Daemon::sendNotify(const Subscription& s, int value) {
    MessageBuffer body(PvmDataDefault);
    body.pack(DataType::Int, &value, 1, 1);
    sendSystemMessage(s.subscriber, s.tag, s.context, std::move(body));
}

void Daemon::notifyTaskExit(int tid) {
    for (const Subscription& s : notifies_.fire(PvmTaskExit, tid)) sendNotify(s, tid);
}

void Daemon::taskGone(int tid, const std::string& why) {
    auto task = tasks_.remove(tid);
    if (!task) return;
    log_.write(formatTid(tid) + " (" + task->name + ", pid " + std::to_string(task->pid) + ") " + why);
    if (!task->waiting.empty())
        log_.write(std::to_string(task->waiting.size()) + " message(s) to " + formatTid(tid) +
                   " dropped: the task ended before it enrolled");
    for (const std::string& sender : task->heldSenders) connections_.unhold(sender);
    bool stillRuns = false;
    if (task->pidfd >= 0) {
        // A child that left PVM but still runs is reaped when it ends; PVM 3.4.6 announces its
        // exit only then, after the rest of its output (a parent's pvm_exit waits for it).
        int status = 0;
        pid_t reaped = task->child ? waitpid(task->pid, &status, WNOHANG) : -1;
        stillRuns = reaped == 0;
        // Its exit may have been noticed before its farewell was read: the status is told here.
        if (reaped == task->pid) log_.write("pid " + std::to_string(task->pid) + " " + describeExit(status));
        if (stillRuns) {
            departed_.push_back({task->pidfd, task->pid, tid});
        } else {
            reactor_.remove(task->pidfd);
            close(task->pidfd);
        }
    }
    notifies_.forget(tid);
    if (!stillRuns) {
        output_.drain(tid);
        notifyTaskExit(tid);
    }
    masterStateGone(tid);
}

void Daemon::watchExit(int pidfd, int tid) {
    reactor_.add(pidfd, true, false, [this, pidfd, tid](bool, bool) { onProcessExited(pidfd, tid); });
}

void Daemon::onProcessExited(int pidfd, int tid) {
    for (auto it = departed_.begin(); it != departed_.end(); ++it) {
        if (it->pidfd != pidfd) continue;
        Departed gone = *it;
        departed_.erase(it);
        int status = 0;
        if (waitpid(gone.pid, &status, WNOHANG) == gone.pid)
            log_.write("pid " + std::to_string(gone.pid) + " " + describeExit(status));
        reactor_.remove(pidfd);
        close(pidfd);
        output_.drain(gone.tid);
        notifyTaskExit(gone.tid);
        removeStaleRings();
        return;
    }
    Task* t = tasks_.find(tid);
    if (!t || t->pidfd != pidfd) return;
    // Everything the task sent before it died is in its socket: route it all first, so none
    // of it is lost and its exit notify comes after it.
    if (t->routingId)
        if (int fd = connections_.fdOf(*t->routingId); fd >= 0) onTasksReadable({fd}, kWholeSocket);
    if ((t = tasks_.find(tid))) {  // else its last words included pvm_exit
        std::string why = "exited";
        int status = 0;
        if (t->child && waitpid(t->pid, &status, WNOHANG) == t->pid) why = describeExit(status);
        taskGone(tid, why);
    }
    // A ring both of whose tasks have now ended, its reader killed before it mapped it, say,
    // would outlive them in /dev/shm.
    removeStaleRings();
}

void Daemon::onSignal() {
    signalfd_siginfo info{};
    while (read(signalFd_, &info, sizeof info) == sizeof info) {
        if (info.ssi_signo == SIGHUP) continue;  // a closed terminal must not end the machine
        log_.write(std::string("halting on signal ") + strsignal(static_cast<int>(info.ssi_signo)));
        shutdown(0);
    }
}

void Daemon::shutdown(int spareTid) {
    running_ = false;
    spawnQueue_.clear();  // tasks about to be stopped need not start
    // The master takes its slaves down with it: no orphan daemons or tasks on any host.
    if (isMaster())
        for (Host* h : hosts_.all())
            if (h->number != myHost())
                sendPeer(h->number,
                         [&](wire::PeerPacket::Builder p) { p.setHalt(hostOf(spareTid) == h->number ? spareTid : 0); });
    std::vector<std::pair<int, int>> victims;  // (pid, pidfd)
    for (int tid : tasks_.tids()) {
        Task* t = tasks_.find(tid);
        if (tid == spareTid || !t || t->pid <= 0) continue;
        processes_.signal(t->pid, SIGTERM);
        victims.push_back({t->pid, t->pidfd});
    }
    for (const Departed& d : departed_) victims.push_back({d.pid, d.pidfd});
    auto deadline = std::chrono::steady_clock::now() + kHaltGrace;
    for (auto& [pid, pidfd] : victims) {
        // Wait on each process's pidfd until the grace period is spent, then kill it.
        for (;;) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            zmq::pollitem_t item{nullptr, pidfd, ZMQ_POLLIN, 0};
            if (pidfd < 0 || left.count() <= 0 || zmq::poll(&item, 1, left) == 0) {
                processes_.signal(pid, SIGKILL);
                break;
            }
            if (item.revents & ZMQ_POLLIN) break;
        }
        waitpid(pid, nullptr, 0);
    }
    output_.closeAll();
    removeStaleRings();
    connections_.flushFor(kHaltGrace / 2);
    connections_.closeAll();
    std::string dir = userDir();
    unlink(addressFile().c_str());
    unlink((dir + "/pvmd.lock").c_str());
    log_.write("halted");
}

}  // namespace pvm
