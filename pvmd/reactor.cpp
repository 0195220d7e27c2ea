// reactor.cpp - the epoll set of the daemon's per-task descriptors.
#include "reactor.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <sys/epoll.h>
#include <unistd.h>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

namespace {
std::uint32_t eventsFor(bool input, bool output) { return (input ? EPOLLIN : 0u) | (output ? EPOLLOUT : 0u); }

std::uint64_t tag(int fd, std::uint32_t generation) {
    return (std::uint64_t{generation} << 32) | static_cast<std::uint32_t>(fd);
}
}  // namespace

Reactor::Reactor() : epoll_(epoll_create1(EPOLL_CLOEXEC)) {
    if (epoll_ < 0) throw Error(PvmSysErr, std::string("epoll_create1: ") + std::strerror(errno));
}

Reactor::~Reactor() { close(epoll_); }

std::uint32_t Reactor::add(int fd, bool input, bool output, Handler handler) {
    if (fd < 0) return 0;
    remove(fd);  // a number reused before its old owner was removed
    Entry entry{nextGeneration_++, eventsFor(input, output), std::move(handler)};
    epoll_event event{};
    event.events = entry.events;
    event.data.u64 = tag(fd, entry.generation);
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event) != 0)
        throw Error(PvmSysErr, "epoll_ctl add " + std::to_string(fd) + ": " + std::strerror(errno));
    std::uint32_t registration = entry.generation;
    entries_.emplace(fd, std::move(entry));
    return registration;
}

void Reactor::modify(int fd, bool input, bool output) {
    auto it = entries_.find(fd);
    std::uint32_t events = eventsFor(input, output);
    if (it == entries_.end() || it->second.events == events) return;
    epoll_event event{};
    event.events = events;
    event.data.u64 = tag(fd, it->second.generation);
    if (epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &event) == 0) it->second.events = events;
}

void Reactor::renew(int fd) {
    auto it = entries_.find(fd);
    if (it == entries_.end()) return;
    epoll_event event{};
    event.events = it->second.events;
    event.data.u64 = tag(fd, it->second.generation);
    // MOD finds the registration by descriptor number and open file: a new file is not found.
    if (epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &event) != 0 && errno == ENOENT)
        epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event);
}

void Reactor::remove(int fd) {
    auto it = entries_.find(fd);
    if (it == entries_.end()) return;
    epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);  // fails harmlessly if fd is closed already
    entries_.erase(it);
}

void Reactor::remove(int fd, std::uint32_t registration) {
    auto it = entries_.find(fd);
    if (it != entries_.end() && it->second.generation == registration) remove(fd);
}

int Reactor::dispatch(int timeoutMs) {
    epoll_event events[64];
    int n = epoll_wait(epoll_, events, 64, timeoutMs);
    for (int i = 0; i < n; ++i) {
        int fd = static_cast<int>(events[i].data.u64 & 0xffffffffu);
        auto generation = static_cast<std::uint32_t>(events[i].data.u64 >> 32);
        auto it = entries_.find(fd);
        if (it == entries_.end() || it->second.generation != generation) continue;  // removed meanwhile
        bool readable = (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0;
        bool writable = (events[i].events & EPOLLOUT) != 0;
        Handler handler = it->second.handler;  // the handler may remove its own entry
        handler(readable, writable);
    }
    return n < 0 ? 0 : n;
}

}  // namespace pvm
