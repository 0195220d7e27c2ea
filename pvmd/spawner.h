// spawner.h - finding a task's executable and starting it.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pvm {

/// findExecutable resolves file as PVM does: an absolute path as is; a path with a '/'
/// relative to workDir; else in each directory of searchPath (the hostfile's ep=, ':'
/// separated, $PVM_ARCH, $PVM_ROOT and $HOME expanded), or when that is empty in
/// $PVM_ROOT/bin/$PVM_ARCH, then $HOME/pvm3/bin/$PVM_ARCH.
std::optional<std::string> findExecutable(const std::string& file, const std::string& workDir,
                                          const std::string& searchPath = "");

/// ownExecutable is the path of the running pvmd ("pvmd" when /proc cannot tell).
std::string ownExecutable();

/// ExecArguments are a program's argv and environment (the daemon's, with additions
/// "NAME=value" overriding) as execve takes them, made before the process starts: the child
/// of a process with threads must not allocate.
class ExecArguments {
public:
    ExecArguments(std::vector<std::string> args, const std::vector<std::string>& additions);
    ExecArguments(const ExecArguments&) = delete;
    ExecArguments& operator=(const ExecArguments&) = delete;
    char* const* argv() const noexcept { return argv_.data(); }
    char* const* envp() const noexcept { return envp_.data(); }

private:
    std::vector<std::string> args_, env_;
    std::vector<char*> argv_, envp_;
};

/// StartedProcess is a running task process.
struct StartedProcess {
    int pid = -1;
    int pidfd = -1;     // readable when the process exits
    int outputFd = -1;  // read end of the task's stdout and stderr
};

/// startProcess starts path with args (argv[0] is path), the daemon's environment
/// plus env (NAME=value, overriding), in workDir; the process gets SIGKILL when the daemon
/// ends. Throws Error(PvmNoFile) when the program cannot be run,
/// Error(PvmOutOfRes) when a pipe cannot be made, Error(PvmNoMem) when no process can.
StartedProcess startProcess(const std::string& path, const std::vector<std::string>& args,
                            const std::vector<std::string>& env, const std::string& workDir);

}  // namespace pvm
