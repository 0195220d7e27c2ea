// daemon_in_memory.cpp - the daemon without sockets: its handlers driven by a unit test
// or a fuzzer that plays its tasks and peers (the in-memory links of daemon.h).
#include "daemon.h"

namespace pvm {

void Daemon::startInMemory(const std::string& logPath) {
    if (!logPath.empty()) log_.open(logPath);
    speed_ = options_.speed > 0 ? options_.speed : 1000;
    setUpPeers(false);
    running_ = true;
    nextHeartbeat_ = masterHeard_ = std::chrono::steady_clock::now();
}

void Daemon::settle() {
    if (peers_) peers_->closeDropped();
    if (running_) startQueued(spawnQueue_.size());
}

std::string Daemon::attachTask(int pid) { return connections_.attach(pid); }

void Daemon::fromTask(const std::string& route, std::vector<Frame> frames) {
    if (!running_) return;
    readingFrom_ = route;
    dropIfBad("dropped a bad packet: ", [&] { handleFrames(route, frames); });
    readingFrom_.clear();
}

std::vector<std::vector<Frame>> Daemon::toTask(const std::string& route) { return connections_.takeSent(route); }

void Daemon::fromPeer(int number, std::vector<Frame> frames) {
    if (!running_) return;
    dropIfBad("dropped a bad packet from a peer: ", [&] { handlePeerFrames(number, frames); });
}

}  // namespace pvm
