// ring_names.h - the names of the direct route's shared-memory rings, which both
// sides of a ring and the daemon read: a task makes and removes its rings, and the
// daemon removes those that two ended processes left behind.
#pragma once

#include <optional>
#include <string>

namespace pvm {

/// RingParts is what a ring's name says: "/pvm.<uid>.<writer tid>.<reader tid>.<writer
/// pid>.<reader pid>.<nonce>" (tids in hex).
struct RingParts {
    unsigned uid = 0;
    int writerTid = 0, readerTid = 0;
    int writerPid = 0, readerPid = 0;
};

/// ringName names a new ring of this user, with a random nonce.
std::string ringName(int writerTid, int readerTid, int writerPid, int readerPid);
/// parseRingName reads a name as /dev/shm lists it (no leading '/'); nullopt for others.
std::optional<RingParts> parseRingName(const std::string& name);
/// processGone is true when no process pid exists any more (a zombie still exists).
bool processGone(int pid) noexcept;
/// removeStaleRings unlinks the rings of this user whose writer and reader have both ended
/// without removing them (a reader killed before it mapped the ring, say).
void removeStaleRings() noexcept;

}  // namespace pvm
