// pvm-behaviour-test.cpp - behaviours that must be those of Debian's PVM 3.4.6 to the
// letter (issue 11): contexts at spawn, when message handlers run, pvm_addmhf's
// duplicates and ids, pvm_precv's length, and where PvmAutoErr speaks. Every expected
// value here was first observed with the same calls on the real PVM.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* text(const char* s) { return const_cast<char*>(s); }

/// events records, in order, what the handlers saw and what the receives returned.
std::vector<std::string> events;

int recordHandler(int) {
    char s[16] = "";
    pvm_upkstr(s);
    events.push_back(std::string("handler ") + s);
    return 0;
}

/// callingHandler makes PVM calls of every kind from inside a handler, as PVM allows.
int callingHandler(int) {
    char s[16] = "";
    pvm_upkstr(s);
    events.push_back(std::string("calling ") + s);
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts = nullptr;
    pvm_config(&nhost, &narch, &hosts);  // runs the handlers of what came meanwhile
    pvm_initsend(PvmDataDefault);
    pvm_pkstr(text("from handler"));
    pvm_send(pvm_mytid(), 34);
    return 0;
}

void sendText(int dst, int tag, const char* s) {
    pvm_initsend(PvmDataDefault);
    pvm_pkstr(text(s));
    REQUIRE(pvm_send(dst, tag) == 0);
}

void recordRecv(int tid, int tag) {
    struct timeval tenSeconds = {10, 0};
    int id = pvm_trecv(tid, tag, &tenSeconds);
    REQUIRE(id > 0);
    char s[16] = "";
    pvm_upkstr(s);
    events.push_back(std::string("recv ") + s);
}

int spawnTask(const char* mode) {
    std::string path = taskPath();
    char* argv[] = {text(mode), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskDefault, nullptr, 1, &tid) == 1);
    return tid;
}

/// contextOf receives tag from tid (-1: anyone) in context ctx (10 s at most) and returns
/// the int it carries; the message's source and context go to *src and *ctx.
int contextOf(int ctx, int tid, int tag, int* src, int* msgCtx) {
    pvm_setcontext(ctx);
    struct timeval tenSeconds = {10, 0};
    int id = pvm_trecv(tid, tag, &tenSeconds);
    REQUIRE(id > 0);  // without inheritance the child's message is in another context
    struct pvmminfo info {};
    REQUIRE(pvm_getminfo(id, &info) == 0);
    *src = info.src;
    *msgCtx = info.ctx;
    int value = -1;
    pvm_upkint(&value, 1, 1);
    return value;
}
}  // namespace

TEST_CASE("a child starts in the context its parent had when it spawned it", "[behaviour][context]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    int c1 = pvm_newcontext(), c2 = pvm_newcontext();
    CHECK(c1 == 0x40001);  // PVM numbers contexts like tids of the host
    CHECK(c2 == 0x40002);
    REQUIRE(pvm_setcontext(c1) == 0);
    int t1 = spawnTask("context");
    pvm_setcontext(c2);
    int t2 = spawnTask("context");
    pvm_setcontext(0);
    int src = 0, ctx = 0;
    // The inherit examples: receive in each context what the child of that context sent.
    CHECK(contextOf(c2, -1, 1, &src, &ctx) == c2);  // the child's pvm_getcontext
    CHECK(src == t2);
    CHECK(ctx == c2);
    CHECK(contextOf(c1, -1, 1, &src, &ctx) == c1);
    CHECK(src == t1);
    CHECK(ctx == c1);
    // After pvm_setcontext(0) the children's messages are in the base context.
    CHECK(contextOf(0, t1, 2, &src, &ctx) == c1);
    CHECK(ctx == 0);
    CHECK(contextOf(0, t2, 2, &src, &ctx) == c2);
    CHECK(ctx == 0);
    QuietErrors quiet;
    CHECK(pvm_freecontext(c1) == 0);
    CHECK(pvm_freecontext(c1) == PvmNotFound);
    CHECK(pvm_freecontext(12345) == PvmNotFound);
    CHECK(pvm_setcontext(-5) == 0);  // PVM takes any number
    CHECK(pvm_setcontext(0) == -5);
}

TEST_CASE("a receive runs handlers as it reaches their messages, in arrival order", "[behaviour][handlers]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    events.clear();
    int id = pvm_addmhf(-1, 33, -1, recordHandler);
    REQUIRE(id >= 0);
    int child = spawnTask("handlerorder");
    struct pvmtaskinfo* tasks = nullptr;
    int n = 0;
    REQUIRE(pvm_tasks(child, &n, &tasks) == 0);
    REQUIRE(n == 1);
    int pid = tasks[0].ti_pid;
    pvm_initsend(PvmDataDefault);
    REQUIRE(pvm_send(child, 1) == 0);
    // Let all four messages arrive before receiving, without a PVM call that would read them.
    REQUIRE(waitFor([&] { return !processAlive(pid); }));
    recordRecv(-1, 4);
    recordRecv(-1, 4);
    CHECK(events == std::vector<std::string>{"handler a", "recv x", "handler b", "recv y"});
    REQUIRE(pvm_delmhf(id) == 0);
}

TEST_CASE("a handler takes the messages read after it was added, in any PVM call", "[behaviour][handlers]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    events.clear();
    sendText(me, 33, "q");
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts = nullptr;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);  // its answer comes after "q"
    int id = pvm_addmhf(-1, 33, -1, recordHandler);
    recordRecv(-1, 33);  // "q" came before the handler: it stays an ordinary message
    sendText(me, 33, "r");
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);  // PVM runs the handler in this call
    CHECK(events == std::vector<std::string>{"recv q", "handler r"});
    REQUIRE(pvm_delmhf(id) == 0);
}

TEST_CASE("a handler may make PVM calls, nested handlers included", "[behaviour][handlers]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    events.clear();
    int calling = pvm_addmhf(-1, 35, -1, callingHandler);
    int recording = pvm_addmhf(-1, 33, -1, recordHandler);
    sendText(me, 35, "c");
    sendText(me, 33, "n");
    sendText(me, 4, "u");
    recordRecv(-1, 4);
    recordRecv(-1, 34);  // the handler's own message
    CHECK(events == std::vector<std::string>{"calling c", "handler n", "recv u", "recv from handler"});
    CHECK(pvm_getrbuf() > 0);  // the receive's buffer, not a handler's
    REQUIRE(pvm_delmhf(calling) == 0);
    REQUIRE(pvm_delmhf(recording) == 0);
}

TEST_CASE("pvm_addmhf refuses overlapping patterns, and ids start at 9 and are reused", "[behaviour][handlers]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    int child = spawnTask("mhfids");  // a fresh task: ids depend on the task's history
    REQUIRE(pvm_recv(child, 1) > 0);
    std::vector<int> got(17);
    REQUIRE(pvm_upkint(got.data(), 17, 1) == 0);
    const int E = PvmExists;
    CHECK(got == std::vector<int>{9, 10, E, E, E, E, 11, 12, 13,  // adds: ids from 9, overlaps refused
                                  0, 0, 12, 10, 14,               // deletes, then freed ids reused
                                  0, PvmNotFound, PvmBadParam});
}

TEST_CASE("pvm_precv gives the message's length in bytes", "[behaviour][messages]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    int ints[3] = {1, 2, 3}, got[8] = {};
    REQUIRE(pvm_psend(me, 7, ints, 3, PVM_INT) == 0);
    int rtid = 0, rtag = 0, rlen = 0;
    REQUIRE(pvm_precv(-1, 7, got, 8, PVM_INT, &rtid, &rtag, &rlen) == 0);
    CHECK(rtid == me);
    CHECK(rtag == 7);
    CHECK(rlen == 12);
    CHECK(got[2] == 3);
    short shorts[3] = {1, 2, 3}, gotShorts[8] = {};
    REQUIRE(pvm_psend(me, 8, shorts, 3, PVM_SHORT) == 0);
    REQUIRE(pvm_precv(-1, 8, gotShorts, 8, PVM_SHORT, &rtid, &rtag, &rlen) == 0);
    CHECK(rlen == 6);
    REQUIRE(pvm_psend(me, 9, ints, 3, PVM_INT) == 0);  // received as doubles: still bytes
    double doubles[4] = {};
    REQUIRE(pvm_precv(-1, 9, doubles, 4, PVM_DOUBLE, &rtid, &rtag, &rlen) == 0);
    CHECK(rlen == 12);
}

TEST_CASE("pvm_setopt's output and trace destinations take what PVM takes", "[behaviour][options]") {
    // Debian's own console sets PvmSelfOutputTid to -1 when it starts.
    VirtualMachine vm;
    QuietErrors quiet;
    int me = pvm_mytid();
    int other = me + 5;  // a well-formed task tid that is not the caller's
    CHECK(pvm_setopt(PvmSelfOutputTid, -1) == 0);
    CHECK(pvm_getopt(PvmSelfOutputTid) == -1);
    CHECK(pvm_setopt(PvmSelfOutputTid, other) == -1);
    CHECK(pvm_setopt(PvmSelfOutputTid, 0) == other);
    CHECK(pvm_setopt(PvmSelfTraceTid, -1) == 0);
    CHECK(pvm_setopt(PvmSelfTraceTid, 0) == -1);
    for (int what : {PvmOutputTid, PvmTraceTid}) {
        CHECK(pvm_setopt(what, -1) == PvmBadParam);
        CHECK(pvm_setopt(what, other) == PvmBadParam);
        CHECK(pvm_setopt(what, 0x40000) == PvmBadParam);
        CHECK(pvm_setopt(what, me) == 0);
        CHECK(pvm_setopt(what, me) == me);  // where it is already
        CHECK(pvm_setopt(what, 0) == me);
    }
}

TEST_CASE("PvmNoSpawnParent: the child's parent is PvmParentNotSet, its output still caught", "[behaviour][spawn]") {
    VirtualMachine vm;
    std::FILE* out = std::tmpfile();
    REQUIRE(pvm_catchout(out) == 0);
    std::string path = taskPath();
    char* argv[] = {text("parentout"), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, PvmNoSpawnParent, nullptr, 1, &tid) == 1);
    struct pvmtaskinfo* tasks = nullptr;
    int ntask = 0;
    REQUIRE(pvm_tasks(0, &ntask, &tasks) == 0);
    int ptid = 0;
    for (int i = 0; i < ntask; ++i)
        if (tasks[i].ti_tid == tid) ptid = tasks[i].ti_ptid;
    CHECK(ptid == PvmParentNotSet);
    REQUIRE(pvm_notify(PvmTaskExit, 78, 1, &tid) == 0);
    pvm_initsend(PvmDataDefault);
    REQUIRE(pvm_send(tid, 99) == 0);
    REQUIRE(pvm_recv(-1, 78) > 0);
    std::fflush(out);
    std::rewind(out);
    char line[256];
    std::string caught;
    while (std::fgets(line, sizeof line, out)) caught += line;
    INFO(caught);
    char expected[64];
    std::snprintf(expected, sizeof expected, "[t%x] parent %d\n", tid, PvmParentNotSet);
    CHECK(caught.find(expected) != std::string::npos);
    std::fclose(out);
}

TEST_CASE("PvmAutoErr speaks where PVM does, in its words", "[behaviour][errors][output]") {
    VirtualMachine vm;
    std::FILE* out = std::tmpfile();
    REQUIRE(out);
    REQUIRE(pvm_catchout(out) == 0);
    int tid = spawnTask("autoerrs");
    REQUIRE(pvm_exit() == 0);  // waits for the caught output to end
    std::fflush(out);
    std::rewind(out);
    std::vector<std::string> lines;
    char line[512];
    while (std::fgets(line, sizeof line, out)) lines.push_back(line);
    std::fclose(out);
    char name[16];
    std::snprintf(name, sizeof name, "t%x", tid);
    std::string p = std::string("[") + name + "] ", me = p + "libpvm [" + name + "]: ";
    CHECK(lines == std::vector<std::string>{p + "BEGIN\n", me + "pvm_addmhf(): Already Exists\n",
                                            me + "pvm_delmhf(): Bad parameter\n", me + "pvm_mkbuf(): Bad parameter\n",
                                            me + "pvm_initsend(): Bad parameter\n", p + "joingroup again -18\n",
                                            p + "EOF\n"});
}
