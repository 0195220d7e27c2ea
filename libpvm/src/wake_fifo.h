// wake_fifo.h - the named pipes tasks wake each other with around the
// shared-memory rings of the direct route: one per task, in the user's directory.
#pragma once

#include <string>

namespace pvm {

/// wakeFifoPath is the FIFO of task tid running as process pid: userDir()/task.<tid>.<pid>.wake.
std::string wakeFifoPath(int tid, int pid);

/// WakeFifo is this task's own FIFO. A peer writes a byte into it when it publishes a
/// record, or frees space, while this task sleeps; the task polls fd() when it waits.
class WakeFifo {
public:
    /// WakeFifo removes the FIFOs left by dead processes, then makes this task's (mode
    /// 0600) and opens it O_RDWR | O_NONBLOCK. Throws Error(PvmSysErr).
    explicit WakeFifo(int tid);
    /// ~WakeFifo closes and removes the FIFO.
    ~WakeFifo();
    WakeFifo(const WakeFifo&) = delete;
    WakeFifo& operator=(const WakeFifo&) = delete;

    int fd() const noexcept { return fd_; }
    /// drain reads every pending wake-up byte.
    void drain() noexcept;
    /// poke wakes this task itself: its FIFO stays readable until drained.
    void poke() noexcept;

private:
    std::string path_;
    int fd_ = -1;
};

/// WakeTarget is a peer's FIFO, opened when first needed.
class WakeTarget {
public:
    WakeTarget(int tid, int pid) : path_(wakeFifoPath(tid, pid)) {}
    ~WakeTarget();
    WakeTarget(const WakeTarget&) = delete;
    WakeTarget& operator=(const WakeTarget&) = delete;

    /// wake writes one byte. A full FIFO already holds a wake-up, and a missing one
    /// means the peer has gone: both are ignored.
    void wake() noexcept;

private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace pvm
