// rings.h - what the system tests look at around the shared-memory rings: the rings
// this process has mapped, the ring objects and wake FIFOs on disk, and small helpers
// for the tasks that talk over them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ring_names.h"
#include "virtual_machine.h"

namespace pvm::test {

/// Route sets this task's PvmRoute for one test and puts the default back.
struct Route {
    explicit Route(int value);
    ~Route();
};

/// RingName is what a ring's name says, for this user's rings only.
using RingName = pvm::RingParts;

/// MappedRing is a ring this process has mapped, and the bytes of the mapping.
struct MappedRing : RingName {
    std::size_t bytes = 0;
};

/// mappedRings lists the rings this process has mapped (/proc/self/maps).
std::vector<MappedRing> mappedRings();
/// mappedRingBytes is the size of this process's mapping of the ring writer -> reader, or 0.
std::size_t mappedRingBytes(int writer, int reader);
bool hasMappedRing(int writer, int reader);
/// shmRingsOf lists the ring objects in /dev/shm that process pid writes or reads.
std::vector<std::string> shmRingsOf(int pid);
/// wakeFifos lists the wake FIFOs in the machine's user directory (of process pid, or all).
std::vector<std::string> wakeFifos(const VirtualMachine& vm, int pid = 0);

/// spawnTask starts one test_task with args and returns its tid.
int spawnTask(std::vector<const char*> args);
/// pidOf is the pid of task tid, which must exist.
int pidOf(int tid);
/// stop sends tid the tag 99 that ends the test tasks' loops.
void stop(int tid);
/// receiveStream receives n numbered messages (tag 2) from tid and checks their order.
void receiveStream(int tid, int n);
/// roundTrips sends n numbered messages of bytes bytes to echo and checks each answer in turn.
void roundTrips(int echo, int n, int bytes = 4);

}  // namespace pvm::test
