// daemon_requests.cpp - one handler per request type a task can send.
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <map>
#include <memory>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "daemon.h"
#include "errors.h"
#include "paths.h"
#include "pvm3.h"
#include "process_usage.h"
#include "spawner.h"
#include "tid.h"
#include "wire.h"

namespace pvm {

namespace {
struct TaskEntryRecord {
    int tid, parent, hostTid, flags;
    std::string name;
    int pid;
    std::int64_t cpuMs, rssKb, sent, received;
};

/// taskFlags are pvm_tasks' ti_flags as PVM's pvmd reports them (ps shows them as c, f):
/// 4 once the task has connected, 2 when this daemon started its process.
int taskFlags(const Task& t) { return (t.routingId ? 4 : 0) | (t.child ? 2 : 0); }
}  // namespace

void Daemon::answer(const Requester& who, const ReplyFill& fill, const wire::Reply::Reader* copy) {
    capnp::MallocMessageBuilder builder;
    auto packet = builder.initRoot<wire::Packet>();
    wire::Reply::Builder reply(nullptr);
    if (who.viaHost == 0) {
        if (copy) packet.setReply(*copy);
        reply = copy ? packet.getReply() : packet.initReply();
    } else {
        // The task is on another host: the answer goes back to the daemon that forwarded it.
        auto peer = packet.initPeer();
        peer.setFromHost(myHost());
        auto fr = peer.initForwardReply();
        fr.setToken(who.id);
        if (copy) fr.setReply(*copy);
        reply = copy ? fr.getReply() : fr.initReply();
    }
    reply.setId(who.id);
    if (fill) fill(reply);
    if (std::size_t bytes = packetBytes(builder); bytes > kMaxPacketBytes) {
        // The requester could not read it: it gets an answer it can read, never silence.
        return answer(
            who,
            [bytes](wire::Reply::Builder r) {
                r.setError(PvmOverflow);
                r.setErrorText("answer of " + std::to_string(bytes) + " bytes, over the limit of " +
                               std::to_string(kMaxPacketBytes));
            },
            nullptr);
    }
    std::vector<Frame> frames;
    frames.push_back(toFrame(builder));
    if (who.viaHost == 0)
        sendToRoute(who.route, frames);
    else
        sendToHost(who.viaHost, frames);
}

void Daemon::respond(const Requester& who, const ReplyFill& fill) { answer(who, fill, nullptr); }

void Daemon::respondError(const Requester& who, int code, const std::string& text) {
    respond(who, [&](wire::Reply::Builder r) {
        r.setError(code);
        r.setErrorText(text);
    });
}

void Daemon::partDone(const std::shared_ptr<ResultGather>& gather) {
    if (--gather->outstanding > 0) return;
    respond(gather->who, [&](wire::Reply::Builder r) {
        auto n = static_cast<unsigned>(gather->results.size());
        auto list = gather->asTids ? r.initTids(n) : r.initResults(n);
        for (unsigned i = 0; i < n; ++i) list.set(i, gather->results[i]);
    });
}

void Daemon::relay(const Requester& who, const wire::Reply::Reader& reply) { answer(who, {}, &reply); }

void Daemon::handleRequest(const Requester& who, const wire::Request::Reader& request) {
    // A request sees every task spawned before it started, with its pid (pvm_tasks, kill,
    // sendsig, notify right after pvm_spawn).
    startQueued(spawnQueue_.size());
    try {
        switch (request.which()) {
            case wire::Request::EXIT:
                return handleExit(who);
            case wire::Request::SPAWN:
                return handleSpawn(who, request.getSpawn());
            case wire::Request::CONFIG:
                return handleConfig(who);
            case wire::Request::TASKS:
                return handleTasks(who, request.getTasks(), false);
            case wire::Request::TASKS_USAGE:
                return handleTasks(who, request.getTasksUsage(), true);
            case wire::Request::KILL:
                return handleSignal(who, request.getKill(), SIGTERM);  // as PVM: pvm_kill terminates
            case wire::Request::MBOX_PUT:
                return handleMboxPut(who, request.getMboxPut());
            case wire::Request::MBOX_GET:
                return handleMboxGet(who, request.getMboxGet());
            case wire::Request::MBOX_DEL:
                return handleMboxDel(who, request.getMboxDel());
            case wire::Request::MBOX_LIST:
                return handleMboxList(who, request.getMboxList().cStr());
            case wire::Request::NEW_CONTEXT: {
                // The host number makes it unique in the machine; the count within the host. As
                // in PVM the layout is a tid's: the first context of host 1 is 0x40001.
                int context = (myHost() << 18) | (++contextsGiven_ & 0x3ffff);
                return respond(who, [context](wire::Reply::Builder r) { r.setValue(context); });
            }
            case wire::Request::GROUP:
                return handleGroup(who, request.getGroup());
            case wire::Request::TASK_GONE:
                return handleTaskGone(who, request.getTaskGone());
            case wire::Request::SIGNAL:
                return handleSignal(who, request.getSignal().getTid(), request.getSignal().getNumber());
            case wire::Request::NOTIFY:
                return handleNotify(who, request.getNotify());
            case wire::Request::HALT:
                return handleHalt(who);
            case wire::Request::PSTAT:
                return handlePstat(who, request.getPstat());
            case wire::Request::MSTAT:
                return handleMstat(who, request.getMstat().cStr());
            case wire::Request::TID_TO_HOST:
                return handleTidToHost(who, request.getTidToHost());
            case wire::Request::SET_OUTPUT:
                return handleSetOutput(who, request.getSetOutput());
            case wire::Request::ADD_HOSTS:
                return handleAddHosts(who, request.getAddHosts());
            case wire::Request::DEL_HOSTS:
                return handleDelHosts(who, request.getDelHosts());
            case wire::Request::HOST_CLOCK:
                return handleHostClock(who, request.getHostClock());
            default:
                return respondError(who, PvmNotImpl, "request type not implemented by this pvmd");
        }
    } catch (const Error& e) {
        respondError(who, e.code(), e.what());
    } catch (const kj::Exception& e) {
        // A request that reads past what its sender wrote, say: answered, never left waiting.
        respondError(who, PvmBadMsg, e.getDescription().cStr());
    } catch (const std::bad_alloc&) {
        respondError(who, PvmNoMem, "out of memory");
    } catch (const std::exception& e) {
        respondError(who, PvmSysErr, e.what());
    }
}

void Daemon::handleEnroll(const std::string& route, std::uint32_t id, const wire::Enroll::Reader& e) {
    Requester who{0, id, 0, route};
    if (e.getProtocolVersion() != kProtocolVersion)
        return respondError(who, PvmBadVersion, "library and pvmd protocol versions differ");
    Task* task = tasks_.findByRoute(route);
    if (!task) {
        // The pid the kernel gave for the connection, not the one the packet claims: another
        // process must not enroll as a spawned task that has not enrolled yet.
        int pid = connections_.peerPid(route);
        if (pid <= 0) pid = static_cast<int>(e.getPid());
        Task* spawned = tasks_.find(e.getSpawnedTid());
        // A spawned task proves who it is by its pid, or as a descendant of that process (run
        // by a debugger for PvmTaskDebug); anyone else enrolls as a new task.
        if (spawned && !spawned->routingId && spawned->pid > 0 &&
            (spawned->pid == pid || descendsFrom(pid, spawned->pid))) {
            task = spawned;
        } else {
            // Its exit is what ends its entry: a process that cannot be watched is not listed. It
            // may have ended already, its request read only afterwards (a spawned task killed
            // before its daemon got to its enrollment, its own entry gone meanwhile).
            int pidfd = processes_.watch(pid);
            if (pidfd < 0) {
                int why = errno;
                log_.write("enrollment of pid " + std::to_string(pid) +
                           " refused: " + (why == ESRCH ? std::string("the process has ended") : std::strerror(why)));
                return respondError(who, why == ESRCH ? PvmSysErr : PvmOutOfRes, "cannot watch the enrolling process");
            }
            int tid = tasks_.allocateTid();
            if (tid == 0) {
                close(pidfd);
                return respondError(who, PvmOutOfRes, "no free task ids on this host");
            }
            Task t;
            t.tid = tid;
            t.pid = pid;
            t.pidfd = pidfd;
            t.name = e.getName().cStr();
            task = &tasks_.add(std::move(t));
            watchExit(task->pidfd, task->tid);
            log_.write(formatTid(tid) + " enrolled (" + task->name + ", pid " + std::to_string(task->pid) + ")");
        }
        tasks_.connect(*task, route);
    }
    respond(who, [&](wire::Reply::Builder r) {
        auto en = r.initEnrolled();
        en.setTid(task->tid);
        en.setParent(task->parent != 0 ? task->parent : PvmNoParent);
        en.setHostTid(hostTid_);
        auto s = en.initSiblings(static_cast<unsigned>(task->siblings.size()));
        for (unsigned i = 0; i < task->siblings.size(); ++i) s.set(i, task->siblings[i]);
        en.setOutputTid(task->outputTid);
        en.setOutputCode(task->outputCode);
        en.setOutputContext(task->outputContext);
        en.setContext(task->context);
        en.setHostAddress(ownAddress());
        if (keys_) en.setMachineKeys(keys_->text());
    });
    // Messages that arrived while the task was starting go out after its enroll reply.
    while (!task->waiting.empty()) {
        sendToRoute(route, task->waiting.front().frames);
        task->waiting.pop_front();
    }
    // From now on its connection's queue slows its senders down.
    task->waitingBytes = 0;
    for (const std::string& sender : task->heldSenders) connections_.unhold(sender);
    task->heldSenders.clear();
}

void Daemon::handleExit(const Requester& who) {
    // A task watching its own exit hears of it inside pvm_exit, before the answer, as in PVM
    // 3.4.6 (Debian's console catches its own that way, with a message handler).
    for (const Subscription& s : notifies_.fireOwn(PvmTaskExit, who.tid)) sendNotify(s, who.tid);
    respond(who, [](wire::Reply::Builder r) { r.setNone(); });
    taskGone(who.tid, "left PVM (pvm_exit)");
}

void Daemon::handleConfig(const Requester& who) {
    std::vector<Host*> hosts = hosts_.all();
    respond(who, [&](wire::Reply::Builder r) {
        auto list = r.initHosts(static_cast<unsigned>(hosts.size()));
        for (unsigned i = 0; i < hosts.size(); ++i) {
            list[i].setTid(daemonTid(hosts[i]->number));
            list[i].setName(hosts[i]->name);
            list[i].setArch(hosts[i]->arch);
            list[i].setSpeed(hosts[i]->speed);
            list[i].setDataSignature(dataSignature(hosts[i]->arch));
        }
        if (options_.slurm) r.setSlurmJob(options_.slurm->jobId);
    });
}

void Daemon::handleTasks(const Requester& who, int where, bool usage) {
    int host = where == 0 ? 0 : hostOf(where);
    auto ask = [usage](wire::Request::Builder r, int w) {
        if (usage)
            r.setTasksUsage(w);
        else
            r.setTasks(w);
    };
    if (host != 0 && host != myHost()) {
        if (!hosts_.find(host)) throw Error(PvmNoHost, "host " + formatTid(hostTidOf(where)));
        return forwardFor(who, host, [&](wire::Request::Builder r) { ask(r, where); });
    }
    std::vector<TaskEntryRecord> local;
    for (int tid : tasks_.tids()) {
        const Task& t = *tasks_.find(tid);
        if (where != 0 && where != hostTid_ && where != tid) continue;
        // Reading /proc costs two files per task: only for the callers that show it.
        ProcessUsage use = usage ? processUsage(t.pid) : ProcessUsage{};
        // ti_a_out: PVM names only the tasks its pvmd started; one started by hand has "" (ps: -).
        local.push_back({t.tid, t.parent, hostTid_, taskFlags(t), t.child ? t.name : "", t.pid, use.cpuMs, use.rssKb,
                         static_cast<std::int64_t>(t.sent), static_cast<std::int64_t>(t.received)});
    }
    auto send = [this](const Requester& to, const std::vector<TaskEntryRecord>& list) {
        respond(to, [&](wire::Reply::Builder r) {
            auto out = r.initTasks(static_cast<unsigned>(list.size()));
            for (unsigned i = 0; i < list.size(); ++i) {
                out[i].setTid(list[i].tid);
                out[i].setParent(list[i].parent);
                out[i].setHostTid(list[i].hostTid);
                out[i].setFlags(list[i].flags);
                out[i].setName(list[i].name);
                out[i].setPid(list[i].pid);
                out[i].setCpuMs(list[i].cpuMs);
                out[i].setRssKb(list[i].rssKb);
                out[i].setSent(list[i].sent);
                out[i].setReceived(list[i].received);
            }
        });
    };
    std::vector<Host*> others;
    if (where == 0)
        for (Host* h : hosts_.all())
            if (h->number != myHost()) others.push_back(h);
    if (others.empty()) return send(who, local);
    // pvm_tasks(0) covers the whole machine: gather every daemon's list.
    auto all = std::make_shared<std::vector<TaskEntryRecord>>(std::move(local));
    auto outstanding = std::make_shared<int>(static_cast<int>(others.size()));
    for (Host* h : others) {
        int dtid = daemonTid(h->number);
        forward(
            h->number, who.tid, [&](wire::Request::Builder r) { ask(r, dtid); },
            [all, outstanding, who, send](const wire::Reply::Reader& reply) {
                if (reply.getError() == 0)
                    for (auto t : reply.getTasks())
                        all->push_back({t.getTid(), t.getParent(), t.getHostTid(), t.getFlags(), t.getName().cStr(),
                                        t.getPid(), t.getCpuMs(), t.getRssKb(), t.getSent(), t.getReceived()});
                if (--*outstanding == 0) send(who, *all);
            });
    }
}

void Daemon::handleSignal(const Requester& who, int tid, int number) {
    PVM_REQUIRE(number > 0 && number < NSIG, PvmBadParam, "signal " + std::to_string(number));
    if (hostOf(tid) != myHost()) {
        if (!hosts_.find(hostOf(tid))) throw Error(PvmNoTask, "task " + formatTid(tid));
        return forwardFor(who, hostOf(tid), [&](wire::Request::Builder r) {
            auto s = r.initSignal();
            s.setTid(tid);
            s.setNumber(number);
        });
    }
    Task* target = tasks_.find(tid);
    if (!target) throw Error(PvmNoTask, "task " + formatTid(tid));
    if (target->pid > 0) processes_.signal(target->pid, number);
    log_.write(formatTid(tid) + (number == SIGTERM ? " killed" : " sent signal " + std::to_string(number)) + " by " +
               formatTid(who.tid));
    respond(who, [](wire::Reply::Builder r) { r.setNone(); });
}

void Daemon::handleNotify(const Requester& who, const wire::Notify::Reader& n) {
    int what = n.getWhat();
    int event = what & ~PvmNotifyCancel;
    bool cancel = (what & PvmNotifyCancel) != 0;
    Subscription sub{who.tid, n.getTag(), n.getContext()};
    respond(who, [](wire::Reply::Builder r) { r.setNone(); });
    // Notify messages follow the reply, so the caller has returned from pvm_notify first.
    if (event == PvmHostAdd) {
        notifies_.setHostAdd(sub, cancel ? 0 : n.getCount());
        return;
    }
    for (int watched : n.getTids()) {
        if (event == PvmTaskExit && hostOf(watched) != myHost() && hosts_.find(hostOf(watched))) {
            // The owner's daemon watches the task; a copy here fires if that host dies.
            auto& copies = remoteWatches_[watched];
            if (cancel)
                std::erase(copies, sub);
            else
                copies.push_back(sub);
            forward(
                hostOf(watched), who.tid,
                [&](wire::Request::Builder r) {
                    auto fn = r.initNotify();
                    fn.setWhat(what);
                    fn.setTag(sub.tag);
                    fn.setCount(1);
                    fn.setContext(sub.context);
                    fn.initTids(1).set(0, watched);
                },
                [](const wire::Reply::Reader&) {});
            continue;
        }
        // PVM watches the host of any tid given for PvmHostDelete, and reports that tid.
        // A child that left PVM but still runs is announced when it ends, after its output.
        bool departed =
            std::any_of(departed_.begin(), departed_.end(), [&](const Departed& d) { return d.tid == watched; });
        bool exists = event == PvmTaskExit ? tasks_.find(watched) != nullptr || departed
                                           : hosts_.find(hostOf(watched)) != nullptr;
        if (cancel) {
            // PVM delivers a cancelled notify as if the event had happened.
            if (!notifies_.cancel(event, watched, sub)) continue;
        } else if (exists) {
            notifies_.watch(event, watched, sub);
            continue;
        }
        sendNotify(sub, watched);  // already gone (or cancelled): tell at once, as PVM does
    }
}

void Daemon::handleHalt(const Requester& who) {
    if (!isMaster()) return forwardFor(who, 1, [](wire::Request::Builder r) { r.setHalt(); });
    log_.write("halt requested by " + formatTid(who.tid));
    respond(who, [](wire::Reply::Builder r) { r.setNone(); });
    shutdown(who.tid);
}

void Daemon::handlePstat(const Requester& who, int tid) {
    if (hostOf(tid) != myHost() && hosts_.find(hostOf(tid)) && !isDaemonTid(tid))
        return forwardFor(who, hostOf(tid), [&](wire::Request::Builder r) { r.setPstat(tid); });
    bool alive = isDaemonTid(tid) ? hosts_.find(hostOf(tid)) != nullptr : tasks_.find(tid) != nullptr;
    if (!alive) throw Error(PvmNoTask, "task " + formatTid(tid));
    respond(who, [&](wire::Reply::Builder r) { r.setValue(PvmOk); });
}

void Daemon::handleMstat(const Requester& who, const std::string& host) {
    if (!isLocalHostName(host) && !hostByName(host)) throw Error(PvmNoHost, "host " + host);
    respond(who, [](wire::Reply::Builder r) { r.setValue(PvmOk); });
}

void Daemon::handleTidToHost(const Requester& who, int tid) {
    if (!hosts_.find(hostOf(tid))) throw Error(PvmNoHost, "tid " + formatTid(tid));
    respond(who, [&](wire::Reply::Builder r) { r.setValue(hostTidOf(tid)); });
}

void Daemon::handleHostClock(const Requester& who, int hostTid) {
    if (!isDaemonTid(hostTid) || !hosts_.find(hostOf(hostTid))) throw Error(PvmNoHost, "host " + formatTid(hostTid));
    if (hostOf(hostTid) != myHost())
        return forwardFor(who, hostOf(hostTid), [&](wire::Request::Builder r) { r.setHostClock(hostTid); });
    struct timeval now {};
    gettimeofday(&now, nullptr);
    respond(who, [&](wire::Reply::Builder r) { r.setClock(std::int64_t(now.tv_sec) * 1000000 + now.tv_usec); });
}

void Daemon::handleSetOutput(const Requester& who, const wire::Redirect::Reader& r) {
    Task* sender = tasks_.find(who.tid);
    if (!sender) throw Error(PvmNoTask, "task " + formatTid(who.tid));
    OutputSink sink{r.getTid(), r.getCode(), r.getContext()};
    sender->outputTid = sink.tid;
    sender->outputCode = sink.code;
    sender->outputContext = sink.context;
    output_.retarget(sender->tid, sink);
    respond(who, [](wire::Reply::Builder rep) { rep.setNone(); });
}

bool Daemon::isLocalHostName(const std::string& name) const {
    if (name == "." || name == "localhost" || name == hostName_) return true;
    // A short name matches a fully qualified one, as users type them.
    return hostName_.compare(0, name.size() + 1, name + ".") == 0;
}

}  // namespace pvm
