// spawner.cpp - finding and starting the programs of tasks.
#include "spawner.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/syscall.h>
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

    int output[2];
    if (pipe2(output, O_CLOEXEC) != 0) throw Error(PvmOutOfRes, std::string("pipe: ") + std::strerror(errno));
    // posix_spawn shares the daemon's memory until the exec (no page tables to copy, which
    // made fork cost more as the daemon grew), and reports a failed chdir or exec itself.
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, output[1], 1);
    posix_spawn_file_actions_adddup2(&actions, output[1], 2);
    posix_spawn_file_actions_addchdir_np(&actions, workDir.c_str());
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);  // ignored in the daemon; a task gets the default
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    int err = posix_spawn(&pid, path.c_str(), &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    close(output[1]);
    if (err != 0) {
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
