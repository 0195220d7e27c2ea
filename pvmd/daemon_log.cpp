// daemon_log.cpp - the pvmd log file.
#include "daemon_log.h"

#include <ctime>
#include <fcntl.h>
#include <unistd.h>

#include "tid.h"

namespace pvm {

bool DaemonLog::open(const std::string& path) {
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    return fd_ >= 0;
}

DaemonLog::~DaemonLog() {
    if (fd_ >= 0) close(fd_);
}

void DaemonLog::append(const std::string& text) {
    if (fd_ < 0) return;
    ssize_t ignored = ::write(fd_, text.data(), text.size());
    (void)ignored;
}

void DaemonLog::write(const std::string& line) {
    char stamp[32];
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
    append(std::string(stamp) + " pvmd: " + line + "\n");
}

void DaemonLog::dropped(const std::string& line) {
    ++dropped_;
    if (dropped_ <= kDroppedInFull)
        write(line);
    else if (dropped_ % kDroppedEvery == 0)
        write(std::to_string(dropped_) + " messages or packets dropped so far; the last: " + line);
}

void DaemonLog::taskOutput(int tid, const std::string& line) { append("[" + formatTid(tid) + "] " + line + "\n"); }

}  // namespace pvm
