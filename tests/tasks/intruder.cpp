// intruder.cpp - plays a process without the virtual machine's keys: connects to
// a daemon's peer port in plain text and with made-up CurveZMQ keys, sends what
// a daemon would, and reports whether anything ever answers.
#include <cstdio>
#include <string>
#include <zmq.hpp>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: intruder tcp://address:port\n");
        return 2;
    }
    zmq::context_t context;
    bool answered = false;
    for (int attempt = 0; attempt < 2; ++attempt) {
        zmq::socket_t socket(context, zmq::socket_type::dealer);
        socket.set(zmq::sockopt::linger, 0);
        socket.set(zmq::sockopt::routing_id, "d1");  // pretend to be the master
        if (attempt == 1) {
            char pub[41], sec[41], serverPub[41], serverSec[41];
            zmq_curve_keypair(pub, sec);
            zmq_curve_keypair(serverPub, serverSec);
            socket.set(zmq::sockopt::curve_serverkey, std::string(serverPub));
            socket.set(zmq::sockopt::curve_publickey, std::string(pub));
            socket.set(zmq::sockopt::curve_secretkey, std::string(sec));
        }
        socket.connect(argv[1]);
        for (int i = 0; i < 10; ++i) socket.send(zmq::buffer(std::string(64, 'x')), zmq::send_flags::dontwait);
        zmq::pollitem_t item{static_cast<void*>(socket), 0, ZMQ_POLLIN, 0};
        if (zmq::poll(&item, 1, std::chrono::milliseconds(700)) > 0) answered = true;
    }
    std::printf(answered ? "got a reply\n" : "no reply\n");
    return 0;
}
