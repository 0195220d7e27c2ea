// remote-direct-test.cpp - PvmRouteDirect between tasks on different hosts: a
// CurveZMQ TCP link per pair, set up behind the daemon route so that order
// holds across the switch, and working with both daemons stopped.
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* text(const std::string& s) { return const_cast<char*>(s.c_str()); }

int spawnOn(const std::string& host, std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(text(a));
    argv.push_back(nullptr);
    std::string path = taskPath();
    int tid = 0;
    REQUIRE(pvm_spawn(text(path), argv.data(), PvmTaskHost, text(host), 1, &tid) == 1);
    return tid;
}

/// Files are the source's handshake files (a FIFO for "go", FIFO.result for "done"); they go
/// with the test, whatever happens in it.
struct Files {
    std::string fifo = "/tmp/pvmtest-remote-direct." + std::to_string(getpid());
    Files() {
        clear();
        REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    }
    ~Files() { clear(); }
    void clear() const {
        std::remove(fifo.c_str());
        std::remove((fifo + ".result").c_str());
    }
};

/// Cluster3 is a machine of three hosts; -T 8000 so that daemons stopped for a moment do not
/// count as dead.
struct Cluster3 : Cluster {
    Cluster3() : Cluster(3, "-H 200 -T 8000 -s 1000") {
        REQUIRE(pvm_mytid() > 0);
        std::vector<std::string> lines{address(2), address(3)};
        char* names[] = {text(lines[0]), text(lines[1])};
        int infos[2];
        REQUIRE(pvm_addhosts(names, 2, infos) == 2);
    }
};

/// secondRoundWithoutDaemons lets the source (on host 2) play its second round to the sink
/// (on host 3) with both daemons stopped, so only the direct links can carry it, then checks
/// the source's pings and the sink's count of numbers, all in order.
void secondRoundWithoutDaemons(Cluster& c, const Files& files, int sink, int count, int pings) {
    {
        Stopped d2(c.daemonPid(2)), d3(c.daemonPid(3));
        std::ofstream(files.fifo) << "go\n";
        std::string result;
        CHECK(waitFor([&] { return (result = readFile(files.fifo + ".result")).find('\n') != std::string::npos; },
                      std::chrono::seconds(10)));
        CHECK(result == "done " + std::to_string(pings) + "\n");
    }
    struct timeval tmout = {20, 0};
    REQUIRE(pvm_trecv(sink, 5, &tmout) > 0);
    int received = 0, wrong = -1;
    pvm_upkint(&received, 1, 1);
    pvm_upkint(&wrong, 1, 1);
    CHECK(received == 2 * count);
    CHECK(wrong == 0);
}
}  // namespace

TEST_CASE("PvmRouteDirect across hosts keeps order and runs without the daemons", "[multihost][direct]") {
    if (skipWithoutNamespaces()) return;
    Cluster3 c;
    Files files;
    const int count = 3000;
    // The sink asks for the direct route itself, or leaves PvmAllowDirect and answers over
    // the link its peer asked for: either way the daemons are not needed below.
    std::string sinkRoute = GENERATE(as<std::string>{}, "direct", "allow");
    INFO("sink " << sinkRoute);
    int sink = spawnOn(c.address(3), {"directsink", sinkRoute});
    int source = spawnOn(c.address(2), {"directsource", std::to_string(sink), std::to_string(count), files.fifo});
    struct timeval tmout = {20, 0};
    REQUIRE(pvm_trecv(source, 1, &tmout) > 0);  // "ready": the stream went over the switch

    // Without the machine's keys, nobody gets a message into the sink's inbox: an intruder on
    // the network forges ten (in plain text and with made-up keys) that the sink would count.
    int ntask = 0;
    struct pvmtaskinfo* tasks = nullptr;
    REQUIRE(pvm_tasks(sink, &ntask, &tasks) == 0);
    REQUIRE(ntask == 1);
    // The route lives in a module libpvm3 loads on first use, with ZeroMQ.
    CHECK(readFile("/proc/" + std::to_string(tasks[0].ti_pid) + "/maps").find("libpvm3tcp.so") != std::string::npos);
    std::string listening;
    REQUIRE(runCommand("ip netns exec " + c.hostName(3) + " ss -ltnpH", &listening) == 0);
    std::string owner = "pid=" + std::to_string(tasks[0].ti_pid) + ",";
    std::size_t line = listening.find(owner);
    REQUIRE(line != std::string::npos);  // the sink's inbox
    line = listening.rfind('\n', line) + 1;
    std::istringstream fields(listening.substr(line));
    std::string state, recvQ, sendQ, local;
    fields >> state >> recvQ >> sendQ >> local;  // LISTEN 0 100 0.0.0.0:41235 ...
    std::string port = local.substr(local.rfind(':') + 1);
    std::string output;
    CHECK(runCommand("ip netns exec " + c.hostName(1) + " " + taskPath("intruder") + " --push tcp://" + c.address(3) +
                         ":" + port + " " + std::to_string(source) + " " + std::to_string(sink),
                     &output) == 0);
    CHECK(output == "forged\n");

    secondRoundWithoutDaemons(c, files, sink, count, 200);
}

TEST_CASE("a cross-host direct link carries the first message sent after it is accepted", "[multihost][direct]") {
    if (skipWithoutNamespaces()) return;
    // Two pings: the first sets the links up on the daemon route (offer, accept); the second
    // goes over them each way, however long their handshakes take. A link left for later
    // would need the daemons to switch over, and they are stopped in the second round.
    Cluster3 c;
    Files files;
    std::string sinkRoute = GENERATE(as<std::string>{}, "direct", "allow");
    INFO("sink " << sinkRoute);
    int sink = spawnOn(c.address(3), {"directsink", sinkRoute});
    int source = spawnOn(c.address(2), {"directsource", std::to_string(sink), "0", files.fifo, "2"});
    struct timeval tmout = {20, 0};
    REQUIRE(pvm_trecv(source, 1, &tmout) > 0);
    secondRoundWithoutDaemons(c, files, sink, 0, 2);
}
