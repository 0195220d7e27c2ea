// output-test.cpp - where task output goes: the daemon log by default, the
// parent after pvm_catchout, or any task through PvmOutputTid.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* mode(const char* m) { return const_cast<char*>(m); }

std::string fileText(std::FILE* f) {
    std::fflush(f);
    std::rewind(f);
    std::string text;
    char chunk[4096];
    std::size_t n;
    while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) text.append(chunk, n);
    return text;
}

char tidText[16];
const char* tidOf(int tid) {
    std::snprintf(tidText, sizeof tidText, "t%x", tid);
    return tidText;
}
}  // namespace

TEST_CASE("task output goes to the daemon log, each line tagged with its tid", "[output]") {
    VirtualMachine vm;
    std::string path = taskPath();
    char* argv[] = {mode("print"), mode("3"), nullptr};
    int tid;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    std::string prefix = std::string("[") + tidOf(tid) + "] ";
    CHECK(waitFor([&] { return vm.logText().find(prefix + "to stderr") != std::string::npos; }));
    std::string log = vm.logText();
    CHECK(log.find(prefix + "line 0\n") != std::string::npos);
    CHECK(log.find(prefix + "line 2\n") != std::string::npos);
}

TEST_CASE("pvm_catchout collects child output with BEGIN and EOF lines", "[output]") {
    VirtualMachine vm;
    std::FILE* out = std::tmpfile();
    REQUIRE(out);
    REQUIRE(pvm_catchout(out) == 0);
    std::string path = taskPath();
    char* argv[] = {mode("print"), mode("2"), nullptr};
    int tids[2];
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 2, tids) == 2);
    // pvm_exit waits for the output of caught children to end.
    REQUIRE(pvm_exit() == 0);
    std::string text = fileText(out);
    for (int tid : tids) {
        std::string p = std::string("[") + tidOf(tid) + "] ";
        INFO(text);
        CHECK(text.find(p + "BEGIN\n") != std::string::npos);
        CHECK(text.find(p + "line 0\n") != std::string::npos);
        CHECK(text.find(p + "line 1\n") != std::string::npos);
        CHECK(text.find(p + "to stderr\n") != std::string::npos);
        CHECK(text.find(p + "EOF\n") != std::string::npos);
        CHECK(text.find(p + "BEGIN") < text.find(p + "line 0"));
        CHECK(text.find(p + "line 1") < text.find(p + "EOF"));
    }
    CHECK(vm.logText().find("line 0") == std::string::npos);
    std::fclose(out);
}

TEST_CASE("a child that leaves PVM is announced gone after its process and its output end", "[output][notify]") {
    // PVM 3.4.6: output printed after pvm_exit is still caught, and the PvmTaskExit notify
    // comes after the child's EOF, so a parent's pvm_exit has nothing left to wait for.
    VirtualMachine vm;
    std::FILE* out = std::tmpfile();
    REQUIRE(pvm_catchout(out) == 0);
    std::string path = taskPath();
    char* argv[] = {mode("exitprint"), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    REQUIRE(pvm_notify(PvmTaskExit, 77, 1, &tid) == 0);
    REQUIRE(pvm_recv(-1, 77) > 0);
    std::string text = fileText(out);
    std::string p = std::string("[") + tidOf(tid) + "] ";
    INFO(text);
    CHECK(text.find(p + "before pvm_exit\n") != std::string::npos);
    CHECK(text.find(p + "after pvm_exit\n") != std::string::npos);
    CHECK(text.find(p + "EOF\n") != std::string::npos);
    std::fclose(out);
}

TEST_CASE("PvmAutoErr prints errors as libpvm, task id, function and text", "[output][errors]") {
    VirtualMachine vm;
    std::FILE* out = std::tmpfile();
    pvm_catchout(out);
    std::string path = taskPath();
    char* argv[] = {mode("autoerr"), nullptr};
    int tid;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    REQUIRE(pvm_exit() == 0);
    std::string text = fileText(out);
    INFO(text);
    CHECK(text.find(std::string("libpvm [") + tidOf(tid) + "]: pvm_send(): Bad parameter") != std::string::npos);
    CHECK(text.find(std::string("libpvm [") + tidOf(tid) + "]: after send: Bad parameter") != std::string::npos);
    std::fclose(out);
}

TEST_CASE("PvmOutputTid sends child output to a task as messages", "[output]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    pvm_setopt(PvmOutputTid, me);
    pvm_setopt(PvmOutputCode, 77);
    std::string path = taskPath();
    char* argv[] = {mode("print"), mode("1"), nullptr};
    int tid;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &tid) == 1);
    std::string data;
    bool begun = false, ended = false;
    while (!ended) {
        struct timeval tmout = {10, 0};
        REQUIRE(pvm_trecv(-1, 77, &tmout) > 0);
        int header[2];
        REQUIRE(pvm_upkint(header, 2, 1) == 0);
        CHECK(header[0] == tid);
        if (header[1] == -1)
            begun = true;
        else if (header[1] == 0)
            ended = true;
        else {
            std::string chunk(static_cast<std::size_t>(header[1]), '\0');
            pvm_upkbyte(chunk.data(), header[1], 1);
            data += chunk;
        }
    }
    CHECK(begun);
    CHECK(data == "line 0\nto stderr\n");
}
