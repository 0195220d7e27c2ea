// flow-control-test.cpp - a receiver that falls behind slows its senders down instead
// of growing the daemons (PVM_QUEUE_LIMIT), on one host and across hosts, nothing is
// lost or reordered on the way, and what waits idle uses no CPU.
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <string>
#include <thread>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "cluster.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
/// QueueLimit starts the test's daemon with a small PVM_QUEUE_LIMIT.
struct QueueLimit {
    explicit QueueLimit(const char* bytes) { setenv("PVM_QUEUE_LIMIT", bytes, 1); }
    ~QueueLimit() { unsetenv("PVM_QUEUE_LIMIT"); }
};

/// blockedInPoll is true while process pid sleeps in poll(): a task does so in pvm_send
/// only when the daemon has stopped reading it.
bool blockedInPoll(int pid) {
    std::string wchan = readFile("/proc/" + std::to_string(pid) + "/wchan");
    return wchan.find("poll") != std::string::npos;
}

int pidOf(int tid) {
    int pid = pidOfTask(tid);
    REQUIRE(pid > 0);
    return pid;
}

constexpr int kMessages = 64;
constexpr int kBytes = 1 << 20;

/// startFloodAndWait tells the flooder (process pid) to start, then waits, with no PVM call
/// (any would read this task's queue out of the daemon), until it stalls in pvm_send, held
/// back, or has got all its messages out and exited.
void startFloodAndWait(int flooder, int pid) {
    pvm_initsend(PvmDataDefault);
    REQUIRE(pvm_send(flooder, 1) == 0);
    int stalled = 0;
    REQUIRE(waitFor(
        [&] {
            stalled = blockedInPoll(pid) ? stalled + 1 : 0;
            return !processAlive(pid) || stalled >= 20;
        },
        std::chrono::seconds(60)));
}

/// Flood is a flooder task of this host: its tid and pid, and what the daemon grew by from
/// just before it was told to start until it stalled or ended.
struct Flood {
    int tid = 0, pid = 0;
    long grownKb = 0;
};

/// floodHere spawns test_task with args (a flooding mode) and runs startFloodAndWait on it.
Flood floodHere(const VirtualMachine& vm, std::vector<std::string> args) {
    std::string path = taskPath();
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    Flood flood;
    REQUIRE(pvm_spawn(path.data(), argv.data(), 0, nullptr, 1, &flood.tid) == 1);
    flood.pid = pidOf(flood.tid);
    long before = residentKb(vm.daemonPid());
    startFloodAndWait(flood.tid, flood.pid);
    flood.grownKb = residentKb(vm.daemonPid()) - before;
    return flood;
}

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
    Flood flood = floodHere(vm, {"flood"});
    INFO("the daemon grew by " << flood.grownKb << " kB");
    CHECK(processAlive(flood.pid));    // held back, not finished
    CHECK(flood.grownKb < 24 * 1024);  // the limit and a message or two, not the 64 MB
    receiveFlood(flood.tid);           // then everything arrives, whole and in order
}

TEST_CASE("a receiver that does not read slows a sender on another host, and both daemons stay small",
          "[messages][flow][multihost]") {
    if (skipWithoutNamespaces()) return;
    QueueLimit limit("4194304");  // the slave inherits it through $PVM_RSH
    SmallQuarantine quarantine;   // the slave passes all 64 MB on
    Cluster c(2);
    REQUIRE(pvm_mytid() > 0);
    std::string address = c.address(2);
    char* host[] = {address.data()};
    int info = 0;
    REQUIRE(pvm_addhosts(host, 1, &info) == 1);
    std::string path = taskPath();
    char* argv[] = {const_cast<char*>("flood"), nullptr};
    int flooder = 0;
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskHost, address.data(), 1, &flooder) == 1);
    int pid = pidOf(flooder);
    int master = c.daemonPid(1), slave = c.daemonPid(2);
    long masterBefore = residentKb(master), slaveBefore = residentKb(slave);
    // The master asks the slave to hold the messages for this task; the slave then stops
    // reading the flooder.
    startFloodAndWait(flooder, pid);
    long masterGrown = residentKb(master) - masterBefore, slaveGrown = residentKb(slave) - slaveBefore;
    INFO("the master grew by " << masterGrown << " kB, the slave by " << slaveGrown << " kB");
    CHECK(processAlive(pid));
    CHECK(masterGrown < 24 * 1024);
    CHECK(slaveGrown < 24 * 1024);
    receiveFlood(flooder);
}

TEST_CASE("messages for a task that has not enrolled yet slow their sender down too", "[messages][flow]") {
    QueueLimit limit("4194304");
    VirtualMachine vm;
    // The receiver is spawned, but its program waits on a FIFO before it enrolls.
    std::string fifo = vm.tmpDir() + "/go";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    std::string script = "read x < " + fifo + "; exec " + taskPath() + " collect " + std::to_string(kMessages);
    char* shArgs[] = {const_cast<char*>("-c"), script.data(), nullptr};
    int receiver = 0;
    REQUIRE(pvm_spawn(const_cast<char*>("/bin/sh"), shArgs, 0, nullptr, 1, &receiver) == 1);
    Flood flood = floodHere(vm, {"floodto", std::to_string(receiver)});
    INFO("the daemon grew by " << flood.grownKb << " kB");
    CHECK(processAlive(flood.pid));  // held back until the receiver enrolls
    CHECK(flood.grownKb < 24 * 1024);
    // Let the receiver enroll: everything reaches it, in order.
    int go = open(fifo.c_str(), O_WRONLY);
    REQUIRE(go >= 0);
    REQUIRE(write(go, "go\n", 3) == 3);
    close(go);
    REQUIRE(pvm_recv(receiver, 3) > 0);
    int inOrder = 0;
    pvm_upkint(&inOrder, 1, 1);
    CHECK(inOrder == kMessages);
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

namespace {
/// cpuTicks is the CPU time process pid has used, user and system, in clock ticks.
long cpuTicks(int pid) {
    std::string stat = readFile("/proc/" + std::to_string(pid) + "/stat");
    auto close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    long utime = 0, stime = 0;
    for (int i = 3; fields >> field; ++i) {
        if (i == 14) utime = std::stol(field);
        if (i == 15) {
            stime = std::stol(field);
            break;
        }
    }
    return utime + stime;
}
}  // namespace

TEST_CASE("an idle daemon and an idle task use no CPU", "[messages][flow]") {
    VirtualMachine vm;
    std::string path = taskPath();
    char* argv[] = {const_cast<char*>("echo"), nullptr};
    int echo = 0;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &echo) == 1);
    int pid = pidOf(echo);
    // One round trip first, so both have just been busy and any spinning would follow it.
    int value = 1;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&value, 1, 1);
    REQUIRE(pvm_send(echo, 3) == 0);
    REQUIRE(pvm_recv(echo, 3) > 0);
    long daemonBefore = cpuTicks(vm.daemonPid()), taskBefore = cpuTicks(pid);
    // A measurement window, not a wait for an event: whatever load the machine has, a
    // process that sleeps accumulates no CPU time in it.
    std::this_thread::sleep_for(std::chrono::seconds(2));
    long daemonUsed = cpuTicks(vm.daemonPid()) - daemonBefore, taskUsed = cpuTicks(pid) - taskBefore;
    INFO("ticks of " << sysconf(_SC_CLK_TCK) << " per second: daemon " << daemonUsed << ", task " << taskUsed);
    CHECK(daemonUsed <= 2);  // a heartbeat check a second, no more
    CHECK(taskUsed == 0);
    pvm_initsend(PvmDataDefault);
    pvm_send(echo, 99);
}
