// ring_names.cpp - making, reading and sweeping the names of direct-route rings.
#include "ring_names.h"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <dirent.h>
#include <random>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

namespace pvm {

bool processGone(int pid) noexcept { return kill(pid, 0) != 0 && errno == ESRCH; }

std::string ringName(int writerTid, int readerTid, int writerPid, int readerPid) {
    unsigned long long nonce = 0;
    if (getrandom(&nonce, sizeof nonce, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof nonce)) {
        std::random_device device;
        nonce = (static_cast<unsigned long long>(device()) << 32) ^ device();
    }
    char name[128];
    std::snprintf(name, sizeof name, "/pvm.%u.%x.%x.%d.%d.%016llx", static_cast<unsigned>(getuid()),
                  static_cast<unsigned>(writerTid), static_cast<unsigned>(readerTid), writerPid, readerPid, nonce);
    return name;
}

std::optional<RingParts> parseRingName(const std::string& name) {
    RingParts parts;
    unsigned writer = 0, reader = 0;
    unsigned long long nonce = 0;
    int end = 0;
    if (std::sscanf(name.c_str(), "pvm.%u.%x.%x.%d.%d.%llx%n", &parts.uid, &writer, &reader, &parts.writerPid,
                    &parts.readerPid, &nonce, &end) != 6 ||
        static_cast<std::size_t>(end) != name.size())
        return std::nullopt;
    parts.writerTid = static_cast<int>(writer);
    parts.readerTid = static_cast<int>(reader);
    return parts;
}

void removeStaleRings() noexcept {
    DIR* d = opendir("/dev/shm");
    if (!d) return;
    unsigned uid = static_cast<unsigned>(getuid());
    while (dirent* e = readdir(d)) {
        auto parts = parseRingName(e->d_name);
        if (parts && parts->uid == uid && processGone(parts->writerPid) && processGone(parts->readerPid))
            shm_unlink((std::string("/") + e->d_name).c_str());
    }
    closedir(d);
}

}  // namespace pvm
