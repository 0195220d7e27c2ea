// console-multihost-test.cpp - console sessions on a machine of several test hosts
// (network namespaces): adding hosts, spawning across them with ->, killing, halting,
// and a console that starts the master with a hostfile.
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>

#include "cluster.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
std::string consoleSession(const std::string& command, const std::string& input) {
    return runWithInput(command, input);
}

std::set<std::string> matches(const std::string& text, const std::string& pattern) {
    std::set<std::string> found;
    std::regex re(pattern);
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) found.insert((*it)[1].str());
    return found;
}
}  // namespace

TEST_CASE("a console session adds hosts, spawns across them with ->, kills a task and halts", "[console][multihost]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(3);
    std::string task = taskPath();
    std::string out =
        consoleSession(PVM_TEST_CONSOLE, "add {" + c.address(2) + " sp=1000} {" + c.address(3) +
                                             " sp=1000}\n"
                                             "conf\n"
                                             "spawn -3 -> " +
                                             task +
                                             " print 1\n"
                                             "jobs -wait\n"
                                             "spawn -" +
                                             c.address(3) + " -> " + task +
                                             " sleep\n"
                                             "ps -a\n"
                                             "kill [format %x [lindex [dict get $::console::jobs 2 tids] 0]]\n"
                                             "jobs -wait\n"
                                             "halt\n");
    INFO(out);
    CHECK(out.find("2 successful") != std::string::npos);
    CHECK(out.find("3 hosts, 1 data format") != std::string::npos);
    // The three copies ran on three hosts: tids t4..., t8..., tc... (host number in the tid).
    std::set<std::string> printers = matches(out, "\\[1:t([0-9a-f])[0-9a-f]{4}\\] line 0");
    CHECK(printers == std::set<std::string>{"4", "8", "c"});
    CHECK(out.find("[1] finished") != std::string::npos);
    CHECK(std::regex_search(out, std::regex(c.address(3) + " +c[0-9a-f]{4} +[0-9a-f]+/\\S* +\\S*test_task")));
    CHECK(std::regex_search(out, std::regex("\\[2:tc[0-9a-f]{4}\\] EOF")));
    CHECK(out.find("[2] finished") != std::string::npos);
    // halt took every daemon down.
    for (int i = 1; i <= 3; ++i) CHECK(waitFor([&] { return c.daemonPid(i) == 0; }));
}

TEST_CASE("pvm hostfile starts a master that starts the file's hosts", "[console][multihost]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(2);
    c.halt();  // the console starts the master this time
    char path[] = "/tmp/pvmtest-hostfile.XXXXXX";
    int fd = mkstemp(path);
    REQUIRE(fd >= 0);
    close(fd);
    std::ofstream(path) << "* sp=700\n" << Cluster::plannedHostName(2) << "\n";
    std::string out = consoleSession(
        "ip netns exec " + c.hostName(1) + " " + PVM_TEST_CONSOLE + " -n " + c.hostName(1) + " -H 200 -T 2000 " + path,
        // The file's hosts join once the master is up: wait for the second, at most 20 s.
        "set deadline [expr {[clock seconds] + 20}]\n"
        "while {[llength [pvm config]] < 2 && [clock seconds] < $deadline} { after 100 }\n"
        "conf\n"
        "halt\n");
    std::remove(path);
    INFO(out);
    CHECK(out.find("2 hosts, 1 data format") != std::string::npos);
    CHECK(std::regex_search(out, std::regex(Cluster::plannedHostName(2) + " +80000 +\\w+ +700 ")));
    for (int i = 1; i <= 2; ++i) CHECK(waitFor([&] { return c.daemonPid(i) == 0; }));
}
