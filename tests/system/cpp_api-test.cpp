// cpp_api-test.cpp - the C++ API (pvm/pvm.hpp) against real tasks, and its
// messages read and written by the C API in both directions.
#include <catch2/catch.hpp>
#include <array>
#include <chrono>
#include <complex>
#include <cstring>
#include <pvm/pvm.hpp>
#include <string>
#include <vector>

#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
template <class F>
int codeOf(F f) {
    try {
        f();
    } catch (const pvm::PvmError& e) {
        return e.code();
    }
    return 0;
}
}  // namespace

TEST_CASE("the C++ API interoperates with the C API and reports PVM codes", "[cpp]") {
    VirtualMachine vm;
    pvm_setopt(PvmAutoErr, 0);
    pvm::Task self;
    int me = self.tid();
    CHECK(!self.parent());
    // C++ -> C, every type, Default encoding
    std::vector<int> ints{1, -2, 3};
    std::array<double, 2> ds{1.5, -2.25};
    std::vector<std::complex<float>> cf{{1, 2}, {3, 4}};
    std::complex<double> cd{5, 6};
    const char bytes[3] = {'a', 'b', 'c'};
    pvm::Message m;
    m.pack(ints).pack(ds).pack(cf) << cd << short(-7) << 8L << (unsigned short)9 << 10u << 11ul << 1.25f << "str";
    m.pack(std::span<const char>(bytes, 3));
    m.pack(std::span<int>(ints));
    int carr[2] = {40, 41};
    m.pack(carr);
    pvm::send(me, 5, m);
    int id = pvm_recv(-1, 5);
    CHECK(id > 0);
    int ci[3];
    double cdd[2];
    float cfl[4];
    double cdc[2];
    short s;
    long l;
    unsigned short us;
    unsigned u;
    unsigned long ul;
    float f;
    char str[10];
    char b[3];
    pvm_upkint(ci, 3, 1);
    pvm_upkdouble(cdd, 2, 1);
    pvm_upkcplx(cfl, 2, 1);
    pvm_upkdcplx(cdc, 1, 1);
    pvm_upkshort(&s, 1, 1);
    pvm_upklong(&l, 1, 1);
    pvm_upkushort(&us, 1, 1);
    pvm_upkuint(&u, 1, 1);
    pvm_upkulong(&ul, 1, 1);
    pvm_upkfloat(&f, 1, 1);
    pvm_upkstr(str);
    pvm_upkbyte(b, 3, 1);
    CHECK((ci[1] == -2 && cdd[1] == -2.25 && cfl[3] == 4 && cdc[1] == 6 && s == -7 && l == 8 && us == 9 && u == 10 &&
           ul == 11 && f == 1.25f));
    CHECK((std::strcmp(str, "str") == 0 && b[2] == 'c'));
    int more[3];
    pvm_upkint(more, 3, 1);
    CHECK(more[0] == 1);
    CHECK(more[2] == 3);
    pvm_upkint(more, 2, 1);
    CHECK(more[1] == 41);
    // C -> C++
    for (int enc : {PvmDataDefault, PvmDataRaw}) {
        pvm_initsend(enc);
        int v[3] = {7, 8, 9};
        long lv = -99;
        double dv = 3.5;
        pvm_pkint(v, 3, 1);
        pvm_pklong(&lv, 1, 1);
        pvm_pkdouble(&dv, 1, 1);
        pvm_pkstr((char*)"from C");
        pvm_send(me, 6);
        pvm::Received r = pvm::recv(me, 6);
        CHECK((r.src() == me && r.tag() == 6));
        CHECK(r.size() == 12 + 8 + 8 + 4 + 7);  // "from C" with its NUL, as PVM packs it
        CHECK((int)r.encoding() == enc);
        auto vv = r.unpack<int>(3);
        CHECK(vv == std::vector<int>({7, 8, 9}));
        long lr;
        double dr;
        std::string sr;
        r >> lr >> dr >> sr;
        CHECK((lr == -99 && dr == 3.5 && sr == "from C"));
        CHECK(r.remaining() == 0);
        CHECK(codeOf([&] { r.unpack<int>(); }) == PvmNoData);
        CHECK(codeOf([&] { r.unpack<int>(1000000000000ul); }) == PvmNoData);
    }
    // InPlace
    {
        std::vector<double> big(100000, 2.0);
        pvm::Message ip(pvm::Encoding::InPlace);
        ip.pack(big) << 17;
        CHECK(codeOf([&] { ip.pack("x"); }) == PvmNotImpl);
        pvm::send(me, 7, ip);
        big[0] = 99;  // after send: must not matter
        auto r = pvm::recv(-1, 7);
        auto got = r.unpack<double>(100000);
        CHECK((got[0] == 2.0 && got[99999] == 2.0 && r.unpack<int>() == 17));
    }
    // Errors, timeouts
    CHECK(!pvm::tryRecv(-1, 99));
    auto t0 = std::chrono::steady_clock::now();
    CHECK(!pvm::recvFor(std::chrono::milliseconds(200), -1, 99));
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(190));
    CHECK(codeOf([&] { pvm::send(0, 1, pvm::Message()); }) == PvmBadParam);
    CHECK(codeOf([&] { pvm::send(me, -3, pvm::Message()); }) == PvmBadParam);
    CHECK(codeOf([&] { pvm::spawn("/nonexistent/prog"); }) == PvmNoFile);
    auto res = pvm::trySpawn("/nonexistent/prog", {}, {}, 2);
    CHECK((res.size() == 2 && !res[0].started() && res[1].error == PvmNoFile));
    CHECK(codeOf([&] { pvm::Message bad(static_cast<pvm::Encoding>(9)); }) == PvmBadParam);
    CHECK(codeOf([&] {
              pvm::Message x;
              x.pack(std::string_view("a\0b", 3));
          }) == PvmBadParam);
    CHECK(codeOf([&] { pvm::kill(0); }) == PvmBadParam);
    try {
        pvm::kill(0);
    } catch (const pvm::PvmError& e) {
        CHECK(std::string(e.what()).find("Bad parameter") != std::string::npos);
    }
    // moved-from
    pvm::Message a;
    a << 1;
    pvm::Message b2 = std::move(a);
    CHECK(b2.size() == 4);
    CHECK(codeOf([&] { pvm::send(me, 1, a); }) == PvmNoBuf);
    // config / tasks / spawn / notify / kill / multicast
    auto hosts = pvm::config();
    CHECK(hosts.size() == 1);
    CHECK(hosts[0].arch == "LINUX64");
    CHECK(hosts[0].tid == 0x40000);
    std::vector<std::string> args{"echo"};
    auto kids = pvm::spawn(taskPath(), args, {}, 2);
    CHECK(kids.size() == 2);
    pvm::notifyTaskExit(kids, 50);
    auto list = pvm::tasks();
    CHECK(list.size() == 3);
    pvm::kill(kids[0]);
    auto n = pvm::recvFor(std::chrono::seconds(5), -1, 50);
    CHECK((n && n->unpack<int>() == kids[0]));
    std::vector<int> to{kids[1], me};
    pvm::multicast(to, 99, pvm::Message());  // the echo task's stop tag; never to self
    n = pvm::recvFor(std::chrono::seconds(5), -1, 50);
    CHECK((n && n->unpack<int>() == kids[1]));
    CHECK(!pvm::tryRecv(-1, 99));
    self.exit();
    CHECK(!self.enrolled());
    pvm_setopt(PvmAutoErr, 1);
}
