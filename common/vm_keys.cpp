// vm_keys.cpp - CurveZMQ keys and the ZAP handler.
#include "vm_keys.h"

#include <sstream>
#include <vector>

#include "errors.h"
#include "pvm3.h"
#include "zmq_frames.h"

namespace pvm {

VmKeys VmKeys::generate() {
    char pub[41], sec[41];
    if (zmq_curve_keypair(pub, sec) != 0) throw Error(PvmSysErr, "this libzmq has no CurveZMQ support");
    return {pub, sec};
}

VmKeys VmKeys::parse(const std::string& line) {
    std::istringstream in(line);
    VmKeys keys;
    in >> keys.publicKey >> keys.secretKey;
    if (keys.publicKey.size() != 40 || keys.secretKey.size() != 40) throw Error(PvmBadMsg, "malformed machine keys");
    return keys;
}

void VmKeys::makeServer(zmq::socket_t& socket, bool checked) const {
    if (checked) socket.set(zmq::sockopt::zap_domain, "pvm");
    socket.set(zmq::sockopt::curve_server, 1);
    socket.set(zmq::sockopt::curve_secretkey, secretKey);
}

void VmKeys::makeClient(zmq::socket_t& socket, const std::string& serverPublicKey) const {
    socket.set(zmq::sockopt::curve_serverkey, serverPublicKey.empty() ? publicKey : serverPublicKey);
    socket.set(zmq::sockopt::curve_publickey, publicKey);
    socket.set(zmq::sockopt::curve_secretkey, secretKey);
}

namespace {
/// rawKey decodes a Z85 public key into its 32 bytes; "" when malformed.
std::string rawKey(const std::string& text) {
    if (text.size() != 40) return "";
    std::string raw(32, '\0');
    if (!zmq_z85_decode(reinterpret_cast<uint8_t*>(raw.data()), text.c_str())) return "";
    return raw;
}
}  // namespace

bool isPublicKey(const std::string& text) { return !rawKey(text).empty(); }

SlaveKeys SlaveKeys::parse(const std::string& line) {
    std::istringstream in(line);
    SlaveKeys keys;
    in >> keys.machine.publicKey >> keys.machine.secretKey >> keys.masterPublicKey;
    if (keys.machine.publicKey.size() != 40 || keys.machine.secretKey.size() != 40 ||
        !isPublicKey(keys.masterPublicKey))
        throw Error(PvmBadMsg, "malformed keys on the start-up channel");
    return keys;
}

ZapHandler::ZapHandler(zmq::context_t& context) : socket_(context, zmq::socket_type::router) {
    socket_.bind("inproc://zeromq.zap.01");
}

void ZapHandler::allow(const std::string& publicKey, const std::string& identity) {
    std::string raw = rawKey(publicKey);
    if (raw.empty()) throw Error(PvmBadMsg, "malformed public key for " + identity);
    forget(identity);
    identities_[raw] = identity;
    std::erase_if(waiting_, [&](const Waiting& w) {
        if (w.rawKey != raw) return false;
        answer(w.route, w.requestId, identity);
        return true;
    });
}

void ZapHandler::forget(const std::string& identity) {
    std::erase_if(identities_, [&](const auto& entry) { return entry.second == identity; });
}

void ZapHandler::answer(const std::string& route, const std::string& requestId, const std::string& identity) {
    bool ok = !identity.empty();
    socket_.send(zmq::buffer(route), zmq::send_flags::sndmore);
    socket_.send(zmq::message_t(), zmq::send_flags::sndmore);  // the delimiter a REQ peer expects
    socket_.send(zmq::buffer(std::string("1.0")), zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(requestId), zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(std::string(ok ? "200" : "400")), zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(std::string(ok ? "OK" : "not a daemon of this virtual machine")),
                 zmq::send_flags::sndmore);
    socket_.send(zmq::buffer(identity), zmq::send_flags::sndmore);    // user id: "User-Id" of its messages
    socket_.send(zmq::buffer(std::string()), zmq::send_flags::none);  // metadata
}

int ZapHandler::onReadable() {
    int refused = 0;
    std::vector<Frame> request;
    while (receiveMultipart(socket_, request)) {
        // Frames: route, delimiter, then version, request id, domain, address, identity,
        // mechanism, credentials...
        if (request.size() < 4) continue;  // not a request anyone can be answered on
        std::string route(request[0].text()), requestId(request[3].text());
        if (request.size() < 9 || request[7].text() != "CURVE" || request[8].size() != 32) {
            answer(route, requestId, "");
            ++refused;
            continue;
        }
        std::string raw(request[8].text());
        if (auto it = identities_.find(raw); it != identities_.end())
            answer(route, requestId, it->second);
        else
            waiting_.push_back({route, requestId, raw, std::chrono::steady_clock::now()});
    }
    return refused;
}

int ZapHandler::expire() {
    if (waiting_.empty()) return 0;  // called on every turn of the daemon's loop
    auto now = std::chrono::steady_clock::now();
    std::size_t before = waiting_.size();
    std::erase_if(waiting_, [&](const Waiting& w) {
        if (now - w.since < kZapPatience) return false;
        answer(w.route, w.requestId, "");
        return true;
    });
    return static_cast<int>(before - waiting_.size());
}

}  // namespace pvm
