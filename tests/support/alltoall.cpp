// alltoall.cpp - starting and checking groups of alltoall test tasks.
#include "alltoall.h"

#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "pvm3.h"
#include "virtual_machine.h"

namespace pvm::test {

std::vector<int> spawnAlltoall(const Cluster& c, int hosts, int perHost, int rounds) {
    std::string path = taskPath(), mode = "alltoall", count = std::to_string(rounds);
    char* argv[] = {mode.data(), count.data(), nullptr};
    std::vector<int> tids;
    for (int h = 1; h <= hosts; ++h) {
        std::string where = h == 1 ? c.hostName(1) : c.address(h);
        std::vector<int> got(static_cast<std::size_t>(perHost));
        REQUIRE(pvm_spawn(path.data(), argv, PvmTaskHost, where.data(), perHost, got.data()) == perHost);
        for (int t : got) CHECK((t >> 18) == h);
        tids.insert(tids.end(), got.begin(), got.end());
    }
    return tids;
}

void startAlltoall(const std::vector<int>& tids) {
    int n = static_cast<int>(tids.size());
    std::vector<int> list = tids;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&n, 1, 1);
    pvm_pkint(list.data(), n, 1);
    REQUIRE(pvm_mcast(list.data(), n, 10) == 0);
}

long checkReport(int tid, int members, int rounds) {
    int received = -1, wrong = -1;
    pvm_upkint(&received, 1, 1);
    pvm_upkint(&wrong, 1, 1);
    INFO("task t" << std::hex << tid);
    CHECK(received == (members - 1) * rounds);
    CHECK(wrong == 0);  // each pair's messages came in the order sent
    return received;
}

namespace {
/// whyNoReport says what the machine looked like when the report of tids[reported] did not come.
std::string whyNoReport(const Cluster& c, const std::vector<int>& tids, std::size_t reported) {
    std::ostringstream why;
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts;
    why << "hosts in the machine: " << (pvm_config(&nhost, &narch, &hosts) == 0 ? nhost : -1) << "\n";
    why << "members whose report has not been taken, and pvm_pstat of each (-31: it has ended):";
    for (std::size_t i = reported; i < tids.size(); ++i)
        why << " t" << std::hex << tids[i] << std::dec << "=" << pvm_pstat(tids[i]);
    for (int h = 1; h <= c.hostCount(); ++h) why << "\nthe log of host " << h << ":\n" << c.logText(h);
    return why.str();
}
}  // namespace

long collectAlltoall(const Cluster& c, const std::vector<int>& tids, int rounds) {
    long all = 0;
    for (std::size_t i = 0; i < tids.size(); ++i) {
        // The first report comes when its member has had every message: CI's ASan stage,
        // 64 members beside another test on two cores, waited over a minute for it. Only a
        // lost message keeps one from coming at all; the wait stays inside ctest's time-out.
        struct timeval tmout = {180, 0};
        if (pvm_trecv(tids[i], 1, &tmout) <= 0) FAIL(whyNoReport(c, tids, i));
        all += checkReport(tids[i], static_cast<int>(tids.size()), rounds);
    }
    return all;
}

}  // namespace pvm::test
