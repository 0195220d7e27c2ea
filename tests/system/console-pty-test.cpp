// console-pty-test.cpp - the pvm console at a terminal (a pseudo-terminal): the
// prompt, line editing, completion, persistent history, job output while the
// prompt waits, and the live view.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "pty_session.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
/// console starts the console on a terminal with its own HOME (for the history file).
PtySession console(const VirtualMachine& vm) {
    // A program where spawn looks for bare names, for completion.
    std::string bin = vm.tmpDir() + "/root/bin/LINUX64";
    runCommand("mkdir -p " + bin + " && cp " + taskPath() + " " + bin + "/pvmtest_program");
    return PtySession({PVM_TEST_CONSOLE}, {"HOME=" + vm.tmpDir(), "PVM_TMP=" + vm.tmpDir(), "TERM=xterm",
                                           "PVM_ROOT=" + vm.tmpDir() + "/root", "PVM_ARCH=LINUX64"});
}
}  // namespace

TEST_CASE("at a terminal: prompt, completion, history kept across sessions", "[console][pty]") {
    VirtualMachine vm;
    {
        PtySession pvm = console(vm);
        REQUIRE(pvm.expect("pvmd already running."));
        REQUIRE(pvm.expect("pvm> "));
        pvm.type("vers\t");  // completes to "version "
        CHECK(pvm.expect("version"));
        pvm.type("\r");
        CHECK(pvm.expect("3.4.6"));
        CHECK(pvm.expect("pvm> "));
        pvm.type("\x1b[A\r");  // the up arrow brings "version" back
        CHECK(pvm.expect("version"));
        CHECK(pvm.expect("3.4.6"));
        // Keys typed while a command runs meet a terminal in cooked mode, where Ctrl-D is the
        // line discipline's: wait for the prompt, as a person would.
        CHECK(pvm.expect("pvm> "));
        pvm.type("\x04");  // Ctrl-D leaves, as quit
        int status = pvm.waitExit();
        INFO(pvm.output());
        CHECK(status == 0);
    }
    CHECK(readFile(vm.tmpDir() + "/.pvm_history").find("version") != std::string::npos);
    PtySession again = console(vm);
    REQUIRE(again.expect("pvm> "));
    again.type("\x1b[A");  // the history of the first session
    CHECK(again.expect("version"));
    again.type("\x15quit\r");  // Ctrl-U clears the line
    CHECK(again.waitExit() == 0);
    CHECK(processAlive(vm.daemonPid()));
}

TEST_CASE("at a terminal: host names complete, and job output shows with the prompt back", "[console][pty]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts = nullptr;
    REQUIRE(pvm_config(&nhost, &narch, &hosts) == 0);
    std::string name = hosts[0].hi_name;
    PtySession pvm = console(vm);
    REQUIRE(pvm.expect("pvm> "));
    pvm.type("mstat " + name.substr(0, 1) + "\t");
    CHECK(pvm.expect(name));
    pvm.type("\r");
    CHECK(pvm.expect(name + "  ok"));  // PVM's two spaces
    CHECK(pvm.expect("pvm> "));
    pvm.type("spawn pvmtest_pro\t");  // a program in $PVM_ROOT/bin/$PVM_ARCH
    CHECK(pvm.expect("pvmtest_program"));
    pvm.type("\x15");
    pvm.type("spawn -> " + taskPath() + " print 2\r");
    CHECK(pvm.expect("] line 1"));
    CHECK(pvm.expect("[1] finished"));
    CHECK(pvm.expect("pvm> "));
    pvm.type("id\r");
    CHECK(pvm.expect("t4"));
    CHECK(pvm.expect("pvm> "));
    pvm.type("quit\r");
    CHECK(pvm.waitExit() == 0);
}

TEST_CASE("at a terminal: top refreshes until q", "[console][pty]") {
    VirtualMachine vm;
    PtySession pvm = console(vm);
    REQUIRE(pvm.expect("pvm> "));
    pvm.type("top 0.2\r");
    CHECK(pvm.expect("pvm top - "));
    CHECK(pvm.expect("pvm top - "));  // a second frame
    CHECK(pvm.expect("MSG/S"));
    pvm.type("q");
    CHECK(pvm.expect("pvm> "));
    pvm.type("ps -w\r");  // ps -w is the same view
    CHECK(pvm.expect("pvm top - "));
    CHECK(pvm.expect("MSG/S"));
    pvm.type("q");
    CHECK(pvm.expect("pvm> "));
    pvm.type("quit\r");
    CHECK(pvm.waitExit() == 0);
}
