// security-test.cpp - who may speak to the daemons of a machine across hosts: a
// process without keys, and one holding the machine's keys as every task does
// (docs/security.md).
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <unistd.h>

#include "cluster.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* text(const std::string& s) { return const_cast<char*>(s.c_str()); }
}  // namespace

TEST_CASE("a peer without the machine's keys gets no answer and changes nothing", "[multihost][security]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(2);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(2, " sp=1000");
    std::string log = c.logText(2);
    auto at = log.find("peer port ");
    REQUIRE(at != std::string::npos);
    std::string port = log.substr(at + 10, log.find_first_not_of("0123456789", at + 10) - at - 10);
    std::string endpoint = "tcp://" + c.address(2) + ":" + port;
    {
        // Connecting from inside the test host's namespace, as an intruder on that network would.
        std::string output;
        std::string intruder = "ip netns exec " + c.hostName(1) + " " + taskPath("intruder") + " " + endpoint;
        CHECK(runCommand(intruder, &output) == 0);
        INFO(output);
        CHECK(output.find("no reply") != std::string::npos);
    }
    CHECK(processAlive(c.daemonPid(2)));
    std::string path = taskPath();
    std::string echo = "echo";
    char* argv[] = {text(echo), nullptr};
    int tid;
    REQUIRE(pvm_spawn(text(path), argv, PvmTaskHost, text(c.address(2)), 1, &tid) == 1);
    int v = 3;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&v, 1, 1);
    pvm_send(tid, 6);
    struct timeval tmout = {10, 0};
    REQUIRE(pvm_trecv(tid, 6, &tmout) > 0);
    int back = 0;
    pvm_upkint(&back, 1, 1);
    CHECK(back == 3);
}

TEST_CASE("holding the machine's keys is not enough to speak as the master", "[multihost][security]") {
    if (skipWithoutNamespaces()) return;
    // Every task holds the machine's keys, and they cross a slave's start-up channel: the test
    // keeps the copy that channel carried (tests/support/rsh-netns).
    std::string saved = "/tmp/pvmtest-startup-keys." + std::to_string(getpid());
    struct Remove {
        std::string path;
        ~Remove() { std::remove(path.c_str()); }
    } removeSaved{saved};
    setenv("PVM_NETNS_SAVE_INPUT", saved.c_str(), 1);
    Cluster c(2);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(2, " sp=1000");
    unsetenv("PVM_NETNS_SAVE_INPUT");
    REQUIRE(readFile(saved).size() > 80);
    std::string log = c.logText(2);
    auto at = log.find("peer port ");
    REQUIRE(at != std::string::npos);
    std::string port = log.substr(at + 10, log.find_first_not_of("0123456789", at + 10) - at - 10);
    auto keyAt = log.find(", key ", at);
    REQUIRE(keyAt != std::string::npos);
    std::string slaveKey = log.substr(keyAt + 6, 40);
    std::string output;
    CHECK(runCommand("ip netns exec " + c.hostName(1) + " " + taskPath("intruder") + " --as-master tcp://" +
                         c.address(2) + ":" + port + " '" + slaveKey + "' < " + saved,  // Z85 has no quote
                     &output) == 0);
    CHECK(output == "sent halt\n");
    // The slave refuses the key (after waiting a while for a host table that might name it),
    // and never halts.
    CHECK(waitFor([&] { return c.logText(2).find("connection(s) without the key of a daemon") != std::string::npos; }));
    CHECK(c.logText(2).find("halted by the master") == std::string::npos);
    CHECK(processAlive(c.daemonPid(2)));
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    CHECK(nhost == 2);
    // The secret key crossed the start-up channel, not a command line anyone could list.
    std::string secret = readFile(saved).substr(41, 40);
    for (int host = 1; host <= 2; ++host) {
        std::string commandLine = readFile("/proc/" + std::to_string(c.daemonPid(host)) + "/cmdline");
        CHECK(!commandLine.empty());
        CHECK(commandLine.find(secret) == std::string::npos);
    }
}

TEST_CASE("a compromised slave's bad packets are dropped, and the machine goes on", "[multihost][security]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(3);
    int me = pvm_mytid();
    REQUIRE(me > 0);
    // Host 2's "pvmd" is the intruder: a member of the machine with a key of its own, which
    // sends its master every bad packet it can once a task speaks to it.
    std::string fake = c.address(2) + " dx=" + taskPath("intruder");
    char* fakeLine[] = {text(fake)};
    int info = 0;
    REQUIRE(pvm_addhosts(fakeLine, 1, &info) == 1);
    REQUIRE(info == 2 << 18);
    std::string real = c.address(3) + " sp=1000";
    char* realLine[] = {text(real)};
    REQUIRE(pvm_addhosts(realLine, 1, &info) == 1);
    REQUIRE(info == 3 << 18);

    int fakeTask = (2 << 18) | 1;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&me, 1, 1);
    REQUIRE(pvm_send(fakeTask, 76) == 0);
    // Its last word: a host may speak for its own tasks, so this one arrives, after the
    // message it forged in this task's name, which never did.
    struct timeval tmout = {20, 0};
    int answer = pvm_trecv(fakeTask, 77, &tmout);
    INFO("the master's log:\n" << c.logText(1));
    REQUIRE(answer > 0);
    int value = 0;
    pvm_upkint(&value, 1, 1);
    CHECK(value == 42);
    CHECK(pvm_nrecv(-1, 79) == 0);
    std::string log = c.logText(1);
    CHECK(log.find("host 2 forged t") != std::string::npos);
    CHECK(log.find("dropped a bad packet from a peer") != std::string::npos);
    CHECK(log.find("halted by") == std::string::npos);

    // The master and the honest slave go on: tasks on both answer.
    std::string path = taskPath();
    for (int host : {1, 3}) {
        INFO("host " << host);
        std::string where = host == 1 ? c.hostName(1) : c.address(host);
        int tid = 0;
        REQUIRE(pvm_spawn(path.data(), nullptr, PvmTaskHost, text(where), 1, &tid) == 1);
        pvm_initsend(PvmDataDefault);
        int n = 7;
        pvm_pkint(&n, 1, 1);
        REQUIRE(pvm_send(tid, 5) == 0);
        REQUIRE(pvm_trecv(tid, 5, &tmout) > 0);
        pvm_initsend(PvmDataDefault);
        REQUIRE(pvm_send(tid, 99) == 0);
    }
    // The intruder has left; the master notices its silence and deletes the host.
    CHECK(waitFor(
        [] {
            int nhost = 0, narch = 0;
            struct pvmhostinfo* hosts;
            return pvm_config(&nhost, &narch, &hosts) == 0 && nhost == 2;
        },
        std::chrono::seconds(30)));
    CHECK(waitFor([] { return runCommand("pgrep -f 'intruder [-]-slave'") != 0; }));
    CHECK(processAlive(c.daemonPid(1)));
}
