// reactor.h - the daemon's descriptors that come and go with tasks (their
// connections, exit pidfds and output pipes), registered once with their
// handlers in one epoll set. The loop waits on that set's descriptor beside its
// few fixed sources and ZeroMQ sockets, so nothing is rebuilt per wake-up and a
// ready descriptor leads straight to its handler.
#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>

namespace pvm {

class Reactor {
public:
    /// Handler is called with what the descriptor is ready for.
    using Handler = std::function<void(bool readable, bool writable)>;
    /// Reactor makes the epoll set; throws Error(PvmSysErr).
    Reactor();
    ~Reactor();
    Reactor(const Reactor&) = delete;
    Reactor& operator=(const Reactor&) = delete;

    /// add registers fd for input and/or output (hang-ups and errors count as readable).
    void add(int fd, bool input, bool output, Handler handler);
    /// modify changes what fd waits for.
    void modify(int fd, bool input, bool output);
    /// remove forgets fd; call it before closing fd.
    void remove(int fd);
    /// fd is readable while a registered descriptor is ready.
    int fd() const noexcept { return epoll_; }
    /// dispatch runs the handler of each descriptor ready now, without waiting. A handler
    /// may add or remove descriptors, its own included.
    void dispatch();
    std::size_t size() const noexcept { return entries_.size(); }

private:
    struct Entry {
        std::uint32_t generation;  // tells a reused descriptor number from the one an event was for
        std::uint32_t events;
        Handler handler;
    };
    int epoll_ = -1;
    std::uint32_t nextGeneration_ = 1;
    std::unordered_map<int, Entry> entries_;
};

}  // namespace pvm
