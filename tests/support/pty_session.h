// pty_session.h - runs a program on a pseudo-terminal, as a user at a terminal
// would: keys typed in, screen output read back with deadlines (no sleeps).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace pvm::test {

/// PtySession starts argv on a new pseudo-terminal with extra environment settings
/// ("NAME=value"); the program is killed when the session ends, if still running.
class PtySession {
public:
    PtySession(const std::vector<std::string>& argv, const std::vector<std::string>& environment);
    ~PtySession();
    PtySession(const PtySession&) = delete;
    PtySession& operator=(const PtySession&) = delete;

    /// type sends keys as if typed ("\t" is Tab, "\r" Enter, "\x1b[A" the up arrow).
    void type(const std::string& keys);
    /// expect reads until text shows up after the previous match; false at the deadline.
    bool expect(const std::string& text, std::chrono::milliseconds deadline = std::chrono::seconds(10));
    /// waitExit waits for the program to end; its exit status, or -1 at the deadline.
    int waitExit(std::chrono::milliseconds deadline = std::chrono::seconds(10));
    /// output is everything the program wrote so far.
    const std::string& output() const { return output_; }

private:
    bool readSome(int timeoutMs);

    int master_ = -1;
    int pid_ = 0;
    std::string output_;
    std::size_t matched_ = 0;  // expect looks from here on
};

}  // namespace pvm::test
