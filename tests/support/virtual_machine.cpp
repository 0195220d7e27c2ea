// virtual_machine.cpp - real daemons for tests.
#include "virtual_machine.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "pvm3.h"

namespace pvm::test {

int daemonPidIn(const std::string& tmp) {
    std::ifstream in(tmp + "/pvm." + std::to_string(getuid()) + "/pvmd.addr");
    std::string key;
    int pid = 0;
    while (in >> key)
        if (key == "pid") in >> pid;
    return pid;
}

std::string pvmdPath() { return PVM_TEST_PVMD; }
std::string taskPath(const std::string& name) { return std::string(PVM_TEST_TASK_DIR) + "/" + name; }

bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds deadline) {
    auto end = std::chrono::steady_clock::now() + deadline;
    for (auto pause = std::chrono::milliseconds(1);; pause = std::min(pause * 2, std::chrono::milliseconds(50))) {
        if (condition()) return true;
        if (std::chrono::steady_clock::now() >= end) return false;
        std::this_thread::sleep_for(pause);
    }
}

int pidOfTask(int tid) {
    int count = 0;
    pvmtaskinfo* info = nullptr;
    if (pvm_tasks(tid, &count, &info) != 0 || count != 1) return 0;
    return info[0].ti_pid;
}

long residentKb(int pid) {
    std::istringstream status(readFile("/proc/" + std::to_string(pid) + "/status"));
    for (std::string line; std::getline(status, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    return 0;
}

bool processAlive(int pid) {
    if (pid <= 0 || kill(pid, 0) != 0) return false;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    std::getline(stat, text);
    auto close = text.rfind(')');
    return close == std::string::npos || close + 2 >= text.size() || text[close + 2] != 'Z';
}

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

int runCommand(const std::string& command, std::string* output) {
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    if (!p) return -1;
    std::string text;
    char chunk[4096];
    std::size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) text.append(chunk, n);
    int status = pclose(p);
    if (output) *output = text;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string runWithInput(const std::string& command, const std::string& input, int* status) {
    char path[] = "/tmp/pvmtest-input.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    bool written = write(fd, input.data(), input.size()) == static_cast<ssize_t>(input.size());
    close(fd);
    if (!written) throw std::runtime_error("cannot write the input file");
    std::string output;
    int code = runCommand(command + " < " + path, &output);
    unlink(path);
    if (status) *status = code;
    return output;
}

QuietErrors::QuietErrors() : saved(pvm_setopt(PvmAutoErr, 0)) {}
QuietErrors::~QuietErrors() { pvm_setopt(PvmAutoErr, saved); }

VirtualMachine::VirtualMachine(const std::string& options) {
    char pattern[] = "/tmp/pvmtest.XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    tmpDir_ = pattern;
    setenv("PVM_TMP", tmpDir_.c_str(), 1);
    std::string output;
    int status = runCommand(pvmdPath() + (options.empty() ? "" : " " + options), &output);
    if (status != 0) throw std::runtime_error("pvmd did not start: " + output);
    daemonPid_ = daemonPidIn(tmpDir_);
    if (daemonPid_ <= 0) throw std::runtime_error("pvmd started but wrote no address file");
}

void VirtualMachine::halt() {
    if (daemonPid_ <= 0) return;
    // pvm_halt spares the caller (this test process); a signal halts without a task.
    if (pvm_getopt(PvmAutoErr) >= 0) {
        int saved = pvm_setopt(PvmAutoErr, 0);
        if (pvm_halt() != 0) kill(daemonPid_, SIGTERM);
        pvm_setopt(PvmAutoErr, saved);
    }
    if (!waitFor([&] { return !processAlive(daemonPid_); }, std::chrono::seconds(10))) {
        kill(daemonPid_, SIGKILL);
        waitFor([&] { return !processAlive(daemonPid_); }, std::chrono::seconds(5));
    }
    daemonPid_ = 0;
}

VirtualMachine::~VirtualMachine() {
    halt();
    std::error_code ignored;
    std::filesystem::remove_all(tmpDir_, ignored);
}

std::string VirtualMachine::logText() const { return readFile(tmpDir_ + "/pvml." + std::to_string(getuid())); }

Stopped::Stopped(int pid) : pid(pid) { kill(pid, SIGSTOP); }
Stopped::~Stopped() { kill(pid, SIGCONT); }

}  // namespace pvm::test
