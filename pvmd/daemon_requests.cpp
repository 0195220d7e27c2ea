// daemon_requests.cpp - one handler per request type a task can send.
#include <csignal>
#include <cstring>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "daemon.h"
#include "errors.h"
#include "paths.h"
#include "pvm3.h"
#include "spawner.h"
#include "tid.h"
#include "wire.h"

namespace pvm {

template <class Fill>
void Daemon::reply(const std::string& route, std::uint32_t id, Fill fill) {
    capnp::MallocMessageBuilder builder;
    auto r = builder.initRoot<wire::Packet>().initReply();
    r.setId(id);
    fill(r);
    std::vector<zmq::message_t> frames;
    frames.push_back(toFrame(builder));
    sendToRoute(route, frames);
}

void Daemon::replyError(const std::string& route, std::uint32_t id, int code, const std::string& text) {
    reply(route, id, [&](wire::Reply::Builder r) {
        r.setError(code);
        r.setErrorText(text);
    });
}

void Daemon::handleRequest(const std::string& route, Task* sender, const wire::Request::Reader& request) {
    std::uint32_t id = request.getId();
    if (request.isEnroll()) return handleEnroll(route, id, request.getEnroll());
    if (!sender) return replyError(route, id, PvmSysErr, "enroll first");
    try {
        switch (request.which()) {
            case wire::Request::EXIT:
                return handleExit(*sender, id);
            case wire::Request::SPAWN:
                return handleSpawn(*sender, id, request.getSpawn());
            case wire::Request::CONFIG:
                return handleConfig(*sender, id);
            case wire::Request::TASKS:
                return handleTasks(*sender, id, request.getTasks());
            case wire::Request::KILL:
                return handleKill(*sender, id, request.getKill());
            case wire::Request::NOTIFY:
                return handleNotify(*sender, id, request.getNotify());
            case wire::Request::HALT:
                return handleHalt(*sender, id);
            case wire::Request::PSTAT:
                return handlePstat(*sender, id, request.getPstat());
            case wire::Request::MSTAT:
                return handleMstat(*sender, id, request.getMstat().cStr());
            case wire::Request::TID_TO_HOST:
                return handleTidToHost(*sender, id, request.getTidToHost());
            case wire::Request::SET_OUTPUT:
                return handleSetOutput(*sender, id, request.getSetOutput());
            default:
                return replyError(route, id, PvmNotImpl, "request type not implemented by this pvmd");
        }
    } catch (const Error& e) {
        replyError(route, id, e.code(), e.what());
    }
}

void Daemon::handleEnroll(const std::string& route, std::uint32_t id, const wire::Enroll::Reader& e) {
    if (e.getProtocolVersion() != kProtocolVersion)
        return replyError(route, id, PvmBadVersion, "library and pvmd protocol versions differ");
    Task* task = tasks_.findByRoute(route);
    if (!task) {
        Task* spawned = tasks_.find(e.getSpawnedTid());
        // A spawned task proves who it is by its pid; anyone else enrolls as a new task.
        if (spawned && !spawned->routingId && spawned->pid == e.getPid()) {
            task = spawned;
        } else {
            int tid = tasks_.allocateTid();
            if (tid == 0) return replyError(route, id, PvmOutOfRes, "no free task ids on this host");
            Task t;
            t.tid = tid;
            t.pid = e.getPid();
            t.pidfd = static_cast<int>(syscall(SYS_pidfd_open, t.pid, 0));
            t.name = e.getName().cStr();
            task = &tasks_.add(std::move(t));
            log_.write(formatTid(tid) + " enrolled (" + task->name + ", pid " + std::to_string(task->pid) + ")");
        }
        tasks_.connect(*task, route);
    }
    reply(route, id, [&](wire::Reply::Builder r) {
        auto en = r.initEnrolled();
        en.setTid(task->tid);
        en.setParent(task->parent > 0 ? task->parent : PvmNoParent);
        en.setHostTid(hostTid_);
        auto s = en.initSiblings(static_cast<unsigned>(task->siblings.size()));
        for (unsigned i = 0; i < task->siblings.size(); ++i) s.set(i, task->siblings[i]);
        en.setOutputTid(task->outputTid);
        en.setOutputCode(task->outputCode);
        en.setOutputContext(task->outputContext);
    });
    // Messages that arrived while the task was starting go out after its enroll reply.
    while (!task->waiting.empty()) {
        sendToRoute(route, task->waiting.front().frames);
        task->waiting.pop_front();
    }
}

void Daemon::handleExit(Task& sender, std::uint32_t id) {
    std::string route = *sender.routingId;
    int tid = sender.tid;
    reply(route, id, [](wire::Reply::Builder r) { r.setNone(); });
    taskGone(tid, "left PVM (pvm_exit)");
}

void Daemon::handleSpawn(Task& sender, std::uint32_t id, const wire::Spawn::Reader& s) {
    int flags = s.getFlags();
    int count = s.getCount();
    PVM_REQUIRE(count >= 1 && count <= 4096, PvmBadParam, "task count " + std::to_string(count));
    std::string where = s.getWhere().cStr();
    std::string workDir = workDir_;
    if (auto colon = where.find(':'); colon != std::string::npos) {
        std::string wd = where.substr(colon + 1);
        where.erase(colon);
        if (!wd.empty()) workDir = wd[0] == '/' ? wd : workDir_ + "/" + wd;
    }
    int code = 0;  // a reason every copy fails for
    if ((flags & PvmTaskHost) && !where.empty() && !isLocalHostName(where)) code = PvmNoHost;
    if ((flags & PvmTaskArch) && !where.empty() && where != archName()) code = PvmNoHost;
    if ((flags & PvmHostCompl) && (flags & (PvmTaskHost | PvmTaskArch))) code = PvmNoHost;  // one host only
    std::optional<std::string> path;
    if (!code) {
        path = findExecutable(s.getFile().cStr(), workDir);
        if (!path) code = PvmNoFile;
    }
    std::vector<std::string> args;
    for (auto a : s.getArgv()) args.push_back(a.cStr());
    std::vector<std::string> env;
    for (auto v : s.getEnv()) env.push_back(v.cStr());
    OutputSink sink{s.getOutputTid(), s.getOutputCode(), s.getOutputContext()};
    if (sink.tid != 0 && !tasks_.find(sink.tid)) sink = {};

    std::vector<int> result(static_cast<std::size_t>(count), code);
    std::vector<int> started;
    const char* base = std::strrchr(s.getFile().cStr(), '/');
    std::string name = base ? base + 1 : s.getFile().cStr();
    for (int i = 0; i < count && !code; ++i) {
        int tid = tasks_.allocateTid();
        if (tid == 0) {
            result[i] = PvmOutOfRes;
            continue;
        }
        std::vector<std::string> taskEnv = env;
        taskEnv.push_back("PVM_SPAWN_TID=" + std::to_string(tid));
        try {
            StartedProcess p = startProcess(*path, args, taskEnv, workDir);
            Task t;
            t.tid = tid;
            t.parent = sender.tid;
            t.pid = p.pid;
            t.pidfd = p.pidfd;
            t.child = true;
            t.name = name;
            t.outputTid = sink.tid;
            t.outputCode = sink.code;
            t.outputContext = sink.context;
            tasks_.add(std::move(t));
            output_.open(tid, p.outputFd, sink);
            result[i] = tid;
            started.push_back(tid);
            log_.write(formatTid(tid) + " spawned by " + formatTid(sender.tid) + ": " + *path + ", pid " +
                       std::to_string(p.pid));
        } catch (const Error& e) {
            result[i] = e.code();
            log_.write(std::string("spawn of ") + s.getFile().cStr() + " failed: " + e.what());
        }
    }
    // Siblings are known before any child can enroll: this loop runs to the end first.
    for (int tid : started) tasks_.find(tid)->siblings = started;
    reply(*sender.routingId, id, [&](wire::Reply::Builder r) {
        auto list = r.initTids(static_cast<unsigned>(result.size()));
        for (unsigned i = 0; i < result.size(); ++i) list.set(i, result[i]);
    });
}

void Daemon::handleConfig(Task& sender, std::uint32_t id) {
    reply(*sender.routingId, id, [&](wire::Reply::Builder r) {
        auto hosts = r.initHosts(1);
        hosts[0].setTid(hostTid_);
        hosts[0].setName(hostName_);
        hosts[0].setArch(archName());
        hosts[0].setSpeed(1000);
        hosts[0].setDataSignature(0);
    });
}

void Daemon::handleTasks(Task& sender, std::uint32_t id, int where) {
    std::vector<Task*> selected;
    if (where == 0 || where == hostTid_) {
        for (int tid : tasks_.tids()) selected.push_back(tasks_.find(tid));
    } else if (isDaemonTid(where)) {
        throw Error(PvmNoHost, "host " + formatTid(where));
    } else if (Task* t = tasks_.find(where)) {
        selected.push_back(t);
    }
    reply(*sender.routingId, id, [&](wire::Reply::Builder r) {
        auto list = r.initTasks(static_cast<unsigned>(selected.size()));
        for (unsigned i = 0; i < selected.size(); ++i) {
            const Task& t = *selected[i];
            list[i].setTid(t.tid);
            list[i].setParent(t.parent);
            list[i].setHostTid(hostTid_);
            list[i].setFlags(t.routingId ? 4 : 0);  // 4: connected to its pvmd
            list[i].setName(t.name);
            list[i].setPid(t.pid);
        }
    });
}

void Daemon::handleKill(Task& sender, std::uint32_t id, int tid) {
    Task* target = tasks_.find(tid);
    if (!target) throw Error(PvmNoTask, "task " + formatTid(tid));
    if (target->pid > 0) kill(target->pid, SIGTERM);
    log_.write(formatTid(tid) + " killed by " + formatTid(sender.tid));
    reply(*sender.routingId, id, [](wire::Reply::Builder r) { r.setNone(); });
}

void Daemon::handleNotify(Task& sender, std::uint32_t id, const wire::Notify::Reader& n) {
    int what = n.getWhat();
    int event = what & ~PvmNotifyCancel;
    bool cancel = (what & PvmNotifyCancel) != 0;
    Subscription sub{sender.tid, n.getTag(), n.getContext()};
    std::string route = *sender.routingId;
    reply(route, id, [](wire::Reply::Builder r) { r.setNone(); });
    // Notify messages follow the reply, so the caller has returned from pvm_notify first.
    if (event == PvmHostAdd) {
        notifies_.setHostAdd(sub, cancel ? 0 : n.getCount());
        return;
    }
    for (int watched : n.getTids()) {
        bool exists = event == PvmTaskExit ? tasks_.find(watched) != nullptr : watched == hostTid_;
        if (cancel) {
            // PVM delivers a cancelled notify as if the event had happened.
            if (!notifies_.cancel(event, watched, sub)) continue;
        } else if (exists) {
            notifies_.watch(event, watched, sub);
            continue;
        }
        // Already gone (or cancelled): tell at once, as PVM does.
        MessageBuffer body(PvmDataDefault);
        body.pack(DataType::Int, &watched, 1, 1);
        sendSystemMessage(sender.tid, sub.tag, sub.context, std::move(body));
    }
}

void Daemon::handleHalt(Task& sender, std::uint32_t id) {
    log_.write("halt requested by " + formatTid(sender.tid));
    reply(*sender.routingId, id, [](wire::Reply::Builder r) { r.setNone(); });
    shutdown(sender.tid);
}

void Daemon::handlePstat(Task& sender, std::uint32_t id, int tid) {
    int status = (tid == hostTid_ || tasks_.find(tid)) ? PvmOk : PvmNoTask;
    if (status != PvmOk) throw Error(status, "task " + formatTid(tid));
    reply(*sender.routingId, id, [&](wire::Reply::Builder r) { r.setValue(status); });
}

void Daemon::handleMstat(Task& sender, std::uint32_t id, const std::string& host) {
    if (!isLocalHostName(host)) throw Error(PvmNoHost, "host " + host);
    reply(*sender.routingId, id, [](wire::Reply::Builder r) { r.setValue(PvmOk); });
}

void Daemon::handleTidToHost(Task& sender, std::uint32_t id, int tid) {
    if (hostTidOf(tid) != hostTid_) throw Error(PvmNoHost, "tid " + formatTid(tid));
    reply(*sender.routingId, id, [&](wire::Reply::Builder r) { r.setValue(hostTid_); });
}

void Daemon::handleSetOutput(Task& sender, std::uint32_t id, const wire::Redirect::Reader& r) {
    OutputSink sink{r.getTid(), r.getCode(), r.getContext()};
    sender.outputTid = sink.tid;
    sender.outputCode = sink.code;
    sender.outputContext = sink.context;
    output_.retarget(sender.tid, sink);
    reply(*sender.routingId, id, [](wire::Reply::Builder rep) { rep.setNone(); });
}

bool Daemon::isLocalHostName(const std::string& name) const {
    if (name == "." || name == "localhost" || name == hostName_) return true;
    // A short name matches a fully qualified one, as users type them.
    return hostName_.compare(0, name.size() + 1, name + ".") == 0;
}

}  // namespace pvm
