// fuzz_packet.cpp - the decoder every packet from a task or a peer daemon goes
// through first: PacketReader, then a walk over everything the packet holds.
#include <capnp/dynamic.h>
#include <cstddef>
#include <cstdint>

#include "errors.h"
#include "wire.h"

namespace {
/// walk reads every field and element that is set, as the handlers may; the traversal
/// limit bounds it. (Pretty-printing would not do: a few bytes may hold millions of Void
/// elements, and their text takes gigabytes.)
std::size_t walk(capnp::DynamicValue::Reader value) {
    switch (value.getType()) {
        case capnp::DynamicValue::STRUCT: {
            std::size_t n = 0;
            auto s = value.as<capnp::DynamicStruct>();
            for (auto field : s.getSchema().getFields())
                if (s.has(field)) n += walk(s.get(field));
            return n + 1;
        }
        case capnp::DynamicValue::LIST: {
            std::size_t n = 0;
            for (auto element : value.as<capnp::DynamicList>()) n += walk(element);
            return n + 1;
        }
        case capnp::DynamicValue::TEXT:
            return value.as<capnp::Text>().size();
        case capnp::DynamicValue::DATA:
            return value.as<capnp::Data>().size();
        default:
            return 1;
    }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        pvm::PacketReader reader(pvm::Frame(data, size));
        (void)walk(capnp::toDynamic(reader.packet()));
    } catch (const pvm::Error&) {
    } catch (const kj::Exception&) {
    }
    return 0;
}
