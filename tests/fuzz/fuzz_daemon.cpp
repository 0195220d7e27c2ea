// fuzz_daemon.cpp - the daemon's handlers behind the decoders: a master pvmd in memory
// (Daemon::startInMemory) with two enrolled tasks, fed messages from those tasks and from
// a peer daemon (host 2). Processes are played by a stand-in: nothing is started or
// signalled, whatever the input asks for (spawn, kill, halt, addhosts).
//
// Input: records of [who][frames][per frame: 16-bit little-endian length, bytes], where
// who % 4 is task A, task B, the peer, or "let the loop start what is queued" (no frames),
// and frames % 3 + 1 is the number of frames (a packet, then body frames).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

#include "daemon.h"
#include "stand_in_processes.h"
#include "wire.h"

namespace {
std::string enroll(pvm::Daemon& daemon, const char* name) {
    std::string route = daemon.attachTask(getpid());
    capnp::MallocMessageBuilder builder;
    auto request = builder.initRoot<pvm::wire::Packet>().initRequest();
    auto e = request.initEnroll();
    e.setName(name);
    e.setProtocolVersion(pvm::kProtocolVersion);
    std::vector<pvm::Frame> frames;
    frames.push_back(pvm::toFrame(builder));
    daemon.fromTask(route, std::move(frames));
    daemon.toTask(route);
    return route;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // Whatever the daemon writes (FIFOs of manual starts) goes to a directory of its own.
    static char dir[] = "/tmp/pvm-fuzz-daemon.XXXXXX";
    if (!mkdtemp(dir)) return 0;
    setenv("PVM_TMP", dir, 1);
    std::atexit([] {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pvm::test::StandInProcesses processes;
    pvm::Daemon daemon(pvm::DaemonOptions{}, processes);
    daemon.startInMemory();
    std::string tasks[2] = {enroll(daemon, "a"), enroll(daemon, "b")};
    std::size_t at = 0;
    while (at + 2 <= size && daemon.running()) {
        int who = data[at] % 4, count = data[at + 1] % 3 + 1;
        at += 2;
        if (who == 3) {
            daemon.settle();
            continue;
        }
        std::vector<pvm::Frame> frames;
        for (int i = 0; i < count && at + 2 <= size; ++i) {
            std::size_t length = data[at] | std::size_t{data[at + 1]} << 8;
            at += 2;
            if (length > size - at) length = size - at;
            frames.emplace_back(data + at, length);
            at += length;
        }
        if (who == 2)
            daemon.fromPeer(2, std::move(frames));
        else
            daemon.fromTask(tasks[who], std::move(frames));
        for (const std::string& route : tasks) daemon.toTask(route);  // what a task would read
    }
    return 0;
}
