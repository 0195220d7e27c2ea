// handler_table-test.cpp - the message handler table keeps PVM 3.4.6's layout: the sequence
// below was run on Debian's PVM with pvmdisplaymhfinfo, and these are the slots it printed.
#include "handler_table.h"

#include <catch2/catch.hpp>

#include "errors.h"
#include "pvm3.h"

using pvm::HandlerTable;

namespace {
int handler(int) { return 0; }
constexpr int kMe = 0x40001;

int errorOf(auto&& call) {
    try {
        call();
    } catch (const pvm::Error& e) {
        return e.code();
    }
    return 0;
}
}  // namespace

TEST_CASE("a new table holds PVM's nine own handlers, so the first id is 9", "[handlers]") {
    HandlerTable table;
    CHECK(table.idSlots() == 9);
    CHECK(table.inUse() == 9);
    CHECK(table.freeHead() == -1);
    CHECK(table.handlerSlot(0).src == -1);
    CHECK(table.handlerSlot(0).context == 524287);
    CHECK(table.handlerSlot(8).tag == static_cast<int>(0x8003000c));
    CHECK(table.userHandlers() == 0);
    // A pattern that covers PVM's own control messages overlaps them.
    CHECK(errorOf([&] { table.add(-1, -1, -1, handler); }) == PvmExists);
    CHECK(table.add(kMe, 5, 0, handler) == 9);
}

TEST_CASE("deleting moves the last handler into the hole and frees ids last-in first-out", "[handlers]") {
    HandlerTable table;
    for (int i = 0; i < 4; ++i) REQUIRE(table.add(kMe, 100 + i, 0, handler) == 9 + i);
    table.remove(10);
    CHECK(table.idSlot(10).id == -1);  // the end of the free list
    CHECK(table.idSlot(10).handle == 12);
    CHECK(table.handlerSlot(10).id == 12);  // moved from the end
    CHECK(table.idSlot(12).handle == 10);
    table.remove(9);
    table.remove(12);
    CHECK(table.freeIds() == std::vector<int>{12, 9, 10});
    CHECK(table.idSlot(12).id == 9);  // the next free id
    CHECK(table.inUse() == 10);
    CHECK(table.add(kMe, 200, 0, handler) == 12);
    CHECK(table.add(-1, 201, -1, handler) == 9);
    CHECK(table.handlerSlot(11).id == 9);
    CHECK(table.idSlot(9).handle == 11);
    CHECK(table.add(kMe, 202, 5, handler) == 10);
    CHECK(table.add(kMe, 203, 5, handler) == 13);
    CHECK(table.idSlots() == 14);
    CHECK(table.freeHead() == -1);
    CHECK(table.find(kMe, 201, 7)->id == 9);
    CHECK(table.find(kMe, 101, 0) == nullptr);  // deleted
    CHECK(errorOf([&] { table.remove(-1); }) == PvmBadParam);
    CHECK(errorOf([&] { table.remove(99); }) == PvmNotFound);
    table.remove(13);
    CHECK(errorOf([&] { table.remove(13); }) == PvmNotFound);  // already free
}
