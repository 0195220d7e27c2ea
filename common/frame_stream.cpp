// frame_stream.cpp - reading and writing multipart messages on a stream socket.
#include "frame_stream.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

namespace pvm {

namespace {
/// kStaging is the read-ahead area: small messages come in with one read each, and a
/// frame at least this big is read straight into its own memory.
constexpr std::size_t kStaging = 64 * 1024;
constexpr std::size_t kWord = sizeof(std::uint64_t);
}  // namespace

FrameReader::FrameReader() : staging_(kStaging) {}

void widenSendBuffer(int fd) noexcept {
    int size = kStreamSendBuffer;
    (void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
}

long FrameReader::fill(int fd) {
    if (begin_ == end_) begin_ = end_ = 0;
    if (end_ == staging_.size() && begin_ > 0) {
        std::memmove(staging_.data(), staging_.data() + begin_, end_ - begin_);
        end_ -= begin_;
        begin_ = 0;
    }
    if (end_ == staging_.size()) staging_.resize(2 * staging_.size());
    for (;;) {
        std::size_t room = staging_.size() - end_;
        ssize_t n = read(fd, staging_.data() + end_, room);
        if (n > 0) {
            end_ += static_cast<std::size_t>(n);
            drained_ = static_cast<std::size_t>(n) < room;
            return n;
        }
        if (n == 0) return -1;
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
    }
}

bool FrameReader::takeHeader() {
    if (available() < kWord) return false;
    std::uint64_t count = 0;
    std::memcpy(&count, staging_.data() + begin_, kWord);
    if (count == 0 || count > kMaxStreamFrames) throw std::length_error("frame count " + std::to_string(count));
    std::size_t need = kWord * (count + 1);
    // A header bigger than the staging area grows it; kMaxStreamFrames bounds that.
    if (need > staging_.size()) staging_.resize(need);
    if (available() < need) return false;
    sizes_.resize(count);
    std::memcpy(sizes_.data(), staging_.data() + begin_ + kWord, kWord * count);
    std::uint64_t total = 0;
    for (std::uint64_t s : sizes_) {
        if (s > kMaxStreamMessage - total) throw std::length_error("message over the limit");
        total += s;
    }
    begin_ += need;
    frames_.clear();
    frames_.reserve(count);
    frame_ = filled_ = 0;
    inMessage_ = true;
    return true;
}

bool FrameReader::hasMessage() const noexcept {
    // next() returns Pending only once the staging area is used up, so a message begun
    // is never whole here.
    if (inMessage_ || available() < kWord) return false;
    std::uint64_t count = 0;
    std::memcpy(&count, staging_.data() + begin_, kWord);
    if (count == 0 || count > kMaxStreamFrames) return true;  // next() reports the bad header
    if (available() < kWord * (count + 1)) return false;
    std::uint64_t need = kWord * (count + 1);
    for (std::uint64_t i = 0; i < count; ++i) {
        std::uint64_t size = 0;
        std::memcpy(&size, staging_.data() + begin_ + kWord * (i + 1), kWord);
        if (size > available() - need) return false;
        need += size;
    }
    return true;
}

FrameReader::Result FrameReader::next(int fd, std::vector<Frame>& frames) {
    try {
        while (!inMessage_) {
            if (takeHeader()) break;
            if (std::exchange(drained_, false)) return Result::Pending;
            long n = fill(fd);
            if (n <= 0) return n == 0 ? Result::Pending : Result::Closed;
        }
    } catch (const std::exception&) {
        return Result::Closed;  // only a broken or hostile writer sends such a header
    }
    while (frame_ < sizes_.size()) {
        if (frames_.size() == frame_) {
            try {
                frames_.emplace_back(static_cast<std::size_t>(sizes_[frame_]));
            } catch (const std::exception&) {
                return Result::Closed;  // more than this process can hold: the stream cannot go on
            }
        }
        auto* into = static_cast<std::byte*>(frames_[frame_].data());
        std::size_t size = frames_[frame_].size();
        std::size_t take = std::min(size - filled_, available());
        if (take > 0) std::memcpy(into + filled_, staging_.data() + begin_, take);
        begin_ += take;
        filled_ += take;
        if (filled_ == size) {
            ++frame_;
            filled_ = 0;
            continue;
        }
        if (size - filled_ >= kStaging) {
            // A big frame skips the staging area.
            ssize_t n = read(fd, into + filled_, size - filled_);
            if (n > 0) {
                filled_ += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Result::Pending;
            return Result::Closed;
        }
        if (std::exchange(drained_, false)) return Result::Pending;
        long n = fill(fd);
        if (n == 0) return Result::Pending;
        if (n < 0) return Result::Closed;
    }
    frames = std::move(frames_);
    frames_.clear();
    inMessage_ = false;
    return Result::Message;
}

void FrameQueue::push(std::vector<Frame>&& frames) {
    Item item;
    item.header.reserve(frames.size() + 1);
    item.header.push_back(frames.size());
    item.total = kWord * (frames.size() + 1);
    for (const auto& f : frames) {
        item.header.push_back(f.size());
        item.total += f.size();
    }
    item.frames = std::move(frames);
    bytes_ += item.total;
    items_.push_back(std::move(item));
}

std::vector<Frame> FrameQueue::pop() {
    if (items_.empty() || written_ != 0) return {};
    std::vector<Frame> frames = std::move(items_.front().frames);
    bytes_ -= items_.front().total;
    items_.pop_front();
    return frames;
}

void FrameQueue::clear() noexcept {
    items_.clear();
    written_ = bytes_ = 0;
}

FrameQueue::Flush FrameQueue::flush(int fd) {
    constexpr std::size_t kMaxIov = IOV_MAX < 1024 ? IOV_MAX : 1024;
    while (!items_.empty()) {
        // Gather the front messages, skipping what is already out.
        iovec iov[kMaxIov];
        std::size_t n = 0, skip = written_;
        auto add = [&](const void* data, std::size_t size) {
            if (size == 0 || n == kMaxIov) return;
            if (skip >= size) {
                skip -= size;
                return;
            }
            iov[n++] = {const_cast<char*>(static_cast<const char*>(data)) + skip, size - skip};
            skip = 0;
        };
        for (auto it = items_.begin(); it != items_.end() && n < kMaxIov; ++it) {
            add(it->header.data(), it->header.size() * kWord);
            for (const auto& f : it->frames) add(f.data(), f.size());
        }
        msghdr message{};
        message.msg_iov = iov;
        message.msg_iovlen = n;
        ssize_t sent = sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0) {
            if (errno == EINTR) continue;
            return errno == EAGAIN || errno == EWOULDBLOCK ? Flush::Blocked : Flush::Broken;
        }
        std::size_t done = written_ + static_cast<std::size_t>(sent);
        while (!items_.empty() && done >= items_.front().total) {
            done -= items_.front().total;
            bytes_ -= items_.front().total;
            items_.pop_front();
        }
        written_ = done;
    }
    written_ = 0;
    return Flush::Empty;
}

}  // namespace pvm
