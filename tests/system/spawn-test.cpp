// spawn-test.cpp - pvm_spawn between real processes: lookup, arguments,
// working directory, exported environment, siblings and per-task errors.
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <unistd.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <string>
#include <vector>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;
namespace fs = std::filesystem;

namespace {
struct TaskInfo {
    int parent = 0;
    std::vector<int> siblings;
    std::vector<std::string> argv;
    std::string cwd;
    std::string var;
};

TaskInfo receiveInfo(int tid) {
    TaskInfo info;
    REQUIRE(pvm_recv(tid, 1) > 0);
    int n = 0;
    pvm_upkint(&info.parent, 1, 1);
    pvm_upkint(&n, 1, 1);
    info.siblings.resize(static_cast<std::size_t>(n));
    pvm_upkint(info.siblings.data(), n, 1);
    pvm_upkint(&n, 1, 1);
    char text[4096];
    for (int i = 0; i < n; ++i) {
        pvm_upkstr(text);
        info.argv.push_back(text);
    }
    pvm_upkstr(text);
    info.cwd = text;
    pvm_upkstr(text);
    info.var = text;
    return info;
}

char* mode(const char* m) { return const_cast<char*>(m); }
}  // namespace

TEST_CASE("tids have PVM's layout and print as t40001", "[spawn]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    REQUIRE(me > 0);
    CHECK((me & 0x3ffc0000) == 0x40000);
    CHECK(pvm_tidtohost(me) == 0x40000);
    CHECK(pvm_parent() == PvmNoParent);
    char text[16];
    std::snprintf(text, sizeof text, "t%x", me);
    CHECK(std::string(text).rfind("t4000", 0) == 0);
}

TEST_CASE("spawned tasks know their parent, siblings, arguments and working directory", "[spawn]") {
    VirtualMachine vm;
    std::string path = taskPath();
    char* argv[] = {mode("info"), mode("PVM_TEST_VAR"), mode("third arg"), nullptr};
    int tids[3];
    setenv("PVM_TEST_VAR", "exported value", 1);
    setenv("PVM_EXPORT", "PVM_TEST_VAR", 1);
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskDefault, mode(":/tmp"), 3, tids) == 3);
    unsetenv("PVM_EXPORT");
    for (int tid : tids) {
        TaskInfo info = receiveInfo(tid);
        CHECK(info.parent == pvm_mytid());
        CHECK(info.siblings == std::vector<int>(tids, tids + 3));
        REQUIRE(info.argv.size() == 4);
        CHECK(info.argv[0] == path);
        CHECK(info.argv[1] == "info");
        CHECK(info.argv[3] == "third arg");
        CHECK(info.cwd == "/tmp");
        CHECK(info.var == "exported value");
    }
}

TEST_CASE("without PVM_EXPORT the parent's variables stay at home", "[spawn]") {
    VirtualMachine vm;
    std::string path = taskPath();
    unsetenv("PVM_EXPORT");
    setenv("PVM_TEST_PRIVATE", "secret", 1);
    char* argv[] = {mode("info"), mode("PVM_TEST_PRIVATE"), nullptr};
    int tid;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    CHECK(receiveInfo(tid).var == "(unset)");
}

TEST_CASE("executables are found in $PVM_ROOT/bin/$PVM_ARCH and $HOME/pvm3/bin/$PVM_ARCH", "[spawn]") {
    // The search path is the daemon's, so the environment is set before it starts.
    char pattern[] = "/tmp/pvmroot.XXXXXX";
    REQUIRE(mkdtemp(pattern));
    std::string root = pattern;
    fs::create_directories(root + "/bin/LINUX64");
    fs::create_directories(root + "/home/pvm3/bin/LINUX64");
    fs::copy_file(taskPath(), root + "/bin/LINUX64/rooted_task");
    fs::copy_file(taskPath(), root + "/home/pvm3/bin/LINUX64/home_task");
    std::string oldHome = std::getenv("HOME") ? std::getenv("HOME") : "";
    setenv("PVM_ROOT", root.c_str(), 1);
    setenv("HOME", (root + "/home").c_str(), 1);
    {
        VirtualMachine vm;
        char* argv[] = {mode("info"), nullptr};
        int tid;
        REQUIRE(pvm_spawn(mode("rooted_task"), argv, 0, nullptr, 1, &tid) == 1);
        CHECK(receiveInfo(tid).argv[0] == root + "/bin/LINUX64/rooted_task");
        REQUIRE(pvm_spawn(mode("home_task"), argv, 0, nullptr, 1, &tid) == 1);
        TaskInfo info = receiveInfo(tid);
        CHECK(info.argv[0] == root + "/home/pvm3/bin/LINUX64/home_task");
        CHECK(info.cwd == root + "/home");  // tasks start in $HOME, as in PVM
    }
    setenv("HOME", oldHome.c_str(), 1);
    unsetenv("PVM_ROOT");
    fs::remove_all(root);
}

TEST_CASE("a missing executable gives PvmNoFile in the tid array", "[spawn][errors]") {
    VirtualMachine vm;
    int tids[2] = {0, 0};
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_spawn(mode("no_such_program_xyz"), nullptr, 0, nullptr, 2, tids) == 0);
    CHECK(tids[0] == PvmNoFile);
    CHECK(tids[1] == PvmNoFile);
    CHECK(pvm_spawn(mode("/nonexistent/dir/prog"), nullptr, 0, nullptr, 1, tids) == 0);
    CHECK(tids[0] == PvmNoFile);
    // A directory that does not exist as working directory fails the same way.
    std::string path = taskPath();
    CHECK(pvm_spawn(path.data(), nullptr, 0, mode(":/nonexistent-dir"), 1, tids) == 0);
    CHECK(tids[0] == PvmNoFile);
    pvm_setopt(PvmAutoErr, 1);
    CHECK(processAlive(vm.daemonPid()));
}

TEST_CASE("a file that cannot be run gets a tid, then exits, as in PVM 3.4.6", "[spawn][errors]") {
    VirtualMachine vm;
    // Executable, but no program: PVM forks, answers with the tid, and the exec fails.
    std::string junk = vm.tmpDir() + "/junk";
    {
        std::FILE* f = std::fopen(junk.c_str(), "w");
        REQUIRE(f);
        std::fputs("not a program\x01\x02\n", f);
        std::fclose(f);
    }
    fs::permissions(junk, fs::perms::owner_all);
    int tid = 0;
    REQUIRE(pvm_spawn(junk.data(), nullptr, 0, nullptr, 1, &tid) == 1);
    CHECK(tid > 0);
    REQUIRE(pvm_notify(PvmTaskExit, 5, 1, &tid) == 0);
    struct timeval tmout = {10, 0};
    CHECK(pvm_trecv(-1, 5, &tmout) > 0);
    CHECK(vm.logText().find("did not start") != std::string::npos);
    CHECK(processAlive(vm.daemonPid()));
}

TEST_CASE("pvm_kill right after pvm_spawn ends every task", "[spawn][kill]") {
    VirtualMachine vm;
    std::string path = taskPath();
    char* argv[] = {mode("sleep"), nullptr};
    constexpr int kTasks = 32;  // more than the daemon starts at a time
    std::vector<int> tids(kTasks);
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, kTasks, tids.data()) == kTasks);
    // The processes may not have started when pvm_spawn returns, the last ones least of all;
    // the kill must still reach them.
    for (auto tid = tids.rbegin(); tid != tids.rend(); ++tid) CHECK(pvm_kill(*tid) == 0);
    REQUIRE(pvm_notify(PvmTaskExit, 6, kTasks, tids.data()) == 0);
    for (std::size_t i = 0; i < tids.size(); ++i) {
        struct timeval tmout = {10, 0};
        CHECK(pvm_trecv(-1, 6, &tmout) > 0);
    }
}

TEST_CASE("a task starts without loading ZeroMQ", "[spawn]") {
    // libzmq and the libraries it pulls in cost a task most of its start-up; only the
    // cross-host direct route (remote-direct-test) loads it.
    VirtualMachine vm;
    std::string path = taskPath();
    char* argv[] = {mode("sleep"), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    struct timeval tmout = {10, 0};
    REQUIRE(pvm_trecv(tid, 1, &tmout) > 0);  // enrolled and talking to its parent
    int ntask = 0;
    struct pvmtaskinfo* tasks = nullptr;
    REQUIRE(pvm_tasks(tid, &ntask, &tasks) == 0);
    REQUIRE(ntask == 1);
    std::string maps = readFile("/proc/" + std::to_string(tasks[0].ti_pid) + "/maps");
    REQUIRE(maps.find("libpvm3.so") != std::string::npos);
    CHECK(maps.find("libzmq") == std::string::npos);
    CHECK(pvm_kill(tid) == 0);
}

TEST_CASE("another process cannot enroll as a spawned task by claiming its pid", "[spawn][security]") {
    VirtualMachine vm;
    // The spawned process waits on a FIFO before it runs the task program, so it has not
    // enrolled when the impostor claims its tid and pid.
    std::string fifo = vm.tmpDir() + "/go";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    std::string script = "read x < " + fifo + "; exec " + taskPath() + " sleep";
    char* shArgs[] = {const_cast<char*>("-c"), script.data(), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(const_cast<char*>("/bin/sh"), shArgs, 0, nullptr, 1, &tid) == 1);
    int ntask = 0;
    struct pvmtaskinfo* info = nullptr;
    REQUIRE(waitFor([&] { return pvm_tasks(tid, &ntask, &info) == 0 && ntask == 1 && info[0].ti_pid > 0; }));
    int pid = info[0].ti_pid;
    std::string socket = vm.tmpDir() + "/pvm." + std::to_string(getuid()) + "/pvmd.ipc";
    std::string output;
    char claim[64];
    std::snprintf(claim, sizeof claim, " 0x%x %d", static_cast<unsigned>(tid), pid);
    CHECK(runCommand(taskPath("intruder") + " --enroll-as " + socket + claim, &output) == 0);
    char own[32];
    std::snprintf(own, sizeof own, "tid %x\n", static_cast<unsigned>(tid));
    INFO(output);
    CHECK(output.rfind("tid ", 0) == 0);  // enrolled, as a task of its own
    CHECK(output != own);
    // The real task still gets its tid, and its parent hears from it.
    int go = open(fifo.c_str(), O_WRONLY);
    REQUIRE(go >= 0);
    REQUIRE(write(go, "go\n", 3) == 3);
    close(go);
    struct timeval tmout = {10, 0};
    CHECK(pvm_trecv(tid, 1, &tmout) > 0);
    CHECK(pvm_kill(tid) == 0);
}

TEST_CASE("a process that ends before its daemon reads its enrollment is never listed", "[spawn][lifecycle]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    std::string socket = vm.tmpDir() + "/pvm." + std::to_string(getuid()) + "/pvmd.ipc";
    {
        // The daemon, stopped, reads the request only once its sender has ended and been
        // reaped, as when a spawned task is killed right after it asked to enroll.
        Stopped stopped(vm.daemonPid());
        CHECK(runCommand(taskPath("intruder") + " --enroll-and-leave " + socket) == 0);
    }
    REQUIRE(waitFor([&] {
        std::string log = vm.logText();
        return log.find("enrollment of pid") != std::string::npos || log.find("(impostor, pid") != std::string::npos;
    }));
    CHECK(vm.logText().find("the process has ended") != std::string::npos);
    int ntask = 0;
    struct pvmtaskinfo* info = nullptr;
    REQUIRE(pvm_tasks(0, &ntask, &info) == 0);
    CHECK(ntask == 1);  // this test's own task only
}

TEST_CASE("spawn on an unknown host or architecture gives PvmNoHost", "[spawn][errors]") {
    VirtualMachine vm;
    std::string path = taskPath();
    int tid = 0;
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_spawn(path.data(), nullptr, PvmTaskHost, mode("no-such-host"), 1, &tid) == 0);
    CHECK(tid == PvmNoHost);
    CHECK(pvm_spawn(path.data(), nullptr, PvmTaskArch, mode("CRAY"), 1, &tid) == 0);
    CHECK(tid == PvmNoHost);
    pvm_setopt(PvmAutoErr, 1);
    char* argv[] = {mode("info"), nullptr};
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskHost, mode("."), 1, &tid) == 1);
    CHECK(receiveInfo(tid).parent == pvm_mytid());
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskArch, mode("LINUX64"), 1, &tid) == 1);
    CHECK(receiveInfo(tid).parent == pvm_mytid());
}

TEST_CASE("bad spawn arguments give PvmBadParam", "[spawn][errors]") {
    VirtualMachine vm;
    int tid;
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_spawn(nullptr, nullptr, 0, nullptr, 1, &tid) == PvmBadParam);
    CHECK(pvm_spawn(mode("x"), nullptr, 0, nullptr, 0, &tid) == PvmBadParam);
    CHECK(pvm_spawn(mode("x"), nullptr, 0, nullptr, -3, &tid) == PvmBadParam);
    pvm_setopt(PvmAutoErr, 1);
}

TEST_CASE("pvm_tasks and pvm_config describe the machine", "[spawn]") {
    VirtualMachine vm;
    std::string path = taskPath();
    char* argv[] = {mode("sleep"), nullptr};
    int tids[2];
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 2, tids) == 2);
    for (int t : tids) REQUIRE(pvm_recv(t, 1) > 0);
    int ntask = 0;
    struct pvmtaskinfo* info;
    REQUIRE(pvm_tasks(0, &ntask, &info) == 0);
    CHECK(ntask == 3);
    int children = 0;
    for (int i = 0; i < ntask; ++i) {
        CHECK(info[i].ti_host == 0x40000);
        CHECK(info[i].ti_pid > 0);
        if (info[i].ti_ptid == pvm_mytid()) {
            ++children;
            CHECK(std::string(info[i].ti_a_out) == "test_task");
        }
    }
    CHECK(children == 2);
    REQUIRE(pvm_tasks(tids[1], &ntask, &info) == 0);
    REQUIRE(ntask == 1);
    CHECK(info[0].ti_tid == tids[1]);
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    CHECK(nhost == 1);
    CHECK(narch == 1);
    CHECK(hosts[0].hi_tid == 0x40000);
    CHECK(std::string(hosts[0].hi_arch) == "LINUX64");
    CHECK(pvm_mstat(hosts[0].hi_name) == PvmOk);
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_mstat(mode("no-such-host")) == PvmNoHost);
    CHECK(pvm_tasks(-5, &ntask, &info) == PvmNoHost);  // PVM 3.4.6's code (tests/compat)
    pvm_setopt(PvmAutoErr, 1);
    CHECK(pvm_pstat(tids[0]) == PvmOk);
    struct timeval clk {
    }, delta{};
    CHECK(pvm_hostsync(0x40000, &clk, &delta) == 0);
    CHECK(clk.tv_sec > 1700000000);
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_hostsync(0x80000, &clk, &delta) == PvmNoHost);
    CHECK(pvm_hostsync(0x40001, &clk, &delta) == PvmBadParam);
    pvm_setopt(PvmAutoErr, 1);
}
