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
    Reactor reactor;
    ZmqInputs inputs(reactor);
    Pair pair;
    std::vector<std::string> got;
    inputs.add(pair.inside, [&] { readOne(pair.inside, got); });
    CHECK_FALSE(inputs.serveAll());  // nothing sent yet
    pair.outside.send(zmq::str_buffer("one"));
    pair.outside.send(zmq::str_buffer("two"));
    REQUIRE(dispatchUntil(reactor, inputs, [&] { return got.size() == 2; }));
    CHECK(got == std::vector<std::string>{"one", "two"});
    CHECK_FALSE(inputs.pending());
}

TEST_CASE("a message taken in by a send on its socket is found before the loop sleeps", "[zmq_inputs]") {
    Reactor reactor;
    ZmqInputs inputs(reactor);
    Pair pair;
    std::vector<std::string> got;
    inputs.add(pair.inside, [&] { readOne(pair.inside, got); });
    pair.outside.send(zmq::str_buffer("in"));
    // The send may process the socket's commands, the one that woke its descriptor included.
    pair.inside.send(zmq::str_buffer("out"));
    CHECK(inputs.serveAll());
    CHECK(got == std::vector<std::string>{"in"});
}

TEST_CASE("a handler may leave messages for the next turn, and a removed socket is not served", "[zmq_inputs]") {
    Reactor reactor;
    ZmqInputs inputs(reactor);
    Pair pair;
    std::vector<std::string> got;
    inputs.add(pair.inside, [&] { readOne(pair.inside, got); });  // one message per turn
    for (const char* text : {"a", "b", "c"}) pair.outside.send(zmq::buffer(std::string(text)));
    REQUIRE(dispatchUntil(reactor, inputs, [&] { return !got.empty(); }));
    CHECK(inputs.pending());  // more are waiting although the handler returned
    REQUIRE(inputs.serveDue());
    REQUIRE(dispatchUntil(reactor, inputs, [&] { return got.size() == 3; }));
    CHECK_FALSE(inputs.pending());
    inputs.remove(pair.inside);
    pair.outside.send(zmq::str_buffer("d"));
    CHECK_FALSE(inputs.serveAll());
    reactor.dispatch(0);
    CHECK(got.size() == 3);
    CHECK(reactor.size() == 0);
}

TEST_CASE("a socket just sent on is asked at the next turn", "[zmq_inputs]") {
    Reactor reactor;
    ZmqInputs inputs(reactor);
    Pair pair;
    std::vector<std::string> got;
    inputs.add(pair.inside, [&] { readOne(pair.inside, got); });
    CHECK_FALSE(inputs.serveAll());
    pair.outside.send(zmq::str_buffer("in"));
    pair.inside.send(zmq::str_buffer("out"));
    inputs.sentOn(pair.inside);
    CHECK(inputs.pending());
    CHECK(inputs.serveDue());  // within kRecheck of serveAll: only because it was sent on
    CHECK(got == std::vector<std::string>{"in"});
    CHECK_FALSE(inputs.pending());
}
