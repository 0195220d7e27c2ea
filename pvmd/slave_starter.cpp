// slave_starter.cpp - rsh/ssh start-up of slave daemons.
#include "slave_starter.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "errors.h"
#include "pvm3.h"
#include "process_control.h"
#include "spawner.h"
#include "vm_keys.h"

namespace pvm {

namespace {
void removeFiles(const std::vector<std::string>& paths) {
    for (const auto& path : paths) {
        // A reader still blocked on a FIFO (an askpass left by a killed ssh) gets end of file.
        struct stat st {};
        if (stat(path.c_str(), &st) == 0 && S_ISFIFO(st.st_mode))
            if (int fd = open(path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC); fd >= 0) close(fd);
        unlink(path.c_str());
    }
}
}  // namespace

SlaveStarter::~SlaveStarter() {
    for (int pid : reapLater_) waitpid(pid, nullptr, WNOHANG);
    for (auto& [fd, launch] : launches_) {
        if (launch.pid > 0) {
            processes_.signal(launch.pid, SIGKILL);
            waitpid(launch.pid, nullptr, 0);
        }
        close(fd);
        if (launch.holdFd >= 0) close(launch.holdFd);
        removeFiles(launch.cleanup);
    }
}

void SlaveStarter::awaitAnswer(int hostNumber, const std::string& fifoPath, std::chrono::milliseconds timeout) {
    unlink(fifoPath.c_str());  // left by a daemon that crashed
    if (mkfifo(fifoPath.c_str(), 0600) != 0)
        throw Error(PvmSysErr, "cannot make " + fifoPath + ": " + std::strerror(errno));
    int fd = open(fifoPath.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    int hold = fd < 0 ? -1 : open(fifoPath.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (hold < 0) {
        if (fd >= 0) close(fd);
        unlink(fifoPath.c_str());
        throw Error(PvmSysErr, "cannot open " + fifoPath + ": " + std::strerror(errno));
    }
    launches_[fd] = Launch{hostNumber, 0, {}, std::chrono::steady_clock::now() + timeout, timeout, hold, {fifoPath}};
}

void SlaveStarter::start(int hostNumber, const std::vector<std::string>& command, const std::string& input,
                         const std::vector<std::string>& environment, std::chrono::milliseconds timeout,
                         std::vector<std::string> cleanup) {
    ExecArguments exec(command, environment);
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0) throw Error(PvmOutOfRes, "pipe");
    if (pipe2(out, O_CLOEXEC) != 0) {
        close(in[0]);
        close(in[1]);
        throw Error(PvmOutOfRes, "pipe");
    }
    int err = 0;
    pid_t pid = processes_.startCommand(exec, in[0], out[1], &err);
    if (err != 0) {
        for (int fd : {in[0], in[1], out[0], out[1]}) close(fd);
        removeFiles(cleanup);
        throw Error(err == ENOMEM || err == EAGAIN ? PvmOutOfRes : PvmCantStart,
                    command.front() + ": " + std::strerror(err));
    }
    close(in[0]);
    close(out[1]);
    // The input is a line or two: it fits the pipe buffer, so this never blocks.
    ssize_t ignored = write(in[1], input.data(), input.size());
    (void)ignored;
    close(in[1]);
    fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);
    auto limit = timeout.count() > 0 ? timeout : timeout_;
    launches_[out[0]] =
        Launch{hostNumber, pid, {}, std::chrono::steady_clock::now() + limit, limit, -1, std::move(cleanup)};
}

std::vector<int> SlaveStarter::fds() const {
    std::vector<int> out;
    for (const auto& [fd, launch] : launches_) out.push_back(fd);
    return out;
}

std::optional<SlaveResult> SlaveStarter::onReadable(int fd) {
    auto it = launches_.find(fd);
    if (it == launches_.end()) return std::nullopt;
    char chunk[4096];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n > 0) {
            it->second.output.append(chunk, static_cast<std::size_t>(n));
            if (it->second.output.find(std::string(kSlaveReady)) != std::string::npos &&
                it->second.output.find('\n', it->second.output.find(kSlaveReady)) != std::string::npos)
                return finish(fd, false);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return std::nullopt;
        return finish(fd, false);  // end of output without the ready line
    }
}

std::vector<SlaveResult> SlaveStarter::expire() {
    std::erase_if(reapLater_, [](int pid) { return waitpid(pid, nullptr, WNOHANG) != 0; });
    std::vector<SlaveResult> done;
    auto now = std::chrono::steady_clock::now();
    std::vector<int> late;
    for (const auto& [fd, launch] : launches_)
        if (launch.deadline <= now) late.push_back(fd);
    for (int fd : late) done.push_back(finish(fd, true));
    return done;
}

int SlaveStarter::msUntilDeadline() const {
    if (launches_.empty()) return -1;
    auto next = launches_.begin()->second.deadline;
    for (const auto& [fd, launch] : launches_) next = std::min(next, launch.deadline);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(next - std::chrono::steady_clock::now());
    return left.count() < 0 ? 0 : static_cast<int>(left.count()) + 1;
}

SlaveResult SlaveStarter::finish(int fd, bool timedOut) {
    Launch launch = launches_.at(fd);
    launches_.erase(fd);
    close(fd);
    if (launch.holdFd >= 0) close(launch.holdFd);
    removeFiles(launch.cleanup);
    SlaveResult result;
    result.hostNumber = launch.hostNumber;
    std::size_t at = launch.output.find(kSlaveReady);
    if (!timedOut && at != std::string::npos) {
        std::istringstream line(launch.output.substr(at + std::strlen(kSlaveReady)));
        line >> result.port >> result.arch >> result.speed >> result.publicKey;
        if (result.port > 0 && !result.arch.empty() && isPublicKey(result.publicKey)) {
            // The start-up command ends once the slave has detached; reap it when it has.
            if (launch.pid > 0 && waitpid(launch.pid, nullptr, WNOHANG) == 0) reapLater_.push_back(launch.pid);
            return result;
        }
    }
    if (launch.pid > 0) {
        processes_.signal(launch.pid, SIGKILL);
        waitpid(launch.pid, nullptr, 0);
    }
    std::string said = launch.output;
    while (!said.empty() && (said.back() == '\n' || said.back() == '\r')) said.pop_back();
    result.error = said.find("Could not resolve hostname") != std::string::npos ||
                           said.find("Name or service not known") != std::string::npos
                       ? PvmNoHost
                       : PvmCantStart;
    result.message = timedOut ? "no answer within " + std::to_string(launch.limit.count()) + " ms" +
                                    (said.empty() ? std::string() : " (it said: " + said + ")")
                              : (said.empty() ? "start-up command ended without a word" : said);
    return result;
}

}  // namespace pvm
