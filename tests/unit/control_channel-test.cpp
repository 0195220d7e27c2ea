// control_channel-test.cpp - request ids and answers: nested calls get their own
// answers in any order, and an answer nobody waits for is dropped.
#include <catch2/catch.hpp>
#include <capnp/message.h>

#include "control_channel.h"

using namespace pvm;

namespace {
/// answerTo makes the daemon's answer to request id, carrying value.
std::unique_ptr<PacketReader> answerTo(std::uint32_t id, int value) {
    capnp::MallocMessageBuilder builder;
    auto reply = builder.initRoot<wire::Packet>().initReply();
    reply.setId(id);
    reply.setValue(value);
    pvm::Frame frame = toFrame(builder);
    return std::make_unique<PacketReader>(frame);
}

std::uint32_t openRequest(ControlChannel& channel) {
    capnp::MallocMessageBuilder builder;
    return channel.open(builder.initRoot<wire::Packet>().initRequest());
}

int valueOf(const std::unique_ptr<PacketReader>& answer) { return answer->packet().getReply().getValue(); }
}  // namespace

TEST_CASE("nested requests get their own answers, in any order", "[control]") {
    ControlChannel channel;
    std::uint32_t outer = openRequest(channel);
    std::uint32_t inner = openRequest(channel);  // a handler's call while the outer one waits
    CHECK(outer != inner);
    CHECK(outer != 0);  // 0 is enrollment's
    CHECK(channel.file(answerTo(outer, 1)));
    CHECK_FALSE(channel.answered(inner));
    CHECK(channel.file(answerTo(inner, 2)));
    CHECK(valueOf(channel.take(inner)) == 2);
    CHECK(valueOf(channel.take(outer)) == 1);
    CHECK(channel.waiting() == 0);
}

TEST_CASE("an answer nobody waits for is dropped", "[control]") {
    ControlChannel channel;
    std::uint32_t id = openRequest(channel);
    CHECK_FALSE(channel.file(answerTo(id + 100, 5)));  // never asked
    channel.cancel(id);                                // the caller gave up
    CHECK_FALSE(channel.file(answerTo(id, 6)));
    std::uint32_t again = openRequest(channel);
    CHECK(channel.file(answerTo(again, 7)));
    CHECK_FALSE(channel.file(answerTo(again, 8)));  // a second answer does not replace the first
    CHECK(valueOf(channel.take(again)) == 7);
    channel.clear();
    CHECK(channel.take(again) == nullptr);
}
