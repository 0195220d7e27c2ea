// lifecycle-test.cpp - pvmd start-up, files, refusal of a second master, halt.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <vector>
#include <sys/stat.h>
#include <unistd.h>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;
namespace fs = std::filesystem;

TEST_CASE("pvmd writes its files into a private per-user directory", "[pvmd]") {
    VirtualMachine vm;
    std::string dir = vm.tmpDir() + "/pvm." + std::to_string(getuid());
    struct stat st {};
    REQUIRE(stat(dir.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0700);
    CHECK(fs::exists(dir + "/pvmd.addr"));
    CHECK(fs::is_socket(dir + "/pvmd.ipc"));
    CHECK(vm.logText().find("started, pid " + std::to_string(vm.daemonPid())) != std::string::npos);
}

TEST_CASE("another local user can reach neither the daemon nor its log", "[pvmd][security]") {
    if (geteuid() != 0) {
        WARN("skipped: playing another user needs root (runuser)");
        return;
    }
    VirtualMachine vm;
    std::string dir = vm.tmpDir() + "/pvm." + std::to_string(getuid());
    std::string log = vm.tmpDir() + "/pvml." + std::to_string(getuid());
    REQUIRE(fs::exists(log));
    // $PVM_TMP open to all, as /tmp is: only the modes of our own files keep the other user out.
    REQUIRE(chmod(vm.tmpDir().c_str(), 0755) == 0);
    auto asNobody = [](const std::string& command) {
        return runCommand("runuser -u nobody -- sh -c '" + command + "' 2>/dev/null");
    };
    CHECK(asNobody("true") == 0);  // the other user exists and runs commands
    CHECK(asNobody("ls " + dir) != 0);
    CHECK(asNobody("cat " + dir + "/pvmd.addr") != 0);
    CHECK(asNobody("cat " + log) != 0);
    // Nor can it connect to the socket: a task of that user finds no daemon of its own.
    std::string task = taskPath();
    CHECK(asNobody("PVM_TMP=" + vm.tmpDir() + " " + task + " echo") != 0);
}

TEST_CASE("a second pvmd for the same user is refused with a clear message", "[pvmd]") {
    VirtualMachine vm;
    std::string output;
    int status = runCommand(pvmdPath(), &output);
    CHECK(status == 1);
    CHECK(output.find("already running") != std::string::npos);
    CHECK(output.find(std::to_string(vm.daemonPid())) != std::string::npos);
    CHECK(processAlive(vm.daemonPid()));
    CHECK(pvm_mytid() > 0);
}

TEST_CASE("halt stops every task and the daemon and leaves no socket behind", "[pvmd][halt]") {
    VirtualMachine vm;
    int tids[3];
    std::string path = taskPath();
    char* argv[] = {const_cast<char*>("sleep"), nullptr};
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskDefault, nullptr, 3, tids) == 3);
    struct pvmtaskinfo* info;
    int ntask = 0;
    std::vector<int> pids;
    for (int i = 0; i < 3; ++i) {
        REQUIRE(pvm_recv(tids[i], 1) > 0);  // each is up and enrolled
    }
    REQUIRE(pvm_tasks(0, &ntask, &info) == 0);
    for (int i = 0; i < ntask; ++i)
        if (info[i].ti_tid != pvm_mytid()) pids.push_back(info[i].ti_pid);
    REQUIRE(pids.size() == 3);
    int daemon = vm.daemonPid();
    REQUIRE(pvm_halt() == 0);
    CHECK(waitFor([&] { return !processAlive(daemon); }));
    for (int pid : pids) CHECK(waitFor([&] { return !processAlive(pid); }));
    std::string dir = vm.tmpDir() + "/pvm." + std::to_string(getuid());
    CHECK(!fs::exists(dir + "/pvmd.ipc"));
    CHECK(!fs::exists(dir + "/pvmd.addr"));
    // The caller of pvm_halt survives and is no longer enrolled.
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_mytid() == PvmSysErr);
    pvm_setopt(PvmAutoErr, 1);
}

TEST_CASE("SIGTERM to pvmd halts the machine", "[pvmd][halt]") {
    VirtualMachine vm;
    int tid;
    std::string path = taskPath();
    char* argv[] = {const_cast<char*>("sleep"), nullptr};
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    REQUIRE(pvm_recv(tid, 1) > 0);
    struct pvmtaskinfo* info;
    int ntask;
    REQUIRE(pvm_tasks(tid, &ntask, &info) == 0);
    REQUIRE(ntask == 1);
    int pid = info[0].ti_pid;
    REQUIRE(pvm_exit() == 0);  // so the halt does not take this test process with it
    kill(vm.daemonPid(), SIGTERM);
    CHECK(waitFor([&] { return !processAlive(vm.daemonPid()); }));
    CHECK(waitFor([&] { return !processAlive(pid); }));
}

TEST_CASE("without a pvmd, calls fail with PvmSysErr", "[pvmd][errors]") {
    char pattern[] = "/tmp/pvmtest.XXXXXX";
    REQUIRE(mkdtemp(pattern));
    setenv("PVM_TMP", pattern, 1);
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_mytid() == PvmSysErr);
    int tid = 0;
    CHECK(pvm_spawn(const_cast<char*>("test_task"), nullptr, 0, nullptr, 1, &tid) == PvmSysErr);
    pvm_setopt(PvmAutoErr, 1);
    fs::remove_all(pattern);
}

TEST_CASE("the tasks of a pvmd killed with SIGKILL end with it", "[pvmd][faults]") {
    VirtualMachine vm;
    // A PVM task that enrolled and sleeps, and a program that never calls PVM at all.
    std::string path = taskPath();
    char* sleepMode[] = {const_cast<char*>("sleep"), nullptr};
    char* longSleep[] = {const_cast<char*>("300"), nullptr};
    int tids[2] = {0, 0};
    REQUIRE(pvm_spawn(path.data(), sleepMode, 0, nullptr, 1, &tids[0]) == 1);
    REQUIRE(pvm_recv(tids[0], 1) > 0);
    REQUIRE(pvm_spawn(const_cast<char*>("/bin/sleep"), longSleep, 0, nullptr, 1, &tids[1]) == 1);
    std::vector<int> pids;
    for (int tid : tids) {
        struct pvmtaskinfo* info;
        int ntask = 0;
        REQUIRE(waitFor([&] { return pvm_tasks(tid, &ntask, &info) == 0 && ntask == 1 && info[0].ti_pid > 0; }));
        pids.push_back(info[0].ti_pid);
    }
    REQUIRE(pvm_exit() == 0);
    kill(vm.daemonPid(), SIGKILL);
    CHECK(waitFor([&] { return !processAlive(vm.daemonPid()); }));
    for (int pid : pids) CHECK(waitFor([&] { return !processAlive(pid); }));
}

TEST_CASE("a task whose pvmd dies gets PvmSysErr instead of hanging", "[pvmd][errors]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    kill(vm.daemonPid(), SIGKILL);
    REQUIRE(waitFor([&] { return !processAlive(vm.daemonPid()); }));
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_recv(-1, -1) == PvmSysErr);
    pvm_setopt(PvmAutoErr, 1);
    // The dead daemon's files are stale; a new pvmd replaces them.
    std::string output;
    CHECK(runCommand(pvmdPath(), &output) == 0);
    int ntask;
    struct pvmtaskinfo* info;
    pvm_exit();
    CHECK(pvm_tasks(0, &ntask, &info) == 0);
    pvm_halt();
}
