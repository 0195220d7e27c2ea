// trace-test.cpp - tracing of PVM calls: a task spawned with PvmTaskTrace reports the
// calls in its parent's child mask to PvmTraceTid, with PvmTraceCode.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "pvm3.h"
#include "pvmtev.h"
#include "virtual_machine.h"

using namespace pvm::test;

TEST_CASE("a traced task reports the calls of its mask", "[trace]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    Pvmtmask mask;
    TEV_MASK_INIT(mask);
    TEV_MASK_SET(mask, TEV_SEND);
    TEV_MASK_SET(mask, TEV_RECV);
    TEV_MASK_SET(mask, TEV_EXIT);
    REQUIRE(pvm_settmask(PvmTaskChild, mask) == 0);
    Pvmtmask back;
    REQUIRE(pvm_gettmask(PvmTaskChild, back) == 0);
    CHECK(std::string(back) == std::string(mask));
    CHECK(TEV_MASK_CHECK(back, TEV_SEND));
    CHECK(!TEV_MASK_CHECK(back, TEV_MYTID));
    pvm_setopt(PvmTraceTid, me);
    pvm_setopt(PvmTraceCode, 77);
    std::string path = taskPath();
    char* argv[] = {const_cast<char*>("echo"), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskTrace, nullptr, 1, &tid) == 1);
    pvm_setopt(PvmTraceTid, 0);
    pvm_initsend(PvmDataDefault);
    int v = 5;
    pvm_pkint(&v, 1, 1);
    pvm_send(tid, 3);
    REQUIRE(pvm_recv(tid, 3) > 0);
    pvm_initsend(PvmDataDefault);
    pvm_send(tid, 99);
    // recv, send (the echo), recv (tag 99), exit: one event each, in order.
    std::vector<std::string> calls;
    for (int i = 0; i < 4; ++i) {
        struct timeval tmout = {10, 0};
        REQUIRE(pvm_trecv(tid, 77, &tmout) > 0);
        int event = -1, result = -99, from = 0, times[2];
        char name[64];
        pvm_upkint(&event, 1, 1);
        pvm_upkstr(name);
        pvm_upkint(&result, 1, 1);
        pvm_upkint(&from, 1, 1);
        pvm_upkint(times, 2, 1);
        CHECK(from == tid);
        CHECK(times[0] > 1700000000);
        calls.push_back(name);
        if (calls.back() == "pvm_send") CHECK(event == TEV_SEND);
    }
    CHECK(calls == std::vector<std::string>{"pvm_recv", "pvm_send", "pvm_recv", "pvm_exit"});
    QuietErrors quiet;
    CHECK(pvm_settmask(5, mask) == PvmBadParam);
}
