// task_connections.cpp - accepting tasks and moving their messages.
#include "task_connections.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

TaskConnections::~TaskConnections() { closeAll(); }

void TaskConnections::listen(const std::string& path) {
    sockaddr_un where{};
    where.sun_family = AF_UNIX;
    if (path.size() >= sizeof where.sun_path) throw Error(PvmSysErr, "socket path too long: " + path);
    std::memcpy(where.sun_path, path.c_str(), path.size() + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) throw Error(PvmSysErr, std::string("socket: ") + std::strerror(errno));
    unlink(path.c_str());  // a stale socket of a crashed daemon
    // The directory is 0700 already; the socket's own mode says the same.
    mode_t old = umask(0177);
    int bound = bind(fd, reinterpret_cast<sockaddr*>(&where), sizeof where);
    umask(old);
    if (bound != 0 || ::listen(fd, 512) != 0) {
        std::string why = std::strerror(errno);
        close(fd);
        throw Error(PvmSysErr, "cannot listen on " + path + ": " + why);
    }
    listener_ = fd;
    path_ = path;
    reactor_.add(listener_, true, false, [this](bool, bool) { acceptAll(); });
}

void TaskConnections::acceptAll() {
    for (;;) {
        int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            return;  // EAGAIN, or out of descriptors: the rest wait in the backlog
        }
        widenSendBuffer(fd);
        // The kernel says who connected: the daemon never takes a task's word for its pid.
        ucred peer{};
        socklen_t size = sizeof peer;
        if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) != 0 || (peer.uid != geteuid() && peer.uid != 0)) {
            close(fd);  // the directory's mode should have kept it out already
            continue;
        }
        std::string route = "c" + std::to_string(nextId_++);
        byRoute_[route] = fd;
        byFd_[fd].route = std::move(route);
        byFd_[fd].peerPid = peer.pid;
        reactor_.add(fd, true, false, [this, fd](bool readable, bool writable) {
            if (writable) onWritable(fd);
            if (readable && byFd_.count(fd)) onReadable_(fd);
        });
    }
}

std::string TaskConnections::attach(int pid) {
    int key = nextInMemory_--;
    std::string route = "c" + std::to_string(nextId_++);
    byRoute_[route] = key;
    byFd_[key].route = route;
    byFd_[key].peerPid = pid;
    return route;
}

std::vector<std::vector<Frame>> TaskConnections::takeSent(const std::string& route) {
    std::vector<std::vector<Frame>> sent;
    auto at = byRoute_.find(route);
    if (at == byRoute_.end() || at->second >= 0) return sent;
    Connection& c = byFd_.at(at->second);
    while (!c.queue.empty()) sent.push_back(c.queue.pop());
    release(c, false);
    return sent;
}

int TaskConnections::peerPid(const std::string& route) const {
    auto it = byRoute_.find(route);
    return it == byRoute_.end() ? 0 : byFd_.at(it->second).peerPid;
}

std::vector<int> TaskConnections::buffered() const {
    std::vector<int> out;
    for (int fd : backlog_)
        if (auto it = byFd_.find(fd); it != byFd_.end() && it->second.pausedBy == 0) out.push_back(fd);
    return out;
}

void TaskConnections::interest(int fd, const Connection& c) { reactor_.modify(fd, c.pausedBy == 0, !c.queue.empty()); }

std::vector<int> TaskConnections::fds() const {
    std::vector<int> out;
    out.reserve(byFd_.size());
    for (const auto& entry : byFd_) out.push_back(entry.first);
    return out;
}

bool TaskConnections::receive(int fd, std::vector<Frame>& frames, std::string& route, bool toTheEnd) {
    auto it = byFd_.find(fd);
    if (it == byFd_.end()) return false;
    if (toTheEnd) it->second.reader.readAgain();
    switch (it->second.reader.next(fd, frames)) {
        case FrameReader::Result::Pending:
            backlog_.erase(fd);
            return false;
        case FrameReader::Result::Closed:
            drop(fd);
            return false;
        case FrameReader::Result::Message:
            break;
    }
    if (it->second.reader.hasMessage())
        backlog_.insert(fd);
    else
        backlog_.erase(fd);
    route = it->second.route;
    return true;
}

bool TaskConnections::send(const std::string& route, std::vector<Frame>& frames) {
    auto at = byRoute_.find(route);
    if (at == byRoute_.end()) return false;
    Connection& c = byFd_.at(at->second);
    bool wasEmpty = c.queue.empty();
    c.queue.push(std::move(frames));
    frames.clear();
    // Behind a queue that waits for POLLOUT, writing now would only fail again. An in-memory
    // connection's queue waits for takeSent.
    if (wasEmpty && at->second >= 0 && c.queue.flush(at->second) == FrameQueue::Flush::Broken)
        drop(at->second);
    else
        interest(at->second, c);
    return true;
}

void TaskConnections::onWritable(int fd) {
    auto it = byFd_.find(fd);
    if (it == byFd_.end() || fd < 0) return;
    if (it->second.queue.flush(fd) == FrameQueue::Flush::Broken) return drop(fd);
    interest(fd, it->second);
    release(it->second, false);
}

bool TaskConnections::throttle(const std::string& sender, const std::string& dst) {
    auto to = byRoute_.find(dst);
    auto from = byRoute_.find(sender);
    if (to == byRoute_.end() || from == byRoute_.end()) return false;
    Connection& d = byFd_.at(to->second);
    if (d.queue.bytes() <= limit_) return false;
    if (std::find(d.holds.begin(), d.holds.end(), sender) != d.holds.end()) return true;
    d.holds.push_back(sender);
    hold(sender);
    return true;
}

void TaskConnections::hold(const std::string& route) {
    auto at = byRoute_.find(route);
    if (at == byRoute_.end()) return;
    Connection& c = byFd_.at(at->second);
    if (++c.pausedBy == 1) interest(at->second, c);
}

void TaskConnections::unhold(const std::string& route) {
    auto at = byRoute_.find(route);
    if (at == byRoute_.end()) return;
    Connection& c = byFd_.at(at->second);
    if (c.pausedBy > 0 && --c.pausedBy == 0) interest(at->second, c);
}

long long TaskConnections::queuedBytes(const std::string& route) const {
    auto at = byRoute_.find(route);
    return at == byRoute_.end() ? -1 : static_cast<long long>(byFd_.at(at->second).queue.bytes());
}

bool TaskConnections::paused(const std::string& route) const {
    auto at = byRoute_.find(route);
    return at != byRoute_.end() && byFd_.at(at->second).pausedBy > 0;
}

void TaskConnections::release(Connection& c, bool always) {
    if (c.holds.empty() || (!always && c.queue.bytes() > limit_ / 2)) return;
    for (const std::string& route : c.holds) unhold(route);
    c.holds.clear();
}

int TaskConnections::fdOf(const std::string& route) const {
    auto at = byRoute_.find(route);
    return at == byRoute_.end() ? -1 : at->second;
}

void TaskConnections::flushFor(std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        for (int fd : fds()) onWritable(fd);
        std::vector<pollfd> waiting;
        for (const auto& [fd, c] : byFd_)
            if (!c.queue.empty() && fd >= 0) waiting.push_back({fd, POLLOUT, 0});
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (waiting.empty() || left.count() <= 0) return;
        poll(waiting.data(), waiting.size(), static_cast<int>(left.count()));
    }
}

void TaskConnections::drop(int fd) {
    auto it = byFd_.find(fd);
    if (it == byFd_.end()) return;
    release(it->second, true);  // nothing more will be queued for it
    reactor_.remove(fd);
    backlog_.erase(fd);
    byRoute_.erase(it->second.route);
    byFd_.erase(it);
    if (fd >= 0) close(fd);
}

void TaskConnections::closeAll() {
    for (int fd : fds()) drop(fd);
    if (listener_ >= 0) {
        reactor_.remove(listener_);
        close(listener_);
        listener_ = -1;
        unlink(path_.c_str());
    }
}

}  // namespace pvm
