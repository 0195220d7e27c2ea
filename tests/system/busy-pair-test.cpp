// busy-pair-test.cpp - tasks of one host left at PvmAllowDirect: a busy pair moves
// to small shared-memory rings, a task makes only so many, and a ring whose writer
// was killed does not stay mapped in its reader.
#include <catch2/catch.hpp>
#include <csignal>
#include <string>
#include <vector>

#include "pvm3.h"
#include "rings.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* arg(const char* s) { return const_cast<char*>(s); }
}  // namespace

TEST_CASE("a busy pair left at PvmAllowDirect moves to small rings both ways, in order", "[direct]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    constexpr std::size_t kSmallRing = 4096 + (256 << 10);  // header page and data
    SECTION("after a few messages") {
        int echo = spawnTask({"echo"});
        roundTrips(echo, 7);
        CHECK(mappedRings().empty());  // a quiet pair costs no ring
        roundTrips(echo, 30);
        CHECK(mappedRingBytes(me, echo) == kSmallRing);
        CHECK(mappedRingBytes(echo, me) == kSmallRing);  // the echo answers with a ring of its own
        stop(echo);
    }
    SECTION("at once for a big message, which the small ring carries in chunks") {
        int echo = spawnTask({"echo"});
        roundTrips(echo, 3, 1 << 20);
        CHECK(mappedRingBytes(me, echo) == kSmallRing);
        CHECK(mappedRingBytes(echo, me) == kSmallRing);
        stop(echo);
    }
}

TEST_CASE("a task makes at most 32 rings it was not asked for, and the rest keep the daemon route", "[direct]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    std::string path = taskPath();
    char* argv[] = {arg("echo"), nullptr};
    std::vector<int> echoes(34);
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 34, echoes.data()) == 34);
    for (int echo : echoes) roundTrips(echo, 10);
    std::size_t mine = 0;
    for (const MappedRing& r : mappedRings())
        if (r.writerTid == me) ++mine;
    CHECK(mine == 32);
    for (int echo : echoes) stop(echo);
}

TEST_CASE("a ring whose writer was killed is let go by its reader", "[direct]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    // Over a ring from the first message; "wait" keeps the writer alive until tag 99.
    int writer = spawnTask({"stream", "2000", "0", "wait"});
    int pid = pidOf(writer);
    receiveStream(writer, 2000);
    REQUIRE(hasMappedRing(writer, me));
    // SIGKILL: no farewell closes the ring. The reader must notice on its own, at its next
    // calls, and unmap it (before, it stayed until the reader exited).
    REQUIRE(kill(pid, SIGKILL) == 0);
    CHECK(waitFor(
        [&] {
            pvm_nrecv(-1, 98);  // any call that reads the rings
            return !hasMappedRing(writer, me);
        },
        std::chrono::seconds(10)));
}
