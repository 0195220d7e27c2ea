// console-test.cpp - the pvm console driven through its standard input, as a script
// or a user's pipe would: real output checked line by line.
#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <unistd.h>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
/// session runs the console with input on its standard input; output and errors together.
std::string session(const std::string& input, int* status = nullptr) {
    return runWithInput(PVM_TEST_CONSOLE, input, status);
}

bool hasLine(const std::string& text, const std::string& pattern) {
    std::istringstream lines(text);
    std::regex re(pattern);
    for (std::string line; std::getline(lines, line);)
        if (std::regex_match(line, re)) return true;
    return false;
}

std::string tidOf(const std::string& text, const std::string& pattern) {
    std::smatch m;
    std::regex re(pattern);
    return std::regex_search(text, m, re) ? m[1].str() : "";
}
}  // namespace

TEST_CASE("a scripted session prints its answers and no prompt", "[console]") {
    VirtualMachine vm;
    int status = -1;
    std::string out = session("conf\nid\nversion\nps -x\nquit\n", &status);
    INFO(out);
    CHECK(status == 0);
    CHECK(hasLine(out, "1 host, 1 data format"));
    CHECK(hasLine(out, " +HOST +DTID +ARCH +SPEED +DSIG"));
    CHECK(hasLine(out, " +\\S+ +40000 +LINUX64 +\\d+ 0x00408c41"));  // PVM's data signature of x86-64
    CHECK(hasLine(out, "t4[0-9a-f]{4}"));
    CHECK(hasLine(out, "3\\.4\\.6"));
    CHECK(hasLine(out, " +\\S+ +\\(cons\\) +4/c - *"));  // ps -x shows the console itself, unnamed, as PVM's
    CHECK(out.find("pvm>") == std::string::npos);
    CHECK(processAlive(vm.daemonPid()));  // quit leaves the machine running
}

TEST_CASE("a hostfile given while a pvmd runs is not read, and the console says so", "[console]") {
    VirtualMachine vm;
    char path[] = "/tmp/pvmtest-hostfile.XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    std::ofstream(path) << "elsewhere\n";
    int status = -1;
    std::string out = runWithInput(std::string(PVM_TEST_CONSOLE) + " -d 0 " + path, "conf\nquit\n", &status);
    std::remove(path);
    INFO(out);
    CHECK(status == 0);
    CHECK(hasLine(out, std::string("pvm: pvmd already running: hostfile ") + path + " not read .*"));
    CHECK(hasLine(out, "pvm: pvmd already running: -d 0 not applied .*"));
    CHECK(hasLine(out, "1 host, 1 data format"));  // the machine is as it was
}

TEST_CASE("spawn -> shows the output as [job:tid] lines and says when the job ends", "[console]") {
    VirtualMachine vm;
    // The input ends right after the spawn: the console waits for the job before it leaves.
    std::string out = session("spawn -2 -> " + taskPath() + " print 2\n");
    INFO(out);
    CHECK(hasLine(out, "\\[1\\]"));
    CHECK(hasLine(out, "2 successful"));
    std::string tid = tidOf(out, "\\[1:(t[0-9a-f]+)\\] line 0");
    REQUIRE(!tid.empty());
    CHECK(hasLine(out, "\\[1:" + tid + "\\] line 1"));
    CHECK(hasLine(out, "\\[1:" + tid + "\\] to stderr"));
    CHECK(hasLine(out, "\\[1:" + tid + "\\] EOF"));
    CHECK(hasLine(out, "\\[1\\] finished"));
    // The job ends after both tasks' EOF lines.
    CHECK(out.rfind("EOF") < out.find("[1] finished"));
}

TEST_CASE("spawn ->file and ->>file write the job's output to a file", "[console]") {
    VirtualMachine vm;
    std::string file = vm.tmpDir() + "/job.out";
    session("spawn ->" + file + " " + taskPath() + " print 1\n");
    session("spawn ->>" + file + " " + taskPath() + " print 1\n");
    std::string text = readFile(file);
    INFO(text);
    // Two jobs (each console numbers its own from 1), the second appended to the first.
    std::string first = tidOf(text, "\\[1:(t[0-9a-f]+)\\] line 0");
    std::string second = tidOf(text.substr(text.find("EOF")), "\\[1:(t[0-9a-f]+)\\] line 0");
    CHECK(!first.empty());
    CHECK(!second.empty());
    CHECK(first != second);
}

TEST_CASE("jobs lists a running job, and kill ends it and the job finishes", "[console]") {
    VirtualMachine vm;
    // The sleeper never ends by itself: the same session kills it, by the tid jobs knows.
    std::string out = session("spawn -> " + taskPath() +
                              " sleep\njobs\nkill [format %x [lindex [dict get $::console::jobs 1 tids] 0]]\n");
    INFO(out);
    std::string tid = tidOf(out, "(?:^|\n) 1: (t[0-9a-f]+)");  // PVM's jobs: " 1: t40002"
    REQUIRE(!tid.empty());
    CHECK(hasLine(out, "\\[1:" + tid + "\\] EOF"));
    CHECK(hasLine(out, "\\[1\\] finished"));
}

TEST_CASE("bad commands and arguments get one clear line and the session goes on", "[console]") {
    VirtualMachine vm;
    int status = -1;
    std::string out =
        session("frobnicate\nspawn\nkill zz\nadd\nspawn /no/such/program\nps -q\necho still here\n", &status);
    INFO(out);
    CHECK(status == 0);
    CHECK(hasLine(out, "unknown command \"frobnicate\": type help for the list"));
    CHECK(hasLine(out, "usage: spawn .*"));
    CHECK(hasLine(out, "not a tid: \"zz\".*"));
    CHECK(hasLine(out, "usage: add host \\.\\.\\."));
    CHECK(hasLine(out, "No such file"));
    CHECK(hasLine(out, "unknown flag -q"));
    CHECK(hasLine(out, "still here"));
}

TEST_CASE("lines are Tcl: loops, variables, procedures and source work", "[console]") {
    VirtualMachine vm;
    std::string script = vm.tmpDir() + "/more.tcl";
    std::ofstream(script) << "echo sourced [pvm version]\n";
    std::string out = session(
        "for {set i 0} {$i < 2} {incr i} { echo round $i }\n"
        "proc twice {x} {\n"
        "    expr {2 * $x}\n"
        "}\n"
        "echo [twice 21]\n"
        "set n [llength [pvm config]]\n"
        "echo hosts $n\n"
        "source " +
        script + "\n");
    INFO(out);
    CHECK(hasLine(out, "round 0"));
    CHECK(hasLine(out, "round 1"));
    CHECK(hasLine(out, "42"));
    CHECK(hasLine(out, "hosts 1"));
    CHECK(hasLine(out, "sourced 3.4.6"));
}

TEST_CASE("alias, setenv, export and help", "[console]") {
    VirtualMachine vm;
    std::string out = session(
        "alias v version\nv\nalias\nunalias v\nv\n"
        "setenv PVMTEST_COLOUR blue\nsetenv PVMTEST_COLOUR\n"
        "export PVMTEST_COLOUR\nexport\nunexport PVMTEST_COLOUR\nexport\n"
        "help\nhelp spawn\n");
    INFO(out);
    CHECK(hasLine(out, "3\\.4\\.6"));
    CHECK(hasLine(out, "v\tversion"));
    CHECK(hasLine(out, "unknown command \"v\": type help for the list"));
    CHECK(hasLine(out, "blue"));  // setenv name shows the value alone, as PVM's console
    CHECK(hasLine(out, "PVM_EXPORT=PVMTEST_COLOUR"));
    CHECK(hasLine(out, "PVM_EXPORT="));
    CHECK(hasLine(out, "  spawn       Start tasks"));
    CHECK(hasLine(out, "Syntax:  spawn \\[ options \\] program \\[ arg \\.\\.\\. \\]"));
    CHECK(hasLine(out, " +->  +show their output here.*"));
}

TEST_CASE("exported variables reach spawned tasks", "[console]") {
    VirtualMachine vm;
    // The info mode answers its parent with the variable: the console's Tcl receives it.
    std::string out = session(
        "setenv PVM_TEST_VAR from-the-console\nexport PVM_TEST_VAR\n"
        "set t [pvm spawn " +
        taskPath() +
        " info]\n"
        "set h [pvm recv -tid $t -tag 1]\n"
        "$h int; set n [$h int]; $h int $n; set argc [$h int]\n"
        "for {set i 0} {$i < $argc} {incr i} { $h string }\n"
        "$h string\n"
        "echo var=[$h string]\n");
    INFO(out);
    CHECK(hasLine(out, "var=from-the-console"));
}

TEST_CASE("sig, kill and pstat", "[console]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    std::string path = taskPath();
    char* argv[] = {const_cast<char*>("sleep"), nullptr};
    int tids[2] = {0, 0};
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskDefault, nullptr, 2, tids) == 2);
    for (int t : tids) REQUIRE(pvm_recv(t, 1) > 0);
    char a[16], b[16];
    std::snprintf(a, sizeof a, "t%x", tids[0]);
    std::snprintf(b, sizeof b, "%x", tids[1]);  // PVM's console also takes bare hex
    std::string out = session(std::string("pstat ") + a + " " + b + "\nsig 10 " + a + "\nkill " + b + "\n");
    INFO(out);
    CHECK(hasLine(out, "t +" + std::string(a + 1) + "  run"));  // PVM's "t   40002  run"
    CHECK(waitFor([&] { return pvm_pstat(tids[0]) == PvmNoTask && pvm_pstat(tids[1]) == PvmNoTask; }));
    out = session(std::string("pstat ") + a + "\nkill " + a + "\n");
    CHECK(hasLine(out, "t +" + std::string(a + 1) + "  No such task"));
    CHECK(hasLine(out, "kill: " + std::string(a) + ": No such task"));
}

TEST_CASE("ps options, mstat and reset", "[console]") {
    VirtualMachine vm;
    std::string out = session("spawn -3 " + taskPath() +
                              " sleep\nps\nps -a -l\nps -h40000\nps -n nothing\n"
                              "mstat " +
                              std::string("nosuchhost") + "\nreset\nps\n");
    INFO(out);
    CHECK(hasLine(out, "3 successful"));
    CHECK(hasLine(out, " +HOST +TID +FLAG 0x COMMAND"));
    CHECK(hasLine(out, " +HOST +TID +PTID +PID +FLAG 0x COMMAND"));
    // As PVM's console: what it spawns has no parent (PvmParentNotSet, shown as ffffffdd).
    CHECK(hasLine(out, " +\\S+ +4[0-9a-f]{4} +ffffffdd +\\d+ +[0-9a-f]+/\\S* test_task *"));
    CHECK(hasLine(out, "unknown host nothing"));
    CHECK(hasLine(out, " +nosuchhost  No such host"));
    // After reset only the header is left.
    std::string after = out.substr(out.rfind("HOST"));
    CHECK(after.find("test_task") == std::string::npos);
}

TEST_CASE("trace sets the calls spawn -@ tasks report, shown with their job", "[console][trace]") {
    VirtualMachine vm;
    std::string out =
        session("trace none\ntrace + mytid send\ntrace - send\ntrace\nspawn -@ " + taskPath() + " print 1\n");
    INFO(out);
    CHECK(hasLine(out, ".* \\* mytid .*"));  // PVM's grid: * marks a traced call
    CHECK(hasLine(out, ".*   send .*"));
    CHECK(!hasLine(out, ".* \\* send .*"));
    std::string tid = tidOf(out, "\\[1:(t[0-9a-f]+)\\] line 0");
    REQUIRE(!tid.empty());
    CHECK(hasLine(out, "\\[1:" + tid + "\\] trace: pvm_mytid\\(\\) = \\d+"));
    CHECK(hasLine(out, "\\[1\\] finished"));
    CHECK(hasLine(session("trace\n"), ".* \\* send .*"));  // a new console traces every call
}

TEST_CASE("names lists the mailbox", "[console][mailbox]") {
    VirtualMachine vm;
    std::string out = session("pvm putinfo service -flags persistent -string here\nnames\nnames s*\nnames x*\n");
    INFO(out);
    // PVM's layout: "<name>:", then a line per entry.
    CHECK(hasLine(out, "<service>:"));
    CHECK(hasLine(out, "\tindex=0 owner=0x4[0-9a-f]{4}/\\d+ flags=0x1"));
    // The console has left: a persistent entry stays, without an owner.
    out = session("names\n");
    CHECK(hasLine(out, "\tindex=0 owner=0x0/0 flags=0x1"));
}

TEST_CASE("top without a terminal prints one frame of hosts and tasks", "[console]") {
    VirtualMachine vm;
    std::string out = session("spawn -2 " + taskPath() + " sleep\ntop\nreset\n");
    INFO(out);
    CHECK(hasLine(out, "pvm top - \\d\\d:\\d\\d:\\d\\d +1 hosts, 3 tasks +\\(q leaves\\)"));
    CHECK(hasLine(out, "HOST +SPEED +TASKS +LOAD +MSG/S"));
    CHECK(hasLine(out, " +TID +HOST +COMMAND +STATE +CPU +TIME +MEM/MB +MSGS"));
    CHECK(hasLine(out, " *t4[0-9a-f]{4} .* test_task +(run|start) .*"));
}

TEST_CASE("halt stops the machine from the console", "[console]") {
    VirtualMachine vm;
    int pid = vm.daemonPid();
    session("halt\n");
    CHECK(waitFor([&] { return !processAlive(pid); }));
}

TEST_CASE("the console starts a pvmd when none runs, with the options it was given", "[console]") {
    VirtualMachine vm;
    vm.halt();
    std::string out = session("conf\nhalt\n");
    INFO(out);
    CHECK(hasLine(out, "1 host, 1 data format"));
}
