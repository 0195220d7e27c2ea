// static_group-test.cpp - a frozen group as a task keeps it (libpvm/src/static_group.cpp):
// it answers as the group server would, and leaves barriers and joins to the server.
#include <catch2/catch.hpp>

#include "errors.h"
#include "pvm3.h"
#include "static_group.h"

using pvm::StaticGroup;
using pvm::wire::GroupOp;

namespace {
int errorOf(const StaticGroup& g, GroupOp op, int number, int tid) {
    try {
        g.answer(op, number, tid);
    } catch (const pvm::Error& e) {
        return e.code();
    }
    return 0;
}
}  // namespace

TEST_CASE("a frozen group answers size, instance and tid as the group server", "[groups]") {
    StaticGroup g("workers", {0x40001, -1, 0x80002});  // instance 1 is free
    CHECK(g.answer(GroupOp::SIZE, 0, 0) == 2);
    CHECK(g.answer(GroupOp::INSTANCE, 0, 0x80002) == 2);
    CHECK(g.answer(GroupOp::INSTANCE, 0, -1) == 2);  // PVM's group server: tid -1 gives the size
    CHECK(g.answer(GroupOp::TID_OF, 0, 0) == 0x40001);
    CHECK(errorOf(g, GroupOp::TID_OF, 1, 0) == PvmNoInst);
    CHECK(errorOf(g, GroupOp::TID_OF, 3, 0) == PvmNoInst);
    CHECK(errorOf(g, GroupOp::TID_OF, -1, 0) == PvmNoInst);
    CHECK(errorOf(g, GroupOp::INSTANCE, 0, 0x40005) == PvmNotInGroup);
    CHECK(g.members() == std::vector<int>{0x40001, 0x80002});
    // Barriers are still arbitrated by the group server, and joins and leaves are its business.
    CHECK_FALSE(g.answer(GroupOp::BARRIER, 2, 0).has_value());
    CHECK_FALSE(g.answer(GroupOp::JOIN, 0, 0).has_value());
    CHECK_FALSE(g.answer(GroupOp::LEAVE, 0, 0).has_value());
}
