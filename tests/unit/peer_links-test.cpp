// peer_links-test.cpp - the CurveZMQ links between two daemons, over loopback in one
// process: the master's DEALER reaches a slave's ROUTER, which names the sender and
// answers on the same connection; messages keep their order both ways; a dropped link
// is no longer sent on.
#include <catch2/catch.hpp>
#include <chrono>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "peer_links.h"
#include "reactor.h"
#include "zmq_frames.h"
#include "zmq_inputs.h"

using namespace pvm;

namespace {
/// Received is one message a daemon's links took: from which link, and its frames' text.
struct Received {
    int host;
    bool router;
    std::vector<std::string> frames;
};

/// Side is one daemon's links with a loop of its own; what they take lands in got.
struct Side {
    explicit Side(int number)
        : keys(VmKeys::generate()),
          links(
              context, inputs, keys, number,
              [this](int host, zmq::socket_t& socket, bool router) {
                  std::vector<Frame> frames;
                  while (receiveMultipart(socket, frames)) {
                      Received r{host, router, {}};
                      for (const Frame& f : frames) r.frames.emplace_back(f.text());
                      got.push_back(r);
                  }
              },
              [](int) {}) {}
    zmq::context_t context;
    Reactor reactor;
    ZmqInputs inputs{reactor};
    VmKeys keys;
    PeerLinks links;
    std::vector<Received> got;
};

/// turn serves both sides once, waiting up to 10 ms for input.
void turn(Side& a, Side& b) {
    a.inputs.serveDue();
    b.inputs.serveDue();
    a.reactor.dispatch(0);
    if (!a.inputs.serveAll() && !b.inputs.serveAll()) b.reactor.dispatch(10);
}

/// until turns both sides until done() or a deadline far beyond any real wait.
bool until(Side& a, Side& b, const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done() && std::chrono::steady_clock::now() < deadline) turn(a, b);
    return done();
}

std::vector<Frame> textFrames(const std::vector<std::string>& texts) {
    std::vector<Frame> frames;
    for (const auto& t : texts) frames.emplace_back(t.data(), t.size());
    return frames;
}

/// Machine is a master (host 1) linked to a slave (host 2) as the daemons link them.
struct Machine {
    Machine() {
        slave.links.admit(1, master.keys.publicKey);
        Host host;
        host.number = 2;
        host.endpoint = "tcp://127.0.0.1:" + std::to_string(slave.links.listen("127.0.0.1"));
        host.publicKey = slave.keys.publicKey;
        master.links.connect(host);
    }
    Side master{1}, slave{2};
};
}  // namespace

TEST_CASE("the master's link reaches a slave, which answers on it, in order both ways", "[peer_links]") {
    Machine m;
    REQUIRE(m.master.links.reaches(2));
    REQUIRE(m.slave.links.reaches(1));
    CHECK_FALSE(m.master.links.reaches(3));
    std::string why;
    for (int i = 0; i < 3; ++i) {
        auto frames = textFrames({"to slave " + std::to_string(i), "body"});
        REQUIRE(m.master.links.send(2, frames, why));
    }
    REQUIRE(until(m.master, m.slave, [&] { return m.slave.got.size() == 3; }));
    for (int i = 0; i < 3; ++i) {
        const Received& r = m.slave.got[static_cast<std::size_t>(i)];
        CHECK(r.router);
        // The ROUTER puts the sender's identity first; the gate let only the master's key in as d1.
        REQUIRE(r.frames.size() == 3);
        CHECK(r.frames[0] == "d1");
        CHECK(r.frames[1] == "to slave " + std::to_string(i));
    }
    for (int i = 0; i < 3; ++i) {
        auto frames = textFrames({"to master " + std::to_string(i)});
        REQUIRE(m.slave.links.send(1, frames, why));
    }
    REQUIRE(until(m.master, m.slave, [&] { return m.master.got.size() == 3; }));
    for (int i = 0; i < 3; ++i) {
        const Received& r = m.master.got[static_cast<std::size_t>(i)];
        CHECK_FALSE(r.router);
        CHECK(r.host == 2);
        REQUIRE(r.frames.size() == 1);
        CHECK(r.frames[0] == "to master " + std::to_string(i));
    }
}

TEST_CASE("a dropped link is not sent on, and that is not an error of ZeroMQ's", "[peer_links]") {
    Machine m;
    std::string why = "unchanged";
    auto frames = textFrames({"before"});
    REQUIRE(m.master.links.send(2, frames, why));
    REQUIRE(until(m.master, m.slave, [&] { return m.slave.got.size() == 1; }));
    m.master.links.drop(2);
    CHECK_FALSE(m.master.links.reaches(2));
    CHECK_FALSE(m.master.links.hasDealer(2));
    frames = textFrames({"after"});
    CHECK_FALSE(m.master.links.send(2, frames, why));
    CHECK(why.empty());
    m.master.links.closeDropped();
    CHECK_FALSE(m.master.links.send(2, frames, why));
}
