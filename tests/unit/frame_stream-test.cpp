// frame_stream-test.cpp - multipart messages over a real non-blocking socket pair:
// every message arrives whole and in order whatever the sizes and however the
// kernel splits the stream; a hostile header closes the stream; a short read spares
// the read after it.
#include <catch2/catch.hpp>
#include <cstring>
#include <poll.h>
#include <random>
#include <sys/socket.h>
#include <unistd.h>

#include "frame_stream.h"

using namespace pvm;

namespace {
struct SocketPair {
    SocketPair() { REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fd) == 0); }
    ~SocketPair() {
        if (fd[0] >= 0) close(fd[0]);
        if (fd[1] >= 0) close(fd[1]);
    }
    int fd[2] = {-1, -1};
};

/// message makes message number n: 1 to 4 frames, sizes from 0 to 300 KB, bytes derived from n.
std::vector<pvm::Frame> message(int n, std::mt19937& random) {
    std::vector<pvm::Frame> frames;
    int count = 1 + static_cast<int>(random() % 4);
    for (int f = 0; f < count; ++f) {
        std::size_t size = random() % 8 == 0 ? random() % (300 * 1024) : random() % 64;
        if (f == 0) size = std::max<std::size_t>(size, sizeof n);
        pvm::Frame frame(size);
        auto* bytes = static_cast<unsigned char*>(frame.data());
        for (std::size_t i = 0; i < size; ++i) bytes[i] = static_cast<unsigned char>(n + f + i);
        if (f == 0) std::memcpy(bytes, &n, sizeof n);
        frames.push_back(std::move(frame));
    }
    return frames;
}

bool same(const std::vector<pvm::Frame>& a, const std::vector<pvm::Frame>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].size() != b[i].size() || std::memcmp(a[i].data(), b[i].data(), a[i].size()) != 0) return false;
    return true;
}
}  // namespace

TEST_CASE("messages cross a stream whole and in order, whatever their sizes", "[frames]") {
    SocketPair pair;
    FrameQueue out;
    FrameReader in;
    std::mt19937 sendRandom(7), checkRandom(7);
    constexpr int kMessages = 3000;
    int sent = 0, received = 0;
    while (received < kMessages) {
        // Queue a few, write what fits, read what came: both sides see partial transfers.
        for (int i = 0; i < 3 && sent < kMessages; ++i) out.push(message(sent++, sendRandom));
        REQUIRE(out.flush(pair.fd[0]) != FrameQueue::Flush::Broken);
        std::vector<pvm::Frame> got;
        for (;;) {
            auto result = in.next(pair.fd[1], got);
            REQUIRE(result != FrameReader::Result::Closed);
            if (result == FrameReader::Result::Pending) break;
            REQUIRE(same(got, message(received, checkRandom)));
            ++received;
        }
        CHECK_FALSE(in.hasMessage());
    }
    CHECK(out.empty());
    CHECK(out.bytes() == 0);
}

TEST_CASE("hasMessage sees a whole message left in the reader", "[frames]") {
    SocketPair pair;
    FrameQueue out;
    for (int n = 0; n < 2; ++n) {
        std::vector<pvm::Frame> frames;
        frames.emplace_back(&n, sizeof n);
        frames.emplace_back("body", 4);
        out.push(std::move(frames));
    }
    REQUIRE(out.flush(pair.fd[0]) == FrameQueue::Flush::Empty);
    FrameReader in;
    std::vector<pvm::Frame> got;
    REQUIRE(in.next(pair.fd[1], got) == FrameReader::Result::Message);
    pollfd p{pair.fd[1], POLLIN, 0};
    CHECK(poll(&p, 1, 0) == 0);  // the descriptor no longer shows the second one
    CHECK(in.hasMessage());
    REQUIRE(in.next(pair.fd[1], got) == FrameReader::Result::Message);
    CHECK_FALSE(in.hasMessage());
    CHECK(in.next(pair.fd[1], got) == FrameReader::Result::Pending);
}

TEST_CASE("a hostile header or a closed stream ends the reading", "[frames]") {
    for (std::uint64_t count : {std::uint64_t{0}, std::uint64_t{kMaxStreamFrames} + 1}) {
        SocketPair pair;
        REQUIRE(write(pair.fd[0], &count, sizeof count) == sizeof count);
        FrameReader in;
        std::vector<pvm::Frame> got;
        CHECK(in.next(pair.fd[1], got) == FrameReader::Result::Closed);
    }
    SocketPair pair;
    std::uint64_t header[3] = {2, 1, ~std::uint64_t{0}};  // the lengths add up past the limit
    REQUIRE(write(pair.fd[0], header, sizeof header) == sizeof header);
    FrameReader in;
    std::vector<pvm::Frame> got;
    CHECK(in.next(pair.fd[1], got) == FrameReader::Result::Closed);
    close(pair.fd[0]);
    pair.fd[0] = -1;
    FrameReader other;
    SocketPair closed;
    close(closed.fd[0]);
    closed.fd[0] = -1;
    CHECK(other.next(closed.fd[1], got) == FrameReader::Result::Closed);
}

TEST_CASE("a writer whose reader has gone is told so", "[frames]") {
    SocketPair pair;
    close(pair.fd[1]);
    pair.fd[1] = -1;
    FrameQueue out;
    std::mt19937 random(3);
    out.push(message(0, random));
    CHECK(out.flush(pair.fd[0]) == FrameQueue::Flush::Broken);
}

TEST_CASE("after a read that took all the stream had, the next call does not read, unless told to", "[frames]") {
    SocketPair pair;
    FrameQueue out;
    FrameReader in;
    auto small = [](int n) {  // one frame of 8 bytes: one short read takes it whole
        std::vector<pvm::Frame> frames;
        frames.emplace_back(8);
        std::memset(frames[0].data(), n, 8);
        return frames;
    };
    std::vector<pvm::Frame> got;
    out.push(small(1));
    REQUIRE(out.flush(pair.fd[0]) == FrameQueue::Flush::Empty);
    REQUIRE(in.next(pair.fd[1], got) == FrameReader::Result::Message);
    // What is written after that read waits for the call after next: a caller polls the
    // descriptor anyway, and spares a read that would find nothing most of the time.
    out.push(small(2));
    REQUIRE(out.flush(pair.fd[0]) == FrameQueue::Flush::Empty);
    CHECK(in.next(pair.fd[1], got) == FrameReader::Result::Pending);
    REQUIRE(in.next(pair.fd[1], got) == FrameReader::Result::Message);
    CHECK(same(got, small(2)));
    // readAgain: a caller that learned of the writer's exit must see all it wrote before.
    out.push(small(3));
    REQUIRE(out.flush(pair.fd[0]) == FrameQueue::Flush::Empty);
    in.readAgain();
    REQUIRE(in.next(pair.fd[1], got) == FrameReader::Result::Message);
    CHECK(same(got, small(3)));
}
