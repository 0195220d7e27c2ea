// cards-test.cpp - larger multi-host runs: the card dealer example (examples/cards) across
// three test hosts, and sixty-four tasks on eight hosts sending to each other.
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "alltoall.h"
#include "cluster.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
std::string cardsPath() { return std::string(PVM_TEST_EXAMPLES_DIR) + "/cards"; }

/// Generous heartbeat settings: these tests keep both cores busy, and a host must not be
/// declared dead because its daemon waited for the CPU.
const char* kPatientMaster = "-H 250 -T 10000";

/// CardsReport is what the cards example prints at the end.
struct CardsReport {
    struct Row {
        std::string name;
        int speed = 0, slaves = 0, items = 0;
    };
    std::vector<Row> hosts;
    int totalSlaves = -1, totalItems = -1;
    int dealt = -1, doneOnce = -1, repeated = -1, redealt = -1, missing = -1;
    bool resultOk = false;
};

CardsReport parseCards(const std::string& output) {
    CardsReport r;
    std::istringstream lines(output);
    std::string line;
    bool inTable = false;
    while (std::getline(lines, line)) {
        std::istringstream in(line);
        std::string first;
        in >> first;
        if (first == "host" && line.find("items") != std::string::npos) {
            inTable = true;
        } else if (first == "total" && inTable) {
            in >> r.totalSlaves >> r.totalItems;
            inTable = false;
        } else if (inTable) {
            CardsReport::Row row;
            row.name = first;
            in >> row.speed >> row.slaves >> row.items;
            r.hosts.push_back(row);
        } else if (first == "items:") {
            std::sscanf(line.c_str(), "items: %d dealt, %d done once, %d repeated, %d re-dealt, %d missing", &r.dealt,
                        &r.doneOnce, &r.repeated, &r.redealt, &r.missing);
        } else if (first == "primes") {
            r.resultOk = line.size() >= 4 && line.compare(line.size() - 4, 4, ": ok") == 0;
        }
    }
    return r;
}

/// cpuTicks is the CPU time (user + system, in clock ticks) process pid has used, or -1.
long cpuTicks(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    auto close = text.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    long utime = -1, stime = -1;
    for (int i = 3; fields >> field; ++i) {  // field 3 is the state
        if (i == 14) utime = std::stol(field);
        if (i == 15) {
            stime = std::stol(field);
            break;
        }
    }
    return utime < 0 || stime < 0 ? -1 : utime + stime;
}
}  // namespace

TEST_CASE("the cards example deals every item exactly once across three hosts", "[multihost][cards]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(3, kPatientMaster);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(3);
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    REQUIRE(nhost == 3);
    std::vector<int> speeds;
    for (int i = 0; i < nhost; ++i) speeds.push_back(hosts[i].hi_speed);
    std::string output;
    int status = runCommand(cardsPath() + " 2000 2", &output);
    INFO(output);
    REQUIRE(status == 0);
    CardsReport r = parseCards(output);
    REQUIRE(r.hosts.size() == 3);
    CHECK(r.hosts[0].name == c.hostName(1));
    CHECK(r.hosts[1].name == c.address(2));
    CHECK(r.hosts[2].name == c.address(3));
    int sum = 0;
    for (std::size_t i = 0; i < r.hosts.size(); ++i) {
        const auto& h = r.hosts[i];
        CHECK(h.speed == speeds[i]);  // as pvm_config says
        CHECK(h.slaves == 2);
        CHECK(h.items > 0);  // every host took part
        sum += h.items;
    }
    CHECK(sum == 2000);
    CHECK(r.totalSlaves == 6);
    CHECK(r.totalItems == 2000);
    // Every item was done once: none missing, none computed twice, and the primes the slaves
    // found add up to what the master's own sieve says.
    CHECK(r.dealt == 2000);
    CHECK(r.doneOnce == 2000);
    CHECK(r.repeated == 0);
    CHECK(r.redealt == 0);
    CHECK(r.missing == 0);
    CHECK(r.resultOk);
}

TEST_CASE("the cards example deals a killed slave's item again", "[multihost][cards][faults]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(2, kPatientMaster);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(2);
    std::FILE* cards = popen((cardsPath() + " 1000 2 2>&1").c_str(), "r");
    REQUIRE(cards);
    // A slave on host 2 that has been working for a while (so it holds an item) is killed.
    int victim = 0;
    bool found = waitFor(
        [&] {
            int ntask = 0;
            struct pvmtaskinfo* info = nullptr;
            if (pvm_tasks(2 << 18, &ntask, &info) < 0) return false;
            for (int i = 0; i < ntask; ++i)
                if (std::string(info[i].ti_a_out).find("cards_slave") != std::string::npos &&
                    cpuTicks(info[i].ti_pid) >= 5) {
                    victim = info[i].ti_pid;
                    return true;
                }
            return false;
        },
        std::chrono::seconds(20));
    if (found) kill(victim, SIGKILL);
    std::string output;
    char chunk[4096];
    std::size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, cards)) > 0) output.append(chunk, n);
    int status = pclose(cards);
    INFO(output);
    REQUIRE(found);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CardsReport r = parseCards(output);
    CHECK(output.find("died; item") != std::string::npos);
    CHECK(r.redealt >= 1);
    CHECK(r.doneOnce == 1000);
    CHECK(r.missing == 0);
    CHECK(r.totalSlaves == 4);
    CHECK(r.resultOk);
}

TEST_CASE("eight hosts and sixty-four tasks exchange messages", "[multihost][large]") {
    if (skipWithoutNamespaces()) return;
    constexpr int kHosts = 8, kPerHost = 8, kRounds = 30;
    auto began = std::chrono::steady_clock::now();
    Cluster c(kHosts, kPatientMaster);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(kHosts);
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    REQUIRE(nhost == kHosts);

    // Eight tasks on each host, named by PvmTaskHost. Everyone gets the list, then sends
    // kRounds numbered messages to each of the other 63.
    std::vector<int> tids = spawnAlltoall(c, kHosts, kPerHost, kRounds);
    int n = static_cast<int>(tids.size());
    startAlltoall(tids);
    long all = collectAlltoall(c, tids, kRounds);
    CHECK(all == static_cast<long>(n) * (n - 1) * kRounds);
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began);
    WARN(n << " tasks on " << kHosts << " hosts exchanged " << all << " messages; the test took " << took.count()
           << " ms");
}
