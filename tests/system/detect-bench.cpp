// detect-bench.cpp - how long after a slave fails its master says so (PvmHostDelete), for
// each way a host can fail and a few -T/-H settings. A measurement, not a test: it is
// hidden from ctest ([.]) and run by bench/run-detect.sh, which prints the table. The
// master notices a slave's silence when it checks heartbeats, once per -H, so the
// delete should come between -T and -T + -H after the last heartbeat heard.
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <string>

#include "cluster.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
enum class Failure { Kill, Stop, Cut };

const char* nameOf(Failure f) { return f == Failure::Kill ? "SIGKILL" : f == Failure::Stop ? "SIGSTOP" : "link-cut"; }

/// noticedAfter fails host 2 of a fresh two-host machine the given way and returns the
/// milliseconds until the master's PvmHostDelete notify; -1 if none came within a minute.
long noticedAfter(Failure how, int timeoutMs, int heartbeatMs) {
    Cluster c(2, "-H " + std::to_string(heartbeatMs) + " -T " + std::to_string(timeoutMs) + " -s 1000");
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(2, " sp=1000");
    int dtid = 2 << 18;
    REQUIRE(pvm_notify(PvmHostDelete, 70, 1, &dtid) == 0);
    int slave = c.daemonPid(2);
    std::string link = "ip netns exec " + c.hostName(2) + " ip link set eth0 ";
    auto start = std::chrono::steady_clock::now();
    if (how == Failure::Kill) kill(slave, SIGKILL);
    if (how == Failure::Stop) kill(slave, SIGSTOP);
    if (how == Failure::Cut) REQUIRE(runCommand(link + "down") == 0);
    struct timeval tmout = {60, 0};
    int got = pvm_trecv(-1, 70, &tmout);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    if (how == Failure::Stop) kill(slave, SIGCONT);  // it then finds itself deleted and ends
    if (how == Failure::Cut) runCommand(link + "up");
    return got > 0 ? static_cast<long>(ms) : -1;
}
}  // namespace

TEST_CASE("bench: a failed host is noticed between -T and -T + -H", "[.][detect]") {
    if (skipWithoutNamespaces()) return;
    for (auto [timeoutMs, heartbeatMs] : {std::pair{2000, 200}, std::pair{2000, 1000}, std::pair{5000, 1000}})
        for (Failure how : {Failure::Kill, Failure::Stop, Failure::Cut}) {
            long ms = noticedAfter(how, timeoutMs, heartbeatMs);
            // One line per case, read by bench/run-detect.sh.
            WARN("detect: " << nameOf(how) << " T=" << timeoutMs << " H=" << heartbeatMs << " noticed=" << ms);
        }
}
