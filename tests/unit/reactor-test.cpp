// reactor-test.cpp - the daemon's epoll set: handlers run for ready descriptors only,
// may remove descriptors (their own included), and an event for a descriptor number
// that was closed and reused never reaches the new owner's handler, nor is removed by
// its old owner, and a number opened again is watched again once renewed.
#include <catch2/catch.hpp>
#include <cstdint>
#include <poll.h>
#include <unistd.h>
#include <utility>

#include "reactor.h"

using namespace pvm;

namespace {
struct Pipe {
    Pipe() { REQUIRE(pipe(fd) == 0); }
    ~Pipe() {
        for (int f : fd)
            if (f >= 0) close(f);
    }
    int fd[2] = {-1, -1};
};

bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, 0) == 1;
}
}  // namespace

TEST_CASE("a reactor runs the handlers of ready descriptors only", "[reactor]") {
    Reactor reactor;
    Pipe a, b;
    int aRuns = 0, bRuns = 0;
    reactor.add(a.fd[0], true, false, [&](bool r, bool) { aRuns += r; });
    reactor.add(b.fd[0], true, false, [&](bool r, bool) { bRuns += r; });
    CHECK_FALSE(readable(reactor.fd()));
    REQUIRE(write(a.fd[1], "x", 1) == 1);
    CHECK(readable(reactor.fd()));
    reactor.dispatch();
    CHECK(aRuns == 1);
    CHECK(bRuns == 0);
    reactor.modify(a.fd[0], false, false);  // still ready, but no longer waited for
    reactor.dispatch();
    CHECK(aRuns == 1);
    reactor.remove(b.fd[0]);
    CHECK(reactor.size() == 1);
}

TEST_CASE("a handler may remove descriptors, and a reused number gets no stale event", "[reactor]") {
    Reactor reactor;
    Pipe a, b;
    int bRuns = 0, reusedRuns = 0;  // bRuns counts b's handler, whichever runs first
    REQUIRE(write(a.fd[1], "x", 1) == 1);
    REQUIRE(write(b.fd[1], "x", 1) == 1);
    int bRead = b.fd[0];
    // Whichever runs first removes and closes the other, and the other's number is reused at
    // once for a descriptor that is ready too: that one's handler must wait for its own event.
    auto closeOther = [&](int other) {
        int fresh[2];
        REQUIRE(pipe(fresh) == 0);  // before the close, so the numbers differ
        REQUIRE(write(fresh[1], "y", 1) == 1);
        reactor.remove(other);
        close(other);
        REQUIRE(dup2(fresh[0], other) == other);
        close(fresh[0]);
        close(fresh[1]);
        reactor.add(other, true, false, [&](bool, bool) { ++reusedRuns; });
    };
    int aRead = a.fd[0];
    bool swapped = false;
    reactor.add(aRead, true, false, [&](bool, bool) {
        if (!std::exchange(swapped, true)) closeOther(bRead);
    });
    reactor.add(bRead, true, false, [&](bool, bool) {
        ++bRuns;
        if (!std::exchange(swapped, true)) closeOther(aRead);
    });
    reactor.dispatch();
    CHECK(reusedRuns == 0);  // the event in hand was for the old descriptor
    reactor.dispatch();
    CHECK(reusedRuns == 1);  // its own event comes at the next turn
    a.fd[0] = b.fd[0] = -1;  // closed above, or now owned by the reused number
    close(aRead);
    close(bRead);
}

TEST_CASE("removing an old registration of a descriptor number leaves its new one", "[reactor]") {
    Reactor reactor;
    Pipe a;
    int oldRuns = 0, newRuns = 0;
    std::uint32_t old = reactor.add(a.fd[0], true, false, [&](bool, bool) { ++oldRuns; });
    // The number is registered again (closed and reused) before the first owner cleans up.
    std::uint32_t fresh = reactor.add(a.fd[0], true, false, [&](bool, bool) { ++newRuns; });
    CHECK(fresh != old);
    reactor.remove(a.fd[0], old);
    REQUIRE(write(a.fd[1], "x", 1) == 1);
    reactor.dispatch(1000);
    CHECK(oldRuns == 0);
    CHECK(newRuns == 1);
    reactor.remove(a.fd[0], fresh);
    CHECK(reactor.size() == 0);
}

TEST_CASE("a descriptor number closed and opened again is watched again once renewed", "[reactor]") {
    Reactor reactor;
    Pipe a;
    int runs = 0;
    reactor.add(a.fd[0], true, false, [&](bool, bool) { ++runs; });
    // Its owner closes it and opens a new pipe under the same number, and tells nobody.
    Pipe fresh;
    close(a.fd[0]);
    REQUIRE(dup2(fresh.fd[0], a.fd[0]) == a.fd[0]);
    REQUIRE(write(fresh.fd[1], "x", 1) == 1);
    reactor.dispatch(0);
    CHECK(runs == 0);  // epoll dropped the old file with its registration
    reactor.renew(a.fd[0]);
    reactor.dispatch(1000);
    CHECK(runs == 1);
    reactor.remove(a.fd[0]);
}
