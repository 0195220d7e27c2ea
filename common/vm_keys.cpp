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

void VmKeys::makeClient(zmq::socket_t& socket) const {
    socket.set(zmq::sockopt::curve_serverkey, publicKey);
    socket.set(zmq::sockopt::curve_publickey, publicKey);
    socket.set(zmq::sockopt::curve_secretkey, secretKey);
}

ZapHandler::ZapHandler(zmq::context_t& context, std::string allowedPublicKey)
    : socket_(context, zmq::socket_type::rep) {
    allowed_.resize(32);
    if (!zmq_z85_decode(reinterpret_cast<uint8_t*>(allowed_.data()), allowedPublicKey.c_str()))
        throw Error(PvmBadMsg, "malformed machine public key");
    socket_.bind("inproc://zeromq.zap.01");
}

int ZapHandler::onReadable() {
    int refused = 0;
    std::vector<Frame> request;
    while (receiveMultipart(socket_, request)) {
        // Frames: version, request id, domain, address, identity, mechanism, credentials...
        bool ok = request.size() >= 7 && request[5].text() == "CURVE" && request[6].text() == allowed_;
        if (!ok) ++refused;
        std::string id(request.size() > 1 ? request[1].text() : "");
        socket_.send(zmq::buffer(std::string("1.0")), zmq::send_flags::sndmore);
        socket_.send(zmq::buffer(id), zmq::send_flags::sndmore);
        socket_.send(zmq::buffer(std::string(ok ? "200" : "400")), zmq::send_flags::sndmore);
        socket_.send(zmq::buffer(std::string(ok ? "OK" : "not a key of this virtual machine")),
                     zmq::send_flags::sndmore);
        socket_.send(zmq::buffer(std::string()), zmq::send_flags::sndmore);  // user id
        socket_.send(zmq::buffer(std::string()), zmq::send_flags::none);     // metadata
    }
    return refused;
}

}  // namespace pvm
