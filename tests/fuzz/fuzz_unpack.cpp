// fuzz_unpack.cpp - the typed unpacking behind pvm_upk* on a received body that
// is corrupt or short: the first input byte picks the encoding and how the body
// is split into segments, the next ones the unpack calls, the rest is the body. Then
// pvm_unpackf's engine reads the same body with one of a few formats.
#include <cstddef>
#include <cstdarg>
#include <cstdint>
#include <memory>
#include <vector>

#include "errors.h"
#include "message_buffer.h"
#include "packf.h"
#include "pvm3.h"

namespace {
/// run calls pvm_unpackf's engine with fmt and the arguments after it.
void run(pvm::MessageBuffer* buffer, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    pvm::unpackFormatted(fmt, args, *buffer);
    va_end(args);
}

/// unpackf runs one of a few formats a program would give pvm_unpackf on buffer, each
/// conversion with room for what it asks: items for numbers (512 bytes, more than any of
/// these formats reaches), text for strings; '*' counts and strides are 3 and 2.
void unpackf(unsigned which, pvm::MessageBuffer& buffer, std::byte* items, char* text) {
    void* p = items;
    switch (which % 7) {
        case 0:
            return run(&buffer, "%d %hd %ld %f %lf", p, p, p, p, p);
        case 1:
            return run(&buffer, "%s %d", text, p);
        case 2:
            return run(&buffer, "%4d %2.3hd", p, p);
        case 3:
            return run(&buffer, "%*d %c %3c", 3, p, p, p);
        case 4:
            return run(&buffer, "%x %lx %ud %lud", p, p, p, p);
        case 5:
            return run(&buffer, "%+ %s %s %s", 0, text, text, text);
        default:
            return run(&buffer, "%8.2lf %*.*d", p, 3, 2, p);
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 9) return 0;
    int encoding = data[0] & 1 ? PvmDataRaw : PvmDataDefault;
    std::size_t pieces = 1 + (data[0] >> 1) % 3;
    const std::uint8_t* calls = data + 1;  // 8 calls: type in the low nibble, count in the high
    const std::uint8_t* body = data + 9;
    std::size_t bodySize = size - 9;
    std::vector<pvm::Segment> segments;
    for (std::size_t i = 0, at = 0; i < pieces; ++i) {
        std::size_t length = i + 1 == pieces ? bodySize - at : bodySize / pieces;
        auto bytes = std::make_shared<std::vector<std::byte>>(length);
        for (std::size_t j = 0; j < length; ++j) (*bytes)[j] = static_cast<std::byte>(body[at + j]);
        pvm::Segment s;
        s.data = bytes->data();
        s.size = length;
        s.owner = bytes;
        segments.push_back(std::move(s));
        at += length;
    }
    try {
        pvm::MessageBuffer buffer = pvm::MessageBuffer::fromSegments(encoding, std::move(segments));
        std::vector<std::byte> out(16 * 16 * 2);
        std::vector<char> text(bodySize + 1);
        for (int i = 0; i < 8; ++i) {
            auto type = static_cast<pvm::DataType>(calls[i] % 12);
            int count = 1 + (calls[i] >> 4);
            try {
                if (type == pvm::DataType::String)
                    buffer.unpackString(text.data());  // room for any string the body can hold
                else
                    buffer.unpack(type, out.data(), count, 1);
            } catch (const pvm::Error&) {
            }
        }
        // pvm_unpackf over the same body from its start, with one of a few formats a program
        // would use; every item has room for what it asks.
        buffer.rewind();
        try {
            unpackf(calls[0], buffer, out.data(), text.data());
        } catch (const pvm::Error&) {
        }
    } catch (const pvm::Error&) {
    }
    return 0;
}
