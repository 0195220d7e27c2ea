// daemon_link.h - a task's connection to its local pvmd: a Unix-domain stream socket
// carrying multipart messages (frame_stream.h).
#pragma once

#include <capnp/message.h>
#include <chrono>
#include <deque>
#include <optional>
#include <vector>

#include "frame_stream.h"

namespace pvm {

/// Incoming is one packet that arrived from the daemon, with its body frames.
struct Incoming {
    Frame packet;
    std::vector<Frame> body;
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
    void send(capnp::MessageBuilder& packet, std::vector<Frame> body = {});
    /// receive waits up to timeoutMs (-1: forever) for one packet; nullopt on time-out.
    /// Throws Error(PvmSysErr) once the daemon has died.
    std::optional<Incoming> receive(int timeoutMs);
    /// tryReceive takes one packet if one is waiting, without checking on the daemon. Once
    /// the daemon has closed the connection, every packet it sent before is taken and then
    /// closed() is true. A socket found empty is not read again for kQuietFor unless
    /// hasInput(), receive() or noteReadable() saw more come: a task busy with its rings
    /// would otherwise spend a system call on the daemon's socket for every message.
    std::optional<Incoming> tryReceive();
    /// hasInput is true when a packet may be waiting. Call it before sleeping
    /// on eventFd(), which does not show bytes this link has already read.
    bool hasInput();
    /// hasFreshInput is hasInput for a spinning wait: a socket found empty less than
    /// kQuietFor ago is taken to be empty still, and one found empty now is not read by
    /// tryReceive either, so the wait and the reads share one system call per kQuietFor.
    bool hasFreshInput();
    /// noteReadable says the socket may have input (a poll said so, or the caller wants a
    /// fresh look): the next tryReceive reads it.
    void noteReadable() noexcept { quiet_ = false; }
    /// holdsInput is true when whole packets wait inside this link, already read from the
    /// socket (a send took them in while it waited): eventFd() does not show them.
    bool holdsInput() const noexcept { return !inbox_.empty() || reader_.hasMessage(); }
    /// eventFd is a descriptor that is readable while bytes from the daemon wait (pvm_getfds).
    int eventFd() const noexcept { return fd_; }
    int daemonPid() const noexcept { return daemonPid_; }
    /// daemonPidfd becomes readable when the daemon dies; -1 without pidfd support.
    int daemonPidfd() const noexcept { return daemonPidfd_; }
    /// daemonAlive is false once the connection has closed or the daemon's process has ended.
    bool daemonAlive();
    bool closed() const noexcept { return closed_ && inbox_.empty(); }

private:
    /// waitWritable waits until the socket takes more, or the daemon dies (PvmSysErr).
    void waitWritable();

    /// readWhileBlocked takes in what the daemon sent while a send waits for room: the
    /// daemon may have stopped reading us until we read (flow control), even our own messages.
    void readWhileBlocked();

    /// kQuietFor is how long a socket found empty is taken to stay so, unless told otherwise.
    static constexpr std::chrono::microseconds kQuietFor{20};

    int fd_ = -1;
    bool closed_ = false;
    bool quiet_ = false;  // the last read found the socket empty, at quietSince_
    std::chrono::steady_clock::time_point quietSince_;
    std::deque<std::vector<Frame>> inbox_;  // read by readWhileBlocked, not yet taken
    FrameReader reader_;
    FrameQueue outgoing_;
    int daemonPid_ = 0;
    int daemonPidfd_ = -1;
};

}  // namespace pvm
