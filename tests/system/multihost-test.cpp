// multihost-test.cpp - virtual machines across test hosts in network
// namespaces: adding hosts, remote tasks and messages, halt (hosts that fail or
// are deleted: host-loss-test.cpp; who may talk to the daemons: security-test.cpp).
#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "cluster.h"
#include "pvm/pvm.hpp"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* text(const std::string& s) { return const_cast<char*>(s.c_str()); }
char* mode(const char* m) { return const_cast<char*>(m); }

}  // namespace

TEST_CASE("hosts join through pvm_addhosts with PVM's per-host results", "[multihost]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(3);
    REQUIRE(pvm_mytid() > 0);
    REQUIRE(pvm_notify(PvmHostAdd, 74, -1, nullptr) == 0);
    c.addHosts(3, " sp=1000");
    std::vector<int> announced;
    for (int i = 0; i < 2; ++i) {
        struct timeval tmout = {10, 0};
        REQUIRE(pvm_trecv(-1, 74, &tmout) > 0);
        int n = 0, dtid = 0;
        pvm_upkint(&n, 1, 1);
        CHECK(n == 1);
        pvm_upkint(&dtid, 1, 1);
        announced.push_back(dtid);
    }
    std::sort(announced.begin(), announced.end());
    CHECK(announced == std::vector<int>{0x80000, 0xc0000});
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    REQUIRE(nhost == 3);
    CHECK(narch == 1);
    CHECK(hosts[0].hi_tid == 0x40000);
    CHECK(std::string(hosts[1].hi_name) == c.address(2));
    CHECK(hosts[2].hi_tid == 0xc0000);
    CHECK(pvm_mstat(text(c.address(3))) == PvmOk);
    pvm_setopt(PvmAutoErr, 0);
    char* again[] = {text(c.address(2)), mode("no-such-host.invalid"), mode("x sp=abc")};
    int infos[3];
    CHECK(pvm_addhosts(again, 3, infos) == 0);
    CHECK(infos[0] == PvmDupHost);
    CHECK(infos[1] == PvmNoHost);
    CHECK(infos[2] == PvmBadParam);
    pvm_setopt(PvmAutoErr, 1);
    CHECK(pvm_tidtohost(0x80001) == 0x80000);
    // Test hosts share one clock, so the delta is transit noise only.
    struct timeval clk {
    }, delta{};
    REQUIRE(pvm_hostsync(0xc0000, &clk, &delta) == 0);
    CHECK(clk.tv_sec > 1700000000);
    CHECK((delta.tv_sec == 0 || delta.tv_sec == -1));
    CHECK(delta.tv_usec >= 0);
    CHECK(delta.tv_usec < 1000000);
}

TEST_CASE("tasks spawn on remote hosts and exchange messages in order", "[multihost]") {
    if (skipWithoutNamespaces()) return;
    // Every host at the same speed, the master's too: placement never depends on a speed
    // measured on a loaded machine.
    Cluster c(3, "-s 1000");
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(3, " sp=1000");
    std::string path = taskPath();
    // One echo task on each remote host, named by PvmTaskHost.
    std::vector<int> echoes;
    for (int h = 2; h <= 3; ++h) {
        char* argv[] = {mode("echo"), nullptr};
        int tid = 0;
        REQUIRE(pvm_spawn(text(path), argv, PvmTaskHost, text(c.address(h)), 1, &tid) == 1);
        CHECK((tid >> 18) == h);
        int v = 1000 + h;
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&v, 1, 1);
        REQUIRE(pvm_send(tid, 4) == 0);
        CHECK(receiveInt(tid, 4) == 1000 + h);
        pvm_initsend(PvmDataDefault);
        pvm_send(tid, 99);
        echoes.push_back(tid);
    }
    // Placement counts the tasks on each host: the echo tasks must have gone first.
    REQUIRE(pvm_notify(PvmTaskExit, 77, 2, echoes.data()) == 0);
    for (int i = 0; i < 2; ++i) CHECK(receiveInt(-1, 77) != 0);
    // Default placement deals tasks round the hosts.
    char* argv[] = {mode("stream"), mode("2000"), nullptr};
    int tids[3];
    REQUIRE(pvm_spawn(text(path), argv, PvmTaskDefault, nullptr, 3, tids) == 3);
    std::vector<int> hostsUsed;
    for (int t : tids) hostsUsed.push_back(t >> 18);
    std::sort(hostsUsed.begin(), hostsUsed.end());
    CHECK(hostsUsed == std::vector<int>{1, 2, 3});
    for (int t : tids)
        for (int i = 0; i < 2000; ++i) REQUIRE(receiveInt(t, 2) == i);
    int ntask = 0;
    struct pvmtaskinfo* info;
    REQUIRE(pvm_tasks(0, &ntask, &info) == 0);
    CHECK(ntask >= 1);
}

TEST_CASE("default placement fills the fastest idle hosts first", "[multihost][placement]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(3, "-s 1000");  // the master's speed is given too, not measured under load
    REQUIRE(pvm_mytid() > 0);
    std::string h2 = c.address(2) + " sp=4000", h3 = c.address(3) + " sp=1000";
    char* hosts[] = {text(h2), text(h3)};
    int infos[2];
    REQUIRE(pvm_addhosts(hosts, 2, infos) == 2);
    int nhost, narch;
    struct pvmhostinfo* config;
    REQUIRE(pvm_config(&nhost, &narch, &config) == 0);
    CHECK(config[1].hi_speed == 4000);
    std::string path = taskPath();
    char* argv[] = {mode("sleep"), nullptr};
    int tids[6];
    REQUIRE(pvm_spawn(text(path), argv, PvmTaskDefault, nullptr, 6, tids) == 6);
    int perHost[4] = {0, 0, 0, 0};
    for (int t : tids) ++perHost[t >> 18];
    INFO("host 1: " << perHost[1] << ", host 2 (sp=4000): " << perHost[2] << ", host 3: " << perHost[3]);
    CHECK(perHost[2] > perHost[3]);
    CHECK(perHost[3] >= perHost[1]);
}

TEST_CASE("output of remote tasks reaches the catching parent", "[multihost][output]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(2);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(2, " sp=1000");
    std::FILE* out = std::tmpfile();
    pvm_catchout(out);
    std::string path = taskPath();
    char* argv[] = {mode("print"), mode("2"), nullptr};
    int tid;
    REQUIRE(pvm_spawn(text(path), argv, PvmTaskHost, text(c.address(2)), 1, &tid) == 1);
    REQUIRE(pvm_exit() == 0);
    std::fflush(out);
    std::rewind(out);
    std::string caught;
    char chunk[4096];
    std::size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, out)) > 0) caught.append(chunk, n);
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "[t%x] ", tid);
    INFO(caught);
    CHECK(caught.find(std::string(prefix) + "line 1") != std::string::npos);
    CHECK(caught.find(std::string(prefix) + "EOF") != std::string::npos);
    std::fclose(out);
}

TEST_CASE("halting the master stops every daemon and task on every host", "[multihost][halt]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(3);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(3, " sp=1000");
    std::string path = taskPath();
    char* argv[] = {mode("sleep"), nullptr};
    int tids[3];
    REQUIRE(pvm_spawn(text(path), argv, 0, nullptr, 3, tids) == 3);
    for (int t : tids) REQUIRE(pvm_recv(t, 1) > 0);
    std::vector<int> daemons = {c.daemonPid(1), c.daemonPid(2), c.daemonPid(3)};
    REQUIRE(pvm_halt() == 0);
    for (int pid : daemons) CHECK(waitFor([&] { return !processAlive(pid); }));
    // The bracket keeps pgrep from finding the shell that runs it.
    CHECK(waitFor([] { return runCommand("pgrep -f '[t]est_task sleep'") != 0; }));
}

TEST_CASE("a hostfile starts its hosts with the master", "[multihost][hostfile]") {
    if (skipWithoutNamespaces()) return;
    char path[] = "/tmp/pvmtest-hostfile.XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    {
        // Test hosts resolve each other's names inside their namespaces.
        std::ofstream hf(path);
        hf << "# test machine\n* sp=500\n"
           << Cluster::plannedHostName(2) << "\n"
           << "& " << Cluster::plannedHostName(3) << " sp=3000\n";
    }
    Cluster c(3, "-H 200 -T 2000 -s 1000", path);
    REQUIRE(pvm_mytid() > 0);
    int nhost = 0, narch;
    struct pvmhostinfo* hosts = nullptr;
    CHECK(waitFor([&] { return pvm_config(&nhost, &narch, &hosts) == 0 && nhost == 2; }));
    REQUIRE(nhost == 2);
    CHECK(hosts[1].hi_speed == 500);  // from the '*' line
    // The '&' host is not started, but a later add brings the options it was given.
    std::string h3 = Cluster::plannedHostName(3);
    char* names[] = {text(h3)};
    int info = 0;
    REQUIRE(pvm_addhosts(names, 1, &info) == 1);
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    REQUIRE(nhost == 3);
    CHECK(hosts[2].hi_speed == 3000);
    std::remove(path);
}

TEST_CASE("a host that never answers fails with PvmCantStart after the start time-out", "[multihost]") {
    // No namespaces needed: the "rsh" here just never answers.
    setenv("PVM_RSH", (std::string(PVM_TEST_SUPPORT_DIR) + "/rsh-silent").c_str(), 1);
    VirtualMachine vm("-S 700");
    unsetenv("PVM_RSH");
    REQUIRE(pvm_mytid() > 0);
    char* names[] = {mode("slowpoke"), mode("slowpoke2")};
    int infos[2] = {0, 0};
    auto start = std::chrono::steady_clock::now();
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_addhosts(names, 2, infos) == 0);
    pvm_setopt(PvmAutoErr, 1);
    auto took = std::chrono::steady_clock::now() - start;
    CHECK(infos[0] == PvmCantStart);
    CHECK(infos[1] == PvmCantStart);
    CHECK(took >= std::chrono::milliseconds(600));
    // Both at once, not one after the other: the log has both starts before either time-out.
    std::string log = vm.logText();
    std::size_t firstTimeout = log.find("no answer within 700 ms");
    CHECK(firstTimeout != std::string::npos);
    CHECK(log.find("starting host slowpoke ") < firstTimeout);
    CHECK(log.find("starting host slowpoke2 ") < firstTimeout);
}

TEST_CASE("an rsh command that cannot be run fails with PvmCantStart and says why", "[multihost]") {
    setenv("PVM_RSH", "/nonexistent/pvm-rsh", 1);
    VirtualMachine vm;
    unsetenv("PVM_RSH");
    REQUIRE(pvm_mytid() > 0);
    char* names[] = {mode("elsewhere")};
    int info = 0;
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_addhosts(names, 1, &info) == 0);
    pvm_setopt(PvmAutoErr, 1);
    CHECK(info == PvmCantStart);
    CHECK(vm.logText().find("/nonexistent/pvm-rsh: No such file or directory") != std::string::npos);
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    CHECK(nhost == 1);
}

TEST_CASE("a bad hostfile is refused with its line number", "[multihost][hostfile]") {
    char path[] = "/tmp/pvmtest-hostfile.XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    {
        std::ofstream hf(path);
        hf << "# fine\nnode1\nnode2 sp=fast\n";
    }
    VirtualMachine vm;  // a private PVM_TMP; its own daemon is not in the way of the check
    std::string output;
    CHECK(runCommand(pvmdPath() + " " + path, &output) == 2);
    CHECK(output.find(std::string(path) + ":3") != std::string::npos);
    std::remove(path);
}

TEST_CASE("a host's ep=, wd= and bx= reach its daemon", "[multihost]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(2);
    REQUIRE(pvm_mytid() > 0);
    std::string taskDir = taskPath();
    taskDir = taskDir.substr(0, taskDir.rfind('/'));
    std::string line =
        c.address(2) + " ep=/nowhere/$PVM_ARCH:" + taskDir + " wd=/tmp bx=" + PVM_TEST_SUPPORT_DIR + "/debugger-shim";
    char* names[] = {text(line)};
    int info = 0;
    REQUIRE(pvm_addhosts(names, 1, &info) == 1);
    // info mode reports argv, the working directory and PVM_TEST_VAR (set by the debugger shim).
    auto spawnInfo = [&](int flags, std::string* cwd, std::string* var) {
        char* argv[] = {mode("info"), nullptr};
        int tid = 0;
        REQUIRE(pvm_spawn(mode("test_task"), argv, flags | PvmTaskHost, text(c.address(2)), 1, &tid) == 1);
        struct timeval tmout = {10, 0};
        REQUIRE(pvm_trecv(tid, 1, &tmout) > 0);
        int parent, nsib, argc;
        pvm_upkint(&parent, 1, 1);
        pvm_upkint(&nsib, 1, 1);
        std::vector<int> sibs(static_cast<std::size_t>(nsib));
        pvm_upkint(sibs.data(), nsib, 1);
        pvm_upkint(&argc, 1, 1);
        char buf[4096];
        for (int i = 0; i < argc; ++i) pvm_upkstr(buf);
        pvm_upkstr(buf);
        *cwd = buf;
        pvm_upkstr(buf);
        *var = buf;
    };
    std::string cwd, var;
    spawnInfo(PvmTaskDefault, &cwd, &var);  // found through ep=, started in wd=
    CHECK(cwd == "/tmp");
    CHECK(var == "(unset)");
    spawnInfo(PvmTaskDebug, &cwd, &var);  // run by the bx= program
    CHECK(var == "debugged by shim");
}

TEST_CASE("pvm_mcast across hosts leaves the sender as one packet and reaches each task once, in order",
          "[multihost][messages]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(3);
    int me = pvm_mytid();
    REQUIRE(me > 0);
    c.addHosts(3, " sp=1000");
    std::string path = taskPath();
    char* argv[] = {mode("echo"), nullptr};
    std::vector<int> echoes;
    for (int h = 2; h <= 3; ++h) {
        int tids[2] = {};
        REQUIRE(pvm_spawn(text(path), argv, PvmTaskHost, text(c.address(h)), 2, tids) == 2);
        echoes.insert(echoes.end(), tids, tids + 2);
    }
    auto sentByMe = [me] {
        auto usage = pvm::tasksUsage(me);
        REQUIRE(usage.size() == 1);
        return usage.front().messagesSent;
    };
    long long before = sentByMe();
    // Multicasts and plain sends to the same tasks, interleaved: each echo answers each in
    // turn, so every echo's answers must come back numbered 0, 1, 2...
    constexpr int kRounds = 20;
    for (int i = 0; i < kRounds; ++i) {
        int number = 2 * i;
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&number, 1, 1);
        REQUIRE(pvm_mcast(echoes.data(), static_cast<int>(echoes.size()), 5) == 0);
        ++number;
        for (int echo : echoes) {
            pvm_initsend(PvmDataDefault);
            pvm_pkint(&number, 1, 1);
            REQUIRE(pvm_send(echo, 5) == 0);
        }
    }
    // One packet per multicast and one per send left this task: the daemons made the copies.
    CHECK(sentByMe() - before == kRounds + kRounds * static_cast<long long>(echoes.size()));
    for (int echo : echoes)
        for (int i = 0; i < 2 * kRounds; ++i) REQUIRE(receiveInt(echo, 5) == i);
    struct timeval quick = {0, 200000};
    CHECK(pvm_trecv(-1, 5, &quick) == 0);  // and no copy twice
    for (int echo : echoes) {
        pvm_initsend(PvmDataDefault);
        pvm_send(echo, 99);
    }
}
