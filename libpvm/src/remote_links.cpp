// remote_links.cpp - sockets of the cross-host direct route, and the maker
// libpvm3 looks up when it loads this module.
#include "remote_links.h"

#include <cstdio>

#include "errors.h"
#include "pvm3.h"
#include "wire.h"
#include "zmq_frames.h"

namespace pvm {

RemoteLinks::RemoteLinks(std::string hostAddress, VmKeys keys)
    : hostAddress_(std::move(hostAddress)), keys_(std::move(keys)) {}

RemoteLinks::~RemoteLinks() {
    // Closing a socket with a linger lets ZeroMQ's I/O thread finish writing it; the
    // context's destructor waits for that.
    for (auto& [peer, socket] : links_) socket.set(zmq::sockopt::linger, kRemoteLingerMs);
    links_.clear();
    if (inbox_) inbox_->set(zmq::sockopt::linger, 0);
    inbox_.reset();
}

RemoteLinks::State RemoteLinks::state(int peer) const {
    if (open_.count(peer)) return State::Open;
    if (links_.count(peer)) return State::Connecting;
    // A dropped link is not offered again: the peer is gone, or never reachable.
    return offered_.count(peer) || dropped_.count(peer) ? State::Offered : State::None;
}

bool RemoteLinks::connected(int peer) {
    auto it = links_.find(peer);
    if (it == links_.end()) return false;
    // The first look waits for the handshake, as a PVM task waits for its direct connection
    // at its first send: otherwise which messages go direct would depend on timing (and a
    // switch left for later needs the daemons then). Later looks do not wait.
    if (awaited_.insert(peer).second) waitWritable(peer, kRemoteSetupMs);
    // With ZMQ_IMMEDIATE the socket is writable only through a finished connection.
    if (!(it->second.get(zmq::sockopt::events) & ZMQ_POLLOUT)) return false;
    open_.insert(peer);
    return true;
}

void RemoteLinks::waitWritable(int peer, int timeoutMs) {
    zmq::pollitem_t item{static_cast<void*>(links_.at(peer)), 0, ZMQ_POLLOUT, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(timeoutMs));
}

void RemoteLinks::drop(int peer) {
    links_.erase(peer);
    open_.erase(peer);
    offered_.erase(peer);
    dropped_.insert(peer);
}

void RemoteLinks::connect(int peer, const std::string& endpoint) {
    try {
        zmq::socket_t socket(context_, zmq::socket_type::push);
        socket.set(zmq::sockopt::sndhwm, 0);  // as the daemon route: queue rather than block
        socket.set(zmq::sockopt::linger, 0);
        socket.set(zmq::sockopt::immediate, 1);  // nothing queues to a connection not yet made
        keys_.makeClient(socket);
        socket.connect(endpoint);
        links_.emplace(peer, std::move(socket));
    } catch (const zmq::error_t& e) {
        throw Error(PvmSysErr, "direct link to " + endpoint + ": " + e.what());
    }
}

bool RemoteLinks::trySend(int peer, const Frame& packet, const std::vector<Frame>& body) {
    std::vector<Frame> frames;
    frames.reserve(body.size() + 1);
    frames.push_back(packet.share());
    for (const Frame& f : body) frames.push_back(f.share());
    try {
        return sendMultipart(links_.at(peer), frames, zmq::send_flags::dontwait);
    } catch (const zmq::error_t& e) {
        throw Error(PvmSysErr, std::string("sending on a direct link: ") + e.what());
    }
}

std::string RemoteLinks::inbox() {
    if (inbox_) return inboxEndpoint_;
    try {
        zmq::socket_t socket(context_, zmq::socket_type::pull);
        socket.set(zmq::sockopt::rcvhwm, 0);
        socket.set(zmq::sockopt::linger, 0);
        keys_.makeServer(socket, false);
        socket.bind("tcp://*:0");
        std::string bound = socket.get(zmq::sockopt::last_endpoint);
        inboxEndpoint_ = "tcp://" + hostAddress_ + bound.substr(bound.rfind(':'));
        inbox_.emplace(std::move(socket));
    } catch (const zmq::error_t& e) {
        throw Error(PvmSysErr, std::string("cannot open a direct-route inbox: ") + e.what());
    }
    return inboxEndpoint_;
}

int RemoteLinks::inboxFd() { return inbox_ ? static_cast<int>(inbox_->get(zmq::sockopt::fd)) : -1; }

bool RemoteLinks::inboxHasInput() { return inbox_ && (inbox_->get(zmq::sockopt::events) & ZMQ_POLLIN) != 0; }

std::vector<Incoming> RemoteLinks::takeWaiting() {
    std::vector<Incoming> ready;
    if (!inbox_) return ready;
    std::vector<Frame> frames;
    while (receiveMultipart(*inbox_, frames)) {
        Incoming in{std::move(frames[0]), {}};
        for (std::size_t i = 1; i < frames.size(); ++i) in.body.push_back(std::move(frames[i]));
        frames.clear();
        int src = 0;
        try {
            PacketReader reader(in.packet);
            auto packet = reader.packet();
            if (packet.which() == wire::Packet::MESSAGE) src = packet.getMessage().getSrc();
        } catch (const Error&) {
        }
        if (src == 0) {
            std::fprintf(stderr, "libpvm: dropped a malformed packet from a direct link\n");
            continue;
        }
        if (switched_.count(src))
            ready.push_back(std::move(in));
        else
            held_[src].push_back(std::move(in));
    }
    return ready;
}

std::vector<Incoming> RemoteLinks::switchOver(int peer) {
    switched_.insert(peer);
    std::vector<Incoming> ready;
    auto it = held_.find(peer);
    if (it == held_.end()) return ready;
    for (auto& in : it->second) ready.push_back(std::move(in));
    held_.erase(it);
    return ready;
}

}  // namespace pvm

extern "C" pvm::RemoteRoute* pvm_open_remote_route(const std::string& hostAddress, const std::string& keys) {
    return new pvm::RemoteLinks(hostAddress, pvm::VmKeys::parse(keys));
}
