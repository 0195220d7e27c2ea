// session_remote.cpp - the cross-host direct route inside Session: when a message
// takes a TCP link, and the three-step hand-over (remote_links.h) that keeps the
// order of a pair of tasks across the switch from the daemon route.
#include <cstdio>

#include "errors.h"
#include "pvm3.h"
#include "session.h"
#include "tid.h"

namespace pvm {

namespace {
/// kRemoteRetryMs is how often a send on a broken link checks whether its peer still lives.
constexpr int kRemoteRetryMs = 500;
}  // namespace

RemoteRoute* Session::remoteRoute() {
    if (!remote_ && !machineKeys_.empty() && !hostAddress_.empty())
        remote_ = openRemoteRoute(hostAddress_, machineKeys_);
    return remote_.get();
}

void Session::sendRouteNotice(int dst, const std::string& text) {
    MessageBuffer notice(PvmDataRaw);
    notice.packString(text.c_str());
    BodySendGuard guard;
    sendViaDaemon(dst, kDirectRouteTag, 0, notice, notice.segments(), guard);
}

bool Session::sendRemote(const Buffer& buffer, const std::vector<Segment>& segments, int dst, int tag,
                         BodySendGuard& guard) {
    if (!isTaskTid(dst) || hostOf(dst) == hostOf(tid_)) return false;
    RemoteRoute::State state = remote_ ? remote_->state(dst) : RemoteRoute::State::None;
    if (state == RemoteRoute::State::Connecting && remote_->connected(dst)) {
        // Everything sent to dst so far went through the daemon; this marker follows it.
        sendRouteNotice(dst, "tcp-switch");
        state = RemoteRoute::State::Open;
    }
    if (state == RemoteRoute::State::Open) {
        capnp::MallocMessageBuilder builder;
        fillEnvelope(builder.initRoot<wire::Packet>().initMessage(), dst, tag, context_, buffer.body);
        Frame packet = toFrame(builder);
        std::vector<Frame> body = bodyFrames(segments, guard);
        while (!remote_->trySend(dst, packet, body)) {
            // The connection is down. A message to a task that has gone is lost whatever the
            // route; a live one gets it once ZeroMQ has reconnected.
            bool gone = false;
            {
                HandlersHeld held(*this);  // no handler may send to dst in the middle of this send
                gone = pstat(dst) != PvmOk;
            }
            if (gone) {
                remote_->drop(dst);
                return true;
            }
            collect();  // two tasks sending to each other must not deadlock
            remote_->waitWritable(dst, static_cast<int>(kRemoteRetryMs));
        }
        return true;
    }
    // As in PVM, the option matters when a link is asked for; until the link is up,
    // messages keep taking the daemon route.
    if (state == RemoteRoute::State::None && route_ == PvmRouteDirect && remoteRoute()) {
        sendRouteNotice(dst, "tcp-offer");
        remote_->setOffered(dst);
    }
    return false;
}

void Session::remoteNotice(int src, const std::string& text) {
    if (!isTaskTid(src) || hostOf(src) == hostOf(tid_)) return;
    try {
        if (text == "tcp-offer") {
            if (route_ == PvmDontRoute || !remoteRoute()) return;  // the sender keeps the daemon route
            std::string endpoint = remote_->inbox();
            if (direct_) direct_->watch(remote_->inboxFd());
            sendRouteNotice(src, "tcp-accept " + endpoint);
            // A link either side asked for carries both directions, as in PVM: a task left at
            // PvmAllowDirect asks for its own way back (each direction is one TCP link here).
            if (route_ == PvmAllowDirect && remote_->state(src) == RemoteRoute::State::None) {
                sendRouteNotice(src, "tcp-offer");
                remote_->setOffered(src);
            }
        } else if (text.rfind("tcp-accept ", 0) == 0) {
            if (!remote_ || remote_->state(src) != RemoteRoute::State::Offered) return;
            remote_->connect(src, text.substr(11));  // switched over at a send, once connected
        } else if (text == "tcp-switch") {
            if (!remoteRoute()) return;
            for (auto& in : remote_->switchOver(src)) accept(std::move(in));
        }
    } catch (const Error& e) {
        std::fprintf(stderr, "libpvm [t%x]: direct route with t%x: %s\n", static_cast<unsigned>(tid_),
                     static_cast<unsigned>(src), e.what());
    }
}

bool Session::takeFromLinks() {
    std::vector<Incoming> waiting = remote_->takeWaiting();
    for (auto& in : waiting) accept(std::move(in));
    return !waiting.empty();
}

}  // namespace pvm
