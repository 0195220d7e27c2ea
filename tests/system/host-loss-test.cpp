// host-loss-test.cpp - hosts leaving a multi-host virtual machine: killed,
// stopped, cut off from the network, deleted by pvm_delhosts (by a task on the
// host itself too), and the master killed. Each loss is noticed, its tasks count
// as exited, and the machine goes on.
#include <catch2/catch.hpp>
#include <csignal>
#include <string>

#include "cluster.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* text(const std::string& s) { return const_cast<char*>(s.c_str()); }
char* mode(const char* m) { return const_cast<char*>(m); }
}  // namespace

TEST_CASE("a slave killed with SIGKILL is deleted within seconds and can be added back", "[multihost][faults]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(3);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(3, " sp=1000");
    int tid = spawnSleeperOn(c.address(2));
    int dtid = 0x80000;
    REQUIRE(pvm_notify(PvmHostDelete, 70, 1, &dtid) == 0);
    REQUIRE(pvm_notify(PvmTaskExit, 71, 1, &tid) == 0);
    int ntask = 0;
    struct pvmtaskinfo* tasks = nullptr;
    REQUIRE(pvm_tasks(tid, &ntask, &tasks) == 0);
    REQUIRE(ntask == 1);
    int sleeper = tasks[0].ti_pid;
    int slave = c.daemonPid(2);
    REQUIRE(slave > 0);
    kill(slave, SIGKILL);
    CHECK(receiveInt(-1, 70, 8) == dtid);
    CHECK(receiveInt(-1, 71, 8) == tid);
    // The task ends with its daemon, as the notify said: it does not run on unseen.
    CHECK(waitFor([&] { return !processAlive(sleeper); }));
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    CHECK(nhost == 2);
    // The rest of the machine keeps working.
    char* echo[] = {mode("echo"), nullptr};
    int other;
    std::string path = taskPath();
    REQUIRE(pvm_spawn(text(path), echo, PvmTaskHost, text(c.address(3)), 1, &other) == 1);
    pvm_initsend(PvmDataDefault);
    int v = 9;
    pvm_pkint(&v, 1, 1);
    pvm_send(other, 5);
    CHECK(receiveInt(other, 5) == 9);
    // The host comes back.
    char* again[] = {text(c.address(2))};
    int info = 0;
    CHECK(pvm_addhosts(again, 1, &info) == 1);
    CHECK(info > 0);
}

TEST_CASE("a stopped slave (SIGSTOP) is deleted, and ends when it wakes", "[multihost][faults]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(2);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(2, " sp=1000");
    int dtid = 0x80000;
    REQUIRE(pvm_notify(PvmHostDelete, 72, 1, &dtid) == 0);
    int slave = c.daemonPid(2);
    kill(slave, SIGSTOP);
    CHECK(receiveInt(-1, 72, 8) == dtid);
    kill(slave, SIGCONT);
    CHECK(waitFor([&] { return !processAlive(slave); }, std::chrono::seconds(8)));
}

TEST_CASE("a slave cut off from the network is deleted, halts itself with its tasks, and comes back",
          "[multihost][faults]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(3);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(3, " sp=1000");
    int tid = spawnSleeperOn(c.address(2));
    int ntask = 0;
    struct pvmtaskinfo* tasks = nullptr;
    REQUIRE(pvm_tasks(tid, &ntask, &tasks) == 0);
    REQUIRE(ntask == 1);
    int sleeper = tasks[0].ti_pid;
    int dtid = 0x80000;
    REQUIRE(pvm_notify(PvmHostDelete, 75, 1, &dtid) == 0);
    REQUIRE(pvm_notify(PvmTaskExit, 76, 1, &tid) == 0);
    int slave = c.daemonPid(2);
    // Pull the cable: host 2's only interface goes down.
    std::string link = "ip netns exec " + c.hostName(2) + " ip link set eth0 ";
    REQUIRE(runCommand(link + "down") == 0);
    CHECK(receiveInt(-1, 75, 8) == dtid);
    CHECK(receiveInt(-1, 76, 8) == tid);
    // Alone, the slave hears nothing from its master and stops rather than linger, and its
    // task ends with it, as the notify said.
    CHECK(waitFor([&] { return !processAlive(slave); }, std::chrono::seconds(8)));
    CHECK(waitFor([&] { return !processAlive(sleeper); }));
    int nhost, narch;
    struct pvmhostinfo* hosts;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    CHECK(nhost == 2);
    // The cable goes back in: the host can be added again, and its tasks answer.
    REQUIRE(runCommand(link + "up") == 0);
    char* again[] = {text(c.address(2))};
    int info = 0;
    REQUIRE(pvm_addhosts(again, 1, &info) == 1);
    CHECK(info > 0);
    char* echo[] = {mode("echo"), nullptr};
    int other = 0;
    std::string path = taskPath();
    REQUIRE(pvm_spawn(text(path), echo, PvmTaskHost, text(c.address(2)), 1, &other) == 1);
    pvm_initsend(PvmDataDefault);
    int v = 11;
    pvm_pkint(&v, 1, 1);
    pvm_send(other, 5);
    CHECK(receiveInt(other, 5) == 11);
}

TEST_CASE("a master killed with SIGKILL leaves no orphan slaves", "[multihost][faults]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(3);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(3, " sp=1000");
    std::vector<int> slaves = {c.daemonPid(2), c.daemonPid(3)};
    pvm_exit();
    kill(c.masterPid(), SIGKILL);
    for (int pid : slaves) CHECK(waitFor([&] { return !processAlive(pid); }, std::chrono::seconds(8)));
}

TEST_CASE("pvm_delhosts stops a host and its tasks", "[multihost]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(2);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(2, " sp=1000");
    int tid = spawnSleeperOn(c.address(2));
    REQUIRE(pvm_notify(PvmTaskExit, 73, 1, &tid) == 0);
    int slave = c.daemonPid(2);
    char* names[] = {text(c.address(2))};
    int info = -1;
    CHECK(pvm_delhosts(names, 1, &info) == 1);
    CHECK(info == 0);
    CHECK(receiveInt(-1, 73, 8) == tid);
    CHECK(waitFor([&] { return !processAlive(slave); }));
    int nhost, narch;
    struct pvmhostinfo* hosts;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    CHECK(nhost == 1);
}

TEST_CASE("a task that deletes its own host ends with it, and the master goes on", "[multihost]") {
    // The master reads the request from that host's link, and deleting the host closes the
    // link: the rest of that read must not touch it.
    if (skipWithoutNamespaces()) return;
    Cluster c(2);
    REQUIRE(pvm_mytid() > 0);
    c.addHosts(2, " sp=1000");
    int slave = c.daemonPid(2);
    std::string path = taskPath();
    char* argv[] = {mode("delhost"), text(c.address(2)), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(text(path), argv, PvmTaskHost, text(c.address(2)), 1, &tid) == 1);
    REQUIRE(pvm_notify(PvmTaskExit, 74, 1, &tid) == 0);
    REQUIRE(pvm_recv(tid, 1) > 0);
    CHECK(receiveInt(-1, 74, 20) == tid);
    CHECK(waitFor([&] { return !processAlive(slave); }));
    INFO("the master's log:\n" << c.logText(1));
    CHECK(processAlive(c.masterPid()));
    int nhost, narch;
    struct pvmhostinfo* hosts;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    CHECK(nhost == 1);
    char* again[] = {text(c.address(2))};  // and it can come back
    int info = 0;
    CHECK(pvm_addhosts(again, 1, &info) == 1);
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    CHECK(nhost == 2);
}
