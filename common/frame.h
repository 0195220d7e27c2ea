// frame.h - one part of a message as it travels: a packet or a body segment. The
// task link (frame_stream.h) and the daemon's queues carry Frames; only the
// daemon's peer sockets and the cross-host direct route turn them into ZeroMQ
// messages (zmq_frames.h). Keeping ZeroMQ's own message type out of here keeps
// libzmq, and the eleven libraries it pulls in, out of every task's start-up.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace pvm {

/// kMappedFrame is the size from which Frame(size) maps its bytes (see frame.cpp).
constexpr std::size_t kMappedFrame = std::size_t{64} << 20;

/// Frame is a byte range with whatever keeps it alive. It moves, and is shared only on
/// purpose (share()), so one buffer can go to several destinations without a copy.
class Frame {
public:
    Frame() = default;
    /// Frame(size) allocates size bytes to be filled (from kMappedFrame on, mapped pages
    /// that cost memory only once written); throws std::bad_alloc.
    explicit Frame(std::size_t size);
    /// Frame(data, size) copies size bytes.
    Frame(const void* data, std::size_t size);
    /// Frame(owner, data, size) points at bytes that owner keeps alive; no copy.
    Frame(std::shared_ptr<const void> owner, const void* data, std::size_t size) noexcept
        : owner_(std::move(owner)), data_(data ? static_cast<const std::byte*>(data) : kEmpty), size_(size) {}

    Frame(Frame&& other) noexcept { *this = std::move(other); }
    Frame& operator=(Frame&& other) noexcept;
    Frame(const Frame&) = delete;
    Frame& operator=(const Frame&) = delete;

    /// data is writable for frames made with Frame(size) or Frame(data, size), which are
    /// nobody else's until shared.
    void* data() noexcept { return const_cast<std::byte*>(data_); }
    const void* data() const noexcept { return data_; }
    std::size_t size() const noexcept { return size_; }
    /// text is the bytes as characters.
    std::string_view text() const noexcept { return {reinterpret_cast<const char*>(data_), size_}; }
    /// share is another Frame over the same bytes.
    Frame share() const { return Frame(owner_, data_, size_); }
    /// owner is what keeps the bytes alive (empty for an empty frame).
    const std::shared_ptr<const void>& owner() const noexcept { return owner_; }

private:
    /// kEmpty is where an empty frame points: data() is never null, as with ZeroMQ's
    /// messages, so memcpy and memcmp of zero bytes stay defined.
    static constexpr std::byte kEmpty[1] = {};

    std::shared_ptr<const void> owner_;
    const std::byte* data_ = kEmpty;
    std::size_t size_ = 0;
};

}  // namespace pvm
