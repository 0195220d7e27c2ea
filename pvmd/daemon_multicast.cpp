// daemon_multicast.cpp - pvm_mcast through the daemons, as PVM's do it: the task sends
// one packet with every destination, its daemon sends one copy to each other host
// concerned, and each daemon gives one copy to each of its tasks.
#include <algorithm>
#include <capnp/message.h>
#include <map>
#include <span>

#include "daemon.h"
#include "tid.h"
#include "wire.h"

namespace pvm {

namespace {
/// addressedTo copies a message for dst and, when more is not empty, for the further
/// destinations in more: a new header frame, and the body frames (shared with frames, as
/// zmq_msg_copy does, not copied).
std::vector<Frame> addressedTo(const wire::Envelope::Reader& original, std::vector<Frame>& frames, int dst,
                               std::span<const int> more) {
    capnp::MallocMessageBuilder builder;
    auto envelope = builder.initRoot<wire::Packet>().initMessage();
    envelope.setSrc(original.getSrc());
    envelope.setDst(dst);
    envelope.setTag(original.getTag());
    envelope.setContext(original.getContext());
    envelope.setEncoding(original.getEncoding());
    envelope.setLength(original.getLength());
    envelope.setWid(original.getWid());
    if (!more.empty()) {
        auto list = envelope.initFanOut(static_cast<unsigned>(more.size()));
        for (std::size_t i = 0; i < more.size(); ++i) list.set(static_cast<unsigned>(i), more[i]);
    }
    std::vector<Frame> copy;
    copy.reserve(frames.size());
    copy.push_back(toFrame(builder));
    for (std::size_t i = 1; i < frames.size(); ++i) copy.push_back(frames[i].share());
    return copy;
}
}  // namespace

void Daemon::deliverMulticast(const wire::Envelope::Reader& envelope, std::vector<Frame>& frames, int fromHost) {
    // Every destination, in the order given, by host.
    std::map<int, std::vector<int>> byHost;
    byHost[hostOf(envelope.getDst())].push_back(envelope.getDst());
    for (int tid : envelope.getFanOut()) byHost[hostOf(tid)].push_back(tid);
    auto dropped = [&](int tid, const char* why) {
        log_.dropped("message " + formatTid(envelope.getSrc()) + " -> " + formatTid(tid) + " tag " +
                     std::to_string(envelope.getTag()) + " dropped: " + why);
    };
    for (const auto& [host, tids] : byHost) {
        if (fromHost != 0 && host != myHost()) {
            for (int tid : tids) dropped(tid, "a peer may multicast only to tasks of this host");
            continue;
        }
        // A task whose daemon asked to hold its messages gets its copy through the hold, so
        // that it stays behind what is held already.
        bool oneEach = host == myHost() || tids.size() == 1 ||
                       std::any_of(tids.begin(), tids.end(), [&](int tid) { return peerFlow_.holds(tid); });
        if (!oneEach) {
            auto copy = addressedTo(envelope, frames, tids.front(), std::span<const int>(tids).subspan(1));
            if (!deliver(tids.front(), copy))
                for (int tid : tids) dropped(tid, "no such host");
            continue;
        }
        for (int tid : tids) {
            auto copy = addressedTo(envelope, frames, tid, {});
            if (!deliver(tid, copy))
                dropped(tid, "no such task");
            else if (fromHost != 0)
                throttlePeer(fromHost, tid);
        }
    }
}

}  // namespace pvm
