// wire.cpp - frames <-> packets and bodies.
#include "wire.h"

#include <atomic>
#include <cstring>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

zmq::message_t toFrame(capnp::MessageBuilder& builder) {
    auto words = capnp::messageToFlatArray(builder);
    auto bytes = words.asBytes();
    return zmq::message_t(bytes.begin(), bytes.size());
}

std::size_t packetBytes(capnp::MessageBuilder& builder) {
    return capnp::computeSerializedSizeInWords(builder) * sizeof(capnp::word);
}

PacketReader::PacketReader(const zmq::message_t& frame) {
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

void* BodySendGuard::track() {
    if (!pending_) pending_ = std::make_shared<Pending>();
    pending_->outstanding.fetch_add(1);
    return new std::shared_ptr<Pending>(pending_);
}

BodySendGuard::~BodySendGuard() {
    if (!pending_) return;
    for (int n = pending_->outstanding.load(); n != 0; n = pending_->outstanding.load()) pending_->outstanding.wait(n);
}

namespace {
constexpr std::size_t kInPlaceCopyBelow = 64 * 1024;

void releaseOwned(void*, void* hint) { delete static_cast<std::shared_ptr<const void>*>(hint); }

void releaseTracked(void*, void* hint) {
    auto* pending = static_cast<std::shared_ptr<BodySendGuard::Pending>*>(hint);
    (*pending)->outstanding.fetch_sub(1);
    (*pending)->outstanding.notify_all();
    delete pending;
}
}  // namespace

std::vector<zmq::message_t> bodyFrames(const std::vector<Segment>& segments, BodySendGuard& guard) {
    std::vector<zmq::message_t> frames;
    frames.reserve(segments.size());
    for (const Segment& s : segments) {
        if (s.size == 0) continue;
        void* data = const_cast<std::byte*>(s.data);
        if (s.owner) {
            frames.emplace_back(data, s.size, releaseOwned, new std::shared_ptr<const void>(s.owner));
        } else if (s.size < kInPlaceCopyBelow) {
            frames.emplace_back(s.data, s.size);
        } else {
            frames.emplace_back(data, s.size, releaseTracked, guard.track());
        }
    }
    return frames;
}

bool receiveMultipart(zmq::socket_t& socket, std::vector<zmq::message_t>& frames) {
    frames.clear();
    zmq::message_t frame;
    if (!socket.recv(frame, zmq::recv_flags::dontwait)) return false;
    frames.push_back(std::move(frame));
    while (socket.get(zmq::sockopt::rcvmore)) {
        zmq::message_t more;
        (void)socket.recv(more);
        frames.push_back(std::move(more));
    }
    return true;
}

std::vector<Segment> segmentsOf(std::vector<zmq::message_t>&& frames) {
    std::vector<Segment> segments;
    segments.reserve(frames.size());
    for (auto& f : frames) {
        auto owner = std::make_shared<zmq::message_t>(std::move(f));
        Segment s;
        s.data = static_cast<const std::byte*>(owner->data());
        s.size = owner->size();
        s.owner = std::move(owner);
        segments.push_back(std::move(s));
    }
    return segments;
}

}  // namespace pvm
