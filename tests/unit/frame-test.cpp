// frame-test.cpp - Frame, the unit of the task link and the daemon's queues, and
// its hand-over to and from ZeroMQ without a copy.
#include <catch2/catch.hpp>
#include <cstring>
#include <string>

#include "frame.h"
#include "zmq_frames.h"

TEST_CASE("a frame copies, shares and hands its bytes to ZeroMQ and back without losing them", "[frame]") {
    pvm::Frame empty;
    CHECK(empty.size() == 0);
    CHECK(empty.data() != nullptr);  // memcpy and memcmp of nothing stay defined
    std::string text = "sixteen bytes!!!";
    pvm::Frame original(text.data(), text.size());
    text[0] = 'X';  // a copy, not a view
    CHECK(original.text() == "sixteen bytes!!!");
    pvm::Frame shared = original.share();
    CHECK(shared.data() == original.data());
    {
        pvm::Frame moved(std::move(original));
        CHECK(original.size() == 0);
        CHECK(original.data() != nullptr);
    }
    CHECK(shared.text() == "sixteen bytes!!!");  // the share keeps the bytes alive
    // Into a ZeroMQ message and out again: the same bytes, never copied.
    zmq::message_t message = pvm::toZmq(shared);
    CHECK(message.data() == shared.data());
    const void* where = message.data();
    pvm::Frame back = pvm::fromZmq(std::move(message));
    CHECK(back.data() == where);
    CHECK(back.text() == "sixteen bytes!!!");
}
