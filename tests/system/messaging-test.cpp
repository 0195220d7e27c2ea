// messaging-test.cpp - messages between real tasks: every encoding, wildcards,
// ordering, time-outs, probe, multicast, psend/precv and a 512 MB message.
#include <catch2/catch.hpp>
#include <chrono>
#include <climits>
#include <cstring>
#include <numeric>
#include <vector>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* mode(const char* m) { return const_cast<char*>(m); }

int spawnEcho() {
    std::string path = taskPath();
    char* argv[] = {mode("echo"), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    return tid;
}

void stopEcho(int tid) {
    pvm_initsend(PvmDataDefault);
    pvm_send(tid, 99);
}
}  // namespace

TEST_CASE("typed round trips through an echo task in every encoding", "[messages]") {
    VirtualMachine vm;
    int echo = spawnEcho();
    for (int encoding : {PvmDataDefault, PvmDataRaw, PvmDataInPlace}) {
        INFO("encoding " << encoding);
        int ints[3] = {INT_MIN, 0, INT_MAX};
        long longs[2] = {LONG_MIN, LONG_MAX};
        double doubles[2] = {-1.5e300, 3.25};
        short shorts[2] = {SHRT_MIN, SHRT_MAX};
        float floats[2] = {1.5f, -0.0f};
        unsigned long ulongs[1] = {ULONG_MAX};
        char bytes[4] = {'a', '\0', 'z', '\x7f'};
        REQUIRE(pvm_initsend(encoding) > 0);
        pvm_pkint(ints, 3, 1);
        pvm_pklong(longs, 2, 1);
        pvm_pkdouble(doubles, 2, 1);
        pvm_pkshort(shorts, 2, 1);
        pvm_pkfloat(floats, 2, 1);
        pvm_pkulong(ulongs, 1, 1);
        pvm_pkbyte(bytes, 4, 1);
        if (encoding != PvmDataInPlace) pvm_pkstr(mode("a string"));
        REQUIRE(pvm_send(echo, 7) == 0);
        int bufid = pvm_recv(echo, 7);
        REQUIRE(bufid > 0);
        int ints2[3];
        long longs2[2];
        double doubles2[2];
        short shorts2[2];
        float floats2[2];
        unsigned long ulongs2[1];
        char bytes2[4];
        char text[64] = "";
        CHECK(pvm_upkint(ints2, 3, 1) == 0);
        CHECK(pvm_upklong(longs2, 2, 1) == 0);
        CHECK(pvm_upkdouble(doubles2, 2, 1) == 0);
        CHECK(pvm_upkshort(shorts2, 2, 1) == 0);
        CHECK(pvm_upkfloat(floats2, 2, 1) == 0);
        CHECK(pvm_upkulong(ulongs2, 1, 1) == 0);
        CHECK(pvm_upkbyte(bytes2, 4, 1) == 0);
        CHECK(std::memcmp(ints, ints2, sizeof ints) == 0);
        CHECK(std::memcmp(longs, longs2, sizeof longs) == 0);
        CHECK(std::memcmp(doubles, doubles2, sizeof doubles) == 0);
        CHECK(std::memcmp(shorts, shorts2, sizeof shorts) == 0);
        CHECK(std::memcmp(floats, floats2, sizeof floats) == 0);
        CHECK(ulongs2[0] == ULONG_MAX);
        CHECK(std::memcmp(bytes, bytes2, sizeof bytes) == 0);
        if (encoding != PvmDataInPlace) {
            CHECK(pvm_upkstr(text) == 0);
            CHECK(std::string(text) == "a string");
        }
        pvm_setopt(PvmAutoErr, 0);
        CHECK(pvm_upkint(ints2, 1, 1) == PvmNoData);
        pvm_setopt(PvmAutoErr, 1);
        int bytesInfo, tag, src;
        REQUIRE(pvm_bufinfo(bufid, &bytesInfo, &tag, &src) == 0);
        CHECK(tag == 7);
        CHECK(src == echo);
    }
    stopEcho(echo);
}

TEST_CASE("strided packing survives a round trip", "[messages]") {
    VirtualMachine vm;
    int echo = spawnEcho();
    int data[10];
    std::iota(data, data + 10, 100);
    pvm_initsend(PvmDataDefault);
    pvm_pkint(data, 5, 2);  // 100 102 104 106 108
    pvm_send(echo, 3);
    REQUIRE(pvm_recv(echo, 3) > 0);
    int out[15] = {};
    REQUIRE(pvm_upkint(out, 5, 3) == 0);
    CHECK(out[0] == 100);
    CHECK(out[3] == 102);
    CHECK(out[12] == 108);
    CHECK(out[1] == 0);
    stopEcho(echo);
}

TEST_CASE("messages from one task arrive in the order sent", "[messages]") {
    VirtualMachine vm;
    std::string path = taskPath();
    char* argv[] = {mode("stream"), mode("5000"), nullptr};
    int tid;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    for (int i = 0; i < 5000; ++i) {
        REQUIRE(pvm_recv(-1, 2) > 0);
        int v = -1;
        pvm_upkint(&v, 1, 1);
        REQUIRE(v == i);
    }
}

TEST_CASE("wildcards and tags select messages as PVM does", "[messages]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    for (int tag : {10, 20, 30}) {
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&tag, 1, 1);
        pvm_send(me, tag);
    }
    int v = 0;
    // A specific tag skips earlier messages; a wildcard takes the oldest left.
    REQUIRE(pvm_recv(me, 20) > 0);
    pvm_upkint(&v, 1, 1);
    CHECK(v == 20);
    REQUIRE(pvm_recv(-1, -1) > 0);
    pvm_upkint(&v, 1, 1);
    CHECK(v == 10);
    // Tag 30 may still be on its way: probe never blocks, so poll it.
    REQUIRE(waitFor([] { return pvm_probe(-1, 30) > 0; }));
    REQUIRE(pvm_recv(me, -1) > 0);
    pvm_upkint(&v, 1, 1);
    CHECK(v == 30);
    CHECK(pvm_probe(-1, -1) == 0);
    CHECK(pvm_nrecv(-1, -1) == 0);
}

TEST_CASE("pvm_trecv waits for its time-out and no longer", "[messages]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    struct timeval tmout = {0, 200000};
    auto start = std::chrono::steady_clock::now();
    CHECK(pvm_trecv(-1, -1, &tmout) == 0);
    auto waited = std::chrono::steady_clock::now() - start;
    CHECK(waited >= std::chrono::milliseconds(190));
    CHECK(waited < std::chrono::seconds(5));  // not for ever: a loaded machine may be slow
    int echo = spawnEcho();
    pvm_initsend(PvmDataDefault);
    pvm_send(echo, 4);
    tmout = {10, 0};
    CHECK(pvm_trecv(echo, 4, &tmout) > 0);
    stopEcho(echo);
}

TEST_CASE("a message to a task still starting is held until it enrolls", "[messages]") {
    VirtualMachine vm;
    int echo = spawnEcho();  // no wait: it may not have connected yet
    int v = 5;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&v, 1, 1);
    REQUIRE(pvm_send(echo, 1) == 0);
    REQUIRE(pvm_recv(echo, 1) > 0);
    int got = 0;
    pvm_upkint(&got, 1, 1);
    CHECK(got == 5);
    stopEcho(echo);
}

TEST_CASE("pvm_mcast reaches every listed task but the sender", "[messages]") {
    VirtualMachine vm;
    std::vector<int> echoes;
    for (int i = 0; i < 3; ++i) echoes.push_back(spawnEcho());
    echoes.push_back(pvm_mytid());
    int v = 77;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&v, 1, 1);
    REQUIRE(pvm_mcast(echoes.data(), 4, 11) == 0);
    for (int i = 0; i < 3; ++i) {
        int bufid = pvm_recv(-1, 11);
        REQUIRE(bufid > 0);
        int bytes, tag, src;
        pvm_bufinfo(bufid, &bytes, &tag, &src);
        CHECK(src != pvm_mytid());
    }
    struct timeval quick = {0, 100000};
    CHECK(pvm_trecv(-1, 11, &quick) == 0);
    for (int i = 0; i < 3; ++i) stopEcho(echoes[static_cast<std::size_t>(i)]);
}

TEST_CASE("psend and precv move typed arrays in one call", "[messages]") {
    VirtualMachine vm;
    int echo = spawnEcho();
    double values[4] = {1, 2, 3, 4};
    REQUIRE(pvm_psend(echo, 6, values, 4, PVM_DOUBLE) == 0);
    double got[8] = {};
    int src = 0, tag = 0, count = 0;
    REQUIRE(pvm_precv(echo, 6, got, 8, PVM_DOUBLE, &src, &tag, &count) == 0);
    CHECK(src == echo);
    CHECK(tag == 6);
    CHECK(count == 32);  // PVM gives the length in bytes
    CHECK(got[3] == 4.0);
    stopEcho(echo);
}

TEST_CASE("a task can send to itself", "[messages]") {
    VirtualMachine vm;
    std::string path = taskPath();
    char* argv[] = {mode("sendself"), nullptr};
    int tid;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    REQUIRE(pvm_recv(tid, 1) > 0);
    int v = 0;
    pvm_upkint(&v, 1, 1);
    CHECK(v == 42);
}

TEST_CASE("a 512 MB message goes through intact", "[messages][large]") {
    VirtualMachine vm;
    int echo = spawnEcho();
    const std::size_t size = std::size_t(512) << 20;
    std::vector<char> data(size);
    for (std::size_t i = 0; i < size; i += 4096) data[i] = static_cast<char>(i >> 12);
    data[size - 1] = 'E';
    REQUIRE(pvm_initsend(PvmDataRaw) > 0);
    REQUIRE(pvm_pkbyte(data.data(), static_cast<int>(size), 1) == 0);
    REQUIRE(pvm_send(echo, 8) == 0);
    pvm_initsend(PvmDataRaw);  // drop our copy before the echo arrives
    int bufid = pvm_recv(echo, 8);
    REQUIRE(bufid > 0);
    int bytes = 0, tag, src;
    pvm_bufinfo(bufid, &bytes, &tag, &src);
    CHECK(static_cast<std::size_t>(bytes) == size);
    std::vector<char> back(size);
    REQUIRE(pvm_upkbyte(back.data(), static_cast<int>(size), 1) == 0);
    CHECK(back == data);
    stopEcho(echo);
}
