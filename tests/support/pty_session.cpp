// pty_session.cpp - forkpty and a read loop with deadlines.
#include "pty_session.h"

#include <csignal>
#include <cstdlib>
#include <poll.h>
#include <pty.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace pvm::test {

PtySession::PtySession(const std::vector<std::string>& argv, const std::vector<std::string>& environment) {
    std::vector<std::string> args = argv, env = environment;
    std::vector<char*> cargv;
    for (auto& a : args) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    winsize size{};
    size.ws_row = 40;
    size.ws_col = 120;
    pid_ = forkpty(&master_, nullptr, nullptr, &size);
    if (pid_ < 0) throw std::runtime_error("forkpty failed");
    if (pid_ == 0) {
        for (auto& e : env) putenv(e.data());
        execv(cargv[0], cargv.data());
        _exit(127);
    }
}

PtySession::~PtySession() {
    if (pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) close(master_);
}

void PtySession::type(const std::string& keys) {
    std::size_t done = 0;
    while (done < keys.size()) {
        ssize_t n = write(master_, keys.data() + done, keys.size() - done);
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

bool PtySession::readSome(int timeoutMs) {
    pollfd p{master_, POLLIN, 0};
    if (poll(&p, 1, timeoutMs) <= 0) return false;
    char chunk[4096];
    ssize_t n = read(master_, chunk, sizeof chunk);
    if (n <= 0) return false;  // EIO once the program has ended
    output_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

bool PtySession::expect(const std::string& text, std::chrono::milliseconds deadline) {
    auto end = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        std::size_t at = output_.find(text, matched_);
        if (at != std::string::npos) {
            matched_ = at + text.size();
            return true;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        if (left.count() <= 0) return false;
        if (!readSome(static_cast<int>(left.count())) && waitpid(pid_, nullptr, WNOHANG) != 0) return false;
    }
}

int PtySession::waitExit(std::chrono::milliseconds deadline) {
    auto end = std::chrono::steady_clock::now() + deadline;
    for (;;) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = 0;
            while (readSome(0)) {
            }
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        if (left.count() <= 0) return -1;
        // Reading keeps the pty from filling up; the child's exit shows as EIO.
        if (!readSome(static_cast<int>(std::min<long>(left.count(), 100)))) continue;
    }
}

}  // namespace pvm::test
