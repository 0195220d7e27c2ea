// wake_fifo.cpp - making, draining and poking wake FIFOs.
#include "wake_fifo.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "paths.h"
#include "pvm3.h"

namespace pvm {

namespace {
/// removeStaleFifos unlinks the FIFOs in dir whose process has ended (a task that was
/// killed could not remove its own).
void removeStaleFifos(const std::string& dir) {
    DIR* d = opendir(dir.c_str());
    if (!d) return;
    while (dirent* e = readdir(d)) {
        unsigned tid = 0;
        int pid = 0, end = 0;
        if (std::sscanf(e->d_name, "task.%x.%d.wake%n", &tid, &pid, &end) != 2 || e->d_name[end] != '\0') continue;
        if (pid > 0 && kill(pid, 0) != 0 && errno == ESRCH) unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
}
}  // namespace

std::string wakeFifoPath(int tid, int pid) {
    char name[64];
    std::snprintf(name, sizeof name, "/task.%x.%d.wake", static_cast<unsigned>(tid), pid);
    return userDir() + name;
}

WakeFifo::WakeFifo(int tid) : path_(wakeFifoPath(tid, getpid())) {
    std::string dir = ensureUserDir();
    removeStaleFifos(dir);
    ::unlink(path_.c_str());  // ours from an earlier enrolment under the same tid
    if (mkfifo(path_.c_str(), 0600) != 0) throw Error(PvmSysErr, "cannot make " + path_ + ": " + std::strerror(errno));
    // O_RDWR: opening never blocks, and the FIFO always has a reader, so no writer gets SIGPIPE.
    fd_ = open(path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd_ < 0) {
        std::string why = std::strerror(errno);
        ::unlink(path_.c_str());
        throw Error(PvmSysErr, "cannot open " + path_ + ": " + why);
    }
}

WakeFifo::~WakeFifo() {
    close(fd_);
    ::unlink(path_.c_str());
}

void WakeFifo::drain() noexcept {
    char bytes[256];
    while (read(fd_, bytes, sizeof bytes) == static_cast<ssize_t>(sizeof bytes)) {
    }
}

void WakeFifo::poke() noexcept {
    char byte = 1;
    while (write(fd_, &byte, 1) < 0 && errno == EINTR) {
    }
}

WakeTarget::~WakeTarget() {
    if (fd_ >= 0) close(fd_);
}

void WakeTarget::wake() noexcept {
    if (fd_ < 0) {
        // O_RDWR, not O_WRONLY: a writer of a FIFO whose owner died would get SIGPIPE.
        fd_ = open(path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
        if (fd_ < 0) return;
    }
    char byte = 1;
    while (write(fd_, &byte, 1) < 0 && errno == EINTR) {
    }
}

}  // namespace pvm
