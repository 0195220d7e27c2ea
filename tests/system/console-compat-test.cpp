// console-compat-test.cpp - the console's output where a script reads it, line for line as
// Debian's PVM 3.4.6 console prints it (seen side by side; docs/console.md lists what
// differs on purpose), and the fixes of issue 11: help with aliases, spawn failures, job
// output without a terminal, the end of a job with children, single error words,
// spawn -? and trace - all.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fcntl.h>
#include <regex>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
std::string session(const std::string& input) { return runWithInput(PVM_TEST_CONSOLE, input); }

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

bool hasLine(const std::string& text, const std::string& pattern) {
    std::regex re(pattern);
    for (const auto& line : lines(text))
        if (std::regex_match(line, re)) return true;
    return false;
}

/// follows is true when the lines want appear in text one right after the other.
bool follows(const std::string& text, const std::vector<std::string>& want) {
    std::vector<std::string> all = lines(text);
    for (std::size_t i = 0; i + want.size() <= all.size(); ++i)
        if (std::equal(want.begin(), want.end(), all.begin() + static_cast<long>(i))) return true;
    return false;
}

std::string firstMatch(const std::string& text, const std::string& pattern) {
    std::smatch m;
    std::regex re(pattern);
    return std::regex_search(text, m, re) ? m[1].str() : "";
}

/// ScopedEnv sets an environment variable for its scope (a daemon started meanwhile keeps it).
struct ScopedEnv {
    ScopedEnv(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) saved_ = old, had_ = true;
        setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() { had_ ? setenv(name_, saved_.c_str(), 1) : unsetenv(name_); }
    const char* name_;
    std::string saved_;
    bool had_ = false;
};
}  // namespace

TEST_CASE("help works once an alias exists, in PVM's layout", "[console][compat]") {
    VirtualMachine vm;
    std::string out = session("alias v version\nhelp\nhelp kill\nhelp v\nhelp help\n");
    INFO(out);
    CHECK(out.find("missing value") == std::string::npos);
    CHECK(follows(out, {"help        Show help about a command", "Syntax:  help [ command ]", "Commands are:"}));
    CHECK(hasLine(out, "  kill        Kill tasks"));
    CHECK(hasLine(out, "  version     Show the PVM version"));
    CHECK(follows(
        out, {"kill        Kill tasks", "Syntax:  kill [ -c ] tid ...", "Options:  -c   their children, not them"}));
    CHECK(hasLine(out, "v           Alias for: version"));
    CHECK(out.find("Commands are:") != out.rfind("Commands are:"));  // help help is the list too
}

TEST_CASE("spawn of a missing program or host says 0 successful and why, once per copy", "[console][compat]") {
    VirtualMachine vm;
    std::string out = session(
        "spawn pvmtest_nosuch\nspawn -2 pvmtest_nosuch\nspawn -> pvmtest_nosuch\n"
        "spawn -nosuchhost " +
        taskPath() + " print 1\necho done\n");
    INFO(out);
    // PVM 3.4.6: "0 successful" then the error words, on standard output.
    CHECK(follows(out, {"0 successful", "No such file", "0 successful", "No such file", "No such file", "[1]",
                        "0 successful", "No such file", "0 successful", "No such host", "done"}));
}

// waitConnected is console input that waits, with a deadline, until every task of job 1 has
// enrolled (ps shows it connected, "c"): the console spawns with PvmNoSpawnParent, as PVM's,
// so the tasks cannot say so to it.
const std::string waitConnected =
    "proc connected {t} { expr {[dict get [lindex [pvm tasks $t] 0] flags] & 4} }\n"
    "foreach t [dict get $::console::jobs 1 tids] { set end [expr {[clock milliseconds] + 20000}]; "
    "while {![connected $t] && [clock milliseconds] < $end} { after 10 } }\n";

TEST_CASE("ps, pstat, mstat and jobs print PVM's columns", "[console][compat]") {
    VirtualMachine vm;
    std::string host = firstMatch(session("conf\n"), "\\n +(\\S+) +40000 ");
    REQUIRE(!host.empty());
    std::string out =
        session("spawn -> " + taskPath() + " sleep\n" + waitConnected + "ps\nps -x\nps -l\npstat " +
                "[format %x [lindex [dict get $::console::jobs 1 tids] 0]]\npstat 4ffff\nmstat " + host +
                " pvmtest.nosuch\njobs\nkill [format %x [lindex [dict get $::console::jobs 1 tids] 0]]\n");
    INFO(out);
    CHECK(hasLine(out, "                    HOST      TID   FLAG 0x COMMAND"));
    CHECK(hasLine(out, "                    HOST      TID     PTID    PID   FLAG 0x COMMAND"));
    std::string tid = firstMatch(out, "\\n +\\S+ +(4[0-9a-f]{4})     6/c,f test_task   \\n");
    REQUIRE(!tid.empty());
    CHECK(hasLine(out, " +\\S+   \\(cons\\)       4/c -           "));  // ps -x: the console, unnamed as in PVM
    CHECK(hasLine(out, " +\\S+ +" + tid + " +ffffffdd +\\d+     6/c,f test_task   "));  // ps -l, no parent
    CHECK(hasLine(out, "t {3}" + tid + "  run"));
    CHECK(hasLine(out, "t {3}4ffff  No such task"));
    CHECK(hasLine(out, " +" + host + "  ok"));
    CHECK(hasLine(out, " +pvmtest.nosuch  No such host"));
    CHECK(hasLine(out, " 1: t" + tid));
    CHECK(hasLine(out, "\\[1\\] finished"));
}

TEST_CASE("without a terminal, job output shows while the input stays open", "[console][compat]") {
    VirtualMachine vm;
    std::string fifo = vm.tmpDir() + "/input", file = vm.tmpDir() + "/output";
    REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        int in = open(fifo.c_str(), O_RDONLY), out = open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(in, 0);
        dup2(out, 1);
        dup2(out, 2);
        execl(PVM_TEST_CONSOLE, "pvm", static_cast<char*>(nullptr));
        _exit(127);
    }
    // A script holds the fifo open and waits for the job's output before it writes more.
    int writer = open(fifo.c_str(), O_WRONLY);
    std::string line = "spawn -> " + taskPath() + " print 2\n";
    REQUIRE(write(writer, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
    bool shown = waitFor([&] { return readFile(file).find("[1] finished") != std::string::npos; });
    REQUIRE(write(writer, "quit\n", 5) == 5);
    close(writer);
    int status = 0;
    waitpid(pid, &status, 0);
    INFO(readFile(file));
    CHECK(shown);
    CHECK(hasLine(readFile(file), "\\[1:t4[0-9a-f]{4}\\] line 1"));
}

TEST_CASE("a job finishes after the EOF of every task, its children's included", "[console][compat]") {
    VirtualMachine vm;
    // The parent leaves at once; its child prints only once the parent's output has ended
    // (the session tells it to then, with tag 7): the job must wait for the child.
    std::string out = session(
        "spawn -> " + taskPath() + " family " + taskPath() + "\n" +
        "set parent [lindex [dict get $::console::jobs 1 tids] 0]\n"
        "set deadline [expr {[clock milliseconds] + 10000}]\n"
        "while {[dict exists $::console::jobs 1] && $parent in [dict get $::console::jobs 1 tids] &&\n"
        "       [clock milliseconds] < $deadline} { after 20 {set ::tick 1}; vwait ::tick }\n"
        "echo parent ended, job [expr {[dict exists $::console::jobs 1] ? \"open\" : \"closed\"}]\n"
        "foreach t [pvm tasks] { if {[dict get $t parent] == $parent} { pvm send [dict get $t tid] 7 -int 1 } }\n");
    INFO(out);
    std::string child = firstMatch(out, "\\[1:t4[0-9a-f]{4}\\] child (t4[0-9a-f]{4})");
    REQUIRE(!child.empty());
    CHECK(hasLine(out, "parent ended, job open"));
    CHECK(follows(out, {"[1:" + child + "] late line", "[1:" + child + "] EOF", "[1] finished"}));
}

TEST_CASE("errors name their words once", "[console][compat]") {
    VirtualMachine vm;
    std::string out = session("kill t4ffff\nsig 15 t4ffff\npvm kill t4ffff\necho done\n");
    INFO(out);
    CHECK(hasLine(out, "kill: t4ffff: No such task"));
    CHECK(hasLine(out, "sig: t4ffff: No such task"));
    CHECK(hasLine(out, "pvm kill: task t4ffff: No such task"));
    CHECK(out.find("No such task: No such task") == std::string::npos);
    CHECK(hasLine(out, "done"));
}

TEST_CASE("spawn -? runs the task under the debugger with PVM_ROOT set to a prefix", "[console][compat]") {
    // A prefix without PVM's lib/debugger: the daemon uses ours, installed beside it.
    char root[] = "/tmp/pvmtest-root.XXXXXX";
    REQUIRE(mkdtemp(root));
    ScopedEnv env("PVM_ROOT", root);
    VirtualMachine vm;
    std::string out = session("spawn -? -> " + taskPath() + " whoami\n");
    INFO(out);
    rmdir(root);
    std::string tid = firstMatch(out, "1 successful\\n(t4[0-9a-f]{4})\\n");
    REQUIRE(!tid.empty());
    // The task under the debugger enrolls as the tid spawn gave (not as a new task).
    CHECK(hasLine(out, "\\[1:" + tid + "\\] I am " + tid));
    CHECK(hasLine(out, "\\[1\\] finished"));
}

TEST_CASE("trace: all, none, + and - of names or *, shown as PVM's grid", "[console][compat][trace]") {
    VirtualMachine vm;
    std::string out = session(
        "trace - all\ntrace\necho --\ntrace + send recv\ntrace\necho --\n"
        "trace + *\ntrace - send\ntrace\necho --\ntrace nosuchcall\n");
    INFO(out);
    std::vector<std::string> parts;
    for (std::size_t at = 0, next; at < out.size(); at = next + 3) {
        next = out.find("--\n", at);
        if (next == std::string::npos) next = out.size();
        parts.push_back(out.substr(at, next - at));
    }
    REQUIRE(parts.size() == 4);
    CHECK(parts[0].find(" * ") == std::string::npos);  // trace - all: nothing marked
    CHECK(hasLine(parts[0], "   addhosts +   \\w.*"));
    CHECK(hasLine(parts[1], ".* \\* send .*"));
    CHECK(hasLine(parts[1], ".* \\* recv .*"));
    CHECK(hasLine(parts[1], "   addhosts .*"));
    CHECK(hasLine(parts[2], " \\* addhosts .*"));
    CHECK(hasLine(parts[2], ".*   send .*"));
    CHECK(hasLine(parts[3], "trace: no such call \"nosuchcall\""));
}

TEST_CASE("getopt, setopt, setenv, alias, unalias, names and put as in PVM's console", "[console][compat]") {
    VirtualMachine vm;
    std::string out = session(
        "setopt PvmRoute 3\ngetopt Route\ngetopt\nsetenv PVMTEST_X one two\nsetenv PVMTEST_X\n"
        "setenv PVMTEST_UNSET\nalias ll ps -l\nalias ll\nalias nosuch\nunalias nosuch\n"
        "put pvmtest_box hello 1\nnames\necho done\n");
    INFO(out);
    CHECK(hasLine(out, "PvmRoute Changed from \\d to 3"));
    CHECK(hasLine(out, "PvmRoute Currently Set to 3"));
    CHECK(hasLine(out, "PvmFragSize Currently Set to \\d+"));
    CHECK(hasLine(out, "one two"));
    CHECK(hasLine(out, "ll\tps -l"));
    CHECK(hasLine(out, "\tindex=0 owner=0x4[0-9a-f]{4}/\\d+ flags=0x1"));
    CHECK(follows(out, {"", "done"}));
    // Nothing for an unset variable, an unknown alias, or unalias of one.
    CHECK(follows(out, {"one two", "ll\tps -l", "<pvmtest_box>:"}));
}

TEST_CASE("kill -c kills the children of a task and leaves the task, as PVM's console", "[console][compat]") {
    VirtualMachine vm;
    // The family task stays (until tag 99); its child waits for tag 7 meanwhile.
    std::string out = session(
        "set parent [lindex [pvm spawn " + taskPath() + " family " + taskPath() +
        " stay] 0]\n"
        "set deadline [expr {[clock milliseconds] + 10000}]\n"
        "proc children {} { lmap t [pvm tasks] { if {[dict get $t parent] != $::parent} continue; dict get $t tid } }\n"
        "while {![llength [children]] && [clock milliseconds] < $deadline} { after 20 {set ::tick 1}; vwait ::tick }\n"
        "set child [children]\n"
        "kill -c [format %x $parent]\n"
        "while {[pvm pstat $child] eq \"ok\" && [clock milliseconds] < $deadline} { after 20 {set ::tick 1}; vwait "
        "::tick }\n"
        "echo child [pvm pstat $child], parent [pvm pstat $parent]\n"
        "pvm kill $parent\n");
    INFO(out);
    CHECK(hasLine(out, "child PvmNoTask, parent ok"));
}

TEST_CASE("jobs lists every task of a job, and -l a ps line for each", "[console][compat]") {
    VirtualMachine vm;
    std::string out = session("spawn -2 -> " + taskPath() + " sleep\n" + waitConnected +
                              "jobs\njobs -l\n"
                              "foreach t [dict get $::console::jobs 1 tids] { kill [format %x $t] }\n");
    INFO(out);
    std::smatch m;
    REQUIRE(std::regex_search(out, m, std::regex("\\n 1: t(4[0-9a-f]{4}) t(4[0-9a-f]{4})\\n")));
    CHECK(follows(out, {"                    HOST      TID   FLAG 0x COMMAND", " 1:"}));
    CHECK(hasLine(out, " +\\S+ +" + m[1].str() + "     6/c,f test_task   "));
    CHECK(hasLine(out, " +\\S+ +" + m[2].str() + "     6/c,f test_task   "));
    CHECK(hasLine(out, "\\[1\\] finished"));
}

TEST_CASE("spawn -@file writes the job's output and trace lines to the file", "[console][compat][trace]") {
    VirtualMachine vm;
    std::string file = vm.tmpDir() + "/traced.out";
    std::string out = session("trace - *\ntrace + mytid\nspawn -@" + file + " " + taskPath() + " print 1\n");
    INFO(out);
    CHECK(hasLine(out, "\\[1\\] finished"));
    std::string text = readFile(file);
    INFO(text);
    std::string tid = firstMatch(text, "\\[1:(t4[0-9a-f]{4})\\] line 0");
    REQUIRE(!tid.empty());
    CHECK(hasLine(text, "\\[1:" + tid + "\\] trace: pvm_mytid\\(\\) = \\d+"));
    CHECK(hasLine(text, "\\[1:" + tid + "\\] EOF"));
}
