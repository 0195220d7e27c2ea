// zmq_inputs-test.cpp - the daemon's ZeroMQ sockets served from its reactor: a message
// wakes the reactor and reaches its socket's handler, one that a send on the socket took
// in is still found before the loop would sleep, a handler may leave messages for the next
// turn, and a removed socket's handler is not run.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "reactor.h"
#include "zmq_inputs.h"

using namespace pvm;

namespace {
struct Pair {
    Pair() : inside(context, zmq::socket_type::pair), outside(context, zmq::socket_type::pair) {
        inside.bind("inproc://zmq-inputs-test");
        outside.connect("inproc://zmq-inputs-test");
    }
    zmq::context_t context;
    zmq::socket_t inside, outside;
};

/// readOne takes one message from socket into got, if one is there.
void readOne(zmq::socket_t& socket, std::vector<std::string>& got) {
    zmq::message_t message;
    if (socket.recv(message, zmq::recv_flags::dontwait)) got.push_back(message.to_string());
}

/// Served is a socket pair whose inside is served through a reactor, one message per call
/// of its handler, into got.
struct Served {
    Served() {
        inputs.add(pair.inside, [this] { readOne(pair.inside, got); });
    }
    Reactor reactor;
    ZmqInputs inputs{reactor};
    Pair pair;
    std::vector<std::string> got;
};

/// dispatchUntil runs the reactor until done() or a deadline far beyond any real wait.
bool dispatchUntil(Reactor& reactor, ZmqInputs& inputs, const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        inputs.serveDue();
        if (!done() && !inputs.serveAll()) reactor.dispatch(100);
    }
    return done();
}
}  // namespace

TEST_CASE("a ZeroMQ socket's messages reach its handler through the reactor", "[zmq_inputs]") {
    Served s;
    CHECK_FALSE(s.inputs.serveAll());  // nothing sent yet
    s.pair.outside.send(zmq::str_buffer("one"));
    s.pair.outside.send(zmq::str_buffer("two"));
    REQUIRE(dispatchUntil(s.reactor, s.inputs, [&] { return s.got.size() == 2; }));
    CHECK(s.got == std::vector<std::string>{"one", "two"});
    CHECK_FALSE(s.inputs.pending());
}

TEST_CASE("a message taken in by a send on its socket is found before the loop sleeps", "[zmq_inputs]") {
    Served s;
    s.pair.outside.send(zmq::str_buffer("in"));
    // The send may process the socket's commands, the one that woke its descriptor included.
    s.pair.inside.send(zmq::str_buffer("out"));
    CHECK(s.inputs.serveAll());
    CHECK(s.got == std::vector<std::string>{"in"});
}

TEST_CASE("a handler may leave messages for the next turn, and a removed socket is not served", "[zmq_inputs]") {
    Served s;
    for (const char* text : {"a", "b", "c"}) s.pair.outside.send(zmq::buffer(std::string(text)));
    REQUIRE(dispatchUntil(s.reactor, s.inputs, [&] { return !s.got.empty(); }));
    CHECK(s.inputs.pending());  // more are waiting although the handler returned
    REQUIRE(s.inputs.serveDue());
    REQUIRE(dispatchUntil(s.reactor, s.inputs, [&] { return s.got.size() == 3; }));
    CHECK_FALSE(s.inputs.pending());
    s.inputs.remove(s.pair.inside);
    s.pair.outside.send(zmq::str_buffer("d"));
    CHECK_FALSE(s.inputs.serveAll());
    s.reactor.dispatch(0);
    CHECK(s.got.size() == 3);
    CHECK(s.reactor.size() == 0);
}

TEST_CASE("a socket just sent on is asked at the next turn", "[zmq_inputs]") {
    Served s;
    CHECK_FALSE(s.inputs.serveAll());
    s.pair.outside.send(zmq::str_buffer("in"));
    s.pair.inside.send(zmq::str_buffer("out"));
    s.inputs.sentOn(s.pair.inside);
    CHECK(s.inputs.pending());
    CHECK(s.inputs.serveDue());  // within kRecheck of serveAll: only because it was sent on
    CHECK(s.got == std::vector<std::string>{"in"});
    CHECK_FALSE(s.inputs.pending());
}
