// console_input-test.cpp - the console's own command line (console/arguments.cpp) and what
// its Tab completes a word to (console/completion.cpp).
#include <catch2/catch.hpp>

#include "arguments.h"
#include "completion.h"

using namespace pvm::console;

TEST_CASE("the console's arguments go to the pvmd it starts, -h asks for usage", "[console]") {
    const char* argv[] = {"pvm", "-d", "0x10", "hosts", "-h"};
    ConsoleArguments parsed = parseArguments(5, argv);
    CHECK(parsed.help);
    CHECK(parsed.daemonArgs == std::vector<std::string>{"-d", "0x10", "hosts"});
    const char* none[] = {"pvm"};
    CHECK(parseArguments(1, none).daemonArgs.empty());
}

TEST_CASE("with a pvmd running, the console names the hostfile and options it does not apply", "[console]") {
    CHECK(ignoredArgumentWarnings({}).empty());
    // -n takes a value (pvmd's getopt spec); -f does not, so "hosts" is the hostfile.
    std::vector<std::string> lines = ignoredArgumentWarnings({"-n", "alpha", "-f", "hosts"});
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] ==
          "pvm: pvmd already running: hostfile hosts not read (add its hosts with add, or halt and start again)");
    CHECK(lines[1] == "pvm: pvmd already running: -n alpha -f not applied (they are for starting one)");
    // An option that wants a value at the very end takes none.
    CHECK(ignoredArgumentWarnings({"-T"}) ==
          std::vector<std::string>{"pvm: pvmd already running: -T not applied (they are for starting one)"});
}

TEST_CASE("Tab completes commands, hosts and programs by the word before", "[console]") {
    CHECK(completionKind("", "ver") == CompletionKind::Command);
    CHECK(completionKind("  \t", "") == CompletionKind::Command);
    CHECK(completionKind("add ", "no") == CompletionKind::NewHost);
    CHECK(completionKind(" delete a ", "") == CompletionKind::Host);
    CHECK(completionKind("mstat\t", "b") == CompletionKind::Host);
    CHECK(completionKind("spawn -> ", "-") == CompletionKind::SpawnHost);
    CHECK(completionKind("spawn ", "hel") == CompletionKind::Program);
    CHECK(completionKind("kill ", "t4") == CompletionKind::None);
    CHECK(completionKind("spawner ", "x") == CompletionKind::None);

    std::vector<std::string> hosts{"alpha", "beta", "alps"};
    CHECK(matching(candidatesOf(CompletionKind::SpawnHost, hosts), "-al") ==
          std::vector<std::string>{"-alpha", "-alps"});
    CHECK(matching(candidatesOf(CompletionKind::Host, hosts), "") == hosts);
    CHECK(matching(hosts, "gamma").empty());
    CHECK(onlyThese(CompletionKind::Command));
    CHECK_FALSE(onlyThese(CompletionKind::NewHost));  // a host not yet in the machine may be typed
}
