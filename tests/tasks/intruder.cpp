// intruder.cpp - plays a process without the virtual machine's keys: connects to
// a daemon's peer port in plain text and with made-up CurveZMQ keys, sends what
// a daemon would, and reports whether anything ever answers. With --push it
// instead forges user messages (src, dst, tag 1, one int) into a task's
// cross-host direct-route inbox, the same two ways.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <zmq.hpp>

#include "pvm3.h"
#include "wire.h"
#include "zmq_frames.h"

namespace {
void useMadeUpKeys(zmq::socket_t& socket) {
    char pub[41], sec[41], serverPub[41], serverSec[41];
    zmq_curve_keypair(pub, sec);
    zmq_curve_keypair(serverPub, serverSec);
    socket.set(zmq::sockopt::curve_serverkey, std::string(serverPub));
    socket.set(zmq::sockopt::curve_publickey, std::string(pub));
    socket.set(zmq::sockopt::curve_secretkey, std::string(sec));
}

int forge(const char* endpoint, int src, int dst) {
    zmq::context_t context;
    for (int attempt = 0; attempt < 2; ++attempt) {
        zmq::socket_t socket(context, zmq::socket_type::push);
        socket.set(zmq::sockopt::linger, 500);
        if (attempt == 1) useMadeUpKeys(socket);
        socket.connect(endpoint);
        for (int i = 0; i < 10; ++i) {
            capnp::MallocMessageBuilder builder;
            auto envelope = builder.initRoot<pvm::wire::Packet>().initMessage();
            envelope.setSrc(src);
            envelope.setDst(dst);
            envelope.setTag(1);
            envelope.setEncoding(PvmDataDefault);
            envelope.setLength(4);
            zmq::message_t packet = pvm::toZmq(pvm::toFrame(builder));
            unsigned char body[4] = {0x7f, 0xff, 0xff, 0xff};  // a sequence number nobody sent
            (void)socket.send(packet, zmq::send_flags::sndmore | zmq::send_flags::dontwait);
            (void)socket.send(zmq::buffer(body, 4), zmq::send_flags::dontwait);
        }
    }
    std::printf("forged\n");
    return 0;
}
}  // namespace

int main(int argc, char** argv) {
    if (argc == 5 && std::string(argv[1]) == "--push") return forge(argv[2], std::atoi(argv[3]), std::atoi(argv[4]));
    if (argc != 2) {
        std::fprintf(stderr, "usage: intruder tcp://address:port\n       intruder --push tcp://address:port SRC DST\n");
        return 2;
    }
    zmq::context_t context;
    bool answered = false;
    for (int attempt = 0; attempt < 2; ++attempt) {
        zmq::socket_t socket(context, zmq::socket_type::dealer);
        socket.set(zmq::sockopt::linger, 0);
        socket.set(zmq::sockopt::routing_id, "d1");  // pretend to be the master
        if (attempt == 1) useMadeUpKeys(socket);
        socket.connect(argv[1]);
        for (int i = 0; i < 10; ++i) socket.send(zmq::buffer(std::string(64, 'x')), zmq::send_flags::dontwait);
        zmq::pollitem_t item{static_cast<void*>(socket), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&item, 1, std::chrono::milliseconds(700)) > 0) answered = true;
    }
    std::printf(answered ? "got a reply\n" : "no reply\n");
    return 0;
}
