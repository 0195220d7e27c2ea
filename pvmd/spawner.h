// spawner.h - finding a task's executable and starting it with fork/exec.
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

/// StartedProcess is a running task process.
struct StartedProcess {
    int pid = -1;
    int pidfd = -1;     // readable when the process exits
    int outputFd = -1;  // read end of the task's stdout and stderr
};

/// startProcess forks and execs path with args (argv[0] is path), the daemon's environment
/// plus env (NAME=value, overriding), in workDir. Throws Error(PvmNoFile) when exec fails,
/// Error(PvmOutOfRes) when fork or pipe fail.
StartedProcess startProcess(const std::string& path, const std::vector<std::string>& args,
                            const std::vector<std::string>& env, const std::string& workDir);

}  // namespace pvm
