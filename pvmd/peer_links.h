// peer_links.h - this daemon's CurveZMQ links to the other daemons of the machine:
// the ZAP gate, which lets each host's key in under that host's identity only, a
// slave's ROUTER, where the other daemons connect, and one DEALER to each host this
// one reaches. What travels on them is daemon_peers.cpp's business.
//
// Paths: the master reaches each slave through a DEALER connected to the slave's
// ROUTER, and a slave answers the master on that same connection (identity "d1"), so
// the master needs no listening port. Slaves reach each other through DEALERs to each
// other's ROUTERs. One path per direction keeps messages between two hosts in order.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "frame.h"
#include "host_table.h"
#include "vm_keys.h"
#include "zmq_inputs.h"

namespace pvm {

class PeerLinks {
public:
    /// OnInput is called while a link holds input: the DEALER to host, or the ROUTER
    /// (host 0, router true), whose messages each start with their sender's identity.
    using OnInput = std::function<void(int host, zmq::socket_t& socket, bool router)>;
    /// OnRefused hears how many connections the gate refused each time it looked, 0 included.
    using OnRefused = std::function<void(int refused)>;

    /// PeerLinks serves the links of host self with ownKeys, which must outlive it; inputs
    /// serves them, and must not be served once this is gone.
    PeerLinks(zmq::context_t& context, ZmqInputs& inputs, const VmKeys& ownKeys, int self, OnInput onInput,
              OnRefused onRefused);
    PeerLinks(const PeerLinks&) = delete;
    PeerLinks& operator=(const PeerLinks&) = delete;

    /// identity is how the daemon of host number names itself on a link.
    static std::string identity(int number) { return "d" + std::to_string(number); }

    /// admit lets the holder of publicKey in as host number's daemon, and no other key;
    /// throws Error(PvmBadMsg) for a malformed key.
    void admit(int number, const std::string& publicKey);
    /// listen binds a slave's ROUTER on address, port chosen by the system; returns the port.
    int listen(const std::string& address);
    /// connect opens a DEALER to host, which only the holder of host.publicKey can answer;
    /// nothing when host has no endpoint or key, or a link already.
    void connect(const Host& host);
    /// drop closes the link to host number and lets its key in no more. The socket itself
    /// is closed by closeDropped: the packet that made the host go may have come on it.
    void drop(int number);
    /// closeDropped closes the links dropped before; call it between turns.
    void closeDropped() { dropped_.clear(); }
    /// hasDealer is true while a DEALER to host number is open.
    bool hasDealer(int number) const { return dealers_.contains(number); }
    /// reaches is true when send(number) has a link to take.
    bool reaches(int number) const { return hasDealer(number) || (number == 1 && router_); }
    /// send sends frames (a packet first) to host number's daemon; false when it has no link
    /// there (why empty) or ZeroMQ refused (why says what it said).
    bool send(int number, std::vector<Frame>& frames, std::string& why);
    /// expireWaiting refuses the connections the gate has kept waiting too long.
    void expireWaiting();

private:
    zmq::context_t& context_;
    ZmqInputs& inputs_;
    const VmKeys& ownKeys_;
    int self_;
    OnInput onInput_;
    OnRefused onRefused_;
    ZapHandler gate_;
    std::optional<zmq::socket_t> router_;   // slaves: where other daemons connect
    std::map<int, zmq::socket_t> dealers_;  // host number -> link to that daemon
    std::vector<std::map<int, zmq::socket_t>::node_type> dropped_;
};

}  // namespace pvm
