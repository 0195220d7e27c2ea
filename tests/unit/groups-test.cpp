// groups-test.cpp - the group server's rules (pvmd/groups.cpp) where PVM 3.4.6's group
// server was run side by side: a static group that a member leaves.
#include <catch2/catch.hpp>

#include "groups.h"
#include "pvm3.h"

using pvm::GroupWaiter;
using pvm::Release;

TEST_CASE("a static group that a member leaves fails the barriers waiting and those to come", "[groups]") {
    pvm::Groups groups;
    std::vector<Release> released;
    const int a = 0x40001, b = 0x40002, c = 0x40003;
    REQUIRE(groups.join("fz", a) == 0);
    REQUIRE(groups.join("fz", b) == 1);
    REQUIRE(groups.join("fz", c) == 2);
    REQUIRE(groups.freeze("fz", -1, GroupWaiter{a, 1}, &released) == 0);
    REQUIRE(groups.freeze("fz", -1, GroupWaiter{b, 2}, &released) == 0);
    REQUIRE(groups.freeze("fz", -1, GroupWaiter{c, 3}, &released) == 0);
    REQUIRE(released.size() == 1);
    CHECK(released[0].result == 3);  // every caller gets the size
    CHECK(groups.frozen("fz"));
    released.clear();

    REQUIRE(groups.barrier("fz", -1, GroupWaiter{a, 4}, &released) == 0);  // waits for b and c
    REQUIRE(groups.leave("fz", b, &released) == 0);
    REQUIRE(released.size() == 1);
    CHECK(released[0].result == PvmNoGroup);
    CHECK(released[0].waiters.size() == 1);
    // PVM 3.4.6: later barriers of the defunct group fail the same way.
    CHECK(groups.barrier("fz", 1, GroupWaiter{a, 5}, &released) == PvmNoGroup);
    CHECK(groups.barrier("fz", -1, GroupWaiter{c, 6}, &released) == PvmNoGroup);
    CHECK(groups.size("fz") == 2);
}

TEST_CASE("a group that is not frozen keeps its barriers when a member leaves", "[groups]") {
    pvm::Groups groups;
    std::vector<Release> released;
    REQUIRE(groups.join("dyn", 0x40001) == 0);
    REQUIRE(groups.join("dyn", 0x40002) == 1);
    REQUIRE(groups.leave("dyn", 0x40002, &released) == 0);
    CHECK(released.empty());
    CHECK_FALSE(groups.frozen("dyn"));
    REQUIRE(groups.barrier("dyn", 1, GroupWaiter{0x40001, 1}, &released) == 0);
    REQUIRE(released.size() == 1);
    CHECK(released[0].result == 0);
}
