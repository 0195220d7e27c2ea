// control_channel.cpp - request ids and the answers filed under them.
#include "control_channel.h"

namespace pvm {

std::uint32_t ControlChannel::open(wire::Request::Builder request) {
    std::uint32_t id = next_++;
    if (next_ == 0) next_ = 1;  // after 2^32 requests, skip enrollment's id
    request.setId(id);
    waiting_[id] = nullptr;
    return id;
}

bool ControlChannel::file(std::unique_ptr<PacketReader> answer) {
    auto it = waiting_.find(answer->packet().getReply().getId());
    if (it == waiting_.end() || it->second) return false;
    it->second = std::move(answer);
    return true;
}

bool ControlChannel::answered(std::uint32_t id) const {
    auto it = waiting_.find(id);
    return it != waiting_.end() && it->second != nullptr;
}

std::unique_ptr<PacketReader> ControlChannel::take(std::uint32_t id) {
    auto it = waiting_.find(id);
    if (it == waiting_.end()) return nullptr;
    auto answer = std::move(it->second);
    waiting_.erase(it);
    return answer;
}

}  // namespace pvm
