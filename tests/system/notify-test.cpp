// notify-test.cpp - pvm_notify, pvm_kill and the daemon noticing exits at once.
#include <catch2/catch.hpp>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* mode(const char* m) { return const_cast<char*>(m); }

int spawnReady(const char* what, const char* arg = nullptr) {
    std::string path = taskPath();
    char* argv[] = {mode(what), const_cast<char*>(arg), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    REQUIRE(pvm_recv(tid, 1) > 0);  // "ready"
    return tid;
}

int receiveNotify(int tag) {
    struct timeval tmout = {10, 0};
    int bufid = pvm_trecv(-1, tag, &tmout);
    REQUIRE(bufid > 0);
    int bytes, rtag, src, tid = 0;
    pvm_bufinfo(bufid, &bytes, &rtag, &src);
    CHECK(src == static_cast<int>(0x80000000u));  // notifies come from PVM's pvmd source, as in PVM 3.4.6
    pvm_upkint(&tid, 1, 1);
    return tid;
}
}  // namespace

TEST_CASE("PvmTaskExit fires when a task exits without pvm_exit", "[notify]") {
    VirtualMachine vm;
    int tid = spawnReady("exit", "3");
    // The task may already be gone: the notify still comes, as PVM promises.
    REQUIRE(pvm_notify(PvmTaskExit, 55, 1, &tid) == 0);
    CHECK(receiveNotify(55) == tid);
    CHECK(waitFor([&] { return vm.logText().find("exited with status 3") != std::string::npos; }));
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_pstat(tid) == PvmNoTask);
    pvm_setopt(PvmAutoErr, 1);
}

TEST_CASE("a task killed right after sending loses none of it, and its exit notify comes last", "[notify]") {
    VirtualMachine vm;
    std::string path = taskPath();
    // Through the daemon, which reads a dead task's socket to its end before it tells of the
    // exit, and over the ring a busy pair moves to, which is read before any later packet.
    const char* route = GENERATE("daemon", "default");
    INFO("route " << route);
    char* argv[] = {mode("streamcrash"), mode("5000"), mode(route), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    REQUIRE(pvm_notify(PvmTaskExit, 77, 1, &tid) == 0);
    pvm_initsend(PvmDataDefault);
    REQUIRE(pvm_send(tid, 1) == 0);
    // Messages from one sender keep their order, and the daemon tells of the exit only after
    // routing everything the task had sent: the notify is the 5001st message.
    int received = 0;
    for (;;) {
        struct timeval tmout = {30, 0};
        int bufid = pvm_trecv(-1, -1, &tmout);
        REQUIRE(bufid > 0);
        int bytes = 0, tag = 0, src = 0, value = -1;
        pvm_bufinfo(bufid, &bytes, &tag, &src);
        pvm_upkint(&value, 1, 1);
        if (tag == 77) {
            CHECK(value == tid);
            break;
        }
        REQUIRE(tag == 2);
        REQUIRE(value == received);
        ++received;
    }
    CHECK(received == 5000);
}

TEST_CASE("pvm_kill ends a task and its watchers hear of it", "[notify][kill]") {
    VirtualMachine vm;
    int tid = spawnReady("sleep");
    REQUIRE(pvm_notify(PvmTaskExit, 56, 1, &tid) == 0);
    CHECK(pvm_pstat(tid) == PvmOk);
    REQUIRE(pvm_kill(tid) == 0);
    CHECK(receiveNotify(56) == tid);
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_pstat(tid) == PvmNoTask);
    CHECK(pvm_kill(tid) == 0);  // PVM 3.4.6: a task that is gone is no error
    CHECK(pvm_kill(0) == PvmBadParam);
    CHECK(pvm_kill(-7) == PvmBadParam);
    pvm_setopt(PvmAutoErr, 1);
}

TEST_CASE("a notify on a task already gone fires at once", "[notify]") {
    VirtualMachine vm;
    int ghost = 0x40000 + 0x3fff0;  // never spawned
    REQUIRE(pvm_notify(PvmTaskExit, 57, 1, &ghost) == 0);
    CHECK(receiveNotify(57) == ghost);
}

TEST_CASE("cancelling a notify delivers it as if the event happened", "[notify]") {
    VirtualMachine vm;
    int tid = spawnReady("sleep");
    REQUIRE(pvm_notify(PvmTaskExit, 58, 1, &tid) == 0);
    REQUIRE(pvm_notify(PvmTaskExit | PvmNotifyCancel, 58, 1, &tid) == 0);
    CHECK(receiveNotify(58) == tid);
    pvm_kill(tid);
    struct timeval quick = {0, 300000};
    CHECK(pvm_trecv(-1, 58, &quick) == 0);  // the cancelled watch does not fire again
}

TEST_CASE("PvmHostDelete on an unknown host fires at once", "[notify]") {
    VirtualMachine vm;
    int host = 0x80000;  // host 2: not in this machine
    REQUIRE(pvm_notify(PvmHostDelete, 59, 1, &host) == 0);
    CHECK(receiveNotify(59) == host);
    int local = 0x40000;
    REQUIRE(pvm_notify(PvmHostDelete, 60, 1, &local) == 0);
    struct timeval quick = {0, 100000};
    CHECK(pvm_trecv(-1, 60, &quick) == 0);
    CHECK(pvm_notify(PvmHostAdd, 61, -1, nullptr) == 0);
}

TEST_CASE("PvmHostDelete watches the host of any tid it is given, as PVM 3.4.6", "[notify]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    REQUIRE(me > 0);
    int onNoHost = 0x80005;  // a task tid of host 2, which is not in this machine
    REQUIRE(pvm_notify(PvmHostDelete, 62, 1, &onNoHost) == 0);
    CHECK(receiveNotify(62) == onNoHost);  // at once, with the tid as it was given
    int nothing = 0;
    REQUIRE(pvm_notify(PvmHostDelete, 63, 1, &nothing) == 0);
    CHECK(receiveNotify(63) == 0);
    REQUIRE(pvm_notify(PvmHostDelete, 64, 1, &me) == 0);  // this host: it stays
    struct timeval quick = {0, 100000};
    CHECK(pvm_trecv(-1, 64, &quick) == 0);
}

TEST_CASE("bad notify arguments give PvmBadParam", "[notify][errors]") {
    VirtualMachine vm;
    int tid = 0x40001;
    pvm_setopt(PvmAutoErr, 0);
    CHECK(pvm_notify(99, 1, 1, &tid) == PvmBadParam);
    CHECK(pvm_notify(PvmTaskExit, -5, 1, &tid) == PvmBadParam);
    int bad = -3;
    CHECK(pvm_notify(PvmTaskExit, 1, 1, &bad) == PvmBadParam);
    CHECK(pvm_notify(PvmTaskExit, 1, 1, nullptr) == PvmBadParam);
    pvm_setopt(PvmAutoErr, 1);
}
