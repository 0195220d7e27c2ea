// mailroom-test.cpp - the task's arrived messages without a daemon: matching in arrival
// order, contexts, pvm_recvf's function, and handlers run when their message is reached.
#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "mailroom.h"
#include "pvm3.h"

using pvm::Buffer;
using pvm::BufferTable;
using pvm::Mailroom;

namespace {
/// deliver puts a message from src with tag (and context) into the table and the mailroom.
int deliver(BufferTable& buffers, Mailroom& mail, int src, int tag, int context = 0) {
    auto b = std::make_unique<Buffer>(pvm::MessageBuffer(PvmDataDefault));
    b->src = src;
    b->tag = tag;
    b->context = context;
    int id = buffers.adopt(std::move(b));
    mail.arrive(id);
    return id;
}

std::vector<int> handled;  // ids the handler below was called with, in order
int recordingHandler(int id) {
    handled.push_back(id);
    return 0;
}

int onlyEven(int id, int, int) { return id % 2 == 0 ? 1 : 0; }
}  // namespace

TEST_CASE("a receive takes the first message its source, tag and context select", "[mailroom]") {
    BufferTable buffers;
    Mailroom mail(buffers);
    int a = deliver(buffers, mail, 0x40001, 5);
    int b = deliver(buffers, mail, 0x40002, 5);
    int c = deliver(buffers, mail, 0x40001, 6, 7);
    int own = deliver(buffers, mail, 0x40001, -3);  // the library's own tags are never "any"
    CHECK(mail.find(-1, -1, 0) == a);
    CHECK(mail.find(0x40002, -1, 0) == b);
    CHECK(mail.find(-1, 6, 0) == std::nullopt);  // in another context
    CHECK(mail.find(-1, 6, 7) == c);
    CHECK(mail.find(-1, -3, 0) == own);
    mail.take(a);
    CHECK(mail.find(-1, 5, 0) == b);
    buffers.free(b);  // freed after a probe: gone from the queue too
    CHECK(mail.find(-1, -1, 0) == std::nullopt);
}

TEST_CASE("pvm_recvf's function decides what a receive takes", "[mailroom]") {
    BufferTable buffers;
    Mailroom mail(buffers);
    int first = deliver(buffers, mail, 0x40001, 1);
    int second = deliver(buffers, mail, 0x40001, 1);
    int even = first % 2 == 0 ? first : second;
    CHECK(mail.setMatch(onlyEven) == nullptr);
    CHECK(mail.find(-1, -1, 0) == even);
    CHECK(mail.setMatch(nullptr) == onlyEven);
    CHECK(mail.find(-1, -1, 0) == first);
}

TEST_CASE("a handler runs when its message is reached, once, and takes it", "[mailroom]") {
    handled.clear();
    BufferTable buffers;
    Mailroom mail(buffers);
    mail.handlers().add(-1, 9, 0, recordingHandler);
    int h1 = deliver(buffers, mail, 0x40001, 9);
    int plain = deliver(buffers, mail, 0x40001, 1);
    int h2 = deliver(buffers, mail, 0x40001, 9);
    // A receive reaches h1 (the handler runs), then finds plain; h2 behind it waits, as in PVM.
    CHECK(mail.find(-1, 1, 0) == plain);
    CHECK(handled == std::vector<int>{h1});
    CHECK_FALSE(buffers.contains(h1));  // a handled message is freed
    mail.take(plain);
    mail.runHandlers();  // what a call to the daemon does: every message reached
    CHECK(handled == std::vector<int>{h1, h2});
    CHECK(mail.find(-1, -1, 0) == std::nullopt);
    // A message reached before its handler existed stays an ordinary message.
    int early = deliver(buffers, mail, 0x40001, 4);
    CHECK(mail.find(-1, 99, 0) == std::nullopt);
    mail.handlers().add(-1, 4, 0, recordingHandler);
    mail.runHandlers();
    CHECK(mail.find(-1, 4, 0) == early);
    CHECK(handled.size() == 2);
}
