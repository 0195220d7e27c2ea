// frame_stream.h - multipart messages over a byte stream: how a task and its pvmd
// talk over their Unix-domain socket. A message is a header (frame count, then
// each frame's length) followed by the frames' bytes. Both sides write with
// sendmsg and read without blocking, so one descriptor serves poll(), epoll and
// pvm_getfds with plain level-triggered readiness.
//
// Why not ZeroMQ here: every ZeroMQ message crosses an I/O thread on each side,
// four extra thread wake-ups per hop, which alone cost more than PVM 3.4's whole
// round trip through its daemons. Peers and remote links keep ZeroMQ (CurveZMQ).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <vector>

#include "frame.h"

namespace pvm {

/// kMaxStreamFrames bounds the frame count a header may announce.
constexpr std::uint32_t kMaxStreamFrames = 1u << 20;
/// kMaxStreamMessage bounds the bytes of one message's frames together.
constexpr std::uint64_t kMaxStreamMessage = std::uint64_t{16} << 30;

/// kStreamSendBuffer is the send buffer asked for on the streams between tasks and their
/// daemon (the kernel doubles it, within net.core.wmem_max). With Linux's default of 208 KB
/// a 1 MB message took five rounds of write, wait and wake-up per hop; the 1 MB round trip
/// through the daemon went from 680-870 us to 540-580 us with this. Small messages do not
/// notice it, and the memory is taken only while bytes wait.
constexpr int kStreamSendBuffer = 1 << 20;

/// widenSendBuffer asks for kStreamSendBuffer on fd; a refusal leaves the default, which works.
void widenSendBuffer(int fd) noexcept;

/// FrameReader reassembles the messages arriving on one non-blocking stream.
class FrameReader {
public:
    enum class Result {
        Message,  // frames holds the next whole message
        Pending,  // the rest has not arrived yet
        Closed,   // end of stream, a read error, or a header no writer of ours makes
    };
    FrameReader();
    /// next takes the next whole message, reading fd as far as it needs and never waiting.
    /// Right after a read that found fewer bytes than it had room for, the stream had no
    /// more at that moment: the call after it says Pending without reading again (a system
    /// call saved per message; a caller that polls the descriptor loses nothing by it).
    Result next(int fd, std::vector<Frame>& frames);
    /// readAgain makes the next call read even right after a short read: for a caller that
    /// must take everything written before an event it learned of since (the writer's exit).
    void readAgain() noexcept { drained_ = false; }
    /// hasMessage is true when a whole message waits among the bytes already read, which
    /// the descriptor no longer shows.
    bool hasMessage() const noexcept;

private:
    /// fill reads what fd has into the staging area: > 0 bytes read, 0 none yet, -1 closed.
    long fill(int fd);
    std::size_t available() const noexcept { return end_ - begin_; }
    bool takeHeader();

    std::vector<std::byte> staging_;
    std::size_t begin_ = 0, end_ = 0;
    bool inMessage_ = false;
    std::vector<std::uint64_t> sizes_;
    std::vector<Frame> frames_;
    std::size_t frame_ = 0, filled_ = 0;
    bool drained_ = false;  // the last read took all the stream had: say Pending, not read
};

/// FrameQueue holds the messages waiting to be written to one stream, in order.
class FrameQueue {
public:
    enum class Flush {
        Empty,    // everything is written
        Blocked,  // the stream is full: wait for POLLOUT
        Broken,   // the other side has gone
    };
    /// push queues one message; its frames are kept, not copied.
    void push(std::vector<Frame>&& frames);
    /// flush writes as much as fd takes now.
    Flush flush(int fd);
    bool empty() const noexcept { return items_.empty(); }
    /// bytes is what waits, headers included.
    std::size_t bytes() const noexcept { return bytes_; }
    void clear() noexcept;
    /// pop takes the oldest message off the queue, when nothing of it has been written.
    std::vector<Frame> pop();

private:
    struct Item {
        std::vector<std::uint64_t> header;  // count, then each frame's length
        std::vector<Frame> frames;
        std::size_t total = 0;
    };
    std::deque<Item> items_;
    std::size_t written_ = 0;  // bytes of the front item already out
    std::size_t bytes_ = 0;
};

}  // namespace pvm
