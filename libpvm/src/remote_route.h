// remote_route.h - what Session asks of the cross-host direct route (PvmRouteDirect
// between tasks on different hosts). Its sockets are CurveZMQ links, made by
// libpvm3tcp (remote_links.h): libpvm3 loads that module, and with it libzmq,
// only when a task first takes the route, so a task that never does starts
// without loading ZeroMQ at all.
//
// The hand-over travels the daemon route (tag kDirectRouteTag), so that order holds:
//   sender    "tcp-offer"             its messages still take the daemon route
//   receiver  "tcp-accept <endpoint>" after binding its inbox
//   sender    "tcp-switch"            once its connection is up (until then: daemon route),
//                                     then writes every later message to the link
// The receiver holds what arrives on a peer's link until it has taken that peer's
// "tcp-switch", so everything the peer sent through the daemon before comes first.
// Session drives this (session_remote.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "daemon_link.h"
#include "frame.h"

namespace pvm {

/// kRemoteLingerMs is how long a task that ends waits for its link messages to leave.
constexpr int kRemoteLingerMs = 10000;
/// kRemoteSetupMs is how long the first send on a new link waits for its handshake.
constexpr int kRemoteSetupMs = 5000;

/// RemoteRoute holds a task's cross-host direct links.
class RemoteRoute {
public:
    /// ~RemoteRoute sends what the links still hold (up to kRemoteLingerMs) and closes them.
    virtual ~RemoteRoute() = default;

    // Sending.
    enum class State { None, Offered, Connecting, Open };
    virtual State state(int peer) const = 0;
    virtual void setOffered(int peer) = 0;
    /// connect starts the link to peer's inbox at endpoint. Throws Error(PvmSysErr).
    virtual void connect(int peer, const std::string& endpoint) = 0;
    /// connected is true once a Connecting link has finished its CurveZMQ handshake; the
    /// link is Open from then on. The first call for a peer waits up to kRemoteSetupMs for
    /// the handshake. An inbox that cannot be reached leaves it Connecting.
    virtual bool connected(int peer) = 0;
    /// trySend writes one message (packet frame and body frames) to peer's open link; false
    /// when the connection is down (ZeroMQ reconnects by itself), and nothing was sent.
    virtual bool trySend(int peer, const Frame& packet, const std::vector<Frame>& body) = 0;
    /// waitWritable waits up to timeoutMs for peer's link to take messages again.
    virtual void waitWritable(int peer, int timeoutMs) = 0;
    /// drop forgets peer's link: later messages take the daemon route.
    virtual void drop(int peer) = 0;

    // Receiving.
    /// inbox binds the inbox on first use and returns its endpoint. Throws Error(PvmSysErr).
    virtual std::string inbox() = 0;
    /// inboxFd is the inbox's ZeroMQ descriptor (edge-triggered), or -1 before inbox().
    virtual int inboxFd() = 0;
    /// inboxHasInput is true when a message waits in the inbox.
    virtual bool inboxHasInput() = 0;
    /// takeWaiting reads the inbox and returns the messages of peers already switched over,
    /// in order; the others are held.
    virtual std::vector<Incoming> takeWaiting() = 0;
    /// switchOver records peer's "tcp-switch" and returns what its link brought before it.
    virtual std::vector<Incoming> switchOver(int peer) = 0;
};

/// openRemoteRoute loads libpvm3tcp from beside libpvm3 and makes the route for a task of
/// the host reached at hostAddress, with the machine's keys ("public secret"). nullptr when
/// the module cannot be loaded: the reason is printed once, and messages keep the daemon route.
std::unique_ptr<RemoteRoute> openRemoteRoute(const std::string& hostAddress, const std::string& keys);

/// kOpenRemoteRouteSymbol names the module's maker: RemoteRoute* (const std::string& hostAddress,
/// const std::string& keys), which throws Error on bad keys.
constexpr const char* kOpenRemoteRouteSymbol = "pvm_open_remote_route";
using OpenRemoteRouteFn = RemoteRoute* (*)(const std::string&, const std::string&);

}  // namespace pvm
