// reactor.h - the daemon's descriptors that come and go with tasks (their
// connections, exit pidfds and output pipes), registered once with their
// handlers in one epoll set, with the daemon's other sources (signals, slaves
// being started, ZeroMQ sockets through ZmqInputs). The loop waits on that set
// alone, so nothing is rebuilt per wake-up and a ready descriptor leads straight
// to its handler.
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

    /// add registers fd for input and/or output (hang-ups and errors count as readable);
    /// returns the registration's number, for remove(fd, registration).
    std::uint32_t add(int fd, bool input, bool output, Handler handler);
    /// modify changes what fd waits for.
    void modify(int fd, bool input, bool output);
    /// renew puts fd back in the epoll set if it fell out: a descriptor closed and opened
    /// again under the same number (the pipe of the next slave being started, say) leaves
    /// epoll with its old file. For owners that learn of such changes only by number.
    void renew(int fd);
    /// remove forgets fd; call it before closing fd.
    void remove(int fd);
    /// remove forgets fd only if it is still the registration add() numbered: an owner that
    /// learns late that its descriptor was closed must not drop the next one of that number.
    void remove(int fd, std::uint32_t registration);
    /// fd is readable while a registered descriptor is ready.
    int fd() const noexcept { return epoll_; }
    /// dispatch waits up to timeoutMs (0: not at all, -1: forever) for a descriptor to be
    /// ready, runs the handler of each one ready and returns how many were. A handler may
    /// add or remove descriptors, its own included.
    int dispatch(int timeoutMs = 0);
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
