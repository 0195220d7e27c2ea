// session.cpp - enrollment and the control operations of a task (spawn, kill,
// config, tasks, notify, halt). Messages live in session_messages.cpp, options
// (pvm_setopt, pvm_getopt) in session_options.cpp.
#include "session.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "errors.h"
#include "paths.h"
#include "pvm3.h"
#include "tid.h"

namespace pvm {

namespace {
constexpr int kEnrollTimeoutMs = 10000;

std::string programName() {
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return "";
    path[n] = '\0';
    const char* base = std::strrchr(path, '/');
    return base ? base + 1 : path;
}

/// exportedEnvironment is PVM_EXPORT and every variable it names, as NAME=value.
std::vector<std::string> exportedEnvironment() {
    std::vector<std::string> env;
    const char* names = std::getenv("PVM_EXPORT");
    if (!names) return env;
    env.push_back(std::string("PVM_EXPORT=") + names);
    std::string list = names;
    std::size_t start = 0;
    while (start <= list.size()) {
        std::size_t end = list.find(':', start);
        if (end == std::string::npos) end = list.size();
        std::string name = list.substr(start, end - start);
        if (!name.empty() && name != "PVM_EXPORT")
            if (const char* value = std::getenv(name.c_str())) env.push_back(name + "=" + value);
        start = end + 1;
    }
    return env;
}
}  // namespace

Session& Session::instance() {
    static Session* session = new Session();  // never destroyed: atexit order is not ours
    return *session;
}

int autoErrSetting() { return Session::instance().autoErr_; }

Session::Answer Session::call(const RequestFill& fill) {
    requireEnrolled();
    capnp::MallocMessageBuilder builder;
    auto request = builder.initRoot<wire::Packet>().initRequest();
    std::uint32_t id = control_.open(request);
    fill(request);
    // The daemon could not read a bigger one, and would never answer it.
    if (std::size_t bytes = packetBytes(builder); bytes > kMaxPacketBytes) {
        control_.cancel(id);
        throw Error(PvmOverflow, "request of " + std::to_string(bytes) + " bytes, over the limit of " +
                                     std::to_string(kMaxPacketBytes));
    }
    try {
        link_->send(builder);
        awaitReply(id);
    } catch (...) {
        control_.cancel(id);
        throw;
    }
    Answer answer{control_.take(id)};
    // PVM runs the handlers of the messages it read while it waited for its daemon; not
    // inside a call the library makes for itself in the middle of a send (see HandlersHeld).
    if (handlersHeld_ == 0) mail_.runHandlers();
    auto reply = answer.reply();
    if (reply.getError() != 0) throw Error(reply.getError(), reply.getErrorText().cStr());
    return answer;
}

bool Session::awaitReply(std::uint32_t id, std::optional<std::chrono::steady_clock::time_point> deadline) {
    for (;;) {
        if (control_.answered(id)) return true;
        int wait = -1;
        if (deadline) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            wait = static_cast<int>(left.count());
        }
        pump(wait);
    }
}

void Session::enroll() {
    auto link = std::make_unique<DaemonLink>();
    capnp::MallocMessageBuilder builder;
    auto request = builder.initRoot<wire::Packet>().initRequest();
    request.setId(0);
    auto e = request.initEnroll();
    e.setPid(getpid());
    const char* spawned = std::getenv("PVM_SPAWN_TID");
    e.setSpawnedTid(spawned ? std::atoi(spawned) : 0);
    e.setName(programName());
    e.setProtocolVersion(kProtocolVersion);
    link->send(builder);

    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kEnrollTimeoutMs);
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) throw Error(PvmSysErr, "pvmd did not answer enrollment");
        auto in = link->receive(static_cast<int>(left.count()));
        if (!in) continue;
        PacketReader reader(in->packet);
        auto packet = reader.packet();
        if (!packet.isReply() || packet.getReply().getId() != 0) continue;
        auto reply = packet.getReply();
        if (reply.getError() != 0) throw Error(reply.getError(), reply.getErrorText().cStr());
        auto enrolled = reply.getEnrolled();
        tid_ = enrolled.getTid();
        parent_ = enrolled.getParent();
        hostTid_ = enrolled.getHostTid();
        siblings_.clear();
        for (int s : enrolled.getSiblings()) siblings_.push_back(s);
        // Children inherit output routing from their parent, as in PVM.
        outputTid_ = selfOutputTid_ = enrolled.getOutputTid();
        outputCode_ = selfOutputCode_ = enrolled.getOutputCode();
        outputContext_ = selfOutputContext_ = enrolled.getOutputContext();
        context_ = enrolled.getContext();
        hostAddress_ = enrolled.getHostAddress().cStr();
        machineKeys_ = enrolled.getMachineKeys().cStr();
        break;
    }
    // A program this task starts by other means must not claim our tid.
    unsetenv("PVM_SPAWN_TID");
    link_ = std::move(link);
    enrolledPid_ = getpid();
    inheritTracing();
    if (afterEnroll) afterEnroll();
    static bool farewellRegistered = false;
    if (!farewellRegistered) {
        std::atexit([] { Session::instance().farewell(); });
        farewellRegistered = true;
    }
}

void Session::farewell() noexcept {
    // A task that returns from main without pvm_exit still says goodbye, so the daemon
    // sees every message it sent before it counts the task as exited. A forked copy of
    // the task must not speak on its parent's connection.
    if (!link_ || getpid() != enrolledPid_) return;
    try {
        remote_.reset();  // its messages leave before the daemon hears of the exit
        capnp::MallocMessageBuilder builder;
        auto request = builder.initRoot<wire::Packet>().initRequest();
        std::uint32_t id = control_.open(request);
        request.setExit();
        link_->send(builder);
        awaitReply(id, std::chrono::steady_clock::now() + std::chrono::seconds(2));
    } catch (...) {
        // Leaving anyway: nothing useful can be done about a failure here.
    }
    link_.reset();
    direct_.reset();  // closes the rings and removes the wake FIFO
}

int Session::tid() {
    requireEnrolled();
    return tid_;
}

int Session::parent() {
    requireEnrolled();
    // A task spawned with PvmNoSpawnParent learns PvmParentNotSet, as an answer (PVM 3.4.6).
    PVM_REQUIRE(parent_ > 0 || parent_ == PvmParentNotSet, PvmNoParent, "");
    return parent_;
}

const std::vector<int>& Session::siblings() {
    requireEnrolled();
    if (siblings_.empty()) siblings_.push_back(tid_);
    return siblings_;
}

int Session::hostTid() {
    requireEnrolled();
    return hostTid_;
}

void Session::leave() {
    remote_.reset();
    link_.reset();
    direct_.reset();  // closes the rings and removes the wake FIFO
    control_.clear();
    mail_.handlers() = HandlerTable();  // a task that enrols again starts as a new one
    tid_ = parent_ = hostTid_ = 0;
    siblings_.clear();
}

void Session::exit(const std::function<void()>& lastWords) {
    if (!link_) return;
    // pvm_exit waits for the output of caught children, as PVM documents, and says so in
    // PVM's words.
    if (catcher_.busy()) {
        std::fprintf(stderr, "libpvm [%s]: child task(s) still running.  waiting...\n", formatTid(tid_).c_str());
        std::fflush(stderr);
    }
    while (catcher_.busy()) pump(-1);
    remote_.reset();  // its messages leave before the daemon hears of the exit
    call([](wire::Request::Builder r) { r.setExit(); });
    std::fflush(stdout);  // as PVM 3.4.6's pvm_exit: what its handlers printed shows now
    if (lastWords) lastWords();
    leave();
}

void Session::halt() {
    call([](wire::Request::Builder r) { r.setHalt(); });
    // The daemon ends every other task: a ring none of them has mapped would outlive us all.
    if (direct_) direct_->abandonUnread();
    leave();
}

std::vector<int> Session::spawn(const SpawnRequest& req) {
    PVM_REQUIRE(!req.file.empty(), PvmBadParam, "empty executable name");
    PVM_REQUIRE(req.count >= 1, PvmBadParam, "task count " + std::to_string(req.count));
    auto answer = call([&](wire::Request::Builder r) {
        auto s = r.initSpawn();
        s.setFile(req.file);
        auto argv = s.initArgv(static_cast<unsigned>(req.argv.size()));
        for (unsigned i = 0; i < req.argv.size(); ++i) argv.set(i, req.argv[i]);
        s.setFlags(req.flags);
        s.setWhere(req.where);
        s.setCount(req.count);
        auto exported = exportedEnvironment();
        if (std::string trace = traceInheritance(req.flags); !trace.empty()) exported.push_back(trace);
        auto env = s.initEnv(static_cast<unsigned>(exported.size()));
        for (unsigned i = 0; i < exported.size(); ++i) env.set(i, exported[i]);
        s.setOutputTid(outputTid_);
        s.setOutputCode(outputCode_);
        s.setOutputContext(outputContext_);
        s.setContext(context_);
    });
    std::vector<int> tids;
    for (int t : answer.reply().getTids()) tids.push_back(t);
    return tids;
}

void Session::kill(int tid) {
    PVM_REQUIRE(isTaskTid(tid), PvmBadParam, "tid " + formatTid(tid));
    call([&](wire::Request::Builder r) { r.setKill(tid); });
}

void Session::sendSignal(int tid, int number) {
    PVM_REQUIRE(isTaskTid(tid), PvmBadParam, "tid " + formatTid(tid));
    PVM_REQUIRE(number > 0 && number < 65, PvmBadParam, "signal " + std::to_string(number));
    call([&](wire::Request::Builder r) {
        auto s = r.initSignal();
        s.setTid(tid);
        s.setNumber(number);
    });
}

std::vector<HostEntry> Session::config(std::string* slurmJob) {
    auto answer = call([](wire::Request::Builder r) { r.setConfig(); });
    if (slurmJob) *slurmJob = answer.reply().getSlurmJob().cStr();
    std::vector<HostEntry> hosts;
    for (auto h : answer.reply().getHosts())
        hosts.push_back({h.getTid(), h.getName().cStr(), h.getArch().cStr(), h.getSpeed(), h.getDataSignature()});
    return hosts;
}

std::vector<TaskEntry> Session::tasks(int where, bool usage) {
    PVM_REQUIRE(where == 0 || isTaskTid(where) || isDaemonTid(where), PvmBadParam, "where " + formatTid(where));
    auto answer = call([&](wire::Request::Builder r) {
        if (usage)
            r.setTasksUsage(where);
        else
            r.setTasks(where);
    });
    std::vector<TaskEntry> tasks;
    for (auto t : answer.reply().getTasks())
        tasks.push_back({t.getTid(), t.getParent(), t.getHostTid(), t.getFlags(), t.getName().cStr(), t.getPid(),
                         t.getCpuMs(), t.getRssKb(), t.getSent(), t.getReceived()});
    return tasks;
}

int Session::pstat(int tid) {
    PVM_REQUIRE(isTaskTid(tid) || isDaemonTid(tid), PvmBadParam, "tid " + formatTid(tid));
    return call([&](wire::Request::Builder r) { r.setPstat(tid); }).reply().getValue();
}

int Session::mstat(const std::string& host) {
    PVM_REQUIRE(!host.empty(), PvmBadParam, "empty host name");
    return call([&](wire::Request::Builder r) { r.setMstat(host); }).reply().getValue();
}

int Session::tidToHost(int tid) {
    PVM_REQUIRE(isTaskTid(tid) || isDaemonTid(tid), PvmBadParam, "tid " + formatTid(tid));
    return call([&](wire::Request::Builder r) { r.setTidToHost(tid); }).reply().getValue();
}

void Session::notify(int what, int tag, int count, std::span<const int> tids) {
    int event = what & ~PvmNotifyCancel;
    PVM_REQUIRE(event == PvmTaskExit || event == PvmHostDelete || event == PvmHostAdd, PvmBadParam,
                "notify event " + std::to_string(what));
    PVM_REQUIRE(tag >= 0 || resvTids_, PvmBadParam, "tag " + std::to_string(tag));
    if (event != PvmHostAdd) {
        PVM_REQUIRE(count >= 0 && tids.size() == static_cast<std::size_t>(count), PvmBadParam, "tid count");
        // PvmHostDelete takes any tid, as PVM 3.4.6 does: the daemon watches its host.
        for (int t : tids) PVM_REQUIRE(event != PvmTaskExit || isTaskTid(t), PvmBadParam, "tid " + formatTid(t));
    } else {
        PVM_REQUIRE(count >= -1, PvmBadParam, "count " + std::to_string(count));
    }
    call([&](wire::Request::Builder r) {
        auto n = r.initNotify();
        n.setWhat(what);
        n.setTag(tag);
        n.setCount(count);
        n.setContext(context_);
        auto list = n.initTids(static_cast<unsigned>(tids.size()));
        for (unsigned i = 0; i < tids.size(); ++i) list.set(i, tids[i]);
    });
}

std::vector<int> Session::addHosts(const std::vector<std::string>& lines) { return changeHosts(lines, true); }

std::vector<int> Session::changeHosts(const std::vector<std::string>& names, bool add) {
    for (const auto& n : names) PVM_REQUIRE(!n.empty(), PvmBadParam, "empty host name");
    auto answer = call([&](wire::Request::Builder r) {
        auto list = add ? r.initAddHosts(static_cast<unsigned>(names.size()))
                        : r.initDelHosts(static_cast<unsigned>(names.size()));
        for (unsigned i = 0; i < names.size(); ++i) list.set(i, names[i]);
    });
    std::vector<int> results;
    for (int v : answer.reply().getResults()) results.push_back(v);
    return results;
}

std::int64_t Session::hostClock(int hostTid) {
    PVM_REQUIRE(isDaemonTid(hostTid), PvmBadParam, "host " + formatTid(hostTid));
    return call([&](wire::Request::Builder r) { r.setHostClock(hostTid); }).reply().getClock();
}

std::vector<int> Session::delHosts(const std::vector<std::string>& names) { return changeHosts(names, false); }

void Session::catchOutput(std::FILE* file) {
    if (file) {
        catcher_.setFile(file);
        outputTid_ = tid();
        outputCode_ = kCatchOutputTag;
    } else {
        outputTid_ = 0;
        outputCode_ = 0;
    }
}

int Session::eventFd() {
    requireEnrolled();
    // One descriptor over the daemon socket and the direct route's wake FIFO.
    if (!direct_) direct_ = std::make_unique<DirectLinks>(tid_);
    int fd = direct_->eventFd(link_->eventFd());
    if (remote_ && remote_->inboxFd() >= 0) direct_->watch(remote_->inboxFd());
    return fd;
}

}  // namespace pvm
