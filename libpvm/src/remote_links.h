// remote_links.h - the cross-host direct route (PvmRouteDirect between tasks on
// different hosts): a CurveZMQ TCP link from this task to each remote peer it
// sends to directly, and the one inbox where the links of peers arrive.
//
// The hand-over travels the daemon route (tag kDirectRouteTag), so that order holds:
//   sender    "tcp-offer"             its messages still take the daemon route
//   receiver  "tcp-accept <endpoint>" after binding its inbox
//   sender    "tcp-switch"            once its connection is up (until then: daemon route),
//                                     then writes every later message to the link
// The receiver holds what arrives on a peer's link until it has taken that peer's
// "tcp-switch", so everything the peer sent through the daemon before comes first.
// Session drives this (session_remote.cpp); this class owns the sockets.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "daemon_link.h"
#include "vm_keys.h"

namespace pvm {

/// kRemoteLinger is how long a task that ends waits for its link messages to leave.
constexpr int kRemoteLingerMs = 10000;

/// RemoteLinks holds a task's cross-host direct links.
class RemoteLinks {
public:
    /// hostAddress is how other hosts reach this one; keys are the machine's.
    RemoteLinks(std::string hostAddress, VmKeys keys);
    /// ~RemoteLinks sends what the links still hold (up to kRemoteLingerMs) and closes them.
    ~RemoteLinks();
    RemoteLinks(const RemoteLinks&) = delete;
    RemoteLinks& operator=(const RemoteLinks&) = delete;

    // Sending.
    enum class State { None, Offered, Connecting, Open };
    State state(int peer) const;
    void setOffered(int peer) { offered_.insert(peer); }
    /// connect starts the link to peer's inbox at endpoint. Throws Error(PvmSysErr).
    void connect(int peer, const std::string& endpoint);
    /// connected is true once a Connecting link has finished its CurveZMQ handshake; the
    /// link is Open from then on. An inbox that cannot be reached leaves it Connecting.
    bool connected(int peer);
    /// trySend writes one message (packet frame and body frames) to peer's open link; false
    /// when the connection is down (ZeroMQ reconnects by itself), and nothing was sent.
    bool trySend(int peer, zmq::message_t& packet, std::vector<zmq::message_t>& body);
    /// waitWritable waits up to timeoutMs for peer's link to take messages again.
    void waitWritable(int peer, int timeoutMs);
    /// drop forgets peer's link: later messages take the daemon route.
    void drop(int peer);

    // Receiving.
    /// inbox binds the inbox on first use and returns its endpoint. Throws Error(PvmSysErr).
    std::string inbox();
    /// inboxFd is the inbox's ZeroMQ descriptor (edge-triggered), or -1 before inbox().
    int inboxFd();
    /// inboxHasInput is true when a message waits in the inbox.
    bool inboxHasInput();
    /// takeWaiting reads the inbox and returns the messages of peers already switched over,
    /// in order; the others are held.
    std::vector<Incoming> takeWaiting();
    /// switchOver records peer's "tcp-switch" and returns what its link brought before it.
    std::vector<Incoming> switchOver(int peer);

private:
    std::string hostAddress_;
    VmKeys keys_;
    zmq::context_t context_{1};
    std::map<int, zmq::socket_t> links_;  // peer -> PUSH to its inbox
    std::set<int> offered_, open_, dropped_;
    std::optional<zmq::socket_t> inbox_;  // PULL, CurveZMQ server
    std::string inboxEndpoint_;
    std::set<int> switched_;
    std::map<int, std::deque<Incoming>> held_;
};

}  // namespace pvm
