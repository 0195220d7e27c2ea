// wire.cpp - frames <-> packets and bodies.
#include "wire.h"

#include <atomic>
#include <cstring>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

Frame toFrame(capnp::MessageBuilder& builder) {
    auto words = capnp::messageToFlatArray(builder);
    auto bytes = words.asBytes();
    return Frame(bytes.begin(), bytes.size());
}

std::size_t packetBytes(capnp::MessageBuilder& builder) {
    return capnp::computeSerializedSizeInWords(builder) * sizeof(capnp::word);
}

PacketReader::PacketReader(const Frame& frame) {
    std::size_t size = frame.size();
    if (size == 0 || size % sizeof(capnp::word) != 0 || size > kMaxPacketBytes)
        throw Error(PvmBadMsg, "packet of " + std::to_string(size) + " bytes");
    // Frames carry no alignment promise; Cap'n Proto wants words.
    words_ = kj::heapArray<capnp::word>(size / sizeof(capnp::word));
    std::memcpy(words_.begin(), frame.data(), size);
    capnp::ReaderOptions options;
    options.traversalLimitInWords = kMaxPacketBytes / sizeof(capnp::word);
    options.nestingLimit = 16;
    try {
        reader_ = kj::heap<capnp::FlatArrayMessageReader>(words_.asPtr(), options);
        // Touch the root so structural errors surface here, inside the try.
        (void)reader_->getRoot<wire::Packet>().which();
    } catch (const kj::Exception& e) {
        throw Error(PvmBadMsg, e.getDescription().cStr());
    }
}

struct BodySendGuard::Pending {
    std::atomic<int> outstanding{0};
};

std::shared_ptr<const void> BodySendGuard::track(const void* data) {
    if (!pending_) pending_ = std::make_shared<Pending>();
    pending_->outstanding.fetch_add(1);
    // The frame may be let go on another thread (ZeroMQ's I/O thread on a remote link).
    return std::shared_ptr<const void>(data, [pending = pending_](const void*) {
        pending->outstanding.fetch_sub(1);
        pending->outstanding.notify_all();
    });
}

BodySendGuard::~BodySendGuard() {
    if (!pending_) return;
    for (int n = pending_->outstanding.load(); n != 0; n = pending_->outstanding.load()) pending_->outstanding.wait(n);
}

namespace {
constexpr std::size_t kInPlaceCopyBelow = 64 * 1024;
}  // namespace

std::vector<Frame> bodyFrames(const std::vector<Segment>& segments, BodySendGuard& guard) {
    std::vector<Frame> frames;
    frames.reserve(segments.size());
    for (const Segment& s : segments) {
        if (s.size == 0) continue;
        if (s.owner) {
            frames.emplace_back(s.owner, s.data, s.size);
        } else if (s.size < kInPlaceCopyBelow) {
            frames.emplace_back(s.data, s.size);
        } else {
            frames.emplace_back(guard.track(s.data), s.data, s.size);
        }
    }
    return frames;
}

std::vector<Segment> segmentsOf(std::vector<Frame>&& frames) {
    std::vector<Segment> segments;
    segments.reserve(frames.size());
    for (auto& f : frames) {
        Segment s;
        s.data = static_cast<const std::byte*>(f.data());
        s.size = f.size();
        s.owner = f.owner();
        segments.push_back(std::move(s));
    }
    return segments;
}

}  // namespace pvm
