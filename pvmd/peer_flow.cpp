// peer_flow.cpp - flow control between daemons: bookkeeping of holds and releases.
#include "peer_flow.h"

#include <algorithm>

#include "tid.h"

namespace pvm {

bool pauseOnce(std::vector<std::string>& paused, const std::string& sender) {
    if (sender.empty() || std::find(paused.begin(), paused.end(), sender) != paused.end()) return false;
    paused.push_back(sender);
    return true;
}

std::uint64_t frameBytes(const std::vector<Frame>& frames) {
    std::uint64_t bytes = 0;
    for (const auto& f : frames) bytes += f.size();
    return bytes;
}

bool PeerFlow::arrived(int host, int dst, std::size_t queued) {
    if (queued <= limit_) return false;
    return asked_[dst].insert(host).second;
}

bool PeerFlow::keep(int dst, std::vector<Frame>& frames, const std::string& sender) {
    Held& h = held_[dst];
    h.bytes += frameBytes(frames);
    h.messages.push_back(std::move(frames));
    frames.clear();
    return h.bytes > limit_ && pauseOnce(h.paused, sender);
}

std::uint64_t PeerFlow::received(int host, std::uint64_t bytes) {
    Inbound& in = in_[host];
    in.received += bytes;
    if (in.received - in.acked < limit_ / 4) return 0;
    in.acked = in.received;
    return in.received;
}

bool PeerFlow::mayPass(int host) const {
    auto it = out_.find(host);
    return it == out_.end() || (it->second.waiting.empty() && it->second.sent - it->second.acked < limit_);
}

bool PeerFlow::wait(int host, std::vector<Frame>& frames, const std::string& sender) {
    Outbound& o = out_[host];
    o.waiting.push_back(std::move(frames));
    frames.clear();
    return pauseOnce(o.paused, sender);  // one message per sender waits, no more
}

PeerFlow::Released PeerFlow::acknowledged(int host, std::uint64_t total) {
    Released out;
    auto it = out_.find(host);
    if (it == out_.end()) return out;
    Outbound& o = it->second;
    if (total > o.acked && total <= o.sent) o.acked = total;
    // What is let go is counted as sent here: the caller sends it at once.
    while (!o.waiting.empty() && o.sent - o.acked < limit_) {
        o.sent += frameBytes(o.waiting.front());
        out.messages.push_back(std::move(o.waiting.front()));
        o.waiting.pop_front();
    }
    if (o.waiting.empty()) {
        out.senders = std::move(o.paused);
        o.paused.clear();
    }
    return out;
}

PeerFlow::Released PeerFlow::release(int dst) {
    Released out;
    auto it = held_.find(dst);
    if (it == held_.end()) return out;
    out.messages = std::move(it->second.messages);
    out.senders = std::move(it->second.paused);
    held_.erase(it);
    return out;
}

PeerFlow::Released PeerFlow::forgetHost(int host, std::size_t& dropped) {
    Released out;
    dropped = 0;
    for (auto it = held_.begin(); it != held_.end();) {
        if (hostOf(it->first) != host) {
            ++it;
            continue;
        }
        dropped += it->second.messages.size();
        for (auto& s : it->second.paused) out.senders.push_back(std::move(s));
        it = held_.erase(it);
    }
    for (auto it = asked_.begin(); it != asked_.end();) {
        it->second.erase(host);
        it = it->second.empty() ? asked_.erase(it) : std::next(it);
    }
    if (auto it = out_.find(host); it != out_.end()) {
        dropped += it->second.waiting.size();
        for (auto& s : it->second.paused) out.senders.push_back(std::move(s));
        out_.erase(it);
    }
    in_.erase(host);  // a daemon that comes back under this number counts from 0
    return out;
}

}  // namespace pvm
