// zmq_inputs.cpp - ZeroMQ sockets served from the daemon's reactor.
#include "zmq_inputs.h"

#include <vector>

namespace pvm {

namespace {
bool hasInput(zmq::socket_t& socket) { return (socket.get(zmq::sockopt::events) & ZMQ_POLLIN) != 0; }
}  // namespace

void ZmqInputs::add(zmq::socket_t& socket, std::function<void()> onInput) {
    int fd = socket.get(zmq::sockopt::fd);
    entries_[fd] = Entry{&socket, std::move(onInput)};
    reactor_.add(fd, true, false, [this, fd](bool, bool) { serve(fd); });
}

void ZmqInputs::remove(zmq::socket_t& socket) {
    int fd = socket.get(zmq::sockopt::fd);
    reactor_.remove(fd);
    entries_.erase(fd);
}

void ZmqInputs::sentOn(zmq::socket_t& socket) {
    if (auto it = entries_.find(socket.get(zmq::sockopt::fd)); it != entries_.end()) it->second.pending = true;
}

bool ZmqInputs::pending() const noexcept {
    for (const auto& [fd, entry] : entries_)
        if (entry.pending) return true;
    return false;
}

bool ZmqInputs::serve(int fd) {
    auto it = entries_.find(fd);
    if (it == entries_.end()) return false;
    it->second.pending = false;
    if (!hasInput(*it->second.socket)) return false;
    auto onInput = it->second.onInput;  // it may remove its own socket
    onInput();
    it = entries_.find(fd);
    if (it != entries_.end()) it->second.pending = hasInput(*it->second.socket);
    return true;
}

bool ZmqInputs::serveDue() {
    if (std::chrono::steady_clock::now() - askedAll_ >= kRecheck) return serveAll();
    std::vector<int> due;
    for (const auto& [fd, entry] : entries_)
        if (entry.pending) due.push_back(fd);
    bool ran = false;
    for (int fd : due) ran |= serve(fd);
    return ran;
}

bool ZmqInputs::serveAll() {
    askedAll_ = std::chrono::steady_clock::now();
    std::vector<int> all;
    for (const auto& [fd, entry] : entries_) all.push_back(fd);
    bool ran = false;
    for (int fd : all) ran |= serve(fd);
    return ran;
}

}  // namespace pvm
