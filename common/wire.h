// wire.h - turning Cap'n Proto packets and message bodies into frames and back.
// Nothing else in the code touches raw frame bytes.
#pragma once

#include <capnp/message.h>
#include <capnp/serialize.h>
#include <kj/array.h>
#include <vector>

#include "frame.h"
#include "message_buffer.h"
#include "pvm.capnp.h"

namespace pvm {

/// kProtocolVersion is checked when a task enrolls; bump it when pvm.capnp changes incompatibly.
constexpr unsigned kProtocolVersion = 1;

/// kMaxPacketBytes bounds one Packet frame (requests and replies, mailbox entries included;
/// message bodies travel in frames of their own): bigger ones are hostile or broken when they
/// arrive, and refused with PvmOverflow before they are sent.
constexpr std::size_t kMaxPacketBytes = 64 << 20;

/// toFrame serializes a built Packet into one frame.
Frame toFrame(capnp::MessageBuilder& builder);
/// packetBytes is the size of the frame toFrame would make.
std::size_t packetBytes(capnp::MessageBuilder& builder);

/// PacketReader decodes one Packet frame with traversal limits; throws Error(PvmBadMsg)
/// on anything malformed, so a bad peer costs only its packet.
class PacketReader {
public:
    explicit PacketReader(const Frame& frame);
    wire::Packet::Reader packet() { return reader_->getRoot<wire::Packet>(); }

private:
    kj::Array<capnp::word> words_;
    kj::Own<capnp::FlatArrayMessageReader> reader_;
};

/// BodySendGuard waits, when destroyed, until every frame over an InPlace segment sent
/// without a copy has been let go (written to the daemon, or taken by ZeroMQ), so the user
/// may reuse that memory once pvm_send returns.
class BodySendGuard {
public:
    BodySendGuard() = default;
    BodySendGuard(const BodySendGuard&) = delete;
    BodySendGuard& operator=(const BodySendGuard&) = delete;
    ~BodySendGuard();
    /// track is the owner of one zero-copy frame over data: the guard waits for its end.
    std::shared_ptr<const void> track(const void* data);
    struct Pending;

private:
    std::shared_ptr<Pending> pending_;
};

/// bodyFrames makes the frames of a message body without copying owned segments; InPlace
/// segments are copied when small and otherwise tracked by guard.
std::vector<Frame> bodyFrames(const std::vector<Segment>& segments, BodySendGuard& guard);

/// segmentsOf turns received body frames into segments that keep the frames alive.
std::vector<Segment> segmentsOf(std::vector<Frame>&& frames);

}  // namespace pvm
