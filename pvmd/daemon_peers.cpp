// daemon_peers.cpp - what daemons say to each other over their links
// (peer_links.h): forwarded requests, the host table copies, heartbeats, flow
// control, and the loss of a host.
#include <algorithm>
#include <unistd.h>

#include "daemon.h"
#include "errors.h"
#include "paths.h"
#include "pvm3.h"
#include "tid.h"
#include "wire.h"
#include "zmq_frames.h"

namespace pvm {

void Daemon::setUpPeers(bool bind) {
    ownKeys_ = VmKeys::generate();
    peers_.emplace(
        context_, zmqInputs_, *ownKeys_, myHost(),
        [this](int host, zmq::socket_t& socket, bool router) { onPeerReadable(host, socket, router); },
        [this](int refused) { logRefused(refused); });
    if (isMaster()) {
        keys_ = VmKeys::generate();
    } else {
        // Until the first host table comes, only the master may connect.
        SlaveKeys given = SlaveKeys::parse(options_.keys);
        keys_ = given.machine;
        peers_->admit(1, given.masterPublicKey);
    }
    Host self;
    self.number = myHost();
    self.name = hostName_;
    self.arch = archName();
    self.speed = speed_;
    self.publicKey = ownKeys_->publicKey;
    if (!isMaster() && bind) peerPort_ = peers_->listen(options_.bindAddress);
    hosts_.add(self);
}

bool Daemon::sendToHost(int number, std::vector<Frame>& frames) {
    std::string why;
    if (peers_->send(number, frames, why)) return true;
    if (!why.empty()) log_.write("cannot send to host " + std::to_string(number) + ": " + why);
    return false;
}

bool Daemon::sendPeer(int number, const PeerFill& fill) {
    capnp::MallocMessageBuilder builder;
    auto peer = builder.initRoot<wire::Packet>().initPeer();
    peer.setFromHost(myHost());
    fill(peer);
    std::vector<Frame> frames;
    frames.push_back(toFrame(builder));
    return sendToHost(number, frames);
}

void Daemon::forwardFor(const Requester& who, int number, const RequestFill& fill) {
    forward(number, who.tid, fill, [this, who](const wire::Reply::Reader& reply) { relay(who, reply); });
}

void Daemon::forward(int number, int taskTid, const RequestFill& fill, ReplyHandler onReply) {
    std::uint32_t token = nextToken_++;
    forwards_[token] = {number, std::move(onReply)};
    bool sent = sendPeer(number, [&](wire::PeerPacket::Builder p) {
        auto f = p.initForward();
        f.setToken(token);
        f.setTaskTid(taskTid);
        fill(f.initRequest());
    });
    if (sent) return;
    auto handler = std::move(forwards_[token].onReply);
    forwards_.erase(token);
    failForward(handler, "host " + std::to_string(number) + " unreachable");
}

void Daemon::failForward(const ReplyHandler& handler, const std::string& why) {
    capnp::MallocMessageBuilder builder;
    auto reply = builder.initRoot<wire::Reply>();
    reply.setError(PvmHostFail);
    reply.setErrorText(why);
    handler(reply.asReader());
}

void Daemon::onPeerReadable(int fromHost, zmq::socket_t& socket, bool router) {
    std::vector<Frame> frames;
    std::string keyHolder;
    // A packet may make fromHost go (a task there deletes its own host): its link is then
    // retired, and read no further.
    auto open = [&] { return router || peers_->hasDealer(fromHost); };
    for (int budget = 0;
         budget < 1024 && running_ && open() && receiveMultipart(socket, frames, router ? &keyHolder : nullptr);
         ++budget) {
        dropIfBad("dropped a bad packet from a peer: ", [&] {
            int from = fromHost;
            if (router) {
                // The peer chose its identity; the ZAP handler bound its key to the one it may use.
                std::string id(frames.front().text());
                if (id != keyHolder)
                    throw Error(PvmBadMsg, "a peer with the key of " + (keyHolder.empty() ? "nobody" : keyHolder) +
                                               " claimed to be " + id);
                if (id.size() < 2 || id[0] != 'd') throw Error(PvmBadMsg, "peer without a daemon identity");
                from = std::stoi(id.substr(1));
                frames.erase(frames.begin());
            }
            handlePeerFrames(from, frames);
        });
    }
}

void Daemon::handlePeerFrames(int from, std::vector<Frame>& frames) {
    if (frames.empty()) throw Error(PvmBadMsg, "empty peer message");
    PacketReader reader(frames[0]);
    auto packet = reader.packet();
    if (Host* h = hosts_.find(from)) h->lastHeard = std::chrono::steady_clock::now();
    if (from == 1) masterHeard_ = std::chrono::steady_clock::now();
    switch (packet.which()) {
        case wire::Packet::MESSAGE: {
            auto envelope = packet.getMessage();
            int src = envelope.getSrc(), dst = envelope.getDst();
            if (hostOf(src) != from)
                throw Error(PvmBadMsg, "host " + std::to_string(from) + " forged " + formatTid(src));
            if (isDaemonTid(src)) forgetDeliveredWatch(envelope, frames);
            // Taken off the link, delivered or not: it no longer counts against the window.
            if (std::uint64_t total = peerFlow_.received(from, frameBytes(frames)))
                sendPeer(from, [total](wire::PeerPacket::Builder p) { p.setAcked(total); });
            if (envelope.getFanOut().size() > 0) return deliverMulticast(envelope, frames, from);
            if (hostOf(dst) != myHost() || !deliver(dst, frames))
                log_.dropped("message " + formatTid(src) + " -> " + formatTid(dst) + " tag " +
                             std::to_string(envelope.getTag()) + " dropped: no such task");
            else
                throttlePeer(from, dst);
            return;
        }
        case wire::Packet::PEER:
            return handlePeerPacket(from, packet.getPeer());
        default:
            throw Error(PvmBadMsg, "unexpected packet type from a peer");
    }
}

void Daemon::forgetDeliveredWatch(const wire::Envelope::Reader& envelope, const std::vector<Frame>& frames) {
    // A task-exit notify from the owner's daemon ends the copy of that watch kept here,
    // so the loss of the host later does not announce the same exit twice.
    if (frames.size() < 2 || envelope.getEncoding() != PvmDataDefault) return;
    std::vector<Frame> body;
    for (std::size_t i = 1; i < frames.size(); ++i) body.push_back(frames[i].share());
    int watched = 0;
    try {
        // The notify's body is the tid that exited, as pvm_upkint would read it.
        MessageBuffer::fromSegments(PvmDataDefault, segmentsOf(std::move(body))).unpack(DataType::Int, &watched, 1, 1);
    } catch (const Error&) {
        return;  // not a task-exit notify
    }
    auto it = remoteWatches_.find(watched);
    if (it == remoteWatches_.end()) return;
    Subscription delivered{envelope.getDst(), envelope.getTag(), envelope.getContext()};
    std::erase(it->second, delivered);
    if (it->second.empty()) remoteWatches_.erase(it);
}

void Daemon::handlePeerPacket(int from, const wire::PeerPacket::Reader& p) {
    switch (p.which()) {
        case wire::PeerPacket::HOST_TABLE:
            if (from == 1 && !isMaster()) applyHostTable(p.getHostTable());
            return;
        case wire::PeerPacket::FORWARD: {
            auto f = p.getForward();
            if (hostOf(f.getTaskTid()) != from) throw Error(PvmBadMsg, "forwarded request for a foreign task");
            handleRequest(Requester{f.getTaskTid(), f.getToken(), from, {}}, f.getRequest());
            return;
        }
        case wire::PeerPacket::FORWARD_REPLY: {
            auto f = p.getForwardReply();
            auto it = forwards_.find(f.getToken());
            if (it == forwards_.end() || it->second.host != from) return;
            auto handler = std::move(it->second.onReply);
            forwards_.erase(it);
            handler(f.getReply());
            return;
        }
        case wire::PeerPacket::HEARTBEAT:
            if (Host* h = hosts_.find(from)) h->load = p.getHeartbeat();
            return;
        case wire::PeerPacket::HALT:
            if (from != 1) return;
            log_.write("halted by the master");
            shutdown(p.getHalt());
            return;
        case wire::PeerPacket::HOLD_FOR:
            // Only a task's own daemon speaks for it.
            if (int dst = p.getHoldFor(); hostOf(dst) == from && from != myHost()) peerFlow_.hold(dst);
            return;
        case wire::PeerPacket::RELEASE_FOR:
            if (int dst = p.getReleaseFor(); hostOf(dst) == from) sendReleased(peerFlow_.release(dst), from, false);
            return;
        case wire::PeerPacket::ACKED:
            sendReleased(peerFlow_.acknowledged(from, p.getAcked()), from, true);
            return;
        case wire::PeerPacket::HOST_DELETED:
            if (from == 1 && hostOf(p.getHostDeleted()) != myHost())
                hostGone(hostOf(p.getHostDeleted()), "deleted by the master");
            return;
        default:
            return;  // hello and future packet types: nothing to do
    }
}

void Daemon::applyHostTable(const capnp::List<wire::HostRecord>::Reader& records) {
    std::vector<int> present, added;
    for (auto record : records) {
        auto info = record.getInfo();
        int number = hostOf(info.getTid());
        present.push_back(number);
        if (number == myHost()) continue;
        if (!hosts_.find(number)) added.push_back(info.getTid());
        Host h;
        h.number = number;
        h.name = info.getName().cStr();
        h.arch = info.getArch().cStr();
        h.speed = info.getSpeed();
        h.endpoint = record.getEndpoint().cStr();
        h.publicKey = record.getPublicKey().cStr();
        if (isPublicKey(h.publicKey)) peers_->admit(number, h.publicKey);
        hosts_.add(h);
        if (number != 1) peers_->connect(h);
    }
    for (Host* h : hosts_.all())
        if (std::find(present.begin(), present.end(), h->number) == present.end() && h->number != myHost())
            hostGone(h->number, "no longer in the master's host table");
    if (!added.empty()) notifyHostsAdded(added);
}

void Daemon::broadcastHostTable() {
    std::vector<Host*> all = hosts_.all();
    for (Host* target : all) {
        if (target->number == myHost()) continue;
        sendPeer(target->number, [&](wire::PeerPacket::Builder p) {
            auto list = p.initHostTable(static_cast<unsigned>(all.size()));
            for (unsigned i = 0; i < all.size(); ++i) {
                auto info = list[i].initInfo();
                info.setTid(daemonTid(all[i]->number));
                info.setName(all[i]->name);
                info.setArch(all[i]->arch);
                info.setSpeed(all[i]->speed);
                list[i].setEndpoint(all[i]->endpoint);
                list[i].setPublicKey(all[i]->publicKey);
            }
        });
    }
}

void Daemon::notifyHostsAdded(const std::vector<int>& daemonTids) {
    for (const Subscription& s : notifies_.hostAdded()) {
        MessageBuffer body(PvmDataDefault);
        int n = static_cast<int>(daemonTids.size());
        body.pack(DataType::Int, &n, 1, 1);
        body.pack(DataType::Int, daemonTids.data(), n, 1);
        sendSystemMessage(s.subscriber, s.tag, s.context, std::move(body));
    }
}

void Daemon::sendHeartbeats() {
    for (Host* h : hosts_.all())
        if (h->number != myHost() && (isMaster() || h->number == 1))
            sendPeer(h->number, [&](wire::PeerPacket::Builder p) { p.setHeartbeat(static_cast<int>(tasks_.size())); });
}

std::chrono::steady_clock::time_point Daemon::silenceDeadline() {
    if (!isMaster()) return masterHeard_ + options_.hostTimeout;
    auto next = std::chrono::steady_clock::time_point::max();
    for (Host* h : hosts_.all())
        if (h->number != myHost()) next = std::min(next, h->lastHeard + options_.hostTimeout);
    return next;
}

void Daemon::checkHeartbeats() {
    auto now = std::chrono::steady_clock::now();
    if (!isMaster()) {
        if (now - masterHeard_ >= options_.hostTimeout) {
            // Without its master a slave is an orphan: it takes its tasks down.
            log_.write("no word from the master for " + std::to_string(options_.hostTimeout.count()) + " ms; halting");
            shutdown(0);
        }
        return;
    }
    std::vector<int> silent;
    for (Host* h : hosts_.all())
        if (h->number != myHost() && now - h->lastHeard >= options_.hostTimeout) silent.push_back(h->number);
    for (int number : silent)
        deleteHost(number, "no heartbeat for " + std::to_string(options_.hostTimeout.count()) + " ms");
}

void Daemon::hostGone(int number, const std::string& why) {
    Host* host = hosts_.find(number);
    if (!host) return;
    log_.write("host " + host->name + " (" + formatTid(daemonTid(number)) + ") gone: " + why);
    hosts_.remove(number);
    peers_->drop(number);
    for (const auto& [watched, s] : notifies_.fireHostDelete(number)) sendNotify(s, watched);
    // Its tasks count as exited for everyone here who watched them.
    for (auto it = remoteWatches_.begin(); it != remoteWatches_.end();) {
        if (hostOf(it->first) != number) {
            ++it;
            continue;
        }
        for (const Subscription& s : it->second) sendNotify(s, it->first);
        it = remoteWatches_.erase(it);
    }
    // What was held for its tasks will never be asked for; senders it held back go on.
    std::size_t dropped = 0;
    PeerFlow::Released released = peerFlow_.forgetHost(number, dropped);
    for (const std::string& sender : released.senders) connections_.unhold(sender);
    if (dropped > 0) log_.dropped(std::to_string(dropped) + " message(s) held for tasks of that host dropped");
    // Requests waiting on that host will never be answered: fail them now.
    std::vector<ReplyHandler> failed;
    for (auto it = forwards_.begin(); it != forwards_.end();) {
        if (it->second.host != number) {
            ++it;
            continue;
        }
        failed.push_back(std::move(it->second.onReply));
        it = forwards_.erase(it);
    }
    for (auto& handler : failed) failForward(handler, why);
    // What its tasks held at the master (mailbox entries, waiting receives) goes as if they exited.
    if (isMaster()) {
        std::set<int> gone;
        for (const auto& c : mailbox_.list(""))
            for (const auto& e : c.entries)
                if (e.owner && hostOf(e.owner) == number) gone.insert(e.owner);
        for (const auto& w : mboxWaiting_)
            if (hostOf(w.who.tid) == number) gone.insert(w.who.tid);
        for (int member : groups_.allMembers())
            if (hostOf(member) == number) gone.insert(member);
        for (int tid : gone) masterStateGone(tid);
    }
}

long long Daemon::queuedFor(int tid) {
    Task* task = tasks_.find(tid);
    if (!task) return -1;
    // Before it enrolls, what is held for it; then what waits in its connection.
    return task->routingId ? connections_.queuedBytes(*task->routingId) : static_cast<long long>(task->waitingBytes);
}

void Daemon::throttlePeer(int from, int dst) {
    long long queued = queuedFor(dst);
    if (queued > 0 && peerFlow_.arrived(from, dst, static_cast<std::size_t>(queued)))
        sendPeer(from, [dst](wire::PeerPacket::Builder p) { p.setHoldFor(dst); });
}

void Daemon::releasePeers() {
    auto queued = [this](int dst) { return queuedFor(dst); };
    for (auto [host, dst] : peerFlow_.releasable(queued))
        sendPeer(host, [tid = dst](wire::PeerPacket::Builder p) { p.setReleaseFor(tid); });  // clang 14: no binding
}

bool Daemon::sendToPeer(int number, std::vector<Frame>& frames, const std::string& sender) {
    if (!peers_->reaches(number)) return false;
    if (!peerFlow_.mayPass(number)) {
        if (peerFlow_.wait(number, frames, sender)) connections_.hold(sender);
        return true;
    }
    std::uint64_t bytes = frameBytes(frames);
    if (!sendToHost(number, frames)) return false;
    peerFlow_.sent(number, bytes);
    return true;
}

void Daemon::sendReleased(PeerFlow::Released released, int number, bool windowOpened) {
    for (auto& frames : released.messages) {
        // What the window lets go heads its queue (and is counted), so it goes now; what a
        // hold lets go queues behind anything waiting for the window, so it keeps its place.
        bool sent = windowOpened ? sendToHost(number, frames) : sendToPeer(number, frames, {});
        if (!sent) log_.dropped("a message held for host " + std::to_string(number) + " dropped");
    }
    for (const std::string& sender : released.senders) connections_.unhold(sender);
}

}  // namespace pvm
