// groups-test.cpp - dynamic groups: membership and instance numbers, errors, barriers,
// freezing, members leaving by exit, every collective, and groups across hosts.
#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "cluster.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* text(const char* s) { return const_cast<char*>(s); }

/// spawnMembers starts n test tasks in mode "group name n" where (0: anywhere).
std::vector<int> spawnMembers(const char* name, int n, const char* where = nullptr) {
    std::string path = taskPath(), count = std::to_string(n);
    char* argv[] = {text("group"), text(name), count.data(), nullptr};
    std::vector<int> tids(static_cast<std::size_t>(n));
    REQUIRE(pvm_spawn(path.data(), argv, where ? PvmTaskHost : PvmTaskDefault, text(where ? where : ""), n,
                      tids.data()) == n);
    return tids;
}
}  // namespace

TEST_CASE("joining, instance numbers and the group calls' errors", "[groups]") {
    VirtualMachine vm;
    QuietErrors quiet;
    int me = pvm_mytid();
    REQUIRE(me > 0);
    CHECK(pvm_joingroup(text("g")) == 0);
    CHECK(pvm_joingroup(text("g")) == PvmDupGroup);
    CHECK(pvm_joingroup(text("")) == PvmNullGroup);
    CHECK(pvm_joingroup(text("h")) == 0);  // one task, several groups
    CHECK(pvm_gsize(text("g")) == 1);
    CHECK(pvm_getinst(text("g"), me) == 0);
    CHECK(pvm_gettid(text("g"), 0) == me);
    CHECK(pvm_gettid(text("g"), 5) == PvmNoInst);
    CHECK(pvm_gsize(text("nothing")) == PvmNoGroup);
    CHECK(pvm_getinst(text("g"), me + 1) == PvmNotInGroup);
    CHECK(pvm_lvgroup(text("g")) == 0);
    CHECK(pvm_lvgroup(text("g")) == PvmNoGroup);  // the last member took the group along
    CHECK(pvm_lvgroup(text("h")) == 0);
}

TEST_CASE("every collective, with instance 0 as root", "[groups]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    const int n = 4;
    std::vector<int> tids = spawnMembers("work", n);
    std::vector<bool> seen(n, false);
    for (int i = 0; i < n; ++i) {
        struct timeval tmout = {20, 0};
        REQUIRE(pvm_trecv(-1, 41, &tmout) > 0);
        int inst = -1, size = 0, tidOk = 0, instOk = 0, got[2] = {-1, -1}, b = 0;
        pvm_upkint(&inst, 1, 1);
        pvm_upkint(&size, 1, 1);
        pvm_upkint(&tidOk, 1, 1);
        pvm_upkint(&instOk, 1, 1);
        pvm_upkint(got, 2, 1);
        pvm_upkint(&b, 1, 1);
        REQUIRE(inst >= 0);
        REQUIRE(inst < n);
        seen[static_cast<std::size_t>(inst)] = true;
        CHECK(size == n);
        CHECK(tidOk == 1);
        CHECK(instOk == 1);
        CHECK(got[0] == 2 * inst);  // scatter: two ints each, by instance
        CHECK(got[1] == 2 * inst + 1);
        CHECK(b == 77);  // the broadcast of instance 0
        if (inst == 0) {
            int sum[2] = {0, 0}, squares[n];
            double max = 0;
            pvm_upkint(sum, 2, 1);
            pvm_upkdouble(&max, 1, 1);
            pvm_upkint(squares, n, 1);
            CHECK(sum[0] == 1 + 2 + 3 + 4);
            CHECK(sum[1] == 10 + 20 + 30 + 40);
            CHECK(max == 4.0);
            CHECK(std::vector<int>(squares, squares + n) == std::vector<int>{0, 1, 4, 9});
        }
    }
    CHECK(std::all_of(seen.begin(), seen.end(), [](bool s) { return s; }));
    pvm_initsend(PvmDataDefault);
    pvm_mcast(tids.data(), n, 99);
    CHECK(waitFor([] {
        QuietErrors quiet;
        return pvm_gsize(text("work")) == PvmNoGroup;
    }));
}

TEST_CASE("a member that exits leaves its groups, and its instance is given again", "[groups]") {
    VirtualMachine vm;
    QuietErrors quiet;
    REQUIRE(pvm_mytid() > 0);
    std::vector<int> tids = spawnMembers("pair", 1);  // waits at a barrier of 1: passes at once
    REQUIRE(pvm_recv(tids[0], 41) > 0);
    CHECK(pvm_joingroup(text("pair")) == 1);
    CHECK(pvm_gsize(text("pair")) == 2);
    pvm_kill(tids[0]);
    CHECK(waitFor([] { return pvm_gsize(text("pair")) == 1; }));
    CHECK(pvm_lvgroup(text("pair")) == 0);
    CHECK(pvm_joingroup(text("pair")) == 0);  // the lowest free instance
    CHECK(pvm_lvgroup(text("pair")) == 0);
}

TEST_CASE("pvm_barrier and pvm_freezegroup wait for the members", "[groups]") {
    VirtualMachine vm;
    QuietErrors quiet;
    REQUIRE(pvm_mytid() > 0);
    CHECK(pvm_joingroup(text("sync")) == 0);
    CHECK(pvm_barrier(text("sync"), 1) == 0);  // only us: passes
    CHECK(pvm_barrier(text("sync"), -1) == 0);
    CHECK(pvm_freezegroup(text("sync"), -1) == 1);            // the size, as in PVM 3.4.6
    CHECK(pvm_freezegroup(text("sync"), -1) == PvmDupGroup);  // no second freeze
    CHECK(pvm_freezegroup(text("none"), -1) == PvmNoGroup);
    CHECK(pvm_getinst(text("sync"), -1) == 1);  // PVM's group server gives the size for tid -1
    CHECK(pvm_barrier(text("none"), 1) == PvmNoGroup);
    CHECK(pvm_lvgroup(text("sync")) == 0);
    // Three tasks meet at a barrier of 3: none reports before all have joined.
    std::vector<int> tids = spawnMembers("three", 3);
    for (int i = 0; i < 3; ++i) {
        struct timeval tmout = {20, 0};
        int bufid = pvm_trecv(-1, 41, &tmout);
        REQUIRE(bufid > 0);
    }
    pvm_initsend(PvmDataDefault);
    pvm_mcast(tids.data(), 3, 99);
}

TEST_CASE("a frozen group is answered by its members themselves, until they leave it", "[groups]") {
    VirtualMachine vm;
    QuietErrors quiet;
    int me = pvm_mytid();
    REQUIRE(me > 0);
    REQUIRE(pvm_joingroup(text("static")) == 0);
    REQUIRE(pvm_freezegroup(text("static"), -1) == 1);
    {
        // With the daemon stopped, only what this task keeps can answer (PVM documents that a
        // frozen group is cached by its members).
        std::future<bool> lookups;
        Stopped daemon(vm.daemonPid());  // let go before the lookups are waited for, even on failure
        lookups = std::async(std::launch::async, [me] {
            return pvm_gsize(text("static")) == 1 && pvm_gettid(text("static"), 0) == me &&
                   pvm_getinst(text("static"), me) == 0 && pvm_gettid(text("static"), 3) == PvmNoInst &&
                   pvm_getinst(text("static"), me + 1) == PvmNotInGroup;
        });
        REQUIRE(lookups.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
        CHECK(lookups.get());
    }
    // Leaving lets go of it: the group server answers again, and the group is gone.
    CHECK(pvm_lvgroup(text("static")) == 0);
    CHECK(pvm_gsize(text("static")) == PvmNoGroup);
}

TEST_CASE("a group spans hosts: one state seen from every host", "[groups][multihost]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(2);
    QuietErrors quiet;
    REQUIRE(pvm_mytid() > 0);
    std::string host = c.address(2);
    char* names[] = {host.data()};
    int info = 0;
    REQUIRE(pvm_addhosts(names, 1, &info) == 1);
    std::vector<int> remote = spawnMembers("span", 2, host.c_str());
    CHECK(pvm_tidtohost(remote[0]) == 0x80000);
    for (int i = 0; i < 2; ++i) REQUIRE(pvm_recv(-1, 41) > 0);
    CHECK(pvm_joingroup(text("span")) == 2);
    CHECK(pvm_gsize(text("span")) == 3);
    // A remote member's exit reaches the master's group server through its daemon.
    pvm_kill(remote[0]);
    CHECK(waitFor([] { return pvm_gsize(text("span")) == 2; }));
    pvm_initsend(PvmDataDefault);
    pvm_send(remote[1], 99);
    CHECK(waitFor([] { return pvm_gsize(text("span")) == 1; }));
    CHECK(pvm_lvgroup(text("span")) == 0);
}
