// session_messages.cpp - sending, the arrival queue and matching receives.
// Matching happens here in the task, as in PVM, so probe and nrecv cost no
// round trip to the daemon.
#include <chrono>

#include "errors.h"
#include "pvm3.h"
#include "session.h"
#include "tid.h"

namespace pvm {

void Session::checkTid(int tid, const char* what) {
    PVM_REQUIRE(isTaskTid(tid) || (resvTids_ && isDaemonTid(tid)), PvmBadParam,
                std::string(what) + " " + formatTid(tid));
}

void Session::checkTag(int tag) {
    PVM_REQUIRE(tag >= 0 || resvTids_, PvmBadParam, "message tag " + std::to_string(tag));
}

void Session::send(int tid, int tag) {
    checkTid(tid, "destination");
    checkTag(tag);
    Buffer& buffer = buffers_.activeSend();
    int dst[1] = {tid};
    sendBuffer(buffer, dst, tag);
}

void Session::sendBuffer(Buffer& buffer, std::span<const int> dsts, int tag) {
    requireEnrolled();
    for (int dst : dsts) checkTid(dst, "destination");
    checkTag(tag);
    std::vector<Segment> segments = buffer.body.segments();
    BodySendGuard guard;  // holds pvm_send until InPlace data has left the user's memory
    // What takes the daemon route goes as one packet, however many destinations: the daemons
    // send one copy to each host and split it there, as PVM's do for pvm_mcast.
    std::vector<int> viaDaemon;
    for (int dst : dsts)
        if (!sendDirect(buffer, segments, dst, tag) && !sendRemote(buffer, segments, dst, tag, guard))
            viaDaemon.push_back(dst);
    if (!viaDaemon.empty()) sendViaDaemon(viaDaemon, tag, context_, buffer.body, segments, guard);
    // A send the daemon held back took in what came meanwhile; pvm_getfds must still show it.
    if (direct_ && link_->holdsInput()) direct_->pokeEvent();
}

void Session::sendViaDaemon(std::span<const int> dsts, int tag, int context, const MessageBuffer& body,
                            const std::vector<Segment>& segments, BodySendGuard& guard) {
    capnp::MallocMessageBuilder builder;
    auto envelope = builder.initRoot<wire::Packet>().initMessage();
    fillEnvelope(envelope, dsts.front(), tag, context, body);
    if (dsts.size() > 1) {
        auto more = envelope.initFanOut(static_cast<unsigned>(dsts.size() - 1));
        for (std::size_t i = 1; i < dsts.size(); ++i) more.set(static_cast<unsigned>(i - 1), dsts[i]);
    }
    link_->send(builder, bodyFrames(segments, guard));
}

void Session::sendViaDaemon(int dst, int tag, int context, const MessageBuffer& body,
                            const std::vector<Segment>& segments, BodySendGuard& guard) {
    int dsts[1] = {dst};
    sendViaDaemon(dsts, tag, context, body, segments, guard);
}

void Session::fillEnvelope(wire::Envelope::Builder envelope, int dst, int tag, int context,
                           const MessageBuffer& body) const {
    envelope.setSrc(tid_);
    envelope.setDst(dst);
    envelope.setTag(tag);
    envelope.setContext(context);
    envelope.setEncoding(body.encoding());
    envelope.setLength(body.size());
}

bool Session::accept(Incoming&& in) {
    auto reader = std::make_unique<PacketReader>(in.packet);
    auto packet = reader->packet();
    switch (packet.which()) {
        case wire::Packet::REPLY:
            control_.file(std::move(reader));  // an answer nobody waits for is dropped
            return false;
        case wire::Packet::MESSAGE: {
            auto envelope = packet.getMessage();
            auto buffer = std::make_unique<Buffer>(
                MessageBuffer::fromSegments(envelope.getEncoding(), segmentsOf(std::move(in.body))));
            // Daemons sign their messages with their tid (peers check it); a task sees PVM's source.
            buffer->src = isDaemonTid(envelope.getSrc()) ? kDaemonSource : envelope.getSrc();
            buffer->dst = envelope.getDst();
            buffer->tag = envelope.getTag();
            buffer->context = envelope.getContext();
            buffer->wid = envelope.getWid();
            if (buffer->tag == kDirectRouteTag) return routeNotice(*buffer);
            arrive(std::move(buffer));
            return false;
        }
        default:
            // A task never receives requests; ignoring one keeps a confused daemon harmless.
            return false;
    }
}

void Session::arrive(std::unique_ptr<Buffer> buffer) {
    if (buffer->tag == kCatchOutputTag) {
        catcher_.handle(buffer->body);
        return;
    }
    mail_.arrive(buffers_.adopt(std::move(buffer)));
}

bool Session::pump(int timeoutMs) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs < 0 ? 0 : timeoutMs);
    for (;;) {
        if (collect()) return true;
        if (timeoutMs == 0) {
            // Nothing waits: a dead daemon must still show, as when a wait would have seen it.
            if (link_->daemonAlive()) return false;
            daemonGone();  // throws, unless the daemon's last packets are still arriving
            continue;
        }
        int wait = -1;
        if (timeoutMs > 0) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            wait = static_cast<int>(left.count());
        }
        sleep(wait, nullptr);
    }
}

int Session::recv(int tid, int tag, int timeoutMs) {
    int id = take(tid, tag, timeoutMs);
    if (id == 0) return 0;
    makeActiveReceive(id);
    return id;
}

void Session::makeActiveReceive(int id) {
    // The new message replaces the active receive buffer, which is freed (PVM semantics).
    int old = buffers_.setRecv(id);
    if (old != 0 && old != id && buffers_.contains(old)) buffers_.free(old);
}

int Session::take(int tid, int tag, int timeoutMs) {
    // PVM checks neither: a message that can never come is simply not found (nrecv, trecv),
    // but a receive that would wait for it for ever is refused here.
    if (timeoutMs < 0) {
        PVM_REQUIRE(tid == -1 || tid > 0, PvmBadParam, "source " + std::to_string(tid));
        PVM_REQUIRE(tag >= -1 || resvTids_, PvmBadParam, "message tag " + std::to_string(tag));
    }
    requireEnrolled();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs < 0 ? 0 : timeoutMs);
    // Take everything already waiting first, so matching sees messages in arrival order. A
    // receive that does not wait uses pump(0), which also reports a dead daemon; one that
    // waits learns of it in the wait, and spares the system call.
    if (timeoutMs == 0) {
        link_->noteReadable();  // a poll by the program looks afresh
        while (pump(0)) {
        }
    } else {
        while (collect()) {
        }
    }
    for (;;) {
        if (auto id = findMatch(tid, tag)) {
            mail_.take(*id);
            return *id;
        }
        int wait = -1;
        if (timeoutMs >= 0) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return 0;
            wait = static_cast<int>(left.count());
        }
        if (pump(wait))
            while (collect()) {
            }
    }
}

int Session::probe(int tid, int tag) {
    requireEnrolled();  // PVM checks neither tid nor tag: a bad one finds nothing
    link_->noteReadable();
    while (pump(0)) {
    }
    return findMatch(tid, tag).value_or(0);
}

}  // namespace pvm
