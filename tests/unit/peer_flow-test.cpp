// peer_flow-test.cpp - flow control between daemons, without sockets: the window of
// bytes on their way to a host, holds for one task, and a host that goes.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "peer_flow.h"

using pvm::PeerFlow;

namespace {
/// message is one packet of bytes bytes whose first byte says which it is.
std::vector<pvm::Frame> message(std::size_t bytes, char id) {
    std::vector<pvm::Frame> frames;
    frames.emplace_back(bytes);
    static_cast<char*>(frames.back().data())[0] = id;
    return frames;
}

char idOf(const std::vector<pvm::Frame>& frames) { return static_cast<const char*>(frames.front().data())[0]; }

constexpr int kHost = 2;
constexpr int kRemoteTask = (kHost << 18) | 1;
}  // namespace

TEST_CASE("the window lets a host have at most the limit on its way, in order", "[flow]") {
    PeerFlow flow(1000);
    CHECK(flow.mayPass(kHost));
    flow.sent(kHost, 1000);
    CHECK_FALSE(flow.mayPass(kHost));
    auto a = message(300, 'a'), b = message(300, 'b'), c = message(300, 'c');
    CHECK(flow.wait(kHost, a, "t1"));        // the sender is paused once
    CHECK_FALSE(flow.wait(kHost, b, "t1"));  // and not twice
    CHECK(flow.wait(kHost, c, "t2"));
    CHECK_FALSE(flow.mayPass(kHost));  // others queue behind, in order

    // 400 acknowledged: 600 on the way. Messages go while less than the limit is: a takes
    // it to 900, b past it, and c waits.
    auto first = flow.acknowledged(kHost, 400);
    REQUIRE(first.messages.size() == 2);
    CHECK(idOf(first.messages[0]) == 'a');
    CHECK(idOf(first.messages[1]) == 'b');
    CHECK(first.senders.empty());  // c still waits: its sender stays paused

    auto rest = flow.acknowledged(kHost, 1600);
    REQUIRE(rest.messages.size() == 1);
    CHECK(idOf(rest.messages[0]) == 'c');
    CHECK(rest.senders == std::vector<std::string>{"t1", "t2"});  // every paused sender goes on
    CHECK(flow.mayPass(kHost));
    // An acknowledgement of more than was sent is not believed.
    flow.acknowledged(kHost, 1'000'000);
    flow.sent(kHost, 700);
    CHECK_FALSE(flow.mayPass(kHost));  // 2600 sent, 1600 acknowledged: 1000 on the way
}

TEST_CASE("a receiving daemon acknowledges every quarter of a window", "[flow]") {
    PeerFlow flow(1000);
    CHECK(flow.received(kHost, 200) == 0);
    CHECK(flow.received(kHost, 100) == 300);
    CHECK(flow.received(kHost, 249) == 0);
    CHECK(flow.received(kHost, 1) == 550);
    CHECK(flow.received(3, 250) == 250);  // each host counts apart
}

TEST_CASE("a task that does not read has its messages held at the sending daemon", "[flow]") {
    PeerFlow flow(1000);
    constexpr int kLocalTask = (1 << 18) | 1;
    // Receiving side: ask each sending host once, release at half the limit or when it is gone.
    CHECK_FALSE(flow.arrived(kHost, kLocalTask, 1000));
    CHECK(flow.arrived(kHost, kLocalTask, 1001));
    CHECK_FALSE(flow.arrived(kHost, kLocalTask, 5000));
    CHECK(flow.arrived(3, kLocalTask, 1001));
    CHECK(flow.asking());
    long long queued = 501;
    auto queuedFor = [&](int) { return queued; };
    CHECK(flow.releasable(queuedFor).empty());
    queued = 500;
    CHECK(flow.releasable(queuedFor) == std::vector<std::pair<int, int>>{{kHost, kLocalTask}, {3, kLocalTask}});
    CHECK_FALSE(flow.asking());
    CHECK(flow.arrived(kHost, kLocalTask, 1001));
    queued = -1;  // the task has gone
    CHECK(flow.releasable(queuedFor).size() == 1);

    // Sending side: keep, pause a sender past the limit, let all go in order.
    flow.hold(kRemoteTask);
    CHECK(flow.holds(kRemoteTask));
    auto a = message(600, 'a'), b = message(600, 'b'), c = message(600, 'c');
    CHECK_FALSE(flow.keep(kRemoteTask, a, "t1"));
    CHECK(flow.keep(kRemoteTask, b, "t1"));
    CHECK_FALSE(flow.keep(kRemoteTask, c, ""));  // this daemon's own messages pause nobody
    auto released = flow.release(kRemoteTask);
    CHECK_FALSE(flow.holds(kRemoteTask));
    REQUIRE(released.messages.size() == 3);
    CHECK(idOf(released.messages[2]) == 'c');
    CHECK(released.senders == std::vector<std::string>{"t1"});
}

TEST_CASE("a host that goes takes what waited for it, and its senders go on", "[flow]") {
    PeerFlow flow(1000);
    flow.sent(kHost, 1000);
    auto a = message(10, 'a'), b = message(2000, 'b');
    flow.wait(kHost, a, "t1");
    flow.hold(kRemoteTask);
    flow.keep(kRemoteTask, b, "t2");
    flow.received(kHost, 100);
    std::size_t dropped = 0;
    auto gone = flow.forgetHost(kHost, dropped);
    CHECK(dropped == 2);
    CHECK(gone.senders.size() == 2);
    CHECK_FALSE(flow.holds(kRemoteTask));
    CHECK(flow.mayPass(kHost));               // a daemon that comes back starts afresh
    CHECK(flow.received(kHost, 250) == 250);  // from 0 on its side too
}
