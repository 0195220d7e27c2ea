// daemon_spawn.cpp - spawning: placement of pvm_spawn's tasks over the hosts (the
// master decides), starting them here from the loop (spawner.h), and the debugger
// of PvmTaskDebug.
#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon.h"
#include "errors.h"
#include "pvm3.h"
#include "spawner.h"
#include "tid.h"

namespace pvm {

void Daemon::handleSpawn(const Requester& who, const wire::Spawn::Reader& s) {
    int flags = s.getFlags();
    int count = s.getCount();
    PVM_REQUIRE(count >= 1 && count <= 4096, PvmBadParam, "task count " + std::to_string(count));
    std::string where = s.getWhere().cStr();
    std::string workDir;  // ":dir" travels with the request to whichever host runs it
    if (auto colon = where.find(':'); colon != std::string::npos) {
        workDir = where.substr(colon + 1);
        where.erase(colon);
    }
    // Candidate hosts, fastest first; the local host is also in the table.
    std::vector<Host*> candidates;
    for (Host* h : hosts_.all()) {
        bool named = (flags & PvmTaskHost) && !where.empty();
        bool byArch = (flags & PvmTaskArch) && !where.empty();
        bool match = named    ? (h->number == myHost() ? isLocalHostName(where) : h->name == where)
                     : byArch ? h->arch == where
                              : true;
        if (flags & PvmHostCompl) match = !match;
        if (match) candidates.push_back(h);
    }
    if (candidates.empty()) {
        respond(who, [&](wire::Reply::Builder r) {
            auto list = r.initTids(static_cast<unsigned>(count));
            for (int i = 0; i < count; ++i) list.set(static_cast<unsigned>(i), PvmNoHost);
        });
        return;
    }
    if (!isMaster() && candidates.size() > 1)
        // Only the master hears every host's load, so it places tasks that may go anywhere.
        return forwardFor(who, 1, [&](wire::Request::Builder r) { r.setSpawn(s); });
    // Each task goes where it will finish soonest: the fewest tasks per unit of speed, so
    // the fastest idle hosts fill first (see docs/architecture.md, "Placement").
    if (Host* self = hosts_.find(myHost())) self->load = static_cast<int>(tasks_.size());
    std::map<int, std::vector<int>> slots;  // host number -> indexes in the result
    for (int i = 0; i < count; ++i) {
        Host* best = nullptr;
        double bestCost = 0;
        for (Host* h : candidates) {
            double cost = (h->load + 1.0) / std::max(1, h->speed);
            if (!best || cost < bestCost) best = h, bestCost = cost;
        }
        slots[best->number].push_back(i);
        ++best->load;  // counted now; the host's next heartbeat brings the true figure
    }

    // One part per host, +1 until every part is under way.
    auto gather = std::make_shared<ResultGather>(ResultGather{
        who, std::vector<int>(static_cast<std::size_t>(count), PvmNoHost), static_cast<int>(slots.size()) + 1, true});
    auto finishOne = [this, gather]() { partDone(gather); };
    for (auto& [number, indexes] : slots) {
        if (number == myHost()) {
            std::vector<int> tids = spawnHere(who.tid, s, static_cast<int>(indexes.size()), workDir);
            for (std::size_t k = 0; k < indexes.size(); ++k)
                gather->results[static_cast<std::size_t>(indexes[k])] = tids[k];
            finishOne();
            continue;
        }
        Host* host = hosts_.find(number);
        std::string hostName = host->name;
        auto part = indexes;
        forward(
            number, who.tid,
            [&](wire::Request::Builder r) {
                r.setSpawn(s);
                auto fs = r.getSpawn();
                fs.setFlags((flags & ~(PvmTaskArch | PvmHostCompl)) | PvmTaskHost);
                fs.setWhere(hostName + (workDir.empty() ? "" : ":" + workDir));
                fs.setCount(static_cast<int>(part.size()));
            },
            [gather, part, finishOne](const wire::Reply::Reader& reply) {
                auto tids = reply.getTids();
                for (std::size_t k = 0; k < part.size(); ++k)
                    gather->results[static_cast<std::size_t>(part[k])] =
                        reply.getError() != 0 ? reply.getError()
                                              : (k < tids.size() ? tids[static_cast<unsigned>(k)] : PvmSysErr);
                finishOne();
            });
    }
    finishOne();
}

std::vector<int> Daemon::spawnHere(int parent, const wire::Spawn::Reader& s, int count, const std::string& wd) {
    std::string workDir = wd.empty() ? workDir_ : wd[0] == '/' ? wd : workDir_ + "/" + wd;
    int code = 0;  // a reason every copy fails for
    std::optional<std::string> path = findExecutable(s.getFile().cStr(), workDir, options_.executablePath);
    // What would make every start fail is found now, while the spawner still waits for the tids.
    struct stat dir {};
    if (!path || stat(workDir.c_str(), &dir) != 0 || !S_ISDIR(dir.st_mode)) code = PvmNoFile;
    std::vector<std::string> args;
    for (auto a : s.getArgv()) args.push_back(a.cStr());
    if ((s.getFlags() & PvmTaskDebug) && path) {
        // As PVM: the debugger program runs with the task's path and arguments.
        std::string debugger = debuggerProgram();
        args.insert(args.begin(), *path);
        const char* searchPath = std::getenv("PATH");
        path = findExecutable(debugger, workDir, searchPath ? searchPath : "/usr/bin:/bin");
        if (!path) {
            code = PvmNoFile;
            log_.write("spawn with PvmTaskDebug: no debugger " + debugger + " (bx= or $PVM_DEBUGGER)");
        }
    }
    std::vector<std::string> env;
    for (auto v : s.getEnv()) env.push_back(v.cStr());
    OutputSink sink{s.getOutputTid(), s.getOutputCode(), s.getOutputContext()};
    if (sink.tid != 0 && hostOf(sink.tid) == myHost() && !tasks_.find(sink.tid)) sink = {};

    std::vector<int> result(static_cast<std::size_t>(count), code);
    std::vector<int> started;
    const char* base = std::strrchr(s.getFile().cStr(), '/');
    std::string name = base ? base + 1 : s.getFile().cStr();
    // The tids are the answer; the processes start from the loop right after it is sent
    // (startQueued), a few at a time, so the daemon goes on routing meanwhile and the
    // spawner does not wait for children that compete with the daemon for the CPU. A task
    // that cannot start then exits, as a PVM task whose exec fails does.
    for (int i = 0; i < count && !code; ++i) {
        int tid = tasks_.allocateTid();
        if (tid == 0) {
            result[static_cast<std::size_t>(i)] = PvmOutOfRes;
            continue;
        }
        Task t;
        t.tid = tid;
        // PvmNoSpawnParent: the child has no parent (PVM shows PvmParentNotSet), yet its
        // output still goes where the spawner's goes.
        t.parent = (s.getFlags() & PvmNoSpawnParent) ? PvmParentNotSet : parent;
        t.child = true;
        t.name = name;
        t.outputTid = sink.tid;
        t.outputCode = sink.code;
        t.outputContext = sink.context;
        t.context = s.getContext();
        tasks_.add(std::move(t));
        std::vector<std::string> taskEnv = env;
        taskEnv.push_back("PVM_SPAWN_TID=" + std::to_string(tid));
        spawnQueue_.push_back({tid, parent, *path, args, std::move(taskEnv), workDir, sink});
        output_.begin(tid, sink);
        result[static_cast<std::size_t>(i)] = tid;
        started.push_back(tid);
    }
    // Siblings are known before any child can enroll.
    for (int tid : started) tasks_.find(tid)->siblings = started;
    return result;
}

void Daemon::startQueued(std::size_t most) {
    for (; most > 0 && !spawnQueue_.empty(); --most) {
        SpawnJob job = std::move(spawnQueue_.front());
        spawnQueue_.pop_front();
        Task* t = tasks_.find(job.tid);
        if (!t) continue;  // killed before it started
        try {
            StartedProcess p = processes_.startTask(job.path, job.args, job.env, job.workDir);
            t->pid = p.pid;
            t->pidfd = p.pidfd;
            watchExit(p.pidfd, job.tid);
            output_.open(job.tid, p.outputFd, job.sink, true);
            log_.write(formatTid(job.tid) + " spawned by " + formatTid(job.parent) + ": " + job.path + ", pid " +
                       std::to_string(p.pid));
        } catch (const Error& e) {
            log_.write("spawn of " + job.path + " failed: " + e.what());
            output_.abandon(job.tid, job.sink);
            taskGone(job.tid, "did not start");
        }
    }
}

std::string Daemon::debuggerProgram() const {
    if (!options_.debuggerPath.empty()) return options_.debuggerPath;
    if (const char* d = std::getenv("PVM_DEBUGGER"); d && *d) return d;
    // PVM's place for it, when there is one there: with PVM_ROOT set to this project's
    // prefix, which has none, the one installed beside this pvmd.
    if (const char* root = std::getenv("PVM_ROOT"); root && *root) {
        std::string legacy = std::string(root) + "/lib/debugger";
        if (access(legacy.c_str(), X_OK) == 0) return legacy;
    }
    std::string self = ownExecutable();
    return self.substr(0, self.rfind('/') + 1) + "pvm-debugger";
}

}  // namespace pvm
