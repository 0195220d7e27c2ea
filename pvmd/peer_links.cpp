// peer_links.cpp - the ZeroMQ sockets between daemons.
#include "peer_links.h"

#include "zmq_frames.h"

namespace pvm {

namespace {
/// unbounded makes socket queue rather than drop or block: the window between daemons
/// (peer_flow.h) is what bounds their traffic.
void unbounded(zmq::socket_t& socket) {
    socket.set(zmq::sockopt::sndhwm, 0);
    socket.set(zmq::sockopt::rcvhwm, 0);
    socket.set(zmq::sockopt::linger, 1000);
}
}  // namespace

PeerLinks::PeerLinks(zmq::context_t& context, ZmqInputs& inputs, const VmKeys& ownKeys, int self, OnInput onInput,
                     OnRefused onRefused)
    : context_(context),
      inputs_(inputs),
      ownKeys_(ownKeys),
      self_(self),
      onInput_(std::move(onInput)),
      onRefused_(std::move(onRefused)),
      gate_(context) {
    inputs_.add(gate_.socket(), [this] { onRefused_(gate_.onReadable()); });
}

void PeerLinks::admit(int number, const std::string& publicKey) { gate_.allow(publicKey, identity(number)); }

int PeerLinks::listen(const std::string& address) {
    router_.emplace(context_, zmq::socket_type::router);
    ownKeys_.makeServer(*router_);
    router_->set(zmq::sockopt::router_mandatory, 1);
    unbounded(*router_);
    router_->bind("tcp://" + address + ":0");
    std::string bound = router_->get(zmq::sockopt::last_endpoint);
    inputs_.add(*router_, [this] { onInput_(0, *router_, true); });
    return std::stoi(bound.substr(bound.rfind(':') + 1));
}

void PeerLinks::connect(const Host& host) {
    if (host.endpoint.empty() || !isPublicKey(host.publicKey) || dealers_.contains(host.number)) return;
    zmq::socket_t socket(context_, zmq::socket_type::dealer);
    ownKeys_.makeClient(socket, host.publicKey);  // only that host's daemon can answer
    socket.set(zmq::sockopt::routing_id, identity(self_));
    unbounded(socket);
    socket.connect(host.endpoint);
    zmq::socket_t& dealer = dealers_.emplace(host.number, std::move(socket)).first->second;
    inputs_.add(dealer, [this, number = host.number] {
        if (auto it = dealers_.find(number); it != dealers_.end()) onInput_(number, it->second, false);
    });
}

void PeerLinks::drop(int number) {
    gate_.forget(identity(number));
    auto it = dealers_.find(number);
    if (it == dealers_.end()) return;
    inputs_.remove(it->second);
    dropped_.push_back(dealers_.extract(it));
}

bool PeerLinks::send(int number, std::vector<Frame>& frames, std::string& why) {
    try {
        if (auto it = dealers_.find(number); it != dealers_.end()) {
            sendMultipart(it->second, frames, zmq::send_flags::none);
            inputs_.sentOn(it->second);
            return true;
        }
        if (number == 1 && router_) {
            router_->send(zmq::buffer(identity(1)), zmq::send_flags::sndmore);
            sendMultipart(*router_, frames, zmq::send_flags::none);
            inputs_.sentOn(*router_);
            return true;
        }
        why.clear();
    } catch (const zmq::error_t& e) {
        why = e.what();
    }
    return false;
}

void PeerLinks::expireWaiting() { onRefused_(gate_.expire()); }

}  // namespace pvm
