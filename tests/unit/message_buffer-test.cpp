// message_buffer-test.cpp - packing, unpacking, encodings and segments of MessageBuffer.
#include "message_buffer.h"

#include <array>
#include <bit>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "errors.h"
#include "pvm3.h"

using pvm::DataType;
using pvm::MessageBuffer;
using pvm::Segment;

namespace {

constexpr int kEncodings[] = {PvmDataDefault, PvmDataRaw, PvmDataInPlace};

using FloatPair = std::array<float, 2>;
using DoublePair = std::array<double, 2>;

// errorCode runs f and gives the PVM code it threw, or PvmOk.
template <typename F>
int errorCode(F&& f) {
    try {
        f();
    } catch (const pvm::Error& e) {
        return e.code();
    }
    return PvmOk;
}

std::vector<unsigned char> flatten(const std::vector<Segment>& segments) {
    std::vector<unsigned char> out;
    for (const Segment& s : segments) {
        const auto* p = reinterpret_cast<const unsigned char*>(s.data);
        out.insert(out.end(), p, p + s.size);
    }
    return out;
}

std::vector<unsigned char> bytesOf(MessageBuffer& b) { return flatten(b.segments()); }

// split cuts bytes into separately allocated segments of piece bytes, so that a read
// running off one piece is caught by the address sanitizer.
std::vector<Segment> split(const std::vector<unsigned char>& bytes, std::size_t piece) {
    std::vector<Segment> segments;
    for (std::size_t at = 0; at < bytes.size(); at += piece) {
        std::size_t n = std::min(piece, bytes.size() - at);
        auto owned = std::make_shared<std::vector<std::byte>>(n);
        std::memcpy(owned->data(), bytes.data() + at, n);
        Segment s;
        s.data = owned->data();
        s.size = n;
        s.owner = owned;
        segments.push_back(s);
    }
    return segments;
}

std::vector<Segment> asOneSegment(const std::vector<unsigned char>& bytes) { return split(bytes, bytes.size()); }

// transmit plays the message through the wire: segments out, receive buffer in.
MessageBuffer transmit(MessageBuffer& b) { return MessageBuffer::fromSegments(b.encoding(), b.segments()); }

template <typename T>
bool sameBits(const std::vector<T>& a, const std::vector<T>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

template <typename T>
void checkRoundTrip(DataType type, const std::vector<T>& values) {
    REQUIRE(pvm::elementSize(type) == sizeof(T));
    const int n = static_cast<int>(values.size());
    for (int encoding : kEncodings) {
        CAPTURE(encoding);
        MessageBuffer b(encoding);
        b.pack(type, values.data(), n, 1);
        b.pack(type, values.data(), n, 1);
        REQUIRE(b.size() == 2 * values.size() * sizeof(T));
        MessageBuffer r = transmit(b);
        REQUIRE(r.remaining() == b.size());
        std::vector<T> first(values.size()), second(values.size());
        r.unpack(type, first.data(), n, 1);
        r.unpack(type, second.data(), n, 1);
        CHECK(sameBits(first, values));
        CHECK(sameBits(second, values));
        CHECK(r.remaining() == 0);
    }
}

template <typename T>
T bitsAs(std::uint64_t bits) {
    if constexpr (sizeof(T) == 4) {
        return std::bit_cast<T>(static_cast<std::uint32_t>(bits));
    } else {
        return std::bit_cast<T>(bits);
    }
}

template <typename T>
std::vector<T> floatEdges(std::uint64_t nanPayloadBits, std::uint64_t signalingBits) {
    using L = std::numeric_limits<T>;
    return {T(0),
            -T(0),
            T(1.5),
            T(-2.25),
            L::min(),
            L::max(),
            L::lowest(),
            L::denorm_min(),
            -L::denorm_min(),
            L::infinity(),
            -L::infinity(),
            L::quiet_NaN(),
            bitsAs<T>(nanPayloadBits),
            bitsAs<T>(signalingBits),
            L::epsilon()};
}

// item makes a distinct value of T from i, for the stride tests.
template <typename T>
T item(int i) {
    if constexpr (std::is_same_v<T, FloatPair>) {
        return {static_cast<float>(i), static_cast<float>(-i) - 0.5f};
    } else if constexpr (std::is_same_v<T, DoublePair>) {
        return {static_cast<double>(i), static_cast<double>(-i) - 0.25};
    } else {
        return static_cast<T>(i + 1);
    }
}

template <typename T>
void checkStrides(DataType type) {
    for (int encoding : kEncodings) {
        for (int stride : {1, 2, 3}) {
            CAPTURE(encoding, stride);
            constexpr int n = 5;
            // Pack every stride-th item of a longer array.
            std::vector<T> source(n * stride);
            for (int i = 0; i < n * stride; ++i) source[i] = item<T>(i);
            MessageBuffer b(encoding);
            b.pack(type, source.data(), n, stride);
            REQUIRE(b.size() == n * sizeof(T));
            MessageBuffer r = transmit(b);
            std::vector<T> packed(n);
            r.unpack(type, packed.data(), n, 1);
            for (int i = 0; i < n; ++i) CHECK(packed[i] == item<T>(i * stride));

            // Unpack into every stride-th slot, leaving the others alone.
            r.rewind();
            std::vector<T> spread(n * stride, item<T>(-100));
            r.unpack(type, spread.data(), n, stride);
            for (int i = 0; i < n * stride; ++i) {
                if (i % stride == 0) {
                    CHECK(spread[i] == item<T>((i / stride) * stride));
                } else {
                    CHECK(spread[i] == item<T>(-100));
                }
            }
        }
    }
}

template <typename T>
std::vector<unsigned char> xdrOf(DataType type, const T& value) {
    MessageBuffer b(PvmDataDefault);
    b.pack(type, &value, 1, 1);
    return bytesOf(b);
}

using Bytes = std::vector<unsigned char>;

}  // namespace

TEST_CASE("elementSize gives the in-memory item size", "[message_buffer]") {
    CHECK(pvm::elementSize(DataType::String) == 0);
    CHECK(pvm::elementSize(DataType::Byte) == 1);
    CHECK(pvm::elementSize(DataType::Short) == 2);
    CHECK(pvm::elementSize(DataType::UShort) == 2);
    CHECK(pvm::elementSize(DataType::Int) == 4);
    CHECK(pvm::elementSize(DataType::UInt) == 4);
    CHECK(pvm::elementSize(DataType::Float) == 4);
    CHECK(pvm::elementSize(DataType::Complex) == 8);
    CHECK(pvm::elementSize(DataType::Double) == 8);
    CHECK(pvm::elementSize(DataType::DoubleComplex) == 16);
    CHECK(pvm::elementSize(DataType::Long) == 8);
    CHECK(pvm::elementSize(DataType::ULong) == 8);
    CHECK(pvm::elementSize(static_cast<DataType>(42)) == 0);
}

TEST_CASE("every type round-trips in every encoding", "[message_buffer]") {
    SECTION("bytes") { checkRoundTrip<unsigned char>(DataType::Byte, {0, 1, 0x7f, 0x80, 0xff}); }
    SECTION("integers") {
        checkRoundTrip<short>(DataType::Short, {0, 1, -1, SHRT_MIN, SHRT_MAX, 0x1234});
        checkRoundTrip<unsigned short>(DataType::UShort, {0, 1, USHRT_MAX, 0x8000, 0x1234});
        checkRoundTrip<int>(DataType::Int, {0, 1, -1, INT_MIN, INT_MAX, 0x12345678});
        checkRoundTrip<unsigned>(DataType::UInt, {0, 1, UINT_MAX, 0x80000000u, 0x12345678u});
        checkRoundTrip<long>(DataType::Long, {0, 1, -1, LONG_MIN, LONG_MAX, 0x0102030405060708L});
        checkRoundTrip<unsigned long>(DataType::ULong, {0, 1, ULONG_MAX, 1UL << 63, 0x0102030405060708UL});
    }
    SECTION("floating point, bit for bit") {
        checkRoundTrip<float>(DataType::Float, floatEdges<float>(0x7fc12345, 0x7f800001));
        checkRoundTrip<double>(DataType::Double, floatEdges<double>(0x7ff8000000012345, 0x7ff0000000000001));
    }
    SECTION("complex") {
        auto f = floatEdges<float>(0x7fc12345, 0x7f800001);
        std::vector<FloatPair> complexes;
        for (std::size_t i = 0; i + 1 < f.size(); ++i) complexes.push_back({f[i], f[i + 1]});
        checkRoundTrip<FloatPair>(DataType::Complex, complexes);
        auto d = floatEdges<double>(0x7ff8000000012345, 0x7ff0000000000001);
        std::vector<DoublePair> dcomplexes;
        for (std::size_t i = 0; i + 1 < d.size(); ++i) dcomplexes.push_back({d[i], d[i + 1]});
        checkRoundTrip<DoublePair>(DataType::DoubleComplex, dcomplexes);
    }
}

TEST_CASE("strides pick every k-th item on pack and unpack", "[message_buffer]") {
    checkStrides<unsigned char>(DataType::Byte);
    checkStrides<short>(DataType::Short);
    checkStrides<unsigned short>(DataType::UShort);
    checkStrides<int>(DataType::Int);
    checkStrides<unsigned>(DataType::UInt);
    checkStrides<long>(DataType::Long);
    checkStrides<unsigned long>(DataType::ULong);
    checkStrides<float>(DataType::Float);
    checkStrides<double>(DataType::Double);
    checkStrides<FloatPair>(DataType::Complex);
    checkStrides<DoublePair>(DataType::DoubleComplex);
}

TEST_CASE("PvmDataDefault is big-endian in natural widths", "[message_buffer]") {
    CHECK(xdrOf(DataType::Int, 1) == Bytes{0, 0, 0, 1});
    CHECK(xdrOf(DataType::Int, -2) == Bytes{0xff, 0xff, 0xff, 0xfe});
    CHECK(xdrOf(DataType::UInt, 0x01020304u) == Bytes{1, 2, 3, 4});
    CHECK(xdrOf<short>(DataType::Short, 0x0102) == Bytes{1, 2});
    CHECK(xdrOf<short>(DataType::Short, SHRT_MIN) == Bytes{0x80, 0});
    CHECK(xdrOf<unsigned short>(DataType::UShort, 0xfffe) == Bytes{0xff, 0xfe});
    CHECK(xdrOf(DataType::Long, 0x0102030405060708L) == Bytes{1, 2, 3, 4, 5, 6, 7, 8});
    CHECK(xdrOf(DataType::ULong, ULONG_MAX - 1) == Bytes{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe});
    CHECK(xdrOf(DataType::Float, 1.0f) == Bytes{0x3f, 0x80, 0, 0});
    CHECK(xdrOf(DataType::Double, 1.0) == Bytes{0x3f, 0xf0, 0, 0, 0, 0, 0, 0});
    CHECK(xdrOf(DataType::Double, -0.0) == Bytes{0x80, 0, 0, 0, 0, 0, 0, 0});
    CHECK(xdrOf(DataType::Complex, FloatPair{1.0f, -2.0f}) == Bytes{0x3f, 0x80, 0, 0, 0xc0, 0, 0, 0});
    CHECK(xdrOf(DataType::DoubleComplex, DoublePair{1.0, 2.0}) ==
          Bytes{0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 0x40, 0, 0, 0, 0, 0, 0, 0});
    CHECK(xdrOf<unsigned char>(DataType::Byte, 0xab) == Bytes{0xab});

    MessageBuffer s(PvmDataDefault);
    s.packString("ab");
    CHECK(bytesOf(s) == Bytes{0, 0, 0, 3, 'a', 'b', 0});  // the NUL is packed and counted, as in PVM

    SECTION("an array with stride is swapped item by item") {
        int values[] = {1, 99, 0x01020304, 99};
        MessageBuffer b(PvmDataDefault);
        b.pack(DataType::Int, values, 2, 2);
        CHECK(bytesOf(b) == Bytes{0, 0, 0, 1, 1, 2, 3, 4});
    }
}

TEST_CASE("PvmDataRaw and PvmDataInPlace keep native bytes", "[message_buffer]") {
    for (int encoding : {PvmDataRaw, PvmDataInPlace}) {
        int i = 0x01020304;
        double d = -1.25;
        MessageBuffer b(encoding);
        b.pack(DataType::Int, &i, 1, 1);
        b.pack(DataType::Double, &d, 1, 1);
        Bytes expected(12);
        std::memcpy(expected.data(), &i, 4);
        std::memcpy(expected.data() + 4, &d, 8);
        CHECK(bytesOf(b) == expected);
    }
    MessageBuffer raw(PvmDataRaw);
    raw.packString("xyz");
    std::uint32_t length = 4;
    Bytes expected(4);
    std::memcpy(expected.data(), &length, 4);
    expected.insert(expected.end(), {'x', 'y', 'z', 0});
    CHECK(bytesOf(raw) == expected);
}

TEST_CASE("unsigned types use the widths of the signed ones", "[message_buffer]") {
    for (int encoding : kEncodings) {
        unsigned short us = 1;
        unsigned ui = 1;
        unsigned long ul = 1;
        MessageBuffer b(encoding);
        b.pack(DataType::UShort, &us, 1, 1);
        CHECK(b.size() == 2);
        b.pack(DataType::UInt, &ui, 1, 1);
        CHECK(b.size() == 6);
        b.pack(DataType::ULong, &ul, 1, 1);
        CHECK(b.size() == 14);
    }
}

TEST_CASE("strings round-trip", "[message_buffer]") {
    for (int encoding : {PvmDataDefault, PvmDataRaw}) {
        CAPTURE(encoding);
        std::string big(1 << 20, 'x');
        for (std::size_t i = 0; i < big.size(); i += 7) big[i] = static_cast<char>('a' + i % 26);
        MessageBuffer b(encoding);
        b.packString("");
        b.packString("hello, world");
        b.packString(big.c_str());
        b.packString("");
        CHECK(b.size() == (4 + 1) + (4 + 13) + (4 + big.size() + 1) + (4 + 1));
        MessageBuffer r = transmit(b);
        char small[32];
        std::memset(small, 'z', sizeof small);
        r.unpackString(small);
        CHECK(small[0] == '\0');
        r.unpackString(small);
        CHECK(std::string(small) == "hello, world");
        CHECK(r.unpackString() == big);
        CHECK(r.unpackString().empty());
        CHECK(r.remaining() == 0);
    }
}

TEST_CASE("bad parameters give PvmBadParam", "[message_buffer]") {
    int values[4] = {};
    MessageBuffer b(PvmDataDefault);
    CHECK(errorCode([&] { MessageBuffer bad(3); }) == PvmBadParam);
    CHECK(errorCode([&] { MessageBuffer bad(-1); }) == PvmBadParam);
    CHECK(errorCode([&] { b.pack(DataType::Int, nullptr, 1, 1); }) == PvmBadParam);
    CHECK(errorCode([&] { b.pack(DataType::Int, values, -1, 1); }) == PvmBadParam);
    CHECK(errorCode([&] { b.pack(DataType::Int, values, 1, 0); }) == PvmBadParam);
    CHECK(errorCode([&] { b.pack(DataType::Int, values, 1, -2); }) == PvmBadParam);
    CHECK(errorCode([&] { b.pack(DataType::String, "abc", 1, 1); }) == PvmBadParam);
    CHECK(errorCode([&] { b.pack(static_cast<DataType>(12), values, 1, 1); }) == PvmBadParam);
    CHECK(errorCode([&] { b.packCopied(DataType::Int, nullptr, 2, 1); }) == PvmBadParam);
    CHECK(errorCode([&] { b.packString(nullptr); }) == PvmBadParam);
    CHECK(errorCode([&] { b.packBytes(nullptr, 3); }) == PvmBadParam);
    CHECK(b.size() == 0);

    // Nothing to pack from nowhere is fine.
    b.pack(DataType::Int, nullptr, 0, 1);
    b.packBytes(nullptr, 0);
    CHECK(b.size() == 0);

    b.pack(DataType::Int, values, 4, 1);
    MessageBuffer r = transmit(b);
    CHECK(errorCode([&] { r.unpack(DataType::Int, nullptr, 1, 1); }) == PvmBadParam);
    CHECK(errorCode([&] { r.unpack(DataType::Int, values, -1, 1); }) == PvmBadParam);
    CHECK(errorCode([&] { r.unpack(DataType::Int, values, 1, 0); }) == PvmBadParam);
    CHECK(errorCode([&] { r.unpack(DataType::String, values, 1, 1); }) == PvmBadParam);
    CHECK(errorCode([&] { r.unpackString(nullptr); }) == PvmBadParam);
    CHECK(r.remaining() == 16);
}

TEST_CASE("fromSegments rejects a malformed message", "[message_buffer]") {
    CHECK(errorCode([] { MessageBuffer::fromSegments(7, {}); }) == PvmBadMsg);
    Segment nothing;
    nothing.size = 4;
    CHECK(errorCode([&] { MessageBuffer::fromSegments(PvmDataDefault, {nothing}); }) == PvmBadMsg);
    Segment empty;
    MessageBuffer ok = MessageBuffer::fromSegments(PvmDataRaw, {empty, empty});
    CHECK(ok.size() == 0);
    CHECK(ok.encoding() == PvmDataRaw);
}

TEST_CASE("unpacking past the end gives PvmNoData and keeps the cursor", "[message_buffer]") {
    for (int encoding : kEncodings) {
        CAPTURE(encoding);
        int values[3] = {1, 2, 3};
        MessageBuffer b(encoding);
        b.pack(DataType::Int, values, 3, 1);
        MessageBuffer r = transmit(b);

        int out[4] = {-7, -7, -7, -7};
        CHECK(errorCode([&] { r.unpack(DataType::Int, out, 4, 1); }) == PvmNoData);
        CHECK(out[0] == -7);
        CHECK(r.remaining() == 12);

        r.unpack(DataType::Int, out, 1, 1);
        CHECK(out[0] == 1);
        CHECK(errorCode([&] { r.unpack(DataType::Int, out, 3, 1); }) == PvmNoData);
        CHECK(errorCode([&] { r.unpack(DataType::Long, out, 2, 1); }) == PvmNoData);
        CHECK(r.remaining() == 8);
        r.unpack(DataType::Int, out, 2, 1);
        CHECK(out[0] == 2);
        CHECK(out[1] == 3);
        CHECK(errorCode([&] { r.unpack(DataType::Byte, out, 1, 1); }) == PvmNoData);
        CHECK(errorCode([&] { r.unpackString(); }) == PvmNoData);
        CHECK(r.remaining() == 0);
    }

    SECTION("empty buffer") {
        MessageBuffer empty(PvmDataDefault);
        char c = 'q';
        CHECK(errorCode([&] { empty.unpack(DataType::Byte, &c, 1, 1); }) == PvmNoData);
        CHECK(errorCode([&] { empty.unpackString(&c); }) == PvmNoData);
        CHECK(c == 'q');
        int none = 5;
        empty.unpack(DataType::Int, &none, 0, 1);
        CHECK(none == 5);
    }

    SECTION("a string longer than what is left") {
        MessageBuffer r = MessageBuffer::fromSegments(PvmDataDefault, asOneSegment({0, 0, 0, 10, 'a', 'b', 'c'}));
        char s[16] = "untouched";
        CHECK(errorCode([&] { r.unpackString(s); }) == PvmNoData);
        CHECK(std::string(s) == "untouched");
        CHECK(r.remaining() == 7);
        CHECK(errorCode([&] { r.unpackString(); }) == PvmNoData);
        CHECK(r.remaining() == 7);
        // The cursor is still before the length.
        int length = 0;
        r.unpack(DataType::Int, &length, 1, 1);
        CHECK(length == 10);
    }

    SECTION("a hostile string length") {
        MessageBuffer r = MessageBuffer::fromSegments(PvmDataDefault, split({0xff, 0xff, 0xff, 0xff, 'a'}, 1));
        CHECK(errorCode([&] { r.unpackString(); }) == PvmNoData);
        CHECK(r.remaining() == 5);
    }

    SECTION("a string length cut short") {
        MessageBuffer r = MessageBuffer::fromSegments(PvmDataDefault, asOneSegment({0, 0}));
        CHECK(errorCode([&] { r.unpackString(); }) == PvmNoData);
        CHECK(r.remaining() == 2);
    }
}

TEST_CASE("PvmDataInPlace references user memory", "[message_buffer]") {
    int values[4] = {1, 2, 3, 4};
    MessageBuffer b(PvmDataInPlace);
    b.pack(DataType::Int, values, 4, 1);
    std::vector<Segment> segments = b.segments();
    REQUIRE(segments.size() == 1);
    CHECK(segments[0].data == reinterpret_cast<const std::byte*>(values));
    CHECK(segments[0].size == sizeof values);
    CHECK(!segments[0].owner);

    // The message carries the memory as it is when read, not when packed.
    values[2] = 33;
    MessageBuffer r = MessageBuffer::fromSegments(PvmDataInPlace, segments);
    int out[4];
    r.unpack(DataType::Int, out, 4, 1);
    CHECK(out[2] == 33);

    SECTION("a stride gathers into owned storage") {
        MessageBuffer g(PvmDataInPlace);
        g.pack(DataType::Int, values, 2, 2);
        std::vector<Segment> gathered = g.segments();
        REQUIRE(gathered.size() == 1);
        CHECK(gathered[0].owner);
        values[0] = 100;
        MessageBuffer rg = MessageBuffer::fromSegments(PvmDataInPlace, gathered);
        int two[2];
        rg.unpack(DataType::Int, two, 2, 1);
        CHECK(two[0] == 1);
        CHECK(two[1] == 33);
    }

    SECTION("packCopied and packBytes copy") {
        MessageBuffer c(PvmDataInPlace);
        c.packCopied(DataType::Int, values, 4, 1);
        c.packBytes(values, 2);
        std::vector<Segment> copied = c.segments();
        REQUIRE(copied.size() == 1);
        CHECK(copied[0].owner);
        CHECK(copied[0].size == 18);
    }

    SECTION("strings are not implemented") {
        MessageBuffer s(PvmDataInPlace);
        CHECK(errorCode([&] { s.packString("abc"); }) == PvmNotImpl);
        CHECK(errorCode([&] { s.packString(""); }) == PvmNotImpl);
        CHECK(s.size() == 0);
    }

    SECTION("referenced and owned pieces keep their order") {
        double d[4] = {0.5, 1.5, 2.5, 3.5};
        char tag[3] = {'t', 'a', 'g'};
        MessageBuffer m(PvmDataInPlace);
        m.pack(DataType::Int, values, 1, 1);
        m.packBytes(tag, 3);
        m.pack(DataType::Double, d, 2, 2);
        m.pack(DataType::Int, values + 3, 1, 1);
        std::vector<Segment> parts = m.segments();
        REQUIRE(parts.size() == 3);
        CHECK(!parts[0].owner);
        CHECK(parts[1].owner);
        CHECK(parts[1].size == 3 + 16);
        CHECK(!parts[2].owner);
        CHECK(parts[2].data == reinterpret_cast<const std::byte*>(values + 3));
        MessageBuffer rm = MessageBuffer::fromSegments(PvmDataInPlace, parts);
        int first = 0, last = 0;
        char t[3];
        double dd[2];
        rm.unpack(DataType::Int, &first, 1, 1);
        rm.unpack(DataType::Byte, t, 3, 1);
        rm.unpack(DataType::Double, dd, 2, 1);
        rm.unpack(DataType::Int, &last, 1, 1);
        CHECK(first == 1);
        CHECK(std::string(t, 3) == "tag");
        CHECK(dd[0] == 0.5);
        CHECK(dd[1] == 2.5);
        CHECK(last == 4);
    }
}

TEST_CASE("segments are sealed: packing more never changes them", "[message_buffer]") {
    for (int encoding : {PvmDataDefault, PvmDataRaw}) {
        CAPTURE(encoding);
        int values[3] = {1, 2, 3};
        MessageBuffer b(encoding);
        b.pack(DataType::Int, values, 3, 1);
        b.packString("abc");
        std::vector<Segment> first = b.segments();
        const Bytes firstBytes = flatten(first);
        CHECK(b.segments().size() == first.size());

        // Enough to outgrow any spare room after the sealed bytes.
        std::vector<int> more(5000, -1);
        b.pack(DataType::Int, more.data(), 5000, 1);
        b.packString("tail");
        CHECK(flatten(first) == firstBytes);

        std::vector<Segment> second = b.segments();
        REQUIRE(second.size() > first.size());
        for (std::size_t i = 0; i < first.size(); ++i) {
            CHECK(second[i].data == first[i].data);
            CHECK(second[i].size == first[i].size);
        }
        CHECK(b.size() == firstBytes.size() + 20000 + 9);  // "tail": length, 4 bytes and the NUL
        CHECK(flatten(second).size() == b.size());

        MessageBuffer r = MessageBuffer::fromSegments(encoding, second);
        int out[3];
        r.unpack(DataType::Int, out, 3, 1);
        CHECK(r.unpackString() == "abc");
        std::vector<int> moreOut(5000);
        r.unpack(DataType::Int, moreOut.data(), 5000, 1);
        CHECK(moreOut == more);
        CHECK(r.unpackString() == "tail");
    }
}

TEST_CASE("values straddling segment boundaries unpack", "[message_buffer]") {
    for (int encoding : {PvmDataDefault, PvmDataRaw}) {
        CAPTURE(encoding);
        short sh = SHRT_MIN;
        int in = 0x12345678;
        long lo = LONG_MIN + 5;
        double db = -3.75;
        DoublePair dc{1e300, -1e-300};
        std::vector<double> many(100);
        std::iota(many.begin(), many.end(), 0.5);

        MessageBuffer b(encoding);
        b.packString("hello");
        b.pack(DataType::Int, &in, 1, 1);
        b.pack(DataType::Short, &sh, 1, 1);
        b.pack(DataType::Double, &db, 1, 1);
        b.pack(DataType::DoubleComplex, &dc, 1, 1);
        b.pack(DataType::Long, &lo, 1, 1);
        b.pack(DataType::Double, many.data(), 100, 1);
        b.packString("");
        const Bytes bytes = bytesOf(b);

        for (std::size_t piece : {1, 2, 3, 5, 7, 13, 64}) {
            CAPTURE(piece);
            MessageBuffer r = MessageBuffer::fromSegments(encoding, split(bytes, piece));
            REQUIRE(r.size() == bytes.size());
            CHECK(r.unpackString() == "hello");
            int in2 = 0;
            short sh2 = 0;
            long lo2 = 0;
            double db2 = 0;
            DoublePair dc2{};
            std::vector<double> many2(100);
            r.unpack(DataType::Int, &in2, 1, 1);
            r.unpack(DataType::Short, &sh2, 1, 1);
            r.unpack(DataType::Double, &db2, 1, 1);
            r.unpack(DataType::DoubleComplex, &dc2, 1, 1);
            r.unpack(DataType::Long, &lo2, 1, 1);
            r.unpack(DataType::Double, many2.data(), 100, 1);
            char empty[4] = "xyz";
            r.unpackString(empty);
            CHECK(in2 == in);
            CHECK(sh2 == sh);
            CHECK(db2 == db);
            CHECK(dc2 == dc);
            CHECK(lo2 == lo);
            CHECK(many2 == many);
            CHECK(empty[0] == '\0');
            CHECK(r.remaining() == 0);

            // A stride with a straddle, and PvmNoData across segments.
            r.rewind();
            r.unpackString();
            std::vector<int> spread(3, 0);
            CHECK(errorCode([&] { r.unpack(DataType::Int, spread.data(), 1000, 1); }) == PvmNoData);
            CHECK(r.remaining() == bytes.size() - 10);  // a string packs its NUL, as in PVM
            r.unpack(DataType::Int, spread.data(), 1, 3);
            CHECK(spread[0] == in);
        }
    }
}

TEST_CASE("a send buffer can be unpacked while it grows", "[message_buffer]") {
    MessageBuffer b(PvmDataDefault);
    int x = 7;
    b.pack(DataType::Int, &x, 1, 1);
    int y = 0;
    b.unpack(DataType::Int, &y, 1, 1);
    CHECK(y == 7);
    std::vector<int> more(100000);
    std::iota(more.begin(), more.end(), 1);
    b.pack(DataType::Int, more.data(), 100000, 1);
    std::vector<int> out(100000);
    b.unpack(DataType::Int, out.data(), 100000, 1);
    CHECK(out == more);
    CHECK(b.remaining() == 0);
    b.rewind();
    CHECK(b.remaining() == b.size());
    b.unpack(DataType::Int, &y, 1, 1);
    CHECK(y == 7);
}

TEST_CASE("a copy does not share the bytes still being packed", "[message_buffer]") {
    MessageBuffer a(PvmDataDefault);
    int one = 1, two = 2;
    a.pack(DataType::Int, &one, 1, 1);
    MessageBuffer c = a;
    c.pack(DataType::Int, &two, 1, 1);
    a.pack(DataType::Int, &one, 1, 1);
    CHECK(bytesOf(a) == Bytes{0, 0, 0, 1, 0, 0, 0, 1});
    CHECK(bytesOf(c) == Bytes{0, 0, 0, 1, 0, 0, 0, 2});
    MessageBuffer d(PvmDataRaw);
    d = c;
    CHECK(d.encoding() == PvmDataDefault);
    CHECK(bytesOf(d) == bytesOf(c));
}

TEST_CASE("many small packs grow geometrically into few segments", "[message_buffer]") {
    MessageBuffer b(PvmDataDefault);
    constexpr int n = 1 << 20;  // 4 MB in 4-byte packs
    for (int i = 0; i < n; ++i) b.pack(DataType::Int, &i, 1, 1);
    CHECK(b.size() == 4u * n);
    std::vector<Segment> segments = b.segments();
    CHECK(segments.size() <= 8);
    MessageBuffer r = MessageBuffer::fromSegments(PvmDataDefault, segments);
    std::vector<int> out(n);
    r.unpack(DataType::Int, out.data(), n, 1);
    bool inOrder = true;
    for (int i = 0; i < n; ++i) inOrder = inOrder && out[i] == i;
    CHECK(inOrder);
}

TEST_CASE("a 64 MB array packs and unpacks", "[message_buffer]") {
    constexpr int n = 16 << 20;
    std::vector<int> values(n);
    std::iota(values.begin(), values.end(), -n / 2);
    for (int encoding : {PvmDataDefault, PvmDataRaw}) {
        CAPTURE(encoding);
        MessageBuffer b(encoding);
        b.pack(DataType::Int, values.data(), n, 1);
        REQUIRE(b.size() == 4u * n);
        std::vector<Segment> segments = b.segments();
        CHECK(segments.size() == 1);
        MessageBuffer r = MessageBuffer::fromSegments(encoding, segments);
        std::vector<int> out(n);
        r.unpack(DataType::Int, out.data(), n, 1);
        CHECK(out == values);
    }
}

// Hidden (run with "[.large]"): needs about 1.5 GB of memory.
TEST_CASE("a 512 MB pkbyte is a single copy", "[.large][message_buffer]") {
    const std::size_t n = std::size_t{512} << 20;
    std::vector<char> bytes(n, 'p');
    bytes[n - 1] = 'q';
    MessageBuffer b(PvmDataDefault);
    int header = 1;
    b.pack(DataType::Int, &header, 1, 1);
    b.pack(DataType::Byte, bytes.data(), static_cast<int>(n), 1);
    b.pack(DataType::Int, &header, 1, 1);
    CHECK(b.size() == n + 8);
    std::vector<Segment> segments = b.segments();
    CHECK(segments.size() == 3);
    MessageBuffer r = MessageBuffer::fromSegments(PvmDataDefault, segments);
    r.unpack(DataType::Int, &header, 1, 1);
    std::vector<char> out(n);
    r.unpack(DataType::Byte, out.data(), static_cast<int>(n), 1);
    CHECK(out[n - 1] == 'q');
    CHECK(out[0] == 'p');
}
