// faults-test.cpp - faults injected while tasks on three namespace hosts exchange
// numbered messages: tasks killed with SIGKILL in the middle of their traffic, a
// slave daemon stopped and let go. The survivors' messages must all arrive, once
// and in order, the killed tasks' watchers must hear of them, and the daemons must
// end with as many descriptors as they began with.
#include <catch2/catch.hpp>
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <string>
#include <vector>

#include "cluster.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* text(const std::string& s) { return const_cast<char*>(s.c_str()); }

/// openDescriptors counts the descriptors process pid has open.
long openDescriptors(int pid) {
    std::error_code ignored;
    long n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ignored);
         it != std::filesystem::directory_iterator(); it.increment(ignored))
        ++n;
    return n;
}

/// spawnGroup starts count alltoall tasks for rounds on each of hosts 1..3 of c.
std::vector<int> spawnGroup(const Cluster& c, int perHost, int rounds) {
    std::string path = taskPath(), mode = "alltoall", count = std::to_string(rounds);
    char* argv[] = {text(mode), text(count), nullptr};
    std::vector<int> tids;
    for (int h = 1; h <= 3; ++h) {
        std::string where = h == 1 ? c.hostName(1) : c.address(h);
        std::vector<int> got(static_cast<std::size_t>(perHost));
        REQUIRE(pvm_spawn(text(path), argv, PvmTaskHost, text(where), perHost, got.data()) == perHost);
        tids.insert(tids.end(), got.begin(), got.end());
    }
    return tids;
}

/// startGroup hands a group its member list (tag 10): its traffic starts.
void startGroup(std::vector<int>& tids) {
    int n = static_cast<int>(tids.size());
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&n, 1, 1);
    pvm_pkint(tids.data(), n, 1);
    REQUIRE(pvm_mcast(tids.data(), n, 10) == 0);
}

/// collect takes each member's report (tag 1) and checks every message came, in order.
void collect(const std::vector<int>& tids, int rounds) {
    int n = static_cast<int>(tids.size());
    for (int t : tids) {
        struct timeval tmout = {60, 0};
        REQUIRE(pvm_trecv(t, 1, &tmout) > 0);
        int received = -1, wrong = -1;
        pvm_upkint(&received, 1, 1);
        pvm_upkint(&wrong, 1, 1);
        INFO("task t" << std::hex << t);
        CHECK(received == (n - 1) * rounds);
        CHECK(wrong == 0);
    }
}

/// onlyMeLeft is true once no task but this one is in the machine.
bool onlyMeLeft() {
    int ntask = 0, self = pvm_mytid();
    struct pvmtaskinfo* info;
    return pvm_tasks(0, &ntask, &info) == 0 && ntask == 1 && info[0].ti_tid == self;
}

/// Stopped keeps a process stopped and lets it go on at the end of its scope, even on failure.
struct Stopped {
    explicit Stopped(int pid) : pid(pid) { kill(pid, SIGSTOP); }
    ~Stopped() { kill(pid, SIGCONT); }
    int pid;
};
}  // namespace

TEST_CASE("tasks killed during traffic and a stopped slave lose no survivor's message", "[multihost][faults]") {
    if (skipWithoutNamespaces()) return;
    SmallQuarantine quarantine;  // freed messages must not count as growth in a sanitizer build
    // -T 8000: the slave stays stopped for a moment and must not count as dead.
    Cluster c(3, "-H 200 -T 8000 -s 1000");
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(3, " sp=1000");
    // A first exchange brings up every link between the daemons; the count starts after it.
    std::vector<int> warmUp = spawnGroup(c, 1, 5);
    startGroup(warmUp);
    collect(warmUp, 5);
    REQUIRE(waitFor(onlyMeLeft));
    std::vector<long> descriptorsBefore;
    for (int h = 1; h <= 3; ++h) descriptorsBefore.push_back(openDescriptors(c.daemonPid(h)));

    // The same faults twice: the second time must not leave the daemons bigger than the first.
    std::vector<long> memoryAfterFirst;
    for (int round = 1; round <= 2; ++round) {
        INFO("round " << round);
        // Survivors: two per host, exchanging 300 numbered rounds. Victims: two per host, in a
        // group of their own that never finishes, killed while both groups run.
        constexpr int kRounds = 300;
        std::vector<int> survivors = spawnGroup(c, 2, kRounds);
        std::vector<int> victims = spawnGroup(c, 2, 1000000);
        std::vector<int> victimPids;
        for (int t : victims) victimPids.push_back(pidOfTask(t));
        for (int pid : victimPids) REQUIRE(pid > 0);
        REQUIRE(pvm_notify(PvmTaskExit, 70, static_cast<int>(victims.size()), victims.data()) == 0);
        startGroup(victims);
        startGroup(survivors);
        {
            // Host 2's daemon stops while tasks there die and messages for it pile up.
            Stopped slave(c.daemonPid(2));
            for (std::size_t i = 0; i < victimPids.size(); i += 2) kill(victimPids[i], SIGKILL);
        }
        for (std::size_t i = 1; i < victimPids.size(); i += 2) kill(victimPids[i], SIGKILL);

        // Every survivor got every message of every other survivor, in order.
        collect(survivors, kRounds);
        // Each victim's exit was announced once, and none of them runs any more.
        std::vector<int> announced;
        for (std::size_t i = 0; i < victims.size(); ++i) {
            struct timeval tmout = {20, 0};
            REQUIRE(pvm_trecv(-1, 70, &tmout) > 0);
            int tid = 0;
            pvm_upkint(&tid, 1, 1);
            announced.push_back(tid);
        }
        std::sort(announced.begin(), announced.end());
        std::sort(victims.begin(), victims.end());
        CHECK(announced == victims);
        for (int pid : victimPids) CHECK(waitFor([&] { return !processAlive(pid); }));

        // Once every task has gone, each daemon holds the descriptors it held before.
        CHECK(waitFor(onlyMeLeft));
        for (int h = 1; h <= 3; ++h) {
            long before = descriptorsBefore[static_cast<std::size_t>(h - 1)];
            INFO("host " << h << ": " << before << " descriptors before, " << openDescriptors(c.daemonPid(h))
                         << " after");
            CHECK(waitFor([&] { return openDescriptors(c.daemonPid(h)) == before; }));
            long memory = residentKb(c.daemonPid(h));
            if (round == 1) {
                memoryAfterFirst.push_back(memory);
            } else {
                long first = memoryAfterFirst[static_cast<std::size_t>(h - 1)];
                INFO("host " << h << ": " << first << " kB after the first round, " << memory << " after the second");
                CHECK(memory - first < 8 * 1024);
            }
        }
    }
}
