// context-test.cpp - message handlers, contexts, pvm_recvf, messages inside messages,
// message info, the spawn environment, PvmNoReset, the PVM 3.3 database calls and
// pvm_start_pvmd.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* text(const char* s) { return const_cast<char*>(s); }

void sendInt(int dst, int tag, int value) {
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&value, 1, 1);
    REQUIRE(pvm_send(dst, tag) == 0);
}

int handled = 0;
int lastValue = 0;
int countingHandler(int mid) {
    ++handled;
    int bytes, tag, src;
    pvm_bufinfo(mid, &bytes, &tag, &src);
    pvm_upkint(&lastValue, 1, 1);  // the message is the active receive buffer meanwhile
    return 0;
}

int onlyTagFive(int mid, int tid, int) {
    int bytes, tag, src;
    pvm_bufinfo(mid, &bytes, &tag, &src);
    return tag == 5 && (tid == -1 || src == tid) ? 1 : 0;
}
}  // namespace

TEST_CASE("a message handler takes its messages instead of the queue", "[context]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    handled = 0;
    int id = pvm_addmhf(-1, 7, -1, countingHandler);
    REQUIRE(id >= 0);
    sendInt(me, 7, 70);
    sendInt(me, 8, 80);
    REQUIRE(pvm_recv(me, 8) > 0);  // receiving anything runs the handlers of what came
    CHECK(handled == 1);
    CHECK(lastValue == 70);
    CHECK(pvm_probe(me, 7) == 0);  // not queued
    REQUIRE(pvm_delmhf(id) == 0);
    sendInt(me, 7, 71);
    CHECK(pvm_recv(me, 7) > 0);
    CHECK(handled == 1);
    QuietErrors quiet;
    CHECK(pvm_delmhf(id) == PvmNotFound);
}

namespace {
int nestedTasks = -1, nestedHosts = -1;
/// callingHandler makes control calls of its own, the first of them while the call that ran
/// it has just had its answer.
int callingHandler(int) {
    pvmtaskinfo* tasks = nullptr;
    pvm_tasks(0, &nestedTasks, &tasks);
    pvmhostinfo* hosts = nullptr;
    int narch = 0;
    pvm_config(&nestedHosts, &narch, &hosts);
    return 0;
}
}  // namespace

TEST_CASE("a message handler may make control calls while the task waits in one", "[context]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    int id = pvm_addmhf(-1, 9, -1, callingHandler);
    REQUIRE(id >= 0);
    nestedTasks = nestedHosts = -1;
    sendInt(me, 9, 1);
    // The message comes in while pvm_config waits for its answer; its handler runs inside
    // pvm_config, right after that answer, and calls on its own.
    char* host = nullptr;
    pvmhostinfo* hosts = nullptr;
    int nhost = 0, narch = 0;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    host = hosts[0].hi_name;
    CHECK(pvm_mstat(host) == PvmOk);
    CHECK(nestedTasks == 1);
    CHECK(nestedHosts == 1);
    REQUIRE(pvm_delmhf(id) == 0);
}

TEST_CASE("contexts keep messages apart", "[context]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    int a = pvm_newcontext(), b = pvm_newcontext();
    CHECK(a > 0);
    CHECK(b > 0);
    CHECK(a != b);
    CHECK(pvm_getcontext() == PvmBaseContext);
    CHECK(pvm_setcontext(a) == PvmBaseContext);
    sendInt(me, 1, 11);  // sent in context a
    CHECK(pvm_setcontext(PvmBaseContext) == a);
    struct timeval none = {0, 200000};
    CHECK(pvm_trecv(me, 1, &none) == 0);  // not visible in the base context
    pvm_setcontext(a);
    REQUIRE(pvm_recv(me, 1) > 0);
    struct pvmminfo info {};
    REQUIRE(pvm_getminfo(pvm_getrbuf(), &info) == 0);
    CHECK(info.ctx == a);
    CHECK(info.tag == 1);
    CHECK(info.src == me);
    CHECK(info.len == 4);
    CHECK(info.enc == 0x10000000);  // PVM 3.4.6's code for XDR data
    CHECK(pvm_freecontext(a) == 0);
    CHECK(pvm_freecontext(b) == 0);
    pvm_setcontext(PvmBaseContext);
    CHECK(pvm_setmwid(pvm_getrbuf(), 1234) == 0);
    CHECK(pvm_getmwid(pvm_getrbuf()) == 1234);
}

TEST_CASE("pvm_recvf replaces the matching of receives", "[context]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    sendInt(me, 3, 30);
    sendInt(me, 5, 50);
    auto old = pvm_recvf(onlyTagFive);
    REQUIRE(pvm_recv(-1, -1) > 0);  // the match function picks tag 5
    int v = 0;
    pvm_upkint(&v, 1, 1);
    CHECK(v == 50);
    CHECK(pvm_recvf(old) == onlyTagFive);
    REQUIRE(pvm_recv(-1, -1) > 0);
    pvm_upkint(&v, 1, 1);
    CHECK(v == 30);
}

TEST_CASE("a message packed inside another comes out whole", "[context]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    int inner = pvm_mkbuf(PvmDataDefault);
    pvm_setsbuf(inner);
    int values[3] = {1, 2, 3};
    pvm_pkint(values, 3, 1);
    pvm_pkstr(text("inside"));
    int outer = pvm_mkbuf(PvmDataDefault);  // not pvm_initsend: it would free the inner one
    pvm_setsbuf(outer);
    REQUIRE(pvm_pkmesg(inner) == 0);
    REQUIRE(pvm_send(me, 9) == 0);
    pvm_freebuf(inner);
    REQUIRE(pvm_recv(me, 9) > 0);
    int unpacked = pvm_upkmesg();
    REQUIRE(unpacked > 0);
    pvm_setrbuf(unpacked);
    int got[3] = {0, 0, 0};
    char s[32] = "";
    pvm_upkint(got, 3, 1);
    pvm_upkstr(s);
    CHECK(got[2] == 3);
    CHECK(std::string(s) == "inside");
}

TEST_CASE("pvm_export names the variables spawn passes on", "[context]") {
    VirtualMachine vm;
    unsetenv("PVM_EXPORT");
    setenv("PVM_TEST_VAR", "exported", 1);
    REQUIRE(pvm_export(text("PVM_TEST_VAR")) == 0);
    REQUIRE(pvm_export(text("PVM_TEST_VAR")) == 0);  // once only
    CHECK(std::string(std::getenv("PVM_EXPORT")) == "PVM_TEST_VAR");
    std::string path = taskPath();
    char* argv[] = {text("info"), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskDefault, nullptr, 1, &tid) == 1);
    REQUIRE(pvm_recv(tid, 1) > 0);
    int parent, nsib, sibs[8], argc;
    char buf[4096];
    pvm_upkint(&parent, 1, 1);
    pvm_upkint(&nsib, 1, 1);
    pvm_upkint(sibs, nsib, 1);
    pvm_upkint(&argc, 1, 1);
    for (int i = 0; i < argc; ++i) pvm_upkstr(buf);
    pvm_upkstr(buf);
    pvm_upkstr(buf);
    CHECK(std::string(buf) == "exported");
    REQUIRE(pvm_unexport(text("PVM_TEST_VAR")) == 0);
    CHECK(std::string(std::getenv("PVM_EXPORT")).empty());
    unsetenv("PVM_TEST_VAR");
}

TEST_CASE("PvmNoReset puts the task on the list pvm_getnoresets gives", "[context]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    int* tids = nullptr;
    int n = -1;
    REQUIRE(pvm_getnoresets(&tids, &n) == 0);
    CHECK(n == 0);
    pvm_setopt(PvmNoReset, 1);
    REQUIRE(pvm_getnoresets(&tids, &n) == 0);
    REQUIRE(n == 1);
    CHECK(tids[0] == me);
    pvm_setopt(PvmNoReset, 0);
    REQUIRE(pvm_getnoresets(&tids, &n) == 0);
    CHECK(n == 0);
}

TEST_CASE("pvm_insert, pvm_lookup and pvm_delete keep named ints", "[context]") {
    VirtualMachine vm;
    QuietErrors quiet;
    REQUIRE(pvm_mytid() > 0);
    int first = pvm_insert(text("db"), -1, 42);
    CHECK(first == 0);
    CHECK(pvm_insert(text("db"), -1, 43) == 1);
    CHECK(pvm_insert(text("db"), 5, 45) == 5);
    CHECK(pvm_insert(text("db"), 5, 46) == PvmDupEntry);
    int data = 0;
    REQUIRE(pvm_lookup(text("db"), 5, &data) == 0);
    CHECK(data == 45);
    REQUIRE(pvm_lookup(text("db"), -1, &data) == 0);  // any: the first
    CHECK(data == 42);
    CHECK(pvm_delete(text("db"), 0) == 0);
    CHECK(pvm_lookup(text("db"), 0, &data) == PvmNoEntry);
    CHECK(pvm_delete(text("db"), 0) == PvmNoEntry);
}

TEST_CASE("pvm_start_pvmd starts a daemon, once", "[context]") {
    VirtualMachine vm;
    QuietErrors quiet;
    CHECK(pvm_start_pvmd(0, nullptr, 1) == PvmDupHost);
    vm.halt();
    REQUIRE(pvm_start_pvmd(0, nullptr, 1) == 0);
    int pid = daemonPidIn(vm.tmpDir());
    CHECK(pid > 0);
    CHECK(pvm_mytid() > 0);
    pvm_halt();
    CHECK(waitFor([&] { return !processAlive(pid); }));
}
