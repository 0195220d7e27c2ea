// remote_links.h - the sockets of the cross-host direct route (remote_route.h): a
// CurveZMQ TCP link from this task to each remote peer it sends to directly, and
// the one inbox where the links of peers arrive. Built into libpvm3tcp, the module
// libpvm3 loads on first use of the route.
#pragma once

#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "remote_route.h"
#include "vm_keys.h"

namespace pvm {

/// RemoteLinks holds a task's cross-host direct links.
class RemoteLinks final : public RemoteRoute {
public:
    /// hostAddress is how other hosts reach this one; keys are the machine's.
    RemoteLinks(std::string hostAddress, VmKeys keys);
    ~RemoteLinks() override;
    RemoteLinks(const RemoteLinks&) = delete;
    RemoteLinks& operator=(const RemoteLinks&) = delete;

    State state(int peer) const override;
    void setOffered(int peer) override { offered_.insert(peer); }
    void connect(int peer, const std::string& endpoint) override;
    bool connected(int peer) override;
    bool trySend(int peer, const Frame& packet, const std::vector<Frame>& body) override;
    void waitWritable(int peer, int timeoutMs) override;
    void drop(int peer) override;

    std::string inbox() override;
    int inboxFd() override;
    bool inboxHasInput() override;
    std::vector<Incoming> takeWaiting() override;
    std::vector<Incoming> switchOver(int peer) override;

private:
    std::string hostAddress_;
    VmKeys keys_;
    zmq::context_t context_{1};
    std::map<int, zmq::socket_t> links_;  // peer -> PUSH to its inbox
    std::set<int> offered_, open_, dropped_;
    std::set<int> awaited_;               // peers whose handshake connected() has waited for once
    std::optional<zmq::socket_t> inbox_;  // PULL, CurveZMQ server
    std::string inboxEndpoint_;
    std::set<int> switched_;
    std::map<int, std::deque<Incoming>> held_;
};

}  // namespace pvm
