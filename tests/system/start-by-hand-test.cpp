// start-by-hand-test.cpp - hosts that need a person: so=ms (the slave is started
// by hand and its answer typed back) and so=pw (ssh asks for a password). The
// test plays the person, reading the instructions from the master's log.
#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <fcntl.h>
#include <future>
#include <string>
#include <tuple>
#include <sys/stat.h>
#include <unistd.h>

#include "cluster.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
/// addHostAsync runs pvm_addhosts for one line on its own thread, as a console would
/// while the person at another terminal does what the log says.
std::future<std::pair<int, int>> addHostAsync(const std::string& line) {
    return std::async(std::launch::async, [line] {
        std::string copy = line;
        char* names[] = {copy.data()};
        int info = 0;
        int n = pvm_addhosts(names, 1, &info);
        return std::make_pair(n, info);
    });
}

/// after returns the text of log following marker (up to the end of that line), once the
/// marker is there.
std::string after(const Cluster& c, const std::string& marker) {
    std::string log;
    REQUIRE(waitFor([&] { return (log = c.logText(1)).find(marker) != std::string::npos; }));
    std::size_t start = log.find(marker) + marker.size();
    return log.substr(start, log.find('\n', start) - start);
}

/// writeLine writes line into the FIFO at path once somebody reads it, as `echo > fifo` would.
void writeLine(const std::string& path, const std::string& line) {
    int fd = -1;
    REQUIRE(waitFor([&] { return (fd = open(path.c_str(), O_WRONLY | O_NONBLOCK)) >= 0; }));
    std::string text = line + "\n";
    CHECK(write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    close(fd);
}

std::string shellQuoted(const std::string& s) {
    std::string out = "'";
    for (char ch : s) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

bool exists(const std::string& path) {
    struct stat st {};
    return stat(path.c_str(), &st) == 0;
}

/// Password sets the password every test host asks for (rsh-netns plays sshd) for one test.
struct Password {
    explicit Password(const char* p) { setenv("PVM_NETNS_PASSWORD", p, 1); }
    ~Password() { unsetenv("PVM_NETNS_PASSWORD"); }
};
}  // namespace

TEST_CASE("so=ms prints the command to type and takes the typed answer", "[multihost]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(2);
    REQUIRE(pvm_mytid() > 0);
    auto added = addHostAsync(c.address(2) + " so=ms");
    // The person logs in to the host, runs the command the log shows and types back its answer.
    std::string command = after(c, "\" and type:\n");
    CHECK(command.find("--slave 2") != std::string::npos);
    std::string fifo = after(c, "(pvmd-slave-ready ...) into ");
    fifo = fifo.substr(0, fifo.find(" within"));
    std::string answer;
    REQUIRE(runCommand(std::string(PVM_TEST_SUPPORT_DIR) + "/rsh-netns " + c.address(2) + " " + shellQuoted(command),
                       &answer) == 0);
    REQUIRE(answer.rfind("pvmd-slave-ready ", 0) == 0);
    writeLine(fifo, answer.substr(0, answer.find('\n')));
    auto [n, info] = added.get();
    CHECK(n == 1);
    CHECK(info == 0x80000);
    CHECK_FALSE(exists(fifo));
    // The host is a full member: a task runs there and answers.
    std::string path = taskPath();
    char* argv[] = {const_cast<char*>("echo"), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskHost, const_cast<char*>(c.address(2).c_str()), 1, &tid) == 1);
    CHECK(pvm_tidtohost(tid) == 0x80000);
    pvm_initsend(PvmDataDefault);
    int value = 41;
    pvm_pkint(&value, 1, 1);
    REQUIRE(pvm_send(tid, 1) == 0);
    struct timeval tmout = {10, 0};
    REQUIRE(pvm_trecv(tid, -1, &tmout) > 0);
}

TEST_CASE("so=ms without an answer fails with PvmCantStart after -M", "[multihost]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(2, "-H 200 -T 2000 -s 1000 -M 1500");
    REQUIRE(pvm_mytid() > 0);
    auto added = addHostAsync(c.address(2) + " so=ms");
    std::string fifo = after(c, "(pvmd-slave-ready ...) into ");
    fifo = fifo.substr(0, fifo.find(" within"));
    auto [n, info] = added.get();
    CHECK(n == 0);
    CHECK(info == PvmCantStart);
    CHECK_FALSE(exists(fifo));
    CHECK(c.logText(1).find("no answer within 1500 ms") != std::string::npos);
}

TEST_CASE("so=pw asks for the password and starts the host with it", "[multihost]") {
    if (skipWithoutNamespaces()) return;
    Password password("open sesame");
    Cluster c(3);
    REQUIRE(pvm_mytid() > 0);
    // The person types a password where the log says; the add ends with its result.
    auto typePassword = [&](int host, const std::string& typed, std::string* fifo) {
        auto added = addHostAsync(c.address(host) + " so=pw");
        *fifo = after(c, "Password (" + c.address(host) + ":");
        *fifo = fifo->substr(fifo->find("write it into ") + 14);
        *fifo = fifo->substr(0, fifo->find(" within"));
        writeLine(*fifo, typed);
        return added.get();
    };
    std::string fifo;
    auto [n, info] = typePassword(2, "open sesame", &fifo);
    CHECK(n == 1);
    CHECK(info == 0x80000);
    CHECK_FALSE(exists(fifo));
    std::tie(n, info) = typePassword(3, "wrong guess", &fifo);
    CHECK(n == 0);
    CHECK(info == PvmCantStart);
    CHECK(c.logText(1).find("Permission denied") != std::string::npos);
    // Without so=pw nobody is asked, and a host that wants a password refuses.
    char* names[] = {const_cast<char*>(c.address(3).c_str())};
    CHECK(pvm_addhosts(names, 1, &info) == 0);
    CHECK(info == PvmCantStart);
}
