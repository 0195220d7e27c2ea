// daemon.h - the pvmd of one host: one event loop on one thread that routes
// user messages between tasks and answers their requests.
#pragma once

#include <string>
#include <vector>
#include <zmq.hpp>

#include "daemon_log.h"
#include "message_buffer.h"
#include "notify_table.h"
#include "output_relay.h"
#include "pvm.capnp.h"
#include "task_table.h"

namespace pvm {

/// DaemonOptions are pvmd's command-line settings.
struct DaemonOptions {
    std::string hostName;  // name reported by pvm_config; default: gethostname()
    int debugMask = 0;
};

/// Daemon serves the tasks of this host.
class Daemon {
public:
    explicit Daemon(DaemonOptions options);
    ~Daemon();
    /// start binds the local endpoint and writes the address file; throws Error.
    void start();
    /// run serves until halted or signalled (SIGTERM, SIGINT).
    void run();

private:
    // Event sources.
    void onRouterReadable();
    void onProcessExited(int pidfd);
    void onSignal();
    void handleFrames(std::vector<zmq::message_t>& frames);
    void routeUserMessage(Task& sender, const wire::Envelope::Reader& envelope, std::vector<zmq::message_t>& frames);

    // Requests, one handler per type (daemon_requests.cpp).
    void handleRequest(const std::string& route, Task* sender, const wire::Request::Reader& request);
    void handleEnroll(const std::string& route, std::uint32_t id, const wire::Enroll::Reader& e);
    void handleExit(Task& sender, std::uint32_t id);
    void handleSpawn(Task& sender, std::uint32_t id, const wire::Spawn::Reader& s);
    void handleConfig(Task& sender, std::uint32_t id);
    void handleTasks(Task& sender, std::uint32_t id, int where);
    void handleKill(Task& sender, std::uint32_t id, int tid);
    void handleNotify(Task& sender, std::uint32_t id, const wire::Notify::Reader& n);
    void handleHalt(Task& sender, std::uint32_t id);
    void handlePstat(Task& sender, std::uint32_t id, int tid);
    void handleMstat(Task& sender, std::uint32_t id, const std::string& host);
    void handleTidToHost(Task& sender, std::uint32_t id, int tid);
    void handleSetOutput(Task& sender, std::uint32_t id, const wire::Redirect::Reader& r);

    // Sending.
    template <class Fill>
    void reply(const std::string& route, std::uint32_t id, Fill fill);
    void replyError(const std::string& route, std::uint32_t id, int code, const std::string& text);
    void sendToRoute(const std::string& route, std::vector<zmq::message_t>& frames);
    /// deliver hands a user message (packet frame + body) to task dst, holding it if dst
    /// has not connected yet; false when there is no such task.
    bool deliver(int dst, std::vector<zmq::message_t>& frames);
    /// sendSystemMessage sends a message from this daemon (notifies, task output).
    void sendSystemMessage(int dst, int tag, int context, MessageBuffer body);
    void notifyTaskExit(int tid);

    // Task life.
    void taskGone(int tid, const std::string& why);
    bool isLocalHostName(const std::string& name) const;
    void shutdown(int spareTid);

    DaemonOptions options_;
    int hostTid_;
    std::string hostName_;
    std::string workDir_;
    zmq::context_t context_;
    zmq::socket_t router_;
    std::string endpoint_;
    int signalFd_ = -1;
    int lockFd_ = -1;
    bool running_ = false;
    DaemonLog log_;
    TaskTable tasks_;
    NotifyTable notifies_;
    OutputRelay output_;
    std::vector<std::pair<int, int>> departed_;  // (pidfd, pid) of children that left PVM but still run
};

}  // namespace pvm
