// daemon_link.h - a task's ZeroMQ connection to its local pvmd.
#pragma once

#include <capnp/message.h>
#include <optional>
#include <vector>
#include <zmq.hpp>

namespace pvm {

/// Incoming is one packet that arrived from the daemon, with its body frames.
struct Incoming {
    zmq::message_t packet;
    std::vector<zmq::message_t> body;
};

/// DaemonLink connects to the daemon named by the address file and watches it for death,
/// so a blocked receive ends with PvmSysErr instead of hanging when the pvmd goes away.
class DaemonLink {
public:
    /// DaemonLink connects; throws Error(PvmSysErr) when no daemon runs for this user.
    DaemonLink();
    ~DaemonLink();
    DaemonLink(const DaemonLink&) = delete;
    DaemonLink& operator=(const DaemonLink&) = delete;

    /// send sends a packet and its body frames as one multipart message.
    void send(capnp::MessageBuilder& packet, std::vector<zmq::message_t> body = {});
    /// receive waits up to timeoutMs (-1: forever) for one packet; nullopt on time-out.
    /// Throws Error(PvmSysErr) once the daemon has died.
    std::optional<Incoming> receive(int timeoutMs);
    /// tryReceive takes one packet if one is waiting, without checking on the daemon.
    std::optional<Incoming> tryReceive();
    /// hasInput is true when a packet is waiting. Call it before sleeping on eventFd(),
    /// which is edge-triggered.
    bool hasInput();
    /// eventFd is a descriptor that becomes readable when packets may be waiting (pvm_getfds).
    int eventFd();
    int daemonPid() const noexcept { return daemonPid_; }
    /// daemonPidfd becomes readable when the daemon dies; -1 without pidfd support.
    int daemonPidfd() const noexcept { return daemonPidfd_; }
    bool daemonAlive();

private:
    zmq::context_t context_;
    zmq::socket_t socket_;
    int daemonPid_ = 0;
    int daemonPidfd_ = -1;
};

}  // namespace pvm
