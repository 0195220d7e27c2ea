// errors-test.cpp - PVM error codes for bad buffers, tids, tags and options,
// and a daemon that survives hostile input.
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <cstdint>
#include <cstdio>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <vector>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

TEST_CASE("buffer calls give PvmNoBuf, PvmNoSuchBuf and PvmBadParam", "[errors][buffers]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    QuietErrors quiet;
    pvm_setsbuf(0);
    pvm_setrbuf(0);
    int v = 1;
    CHECK(pvm_pkint(&v, 1, 1) == PvmNoBuf);
    CHECK(pvm_upkint(&v, 1, 1) == PvmNoBuf);
    CHECK(pvm_send(pvm_mytid(), 1) == PvmNoBuf);
    CHECK(pvm_freebuf(12345) == PvmNoSuchBuf);
    CHECK(pvm_freebuf(-1) == PvmBadParam);
    CHECK(pvm_setsbuf(12345) == PvmNoSuchBuf);
    CHECK(pvm_setrbuf(12345) == PvmNoSuchBuf);
    CHECK(pvm_bufinfo(12345, nullptr, nullptr, nullptr) == PvmNoSuchBuf);
    CHECK(pvm_initsend(17) == PvmBadParam);
    CHECK(pvm_mkbuf(-4) == PvmBadParam);

    int a = pvm_mkbuf(PvmDataDefault);
    int b = pvm_mkbuf(PvmDataRaw);
    REQUIRE(a > 0);
    REQUIRE(b > 0);
    CHECK(a != b);
    CHECK(pvm_setsbuf(a) == 0);
    CHECK(pvm_getsbuf() == a);
    CHECK(pvm_setsbuf(b) == a);
    CHECK(pvm_pkint(&v, 1, 1) == 0);
    CHECK(pvm_pkint(&v, -1, 1) == PvmBadParam);
    CHECK(pvm_pkint(&v, 1, 0) == 0);  // one item: PVM 3.4.6 takes any stride (tests/compat)
    CHECK(pvm_pkint(&v, 2, 0) == PvmBadParam);
    CHECK(pvm_pkint(nullptr, 1, 1) == PvmBadParam);
    CHECK(pvm_pkstr(nullptr) == PvmBadParam);
    CHECK(pvm_freebuf(b) == 0);
    CHECK(pvm_getsbuf() == 0);
    CHECK(pvm_freebuf(a) == 0);
    CHECK(pvm_freebuf(a) == PvmNoSuchBuf);
    int inplace = pvm_initsend(PvmDataInPlace);
    REQUIRE(inplace > 0);
    CHECK(pvm_pkstr(const_cast<char*>("x")) == PvmNotImpl);
}

TEST_CASE("bad tids and tags give PvmBadParam", "[errors]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    QuietErrors quiet;
    pvm_initsend(PvmDataDefault);
    CHECK(pvm_send(0, 1) == PvmBadParam);
    CHECK(pvm_send(-1, 1) == PvmBadParam);
    CHECK(pvm_send(0x40000, 1) == PvmBadParam);  // a daemon, not a task
    CHECK(pvm_send(pvm_mytid(), -1) == PvmBadParam);
    CHECK(pvm_recv(-2, 1) == PvmBadParam);
    CHECK(pvm_recv(-1, -2) == PvmBadParam);
    CHECK(pvm_nrecv(0, 1) == 0);  // PVM 3.4.6: not found, no error
    CHECK(pvm_probe(-1, -9) == 0);
    CHECK(pvm_pstat(0) == PvmBadParam);
    CHECK(pvm_tidtohost(-3) == (-3 & 0x3ffc0000));  // PVM 3.4.6 only masks (tests/compat)
    int tids[1] = {0};
    CHECK(pvm_mcast(tids, 1, 1) == PvmBadParam);
    CHECK(pvm_psend(pvm_mytid(), 1, nullptr, 3, PVM_INT) == PvmBadParam);
    CHECK(pvm_psend(pvm_mytid(), 1, tids, 1, 99) == PvmBadParam);
}

TEST_CASE("options keep their values and reject bad ones", "[errors][options]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    QuietErrors quiet;
    CHECK(pvm_getopt(PvmRoute) == PvmAllowDirect);
    CHECK(pvm_setopt(PvmRoute, PvmRouteDirect) == PvmAllowDirect);
    CHECK(pvm_getopt(PvmRoute) == PvmRouteDirect);
    CHECK(pvm_setopt(PvmRoute, 9) == PvmBadParam);
    CHECK(pvm_setopt(PvmFragSize, 65536) > 0);
    CHECK(pvm_getopt(PvmFragSize) == 65536);
    CHECK(pvm_setopt(PvmResvTids, 1) == 0);
    CHECK(pvm_getopt(PvmResvTids) == 1);
    pvm_setopt(PvmResvTids, 0);
    CHECK(pvm_setopt(PvmSelfOutputTid, pvm_mytid()) == 0);
    CHECK(pvm_getopt(PvmOutputTid) == pvm_mytid());
    CHECK(pvm_setopt(PvmSelfOutputTid, 0) == pvm_mytid());
    CHECK(pvm_setopt(PvmTraceTid, pvm_mytid()) == 0);  // stored, though tracing is not built
    CHECK(pvm_getopt(PvmTraceTid) == pvm_mytid());
    CHECK(pvm_getopt(12345) == PvmBadParam);
    CHECK(pvm_setopt(12345, 1) == PvmBadParam);
    CHECK(pvm_getopt(PvmAutoErr) == 0);
}

TEST_CASE("version and error texts", "[errors]") {
    CHECK(std::string(pvm_version()) == "3.4.6");
    QuietErrors quiet;
    CHECK(pvm_setopt(PvmRoute, 99) == PvmBadParam);
    CHECK(std::string(pvm_strerror()) == "Bad parameter");
}

TEST_CASE("pvm_archcode is the data signature of a host of that architecture, as in PVM 3.4.6", "[errors]") {
    VirtualMachine vm;
    QuietErrors quiet;
    pvmhostinfo* hosts = nullptr;
    REQUIRE(pvm_config(nullptr, nullptr, &hosts) == 0);
    CHECK(pvm_archcode(hosts[0].hi_arch) == hosts[0].hi_dsig);
    CHECK(pvm_archcode(const_cast<char*>("LINUX64")) == 0x408c41);  // what PVM 3.4.6 gives on x86-64
    CHECK(pvm_archcode(const_cast<char*>("SUN4")) == PvmNotFound);  // a known name, but no such host
    CHECK(pvm_archcode(const_cast<char*>("NOSUCHARCH")) == PvmNotFound);
    CHECK(pvm_archcode(nullptr) == PvmBadParam);
}

TEST_CASE("a flood of messages to a task that is gone does not flood the log", "[errors][robustness]") {
    VirtualMachine vm;
    int me = pvm_mytid();
    REQUIRE(me > 0);
    int gone = me + 50;  // no such task on this host
    int value = 1;
    for (int i = 0; i < 5000; ++i) {
        pvm_initsend(PvmDataDefault);
        pvm_pkint(&value, 1, 1);
        REQUIRE(pvm_send(gone, 1) == 0);  // lost, as in PVM 3.4.6
    }
    // The daemon reads one connection in order: once this is answered, every send was handled.
    REQUIRE(pvm_config(nullptr, nullptr, nullptr) == 0);
    std::string log = vm.logText();
    std::istringstream in(log);
    int lines = 0;
    for (std::string line; std::getline(in, line);)
        if (line.find("dropped") != std::string::npos) ++lines;
    CHECK(lines == 15);  // 10 in full, then one at each thousandth
    CHECK(log.find("5000 messages or packets dropped so far") != std::string::npos);
}

TEST_CASE("the daemon survives garbage on its socket", "[errors][robustness]") {
    VirtualMachine vm;
    std::string path = vm.tmpDir() + "/pvm." + std::to_string(getuid()) + "/pvmd.ipc";
    // rawConnection connects as a task would and writes bytes, then hangs up.
    auto rawConnection = [&](const std::string& bytes) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        REQUIRE(fd >= 0);
        sockaddr_un where{};
        where.sun_family = AF_UNIX;
        std::snprintf(where.sun_path, sizeof where.sun_path, "%s", path.c_str());
        REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&where), sizeof where) == 0);
        // The daemon may hang up first on a bad header: a short write is its answer.
        for (std::size_t at = 0; at < bytes.size();) {
            ssize_t n = send(fd, bytes.data() + at, bytes.size() - at, MSG_NOSIGNAL);
            if (n <= 0) break;
            at += static_cast<std::size_t>(n);
        }
        close(fd);
    };
    // framed puts frames in the stream's format: a count, each length, then the bytes.
    auto framed = [](const std::vector<std::string>& frames) {
        std::vector<std::uint64_t> header{frames.size()};
        for (const auto& f : frames) header.push_back(f.size());
        std::string out(reinterpret_cast<const char*>(header.data()), header.size() * sizeof(std::uint64_t));
        for (const auto& f : frames) out += f;
        return out;
    };
    const std::string junk[] = {"",
                                "x",
                                std::string(8, '\0'),
                                std::string(64, '\xff'),
                                std::string(1 << 21, 'a'),
                                std::string("\0\0\0\0\x10\0\0\0", 8) + std::string(128, '\x41')};
    // Well-framed packets that are no packets of ours.
    std::string stream;
    for (const auto& j : junk) stream += framed({j}) + framed({j, j});
    rawConnection(stream);
    // Bad framing: no frames, too many, lengths past the limit, a header cut short, raw junk.
    std::uint64_t none = 0, many = std::uint64_t{1} << 40, huge[3] = {1, ~std::uint64_t{0}, 0};
    rawConnection(std::string(reinterpret_cast<const char*>(&none), sizeof none));
    rawConnection(std::string(reinterpret_cast<const char*>(&many), sizeof many));
    rawConnection(std::string(reinterpret_cast<const char*>(huge), sizeof huge));
    rawConnection(std::string(reinterpret_cast<const char*>(huge), 5));
    rawConnection(std::string(1 << 20, '\x41'));
    // The daemon still serves real tasks afterwards.
    REQUIRE(pvm_mytid() > 0);
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts;
    CHECK(pvm_config(&nhost, &narch, &hosts) == 0);
    CHECK(nhost == 1);
    CHECK(processAlive(vm.daemonPid()));
    // The junk travels on its own connection, so it may be read after the task's requests.
    CHECK(waitFor([&] { return vm.logText().find("dropped a bad packet") != std::string::npos; }));
}

TEST_CASE("a task that breaks the protocol is answered or dropped, and the daemon serves the others",
          "[errors][robustness]") {
    VirtualMachine vm;
    REQUIRE(pvm_mytid() > 0);
    std::string socket = vm.tmpDir() + "/pvm." + std::to_string(getuid()) + "/pvmd.ipc";
    std::string output;
    CHECK(runCommand(taskPath("intruder") + " --misbehave " + socket, &output) == 0);
    INFO(output);
    CHECK(output ==
          "request before enroll: error -14\n"  // PvmSysErr: enroll first
          "message before enroll: none\n"
          "a reply to the daemon: none\n"
          "enroll: tid\n"
          "a daemon's halt on a task link: none\n"
          "a message in another task's name: none\n"
          "enroll again: same tid\n");
    std::string log = vm.logText();
    CHECK(log.find("message from a task that has not enrolled") != std::string::npos);
    CHECK(log.find("unexpected packet type from a task") != std::string::npos);
    CHECK(log.find("claiming to be") != std::string::npos);
    // The daemon goes on, and so does a task that talks to it properly.
    CHECK(processAlive(vm.daemonPid()));
    std::string path = taskPath();
    char* argv[] = {const_cast<char*>("echo"), nullptr};
    int echo = 0;
    REQUIRE(pvm_spawn(path.data(), argv, 0, nullptr, 1, &echo) == 1);
    int v = 42, back = 0;
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&v, 1, 1);
    REQUIRE(pvm_send(echo, 5) == 0);
    struct timeval tmout = {10, 0};
    REQUIRE(pvm_trecv(echo, 5, &tmout) > 0);
    pvm_upkint(&back, 1, 1);
    CHECK(back == 42);
    pvm_initsend(PvmDataDefault);
    pvm_send(echo, 99);
}
