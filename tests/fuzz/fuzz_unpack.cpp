// fuzz_unpack.cpp - the typed unpacking behind pvm_upk* on a received body that
// is corrupt or short: the first input byte picks the encoding and how the body
// is split into segments, the next ones the unpack calls, the rest is the body.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "errors.h"
#include "message_buffer.h"
#include "pvm3.h"

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
    } catch (const pvm::Error&) {
    }
    return 0;
}
