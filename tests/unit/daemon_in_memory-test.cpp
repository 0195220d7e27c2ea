// daemon_in_memory-test.cpp - the daemon's handlers driven in memory: tasks played on
// in-memory links, processes by a stand-in ProcessControl. No socket, no process.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

#include "daemon.h"
#include "stand_in_processes.h"
#include "pvm3.h"
#include "request_defaults.h"
#include "wire.h"

using namespace pvm;
using pvm::test::StandInProcesses;

namespace {
/// InMemoryDaemon is a master in memory with its log in a temporary directory.
struct InMemoryDaemon {
    InMemoryDaemon() : dir(makeDir()), daemon(DaemonOptions{}, processes) { daemon.startInMemory(dir + "/log"); }
    ~InMemoryDaemon() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    static std::string makeDir() {
        char pattern[] = "/tmp/pvm-in-memory.XXXXXX";
        REQUIRE(mkdtemp(pattern));
        return pattern;
    }
    std::string dir;
    StandInProcesses processes;
    Daemon daemon;
};

template <typename Fill>
std::vector<Frame> request(std::uint32_t id, Fill fill) {
    capnp::MallocMessageBuilder builder;
    auto r = builder.initRoot<wire::Packet>().initRequest();
    r.setId(id);
    fill(r);
    std::vector<Frame> frames;
    frames.push_back(toFrame(builder));
    return frames;
}

/// enroll attaches a task played by this test and enrolls it; returns its route and tid.
std::pair<std::string, int> enroll(Daemon& d, int pid) {
    std::string route = d.attachTask(pid);
    d.fromTask(route, request(0, [](wire::Request::Builder r) {
                   auto e = r.initEnroll();
                   e.setName("played");
                   e.setProtocolVersion(kProtocolVersion);
               }));
    auto sent = d.toTask(route);
    REQUIRE(sent.size() == 1);
    PacketReader reader(sent[0][0]);
    REQUIRE(reader.packet().getReply().isEnrolled());
    return {route, reader.packet().getReply().getEnrolled().getTid()};
}
}  // namespace

TEST_CASE("an in-memory daemon enrolls tasks and routes a message between them", "[daemon]") {
    InMemoryDaemon m;
    auto [a, aTid] = enroll(m.daemon, 101);
    auto [b, bTid] = enroll(m.daemon, 102);
    CHECK(aTid == 0x40001);
    CHECK(bTid == 0x40002);
    capnp::MallocMessageBuilder builder;
    auto e = builder.initRoot<wire::Packet>().initMessage();
    e.setSrc(aTid);
    e.setDst(bTid);
    e.setTag(7);
    e.setEncoding(PvmDataRaw);
    e.setLength(3);
    std::vector<Frame> frames;
    frames.push_back(toFrame(builder));
    frames.push_back(Frame("abc", 3));
    m.daemon.fromTask(a, std::move(frames));
    auto got = m.daemon.toTask(b);
    REQUIRE(got.size() == 1);
    REQUIRE(got[0].size() == 2);
    PacketReader reader(got[0][0]);
    CHECK(reader.packet().getMessage().getTag() == 7);
    CHECK(reader.packet().getMessage().getSrc() == aTid);
    CHECK(got[0][1].text() == "abc");
}

TEST_CASE("an in-memory daemon spawns through its ProcessControl and signals the task on kill", "[daemon]") {
    InMemoryDaemon m;
    auto [route, tid] = enroll(m.daemon, 101);
    m.daemon.fromTask(route, request(5, [](wire::Request::Builder r) {
                          auto s = r.initSpawn();
                          s.setFile("/bin/true");
                          s.setCount(1);
                      }));
    auto sent = m.daemon.toTask(route);
    REQUIRE(sent.size() == 1);
    PacketReader reader(sent[0][0]);
    auto reply = reader.packet().getReply();
    CHECK(reply.getId() == 5);
    REQUIRE(reply.getTids().size() == 1);
    int child = reply.getTids()[0];
    CHECK(child == 0x40002);
    m.daemon.settle();  // the loop starts what was queued
    CHECK(m.processes.started == std::vector<std::string>{"/bin/true"});
    m.daemon.fromTask(route, request(6, [&](wire::Request::Builder r) { r.setKill(child); }));
    CHECK(m.processes.signals == std::vector<std::pair<int, int>>{{4000001, SIGTERM}});
}

TEST_CASE("every request type gets an answer", "[daemon]") {
    // What a task asks must never go unanswered (the task would wait for ever): each kind of
    // request, with every field at its default, is answered with a reply or an error. Only
    // a halt is answered by the daemon's end instead.
    auto fields = capnp::Schema::from<wire::Request>().getUnionFields();
    for (auto field : fields) {
        std::string name = field.getProto().getName().cStr();
        if (name == "enroll" || name == "halt") continue;
        INFO("request " << name);
        InMemoryDaemon m;
        auto [route, tid] = enroll(m.daemon, 101);
        m.daemon.fromTask(route, request(9, [&](wire::Request::Builder r) { pvm::test::setDefault(r, field); }));
        auto sent = m.daemon.toTask(route);
        REQUIRE(sent.size() >= 1);
        PacketReader reader(sent.back()[0]);
        REQUIRE(reader.packet().isReply());
        CHECK(reader.packet().getReply().getId() == 9);
    }
}
