// virtual_machine.h - a real single-host virtual machine for one test: its own
// PVM_TMP, a real pvmd, and a guaranteed halt (no pvmd survives the test).
#pragma once

#include <chrono>
#include <cstdlib>
#include <functional>
#include <string>

namespace pvm::test {

/// VirtualMachine starts a pvmd in a fresh temporary PVM_TMP and halts it when destroyed,
/// even when the test failed. The test process itself becomes a task on first PVM call.
class VirtualMachine {
public:
    /// VirtualMachine starts pvmd with extra command-line options (e.g. "-S 500").
    explicit VirtualMachine(const std::string& options = "");
    ~VirtualMachine();
    VirtualMachine(const VirtualMachine&) = delete;
    VirtualMachine& operator=(const VirtualMachine&) = delete;

    const std::string& tmpDir() const { return tmpDir_; }
    int daemonPid() const { return daemonPid_; }
    /// logText is the daemon log's contents so far.
    std::string logText() const;
    /// halt stops the machine now (pvm_halt when enrolled, else SIGTERM) and waits for the
    /// daemon to be gone.
    void halt();

private:
    std::string tmpDir_;
    int daemonPid_ = 0;
};

/// daemonPidIn is the pid in the address file of the pvmd using PVM_TMP dir tmp, or 0.
int daemonPidIn(const std::string& tmp);
/// taskPath is the absolute path of a test task program built beside the tests.
std::string taskPath(const std::string& name = "test_task");
/// pvmdPath is the pvmd under test.
std::string pvmdPath();

/// waitFor polls condition until it holds or the deadline passes; true when it held.
bool waitFor(const std::function<bool()>& condition, std::chrono::milliseconds deadline = std::chrono::seconds(10));
/// pidOfTask is the pid pvm_tasks reports for task tid, or 0 when there is no such task.
int pidOfTask(int tid);
/// SmallQuarantine keeps AddressSanitizer (in a sanitizer build) from holding on to freed
/// memory: the messages a daemon passes on would otherwise count as growth.
struct SmallQuarantine {
    SmallQuarantine() : old(std::getenv("ASAN_OPTIONS") ? std::getenv("ASAN_OPTIONS") : "") {
        setenv("ASAN_OPTIONS", (old + (old.empty() ? "" : ":") + "quarantine_size_mb=1").c_str(), 1);
    }
    ~SmallQuarantine() { old.empty() ? unsetenv("ASAN_OPTIONS") : setenv("ASAN_OPTIONS", old.c_str(), 1); }
    std::string old;
};

/// residentKb is the resident memory of process pid (VmRSS), in kB; 0 when it cannot be read.
long residentKb(int pid);
/// processAlive is true while pid exists and is not a zombie.
bool processAlive(int pid);
/// readFile returns a file's contents, or "" when it cannot be read.
std::string readFile(const std::string& path);
/// runCommand runs a shell command and returns its exit status; output goes to *output.
int runCommand(const std::string& command, std::string* output = nullptr);
/// runWithInput runs command with input on its standard input; output and errors together.
std::string runWithInput(const std::string& command, const std::string& input, int* status = nullptr);

/// Stopped keeps a process stopped (SIGSTOP) and lets it go on (SIGCONT) at the end of its
/// scope, even when the test fails meanwhile.
struct Stopped {
    explicit Stopped(int pid);
    ~Stopped();
    Stopped(const Stopped&) = delete;
    Stopped& operator=(const Stopped&) = delete;
    int pid;
};

/// QuietErrors keeps PvmAutoErr from printing the errors a test expects, for its scope.
struct QuietErrors {
    QuietErrors();
    ~QuietErrors();
    int saved;
};

}  // namespace pvm::test
