// flow-control-test.cpp - a receiver that falls behind slows its senders down instead
// of growing the daemon (PVM_QUEUE_LIMIT), and nothing is lost or reordered on the way.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
/// QueueLimit starts the test's daemon with a small PVM_QUEUE_LIMIT.
struct QueueLimit {
    explicit QueueLimit(const char* bytes) { setenv("PVM_QUEUE_LIMIT", bytes, 1); }
    ~QueueLimit() { unsetenv("PVM_QUEUE_LIMIT"); }
};

long rssKb(int pid) {
    std::istringstream status(readFile("/proc/" + std::to_string(pid) + "/status"));
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    return 0;
}

/// blockedInPoll is true while process pid sleeps in poll(): a task does so in pvm_send
/// only when the daemon has stopped reading it.
bool blockedInPoll(int pid) {
    std::string wchan = readFile("/proc/" + std::to_string(pid) + "/wchan");
    return wchan.find("poll") != std::string::npos;
}

int pidOf(int tid) {
    int count = 0;
    pvmtaskinfo* info = nullptr;
    REQUIRE(pvm_tasks(tid, &count, &info) == 0);
    REQUIRE(count == 1);
    return info[0].ti_pid;
}

constexpr int kMessages = 64;
constexpr int kBytes = 1 << 20;

/// receiveFlood takes kMessages numbered messages of kBytes from src, in order.
void receiveFlood(int src) {
    for (int i = 0; i < kMessages; ++i) {
        int id = pvm_recv(src, 2);
        REQUIRE(id > 0);
        int bytes = 0, tag = 0, from = 0;
        REQUIRE(pvm_bufinfo(id, &bytes, &tag, &from) == 0);
        CHECK(bytes == kBytes);
        int number = -1;
        std::vector<char> block(kBytes);
        REQUIRE(pvm_upkbyte(block.data(), kBytes, 1) == 0);
        std::memcpy(&number, block.data(), sizeof number);
        REQUIRE(number == i);
    }
}
}  // namespace

TEST_CASE("a receiver that does not read slows its sender, and the daemon stays small", "[messages][flow]") {
    QueueLimit limit("4194304");
    VirtualMachine vm;
    std::string path = taskPath();
    char* argv[] = {const_cast<char*>("flood"), nullptr};
    int flooder = 0;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &flooder) == 1);
    int pid = pidOf(flooder);
    long before = rssKb(vm.daemonPid());
    pvm_initsend(PvmDataDefault);
    REQUIRE(pvm_send(flooder, 1) == 0);
    // No PVM call now: any would read this task's queue out of the daemon. 64 MB are on their
    // way; the flooder either stalls in pvm_send (held back) or gets them all out and exits.
    int stalled = 0;
    REQUIRE(waitFor(
        [&] {
            stalled = blockedInPoll(pid) ? stalled + 1 : 0;
            return !processAlive(pid) || stalled >= 20;
        },
        std::chrono::seconds(60)));
    long grown = rssKb(vm.daemonPid()) - before;
    INFO("the daemon grew by " << grown << " kB");
    CHECK(processAlive(pid));  // held back, not finished
    CHECK(grown < 24 * 1024);  // the limit and a message or two, not the 64 MB
    receiveFlood(flooder);     // then everything arrives, whole and in order
}

TEST_CASE("a task that floods itself past the limit does not deadlock", "[messages][flow]") {
    QueueLimit limit("1048576");
    VirtualMachine vm;
    int me = pvm_mytid();
    std::vector<char> block(kBytes);
    for (int i = 0; i < kMessages; ++i) {
        std::memcpy(block.data(), &i, sizeof i);
        pvm_initsend(PvmDataRaw);
        pvm_pkbyte(block.data(), kBytes, 1);
        REQUIRE(pvm_send(me, 2) == 0);
    }
    receiveFlood(me);
}
