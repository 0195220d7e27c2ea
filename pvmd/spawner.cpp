// spawner.cpp - fork/exec of tasks.
#include "spawner.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
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

StartedProcess startProcess(const std::string& path, const std::vector<std::string>& args,
                            const std::vector<std::string>& env, const std::string& workDir) {
    // Everything the child needs is built before fork: after it, only async-signal-safe calls.
    std::vector<std::string> argvStore{path};
    argvStore.insert(argvStore.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argvStore) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::vector<std::string> envStore;
    for (char** e = environ; *e; ++e) {
        std::string entry = *e;
        std::string name = entry.substr(0, entry.find('='));
        bool overridden = false;
        for (const auto& o : env)
            if (o.compare(0, name.size() + 1, name + "=") == 0) overridden = true;
        if (!overridden) envStore.push_back(entry);
    }
    envStore.insert(envStore.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (auto& e : envStore) envp.push_back(e.data());
    envp.push_back(nullptr);

    int output[2], status[2];
    if (pipe2(output, O_CLOEXEC) != 0) throw Error(PvmOutOfRes, std::string("pipe: ") + std::strerror(errno));
    if (pipe2(status, O_CLOEXEC) != 0) {
        close(output[0]);
        close(output[1]);
        throw Error(PvmOutOfRes, std::string("pipe: ") + std::strerror(errno));
    }
    pid_t pid = fork();
    if (pid < 0) {
        for (int fd : {output[0], output[1], status[0], status[1]}) close(fd);
        throw Error(PvmOutOfRes, std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        dup2(output[1], 1);
        dup2(output[1], 2);
        signal(SIGPIPE, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        int err = 0;
        if (chdir(workDir.c_str()) != 0) err = errno;
        if (!err) {
            execve(path.c_str(), argv.data(), envp.data());
            err = errno;
        }
        ssize_t ignored = write(status[1], &err, sizeof err);
        (void)ignored;
        _exit(127);
    }
    close(output[1]);
    close(status[1]);
    int err = 0;
    ssize_t n;
    do n = read(status[0], &err, sizeof err);
    while (n < 0 && errno == EINTR);
    close(status[0]);
    if (n > 0) {
        close(output[0]);
        waitpid(pid, nullptr, 0);
        throw Error(err == ENOMEM ? PvmNoMem : PvmNoFile, path + ": " + std::strerror(err));
    }
    fcntl(output[0], F_SETFL, fcntl(output[0], F_GETFL) | O_NONBLOCK);
    StartedProcess started;
    started.pid = pid;
    started.pidfd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    started.outputFd = output[0];
    return started;
}

}  // namespace pvm
