// packf-test.cpp - pvm_packf / pvm_unpackf formats over MessageBuffer.
#include "packf.h"

#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdarg>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "errors.h"
#include "pvm3.h"

using pvm::DataType;
using pvm::MessageBuffer;
using pvm::Segment;

namespace {

using Bytes = std::vector<unsigned char>;

// Sender stands in for the library's send buffer table: "%+" makes a new buffer.
struct Sender {
    std::optional<MessageBuffer> buffer;
    std::vector<int> initsends;
    int asked = 0;

    pvm::SendBufferSource source() {
        return [this](std::optional<int> encoding) -> MessageBuffer& {
            ++asked;
            if (encoding) {
                initsends.push_back(*encoding);
                buffer.emplace(*encoding);
            }
            if (!buffer) throw pvm::Error(PvmNoBuf, "no send buffer");
            return *buffer;
        };
    }
    // received plays the buffer through the wire.
    MessageBuffer received() { return MessageBuffer::fromSegments(buffer->encoding(), buffer->segments()); }
};

void packf(Sender& sender, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    try {
        pvm::packFormatted(fmt, ap, sender.source());
    } catch (...) {
        va_end(ap);
        throw;
    }
    va_end(ap);
}

void unpackf(MessageBuffer& buffer, const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    try {
        pvm::unpackFormatted(fmt, ap, buffer);
    } catch (...) {
        va_end(ap);
        throw;
    }
    va_end(ap);
}

template <typename F>
int errorCode(F&& f) {
    try {
        f();
    } catch (const pvm::Error& e) {
        return e.code();
    }
    return PvmOk;
}

Bytes flatten(const std::vector<Segment>& segments) {
    Bytes out;
    for (const Segment& s : segments) {
        const auto* p = reinterpret_cast<const unsigned char*>(s.data);
        out.insert(out.end(), p, p + s.size);
    }
    return out;
}

}  // namespace

TEST_CASE("packf packs values passed by value", "[packf]") {
    for (int encoding : {PvmDataDefault, PvmDataRaw, PvmDataInPlace}) {
        CAPTURE(encoding);
        Sender s;
        s.buffer.emplace(encoding);
        const bool inPlace = encoding == PvmDataInPlace;
        // char, short and float arguments are promoted, as from a C caller.
        packf(s, "%c %d %hd %ld %ud %hud %lud %f %lf %uc", 'A', INT_MIN, static_cast<short>(SHRT_MIN), LONG_MIN,
              UINT_MAX, static_cast<unsigned short>(USHRT_MAX), ULONG_MAX, 1.5f, -0.0,
              static_cast<unsigned char>(0xfe));
        if (!inPlace) packf(s, "%s%s", "text", "");
        // Strings: a length, then the bytes with the NUL (PVM's layout).
        CHECK(s.buffer->size() == 1 + 4 + 2 + 8 + 4 + 2 + 8 + 4 + 8 + 1 + (inPlace ? 0 : 9 + 5));

        // The same message packed item by item has the same bytes.
        MessageBuffer direct(encoding);
        char c = 'A';
        int i = INT_MIN;
        short h = SHRT_MIN;
        long l = LONG_MIN;
        unsigned u = UINT_MAX;
        unsigned short uh = USHRT_MAX;
        unsigned long ul = ULONG_MAX;
        float f = 1.5f;
        double d = -0.0;
        unsigned char uc = 0xfe;
        direct.packCopied(DataType::Byte, &c, 1, 1);
        direct.packCopied(DataType::Int, &i, 1, 1);
        direct.packCopied(DataType::Short, &h, 1, 1);
        direct.packCopied(DataType::Long, &l, 1, 1);
        direct.packCopied(DataType::UInt, &u, 1, 1);
        direct.packCopied(DataType::UShort, &uh, 1, 1);
        direct.packCopied(DataType::ULong, &ul, 1, 1);
        direct.packCopied(DataType::Float, &f, 1, 1);
        direct.packCopied(DataType::Double, &d, 1, 1);
        direct.packCopied(DataType::Byte, &uc, 1, 1);
        if (!inPlace) {
            direct.packString("text");
            direct.packString("");
        }
        CHECK(flatten(s.buffer->segments()) == flatten(direct.segments()));

        // Values on the stack must be copied even in place.
        for (const Segment& segment : s.buffer->segments()) CHECK(segment.owner);

        MessageBuffer r = s.received();
        char c2 = 0;
        int i2 = 0;
        short h2 = 0;
        long l2 = 0;
        unsigned u2 = 0;
        unsigned short uh2 = 0;
        unsigned long ul2 = 0;
        float f2 = 0;
        double d2 = 1;
        unsigned char uc2 = 0;
        unpackf(r, "%c %d %hd %ld %ud %hud %lud %f %lf %uc", &c2, &i2, &h2, &l2, &u2, &uh2, &ul2, &f2, &d2, &uc2);
        CHECK(c2 == 'A');
        CHECK(i2 == INT_MIN);
        CHECK(h2 == SHRT_MIN);
        CHECK(l2 == LONG_MIN);
        CHECK(u2 == UINT_MAX);
        CHECK(uh2 == USHRT_MAX);
        CHECK(ul2 == ULONG_MAX);
        CHECK(f2 == 1.5f);
        CHECK(d2 == 0.0);
        CHECK(std::signbit(d2));
        CHECK(uc2 == 0xfe);
        if (!inPlace) {
            char text[8] = "xxxxxxx";
            char empty[4] = "xyz";
            unpackf(r, "%s %s", text, empty);
            CHECK(std::string(text) == "text");
            CHECK(empty[0] == '\0');
        }
        CHECK(r.remaining() == 0);
    }
}

TEST_CASE("packf takes complex numbers by address", "[packf]") {
    Sender s;
    s.buffer.emplace(PvmDataDefault);
    float c[2] = {1.0f, -2.0f};
    double z[2] = {1.0, 2.0};
    packf(s, "%x %lx", c, z);
    CHECK(flatten(s.buffer->segments()) ==
          Bytes{0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0});
    MessageBuffer r = s.received();
    float c2[2] = {};
    double z2[2] = {};
    unpackf(r, "%x %lx", c2, z2);
    CHECK(c2[0] == 1.0f);
    CHECK(c2[1] == -2.0f);
    CHECK(z2[0] == 1.0);
    CHECK(z2[1] == 2.0);
}

TEST_CASE("packf counts and strides take addresses", "[packf]") {
    Sender s;
    s.buffer.emplace(PvmDataDefault);
    int ints[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    double doubles[6] = {0.5, 1.5, 2.5, 3.5, 4.5, 5.5};
    short shorts[3] = {-1, -2, -3};
    char bytes[5] = {'h', 'e', 'l', 'l', 'o'};
    float complexes[4] = {1, 2, 3, 4};
    packf(s, "%4d %*d %3.2d %*.*lf %.3d %3hd %5c %2x %.*d", ints, 2, ints + 4, ints, 3, 2, doubles, ints + 1, shorts,
          bytes, complexes, 4, ints + 8);
    CHECK(s.buffer->size() == 16 + 8 + 12 + 24 + 4 + 6 + 5 + 16 + 4);

    MessageBuffer r = s.received();
    int first[4], second[2], third[3], fourth = 0, last = 0;
    double d[3];
    short h[3];
    char b[5];
    float x[4];
    unpackf(r, "%4d %*d %3d %3lf %d %*hd %5c %2x %d", first, 2, second, third, d, &fourth, 3, h, b, x, &last);
    CHECK(std::vector<int>(first, first + 4) == std::vector<int>{0, 1, 2, 3});
    CHECK(std::vector<int>(second, second + 2) == std::vector<int>{4, 5});
    CHECK(std::vector<int>(third, third + 3) == std::vector<int>{0, 2, 4});
    CHECK(std::vector<double>(d, d + 3) == std::vector<double>{0.5, 2.5, 4.5});
    CHECK(fourth == 1);
    CHECK(std::vector<short>(h, h + 3) == std::vector<short>{-1, -2, -3});
    CHECK(std::string(b, 5) == "hello");
    CHECK(std::vector<float>(x, x + 4) == std::vector<float>{1, 2, 3, 4});
    CHECK(last == 8);
    CHECK(r.remaining() == 0);

    SECTION("unpack with strides") {
        r.rewind();
        int spread[7];
        std::fill(spread, spread + 7, -1);
        unpackf(r, "%4.2d", spread);
        CHECK(std::vector<int>(spread, spread + 7) == std::vector<int>{0, -1, 1, -1, 2, -1, 3});
        int spread2[5] = {-1, -1, -1, -1, -1};
        unpackf(r, "%*.*d", 2, 4, spread2);
        CHECK(std::vector<int>(spread2, spread2 + 5) == std::vector<int>{4, -1, -1, -1, 5});
    }

    SECTION("a count of zero packs nothing") {
        Sender z;
        z.buffer.emplace(PvmDataDefault);
        packf(z, "%0d %*lf", ints, 0, doubles);
        CHECK(z.buffer->size() == 0);
    }
}

TEST_CASE("packf with counts references user memory in place", "[packf]") {
    Sender s;
    s.buffer.emplace(PvmDataInPlace);
    int ints[3] = {1, 2, 3};
    packf(s, "%3d %d", ints, 4);
    std::vector<Segment> segments = s.buffer->segments();
    REQUIRE(segments.size() == 2);
    CHECK(segments[0].data == reinterpret_cast<const std::byte*>(ints));
    CHECK(!segments[0].owner);
    CHECK(segments[1].owner);
    CHECK(errorCode([&] { packf(s, "%s", "no"); }) == PvmNotImpl);
}

TEST_CASE("packf %+ calls initsend", "[packf]") {
    SECTION("the man page example") {
        Sender s;
        int count = 3;
        int iarry[3] = {10, 20, 30};
        double darry[4] = {1, 2, 3, 4};
        packf(s, "%+ %d %*d %4lf", PvmDataRaw, count, count, iarry, darry);
        CHECK(s.initsends == std::vector<int>{PvmDataRaw});
        REQUIRE(s.buffer);
        CHECK(s.buffer->encoding() == PvmDataRaw);
        CHECK(s.buffer->size() == 4 + 12 + 32);

        MessageBuffer r = s.received();
        int count2 = 0;
        int iarry2[3] = {};
        double darry2[4] = {};
        unpackf(r, "%d", &count2);
        unpackf(r, "%*d %4lf", count2, iarry2, darry2);
        CHECK(count2 == 3);
        CHECK(iarry2[2] == 30);
        CHECK(darry2[3] == 4);
    }

    SECTION("a second %+ starts over") {
        Sender s;
        packf(s, "%+%d%+%d", PvmDataRaw, 1, PvmDataDefault, 2);
        CHECK(s.initsends == std::vector<int>{PvmDataRaw, PvmDataDefault});
        CHECK(flatten(s.buffer->segments()) == Bytes{0, 0, 0, 2});
    }

    SECTION("%+ alone only initsends") {
        Sender s;
        packf(s, "%+", PvmDataInPlace);
        CHECK(s.initsends == std::vector<int>{PvmDataInPlace});
        CHECK(s.buffer->size() == 0);
    }

    SECTION("unpackf skips the %+ argument") {
        Sender s;
        packf(s, "%+ %d", PvmDataDefault, 42);
        MessageBuffer r = s.received();
        int x = 0;
        unpackf(r, "%+ %d", PvmDataDefault, &x);
        CHECK(x == 42);
    }
}

TEST_CASE("packf without a send buffer", "[packf]") {
    Sender s;
    CHECK(errorCode([&] { packf(s, "%d", 1); }) == PvmNoBuf);
    // Nothing to pack asks for no buffer.
    packf(s, "");
    packf(s, "just text");
    CHECK(s.asked == 1);
}

TEST_CASE("text between conversions is ignored", "[packf]") {
    Sender s;
    s.buffer.emplace(PvmDataDefault);
    packf(s, "a=%d, b=%hd\n", 1, 2);
    CHECK(flatten(s.buffer->segments()) == Bytes{0, 0, 0, 1, 0, 2});
}

TEST_CASE("repeated modifiers and a counted string", "[packf]") {
    Sender s;
    s.buffer.emplace(PvmDataDefault);
    packf(s, "%lld %uld %3s", 5L, 6UL, "one string");
    CHECK(s.buffer->size() == 8 + 8 + 4 + 11);  // the string with its NUL
    MessageBuffer r = s.received();
    long a = 0;
    unsigned long b = 0;
    char text[16];
    unpackf(r, "%lld %lud %5s", &a, &b, text);
    CHECK(a == 5);
    CHECK(b == 6);
    CHECK(std::string(text) == "one string");
}

TEST_CASE("bad formats give PvmBadParam", "[packf]") {
    int dummy[4] = {};
    for (const char* fmt : {"%",   "%q",  "%5",  "%%",  "%hld", "%hf", "%uf",           "%ls",   "%us", "%hs", "%hx",
                            "%ux", "%lc", "%hc", "%.d", "%.",   "%3.", "%99999999999d", "%z %d", "%l",  "%*"}) {
        CAPTURE(fmt);
        Sender s;
        s.buffer.emplace(PvmDataDefault);
        CHECK(errorCode([&] { packf(s, fmt, 1, dummy, dummy); }) == PvmBadParam);
        MessageBuffer r(PvmDataDefault);
        CHECK(errorCode([&] { unpackf(r, fmt, 1, dummy, dummy); }) == PvmBadParam);
    }
    Sender s;
    s.buffer.emplace(PvmDataDefault);
    CHECK(errorCode([&] { packf(s, nullptr); }) == PvmBadParam);
    MessageBuffer r(PvmDataDefault);
    CHECK(errorCode([&] { unpackf(r, nullptr); }) == PvmBadParam);
}

TEST_CASE("bad arguments give PvmBadParam", "[packf]") {
    int ints[4] = {};
    Sender s;
    s.buffer.emplace(PvmDataDefault);
    CHECK(errorCode([&] { packf(s, "%*d", -1, ints); }) == PvmBadParam);
    CHECK(errorCode([&] { packf(s, "%2.*d", 0, ints); }) == PvmBadParam);
    CHECK(errorCode([&] { packf(s, "%2.0d", ints); }) == PvmBadParam);
    CHECK(errorCode([&] { packf(s, "%3d", static_cast<int*>(nullptr)); }) == PvmBadParam);
    CHECK(errorCode([&] { packf(s, "%s", static_cast<char*>(nullptr)); }) == PvmBadParam);
    CHECK(errorCode([&] { packf(s, "%x", static_cast<float*>(nullptr)); }) == PvmBadParam);
    CHECK(s.buffer->size() == 0);

    packf(s, "%4d", ints);
    MessageBuffer r = s.received();
    CHECK(errorCode([&] { unpackf(r, "%d", static_cast<int*>(nullptr)); }) == PvmBadParam);
    CHECK(errorCode([&] { unpackf(r, "%*d", -2, ints); }) == PvmBadParam);
    CHECK(errorCode([&] { unpackf(r, "%.*d", 0, ints); }) == PvmBadParam);
    CHECK(errorCode([&] { unpackf(r, "%s", static_cast<char*>(nullptr)); }) == PvmBadParam);
    CHECK(r.remaining() == 16);
}

TEST_CASE("unpackf past the end gives PvmNoData", "[packf]") {
    Sender s;
    s.buffer.emplace(PvmDataDefault);
    packf(s, "%d %d", 1, 2);
    MessageBuffer r = s.received();
    int a = 0, b[3] = {};
    CHECK(errorCode([&] { unpackf(r, "%d %3d", &a, b); }) == PvmNoData);
    // Items before the failing one are unpacked; the failing one is not.
    CHECK(a == 1);
    CHECK(r.remaining() == 4);
    unpackf(r, "%d", &a);
    CHECK(a == 2);
    CHECK(errorCode([&] { unpackf(r, "%lf", reinterpret_cast<double*>(b)); }) == PvmNoData);
}
