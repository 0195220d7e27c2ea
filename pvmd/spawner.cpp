// spawner.cpp - finding and starting the programs of tasks.
#include "spawner.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <string_view>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>

#include "errors.h"
#include "paths.h"
#include "pvm3.h"

extern char** environ;

namespace pvm {

namespace {
bool isExecutableFile(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

std::string envOr(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}
}  // namespace

namespace {
std::string expandPathVariables(std::string dir) {
    if (!dir.empty() && dir[0] == '~') dir = envOr("HOME", "/") + dir.substr(1);
    const std::pair<const char*, std::string> vars[] = {{"$PVM_ARCH", envOr("PVM_ARCH", archName())},
                                                        {"$PVM_ROOT", envOr("PVM_ROOT", "")},
                                                        {"$HOME", envOr("HOME", "/")}};
    for (const auto& [name, value] : vars)
        for (std::size_t at; (at = dir.find(name)) != std::string::npos;) dir.replace(at, std::strlen(name), value);
    // A relative ep= entry is relative to $HOME, as PVM has it.
    if (!dir.empty() && dir[0] != '/') dir = envOr("HOME", "/") + "/" + dir;
    return dir;
}
}  // namespace

std::optional<std::string> findExecutable(const std::string& file, const std::string& workDir,
                                          const std::string& searchPath) {
    if (file.empty()) return std::nullopt;
    if (file[0] == '/') return isExecutableFile(file) ? std::optional(file) : std::nullopt;
    if (file.find('/') != std::string::npos) {
        std::string path = workDir + "/" + file;
        return isExecutableFile(path) ? std::optional(path) : std::nullopt;
    }
    std::string arch = envOr("PVM_ARCH", archName());
    std::vector<std::string> dirs;
    for (std::size_t start = 0; start < searchPath.size();) {
        std::size_t end = searchPath.find(':', start);
        if (end == std::string::npos) end = searchPath.size();
        if (end > start) dirs.push_back(expandPathVariables(searchPath.substr(start, end - start)));
        start = end + 1;
    }
    if (dirs.empty()) {
        if (const char* root = std::getenv("PVM_ROOT"); root && *root)
            dirs.push_back(std::string(root) + "/bin/" + arch);
        dirs.push_back(envOr("HOME", "/") + "/pvm3/bin/" + arch);
    }
    for (const auto& dir : dirs)
        if (isExecutableFile(dir + "/" + file)) return dir + "/" + file;
    return std::nullopt;
}

std::string ownExecutable() {
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return "pvmd";
    path[n] = '\0';
    return path;
}

ExecArguments::ExecArguments(std::vector<std::string> args, const std::vector<std::string>& additions)
    : args_(std::move(args)) {
    for (char** e = environ; *e; ++e) {
        std::string_view entry = *e;
        std::string_view name = entry.substr(0, entry.find('='));
        bool overridden = false;
        for (const auto& a : additions)
            if (a.size() > name.size() && a.compare(0, name.size(), name) == 0 && a[name.size()] == '=')
                overridden = true;
        if (!overridden) env_.emplace_back(entry);
    }
    env_.insert(env_.end(), additions.begin(), additions.end());
    for (auto& a : args_) argv_.push_back(a.data());
    argv_.push_back(nullptr);
    for (auto& e : env_) envp_.push_back(e.data());
    envp_.push_back(nullptr);
}

namespace {
/// ChildSetup is what the child of spawnChild does before it runs the program; error is its
/// errno when it could not.
struct ChildSetup {
    const char* path;
    char* const* argv;
    char* const* envp;
    const char* workDir;
    int outputFd;
    int error;
    int reportFd = -1;  // where a forked child writes error (the ThreadSanitizer build)
};

/// KernelSigaction is the kernel's struct sigaction on Linux x86-64 and AArch64, for
/// rt_sigaction called directly.
struct KernelSigaction {
    void (*handler)(int);
    unsigned long flags;
    void (*restorer)();
    unsigned long mask;
};

/// childMain runs in the child on the daemon's memory until execve, like posix_spawn's.
/// It makes raw system calls only: no libc wrapper that a sanitizer intercepts, and no
/// sanitizer bookkeeping, may run on this borrowed stack over the daemon's memory.
__attribute__((no_sanitize("address", "thread", "undefined"))) int childMain(void* arg) {
    auto* setup = static_cast<ChildSetup*>(arg);
    // A raw system call that fails returns -1 and leaves its error in errno, as libc's do.
    auto fail = [&] {
        setup->error = errno;
        if (setup->reportFd >= 0) syscall(SYS_write, setup->reportFd, &setup->error, sizeof setup->error);
        syscall(SYS_exit, 127);
    };
    // The task dies with its daemon, even when the daemon is killed with SIGKILL and cannot
    // end it: the rest of the machine counts the host's tasks as exited from then on.
    if (syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) fail();
    KernelSigaction defaults{SIG_DFL, 0, nullptr, 0};
    syscall(SYS_rt_sigaction, SIGPIPE, &defaults, nullptr, sizeof(unsigned long));  // ignored in the daemon
    long input = syscall(SYS_openat, AT_FDCWD, "/dev/null", O_RDONLY);
    if (input < 0) fail();
    for (int target : {0, 1, 2})
        if (syscall(SYS_dup3, target == 0 ? input : setup->outputFd, target, 0) < 0) fail();
    if (input > 2) syscall(SYS_close, input);
    if (syscall(SYS_chdir, setup->workDir) != 0) fail();
    unsigned long none = 0;
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, nullptr, sizeof none);
    syscall(SYS_execve, setup->path, setup->argv, setup->envp);
    fail();
    return 127;
}

/// spawnChild starts childMain(setup) as posix_spawn does (the child borrows the daemon's
/// memory and the daemon waits until it has run the program or failed), and adds what
/// posix_spawn cannot: the child's death signal. Returns the pid, or -1 with errno.
pid_t spawnChild(ChildSetup& setup) {
#if defined(__SANITIZE_THREAD__)
    // ThreadSanitizer intercepts clone and runs its after-fork bookkeeping in the child, on
    // memory the child would share with us: the daemon then hangs. Under it, fork; the child
    // reports a failure through a pipe that a successful exec closes.
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return -1;
    setup.reportFd = report[1];
    pid_t pid = fork();
    if (pid == 0) childMain(&setup);  // execs, or exits
    close(report[1]);
    if (pid > 0 && read(report[0], &setup.error, sizeof setup.error) != sizeof setup.error) setup.error = 0;
    close(report[0]);
    return pid;
#else
    constexpr std::size_t kStack = 64 * 1024;
    void* stack = mmap(nullptr, kStack, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) return -1;
    // No signal handler of the daemon may run in the child before the exec.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = clone(childMain, static_cast<char*>(stack) + kStack, CLONE_VM | CLONE_VFORK | SIGCHLD, &setup);
    int cloneError = errno;
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    munmap(stack, kStack);
    errno = cloneError;
    return pid;
#endif
}
}  // namespace

StartedProcess startProcess(const std::string& path, const std::vector<std::string>& args,
                            const std::vector<std::string>& env, const std::string& workDir) {
    std::vector<std::string> command{path};
    command.insert(command.end(), args.begin(), args.end());
    ExecArguments exec(std::move(command), env);

    int output[2];
    if (pipe2(output, O_CLOEXEC) != 0) throw Error(PvmOutOfRes, std::string("pipe: ") + std::strerror(errno));
    ChildSetup setup{path.c_str(), exec.argv(), exec.envp(), workDir.c_str(), output[1], 0};
    pid_t pid = spawnChild(setup);
    close(output[1]);
    if (pid < 0 || setup.error != 0) {
        int err = pid < 0 ? errno : setup.error;
        if (pid > 0) waitpid(pid, nullptr, 0);  // it never ran the program
        close(output[0]);
        throw Error(err == ENOMEM || err == EAGAIN ? PvmNoMem : PvmNoFile, path + ": " + std::strerror(err));
    }
    fcntl(output[0], F_SETFL, fcntl(output[0], F_GETFL) | O_NONBLOCK);
    StartedProcess started;
    started.pid = pid;
    started.pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    started.outputFd = output[0];
    return started;
}

}  // namespace pvm
