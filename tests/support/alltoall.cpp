// alltoall.cpp - starting and checking groups of alltoall test tasks.
#include "alltoall.h"

#include <catch2/catch.hpp>
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

long collectAlltoall(const std::vector<int>& tids, int rounds) {
    long all = 0;
    for (int t : tids) {
        struct timeval tmout = {60, 0};
        REQUIRE(pvm_trecv(t, 1, &tmout) > 0);
        all += checkReport(t, static_cast<int>(tids.size()), rounds);
    }
    return all;
}

}  // namespace pvm::test
