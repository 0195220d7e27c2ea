// process_control.cpp - the real processes behind ProcessControl.
#include "process_control.h"

#include <csignal>
#include <spawn.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace pvm {

namespace {
class SystemProcesses final : public ProcessControl {
public:
    StartedProcess startTask(const std::string& path, const std::vector<std::string>& args,
                             const std::vector<std::string>& env, const std::string& workDir) override {
        return startProcess(path, args, env, workDir);
    }

    int startCommand(const ExecArguments& exec, int inFd, int outFd, int* error) override {
        // posix_spawnp: nothing runs in a forked copy of this threaded process before the exec.
        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attributes;
        posix_spawn_file_actions_init(&actions);
        posix_spawnattr_init(&attributes);
        posix_spawn_file_actions_adddup2(&actions, inFd, 0);
        posix_spawn_file_actions_adddup2(&actions, outFd, 1);
        posix_spawn_file_actions_adddup2(&actions, outFd, 2);
        sigset_t none, defaults;
        sigemptyset(&none);
        sigemptyset(&defaults);
        sigaddset(&defaults, SIGPIPE);  // ignored in the daemon
        posix_spawnattr_setsigmask(&attributes, &none);
        posix_spawnattr_setsigdefault(&attributes, &defaults);
        posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        pid_t pid = 0;
        *error = posix_spawnp(&pid, exec.argv()[0], &actions, &attributes, exec.argv(), exec.envp());
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attributes);
        return *error == 0 ? pid : 0;
    }

    int signal(int pid, int number) override { return kill(pid, number); }

    int watch(int pid) override { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }
};
}  // namespace

ProcessControl& systemProcesses() {
    static SystemProcesses processes;
    return processes;
}

}  // namespace pvm
