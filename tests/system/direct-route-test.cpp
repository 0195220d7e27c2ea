// direct-route-test.cpp - PvmRouteDirect between tasks of one host: shared-memory
// rings in every encoding and size, ordering across the switch from the daemon
// route, many writers, a reader that dies under a blocked writer, and cleanup.
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <poll.h>
#include <string>
#include <unistd.h>
#include <vector>

#include "pvm3.h"
#include "rings.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* arg(const char* s) { return const_cast<char*>(s); }
}  // namespace

TEST_CASE("round trips over the direct route in every encoding, from 0 bytes to 64 MB", "[direct]") {
    VirtualMachine vm;
    Route route(PvmRouteDirect);
    int me = pvm_mytid();
    int echo = spawnTask({"directecho"});
    constexpr std::size_t kMax = std::size_t{64} << 20;
    std::vector<char> out(kMax), in(kMax);
    for (std::size_t i = 0; i < kMax; ++i) out[i] = static_cast<char>(i * 31 + i / 4093);
    // Around the 2 MB ring: what fits in one record, what needs two, and many chunks.
    const std::size_t sizes[] = {0, 1, 7, 8, 1000, 65536, 1 << 20, (2 << 20) - 40, (2 << 20) + 13, 5 << 20, kMax};
    for (int encoding : {PvmDataDefault, PvmDataRaw, PvmDataInPlace}) {
        for (std::size_t size : sizes) {
            INFO("encoding " << encoding << ", " << size << " bytes");
            REQUIRE(pvm_initsend(encoding) > 0);
            REQUIRE(pvm_pkbyte(out.data(), static_cast<int>(size), 1) == 0);
            REQUIRE(pvm_send(echo, 5) == 0);
            int bufid = pvm_recv(echo, 5);
            REQUIRE(bufid > 0);
            int bytes = -1, tag = -1, src = -1;
            REQUIRE(pvm_bufinfo(bufid, &bytes, &tag, &src) == 0);
            CHECK(static_cast<std::size_t>(bytes) == size);
            CHECK(src == echo);
            std::memset(in.data(), 0, size);
            REQUIRE(pvm_upkbyte(in.data(), static_cast<int>(size), 1) == 0);
            REQUIRE(std::memcmp(in.data(), out.data(), size) == 0);
        }
        // Typed items keep their encoding through the ring.
        int ints[3] = {-7, 0, 1 << 30};
        double doubles[2] = {-1.5e300, 3.25};
        REQUIRE(pvm_initsend(encoding) > 0);
        pvm_pkint(ints, 3, 1);
        pvm_pkdouble(doubles, 2, 1);
        if (encoding != PvmDataInPlace) pvm_pkstr(arg("through the ring"));
        REQUIRE(pvm_send(echo, 6) == 0);
        REQUIRE(pvm_recv(echo, 6) > 0);
        int ints2[3] = {};
        double doubles2[2] = {};
        char text[32] = "";
        CHECK(pvm_upkint(ints2, 3, 1) == 0);
        CHECK(pvm_upkdouble(doubles2, 2, 1) == 0);
        CHECK(std::memcmp(ints, ints2, sizeof ints) == 0);
        CHECK(std::memcmp(doubles, doubles2, sizeof doubles) == 0);
        if (encoding != PvmDataInPlace) {
            CHECK(pvm_upkstr(text) == 0);
            CHECK(std::string(text) == "through the ring");
        }
    }
    // Both directions went through rings: ours to the echo, and the echo's to us.
    CHECK(hasMappedRing(me, echo));
    CHECK(hasMappedRing(echo, me));
    CHECK(shmRingsOf(getpid()).empty());  // each name is removed once both sides have mapped it
    stop(echo);
}

TEST_CASE("two tasks sending big messages to each other at once do not deadlock", "[direct]") {
    VirtualMachine vm;
    Route route(PvmRouteDirect);
    int echo = spawnTask({"directecho"});
    // Several messages of many rings each, sent before any answer is read: the echo blocks
    // writing answers to us while we block writing to it, and both must keep reading.
    constexpr int kCount = 4;
    constexpr std::size_t kSize = std::size_t{12} << 20;
    std::vector<char> out(kSize), in(kSize);
    for (std::size_t i = 0; i < kSize; ++i) out[i] = static_cast<char>(i % 251);
    for (int i = 0; i < kCount; ++i) {
        pvm_initsend(PvmDataRaw);
        pvm_pkint(&i, 1, 1);
        pvm_pkbyte(out.data(), static_cast<int>(kSize), 1);
        REQUIRE(pvm_send(echo, 7) == 0);
    }
    for (int i = 0; i < kCount; ++i) {
        REQUIRE(pvm_recv(echo, 7) > 0);
        int v = -1;
        pvm_upkint(&v, 1, 1);
        CHECK(v == i);
        REQUIRE(pvm_upkbyte(in.data(), static_cast<int>(kSize), 1) == 0);
        CHECK(std::memcmp(in.data(), out.data(), kSize) == 0);
    }
    stop(echo);
}

TEST_CASE("messages keep their order when the sender switches to the direct route", "[direct]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    // 1000 messages through the daemon, then 1000 through a ring.
    int task = spawnTask({"stream", "2000", "1000", "wait"});
    receiveStream(task, 2000);
    CHECK(hasMappedRing(task, me));
    stop(task);
}

TEST_CASE("10000 small messages keep their order over the direct route", "[direct]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    int task = spawnTask({"stream", "10000", "0", "wait"});
    receiveStream(task, 10000);
    CHECK(hasMappedRing(task, me));
    stop(task);
}

TEST_CASE("two writers share one reader, each in order, and leave no ring behind", "[direct]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    constexpr int kEach = 3000;
    // The writers exit as soon as they have written, most likely before we have read.
    int a = spawnTask({"stream", "3000", "0"});
    int b = spawnTask({"stream", "3000", "0"});
    std::map<int, int> next{{a, 0}, {b, 0}};
    for (int i = 0; i < 2 * kEach; ++i) {
        int bufid = pvm_recv(-1, 2);
        REQUIRE(bufid > 0);
        int bytes, tag, src, v = -1;
        pvm_bufinfo(bufid, &bytes, &tag, &src);
        REQUIRE(next.count(src) == 1);
        pvm_upkint(&v, 1, 1);
        REQUIRE(v == next[src]++);
    }
    CHECK(next[a] == kEach);
    CHECK(next[b] == kEach);
    // A ring whose writer has closed is let go once read to the end.
    CHECK(waitFor([&] {
        pvm_probe(-1, -1);
        return !hasMappedRing(a, me) && !hasMappedRing(b, me);
    }));
}

TEST_CASE("a writer blocked on a full ring returns when its reader dies", "[direct]") {
    VirtualMachine vm;
    Route route(PvmRouteDirect);
    const char* how = GENERATE("dies", "leave");
    INFO("the reader " << how);
    // The reader never reads: it dies, or leaves PVM, while we wait for space.
    int reader = std::strcmp(how, "dies") == 0 ? spawnTask({"vanish", "300"}) : spawnTask({"vanish", "300", "leave"});
    REQUIRE(pvm_recv(reader, 1) > 0);
    int pid = pidOf(reader);
    std::vector<char> big(std::size_t{16} << 20, 'x');
    auto start = std::chrono::steady_clock::now();
    REQUIRE(pvm_initsend(PvmDataRaw) > 0);
    REQUIRE(pvm_pkbyte(big.data(), static_cast<int>(big.size()), 1) == 0);
    CHECK(pvm_send(reader, 5) == 0);  // lost, as through the daemon; but it returns
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(20));
    // Later messages take the daemon route, which drops them too.
    REQUIRE(pvm_initsend(PvmDataRaw) > 0);
    CHECK(pvm_send(reader, 5) == 0);
    kill(pid, SIGKILL);
    REQUIRE(waitFor([&] { return !processAlive(pid); }));
    CHECK(waitFor([&] { return shmRingsOf(pid).empty(); }));
}

TEST_CASE("no shared memory object or FIFO is left after direct tasks exit", "[direct]") {
    VirtualMachine vm;
    int echo = spawnTask({"directecho"});
    std::string echoTid = std::to_string(echo);
    int client = spawnTask({"directclient", echoTid.c_str(), "300"});
    int echoPid = pidOf(echo), clientPid = pidOf(client);
    REQUIRE(pvm_recv(client, 1) > 0);
    char result[64] = "";
    int rings = 0;
    pvm_upkstr(result);
    pvm_upkint(&rings, 1, 1);
    CHECK(std::string(result) == "ok");
    CHECK(rings == 2);  // the client's ring to the echo and the echo's to it
    REQUIRE(waitFor([&] { return !processAlive(echoPid) && !processAlive(clientPid); }));
    CHECK(shmRingsOf(echoPid).empty());
    CHECK(shmRingsOf(clientPid).empty());
    CHECK(wakeFifos(vm, echoPid).empty());
    CHECK(wakeFifos(vm, clientPid).empty());
    // The client told us its result over a ring too; leaving PVM removes our FIFO as well.
    CHECK(wakeFifos(vm, getpid()).size() == 1);
    REQUIRE(pvm_exit() == 0);
    CHECK(wakeFifos(vm).empty());
    CHECK(mappedRings().empty());
}

TEST_CASE("PvmDontRoute and a quiet pair at PvmAllowDirect keep the daemon route, and a receiver takes rings anyway",
          "[direct]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    for (int setting : {PvmDontRoute, PvmAllowDirect}) {
        INFO("route " << setting);
        Route route(setting);
        int echo = spawnTask({"echo"});
        for (int i = 0; i < 3; ++i) {
            pvm_initsend(PvmDataRaw);
            pvm_pkint(&i, 1, 1);
            REQUIRE(pvm_send(echo, 3) == 0);
            REQUIRE(pvm_recv(echo, 3) > 0);
        }
        CHECK(mappedRings().empty());
        CHECK(shmRingsOf(pidOf(echo)).empty());  // none between the two of us
        CHECK(wakeFifos(vm).empty());
        stop(echo);
    }
    // The echo answers over a ring even though this task would not make one itself.
    Route route(PvmDontRoute);
    int echo = spawnTask({"directecho"});
    int v = 42, got = 0;
    pvm_initsend(PvmDataRaw);
    pvm_pkint(&v, 1, 1);
    REQUIRE(pvm_send(echo, 3) == 0);
    REQUIRE(pvm_recv(echo, 3) > 0);
    pvm_upkint(&got, 1, 1);
    CHECK(got == 42);
    CHECK(hasMappedRing(echo, me));
    CHECK_FALSE(hasMappedRing(me, echo));
    stop(echo);
}

TEST_CASE("a direct link either side asks for carries both directions, in order", "[direct]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    SECTION("the peer asks, this task (PvmAllowDirect) answers over a ring of its own") {
        Route route(PvmAllowDirect);
        int echo = spawnTask({"directecho"});
        roundTrips(echo, 20);
        CHECK(hasMappedRing(echo, me));
        CHECK(hasMappedRing(me, echo));
        stop(echo);
    }
    SECTION("this task asks, a peer left at PvmAllowDirect answers over a ring") {
        Route route(PvmRouteDirect);
        int echo = spawnTask({"echo"});
        roundTrips(echo, 20);
        CHECK(hasMappedRing(me, echo));
        CHECK(hasMappedRing(echo, me));
        stop(echo);
    }
}

namespace {
int handlerPeer = 0;
/// sendingHandler sends number 100 to handlerPeer: a send from inside another send.
int sendingHandler(int) {
    int saved = pvm_setsbuf(0);
    pvm_initsend(PvmDataRaw);
    int v = 100;
    pvm_pkint(&v, 1, 1);
    pvm_send(handlerPeer, 3);
    pvm_freebuf(pvm_setsbuf(saved));
    return 0;
}
}  // namespace

TEST_CASE("a handler that sends to a peer during the first direct send to it makes no second ring", "[direct]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    Route route(PvmRouteDirect);
    handlerPeer = spawnTask({"echo"});
    int id = pvm_addmhf(-1, 9, -1, sendingHandler);
    REQUIRE(id >= 0);
    // The tag 9 message arrives while the first direct send asks the daemon for the peer's pid.
    pvm_initsend(PvmDataRaw);
    REQUIRE(pvm_send(me, 9) == 0);
    int v = 1;
    pvm_initsend(PvmDataRaw);
    pvm_pkint(&v, 1, 1);
    REQUIRE(pvm_send(handlerPeer, 3) == 0);
    std::vector<int> answers;
    for (int i = 0; i < 2; ++i) {
        REQUIRE(pvm_recv(handlerPeer, 3) > 0);
        int got = -1;
        pvm_upkint(&got, 1, 1);
        answers.push_back(got);
    }
    CHECK(answers == std::vector<int>{1, 100});  // the handler ran after the send, at the receive
    int rings = 0;
    for (const RingName& r : mappedRings()) rings += r.writerTid == me && r.readerTid == handlerPeer;
    CHECK(rings == 1);
    REQUIRE(pvm_delmhf(id) == 0);
    stop(handlerPeer);
}

TEST_CASE("pvm_halt leaves no ring that a task still alive had not mapped", "[direct]") {
    {
        VirtualMachine vm;
        Route route(PvmRouteDirect);
        int sleeper = spawnTask({"sleep"});
        REQUIRE(pvm_recv(sleeper, 1) > 0);  // "ready"; it never reads again
        pvm_initsend(PvmDataRaw);
        REQUIRE(pvm_send(sleeper, 3) == 0);  // over a ring it will never map
        REQUIRE(shmRingsOf(getpid()).size() == 1);
    }  // pvm_halt ends the machine while the sleeper still lives
    CHECK(shmRingsOf(getpid()).empty());
}

TEST_CASE("pvm_mcast and pvm_psend take the direct route", "[direct]") {
    VirtualMachine vm;
    Route route(PvmRouteDirect);
    int me = pvm_mytid();
    int echoes[2] = {spawnTask({"directecho"}), spawnTask({"directecho"})};
    int v = 7;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&v, 1, 1);
    REQUIRE(pvm_mcast(echoes, 2, 8) == 0);
    for (int echo : echoes) {
        REQUIRE(pvm_recv(echo, 8) > 0);
        int got = 0;
        pvm_upkint(&got, 1, 1);
        CHECK(got == 7);
        CHECK(hasMappedRing(me, echo));
    }
    double values[4] = {1, 2, 3, 4}, back[4] = {};
    REQUIRE(pvm_psend(echoes[0], 9, values, 4, PVM_DOUBLE) == 0);
    int src = 0, tag = 0, count = 0;
    REQUIRE(pvm_precv(echoes[0], 9, back, 4, PVM_DOUBLE, &src, &tag, &count) == 0);
    CHECK(count == 32);  // bytes, as PVM gives it
    CHECK(std::memcmp(values, back, sizeof values) == 0);
    for (int echo : echoes) stop(echo);
}

TEST_CASE("the descriptor of pvm_getfds shows messages that come over a ring", "[direct]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    int echo = spawnTask({"directecho"});
    int* fds = nullptr;
    REQUIRE(pvm_getfds(&fds) == 1);
    int fd = fds[0];
    for (int i = 0; i < 200; ++i) {
        INFO("round trip " << i);
        pvm_initsend(PvmDataRaw);
        pvm_pkint(&i, 1, 1);
        REQUIRE(pvm_send(echo, 4) == 0);
        // As an event loop would: wait for the descriptor, then take what is there.
        int bufid = 0;
        while (bufid == 0) {
            pollfd p{fd, POLLIN, 0};
            REQUIRE(poll(&p, 1, 10000) == 1);
            bufid = pvm_nrecv(echo, 4);
        }
        REQUIRE(bufid > 0);
        int v = -1;
        pvm_upkint(&v, 1, 1);
        REQUIRE(v == i);
    }
    CHECK(hasMappedRing(echo, me));
    stop(echo);
}
