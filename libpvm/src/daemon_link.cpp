// daemon_link.cpp - connecting to the local pvmd.
#include "daemon_link.h"

#include <cerrno>
#include <csignal>
#include <fstream>
#include <poll.h>
#include <cstring>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "errors.h"
#include "paths.h"
#include "pvm3.h"
#include "wire.h"

namespace pvm {

namespace {
/// processRunning is true while pid exists and is neither a zombie nor being reaped.
bool processRunning(int pid) {
    if (kill(pid, 0) != 0 && errno == ESRCH) return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    auto close = text.rfind(')');
    if (close == std::string::npos || close + 2 >= text.size()) return true;
    return text[close + 2] != 'Z' && text[close + 2] != 'X';
}

int openPidfd(int pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
}  // namespace

DaemonLink::DaemonLink() {
    auto address = readAddressFile();
    if (!address || (kill(address->pid, 0) != 0 && errno == ESRCH))
        throw Error(PvmSysErr, "no pvmd running for this user under " + tmpDir());
    const std::string prefix = "unix:";
    if (address->endpoint.rfind(prefix, 0) != 0)
        throw Error(PvmSysErr, "the pvmd running for this user speaks another protocol (" + address->endpoint + ")");
    std::string path = address->endpoint.substr(prefix.size());
    sockaddr_un where{};
    where.sun_family = AF_UNIX;
    if (path.size() >= sizeof where.sun_path) throw Error(PvmSysErr, "socket path too long: " + path);
    std::memcpy(where.sun_path, path.c_str(), path.size() + 1);
    fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd_ < 0) throw Error(PvmSysErr, std::string("socket: ") + std::strerror(errno));
    widenSendBuffer(fd_);
    // A local connect completes at once, or fails: the listener's backlog is the only wait.
    int rc;
    while ((rc = connect(fd_, reinterpret_cast<sockaddr*>(&where), sizeof where)) != 0 && errno == EINTR) {
    }
    if (rc != 0 && errno == EAGAIN) {
        pollfd p{fd_, POLLOUT, 0};
        poll(&p, 1, 5000);
        int error = 0;
        socklen_t length = sizeof error;
        getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length);
        rc = error == 0 && (p.revents & POLLOUT) ? 0 : -1;
        errno = error ? error : ETIMEDOUT;
    }
    if (rc != 0) {
        std::string why = std::strerror(errno);
        close(fd_);
        throw Error(PvmSysErr, "cannot reach the pvmd at " + path + ": " + why);
    }
    daemonPid_ = address->pid;
    daemonPidfd_ = openPidfd(daemonPid_);
}

DaemonLink::~DaemonLink() {
    if (fd_ >= 0) close(fd_);
    if (daemonPidfd_ >= 0) close(daemonPidfd_);
}

void DaemonLink::send(capnp::MessageBuilder& packet, std::vector<Frame> body) {
    std::vector<Frame> frames;
    frames.reserve(body.size() + 1);
    frames.push_back(toFrame(packet));
    for (auto& f : body) frames.push_back(std::move(f));
    outgoing_.push(std::move(frames));
    // The whole message leaves before send returns: the caller may reuse InPlace memory.
    for (;;) {
        switch (outgoing_.flush(fd_)) {
            case FrameQueue::Flush::Empty:
                return;
            case FrameQueue::Flush::Broken:
                outgoing_.clear();
                throw Error(PvmSysErr, "sending to pvmd: the connection is closed");
            case FrameQueue::Flush::Blocked:
                waitWritable();
                break;
        }
    }
}

void DaemonLink::waitWritable() {
    // The daemon stops reading a task that sends to a receiver that falls behind, and that
    // receiver may be this task: take in what comes meanwhile, so waiting cannot deadlock.
    pollfd fds[2] = {{fd_, POLLOUT | POLLIN, 0}, {daemonPidfd_, POLLIN, 0}};
    int n = daemonPidfd_ >= 0 ? 2 : 1;
    if (poll(fds, n, daemonPidfd_ >= 0 ? -1 : 1000) < 0 && errno != EINTR)
        throw Error(PvmSysErr, std::string("poll: ") + std::strerror(errno));
    if (fds[0].revents & POLLIN) readWhileBlocked();
    if ((fds[0].revents & POLLOUT) == 0 && !daemonAlive()) {
        outgoing_.clear();
        throw Error(PvmSysErr, "pvmd has exited");
    }
}

bool DaemonLink::daemonAlive() {
    if (closed_ && inbox_.empty()) return false;
    if (daemonPidfd_ >= 0) {
        pollfd p{daemonPidfd_, POLLIN, 0};
        int n = poll(&p, 1, 0);
        if (n == 0 || (n < 0 && errno == EINTR)) return true;
    }
    // Confirm with the process table, so that a descriptor closed or reused by other code
    // in this process can never make us give up on a live daemon.
    return processRunning(daemonPid_);
}

void DaemonLink::readWhileBlocked() {
    std::vector<Frame> frames;
    while (!closed_) {
        auto result = reader_.next(fd_, frames);
        if (result == FrameReader::Result::Closed) closed_ = true;
        if (result != FrameReader::Result::Message) return;
        inbox_.push_back(std::move(frames));
    }
}

std::optional<Incoming> DaemonLink::tryReceive() {
    std::vector<Frame> frames;
    if (!inbox_.empty()) {
        frames = std::move(inbox_.front());
        inbox_.pop_front();
    } else if (closed_) {
        return std::nullopt;
    } else {
        if (quiet_ && !reader_.hasMessage() && std::chrono::steady_clock::now() - quietSince_ < kQuietFor)
            return std::nullopt;
        switch (reader_.next(fd_, frames)) {
            case FrameReader::Result::Pending:
                quiet_ = true;
                quietSince_ = std::chrono::steady_clock::now();
                return std::nullopt;
            case FrameReader::Result::Closed:
                closed_ = true;  // callers learn of it from daemonAlive(), as of a daemon's death
                return std::nullopt;
            case FrameReader::Result::Message:
                quiet_ = false;
                break;
        }
    }
    Incoming in;
    in.packet = std::move(frames.front());
    in.body.reserve(frames.size() - 1);
    for (std::size_t i = 1; i < frames.size(); ++i) in.body.push_back(std::move(frames[i]));
    return in;
}

bool DaemonLink::hasInput() {
    if (!inbox_.empty() || reader_.hasMessage()) return true;
    if (closed_) return false;
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 0) <= 0) return false;
    quiet_ = false;
    return true;
}

bool DaemonLink::hasFreshInput() {
    if (holdsInput()) return true;
    if (closed_) return false;
    auto now = std::chrono::steady_clock::now();
    if (quiet_ && now - quietSince_ < kQuietFor) return false;
    if (hasInput()) return true;
    quiet_ = true;
    quietSince_ = now;
    return false;
}

std::optional<Incoming> DaemonLink::receive(int timeoutMs) {
    // One try, one wait, one more try: callers loop against their own deadline.
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (auto in = tryReceive()) return in;
        if (!daemonAlive()) {
            // Its last words (the answer to pvm_halt, say) may still be on their way to us.
            pollfd p{fd_, POLLIN, 0};
            if (attempt == 0 && !closed_ && poll(&p, 1, 200) > 0) continue;
            throw Error(PvmSysErr, "pvmd has exited");
        }
        if (attempt == 1 || timeoutMs == 0) break;
        // Without a pidfd, wake up now and then to notice a dead daemon.
        int wait = timeoutMs;
        if (daemonPidfd_ < 0 && (wait < 0 || wait > 1000)) wait = 1000;
        pollfd fds[2] = {{fd_, POLLIN, 0}, {daemonPidfd_, POLLIN, 0}};
        poll(fds, daemonPidfd_ >= 0 ? 2 : 1, wait);
        quiet_ = false;
    }
    return std::nullopt;
}

}  // namespace pvm
