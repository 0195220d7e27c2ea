// fuzz_hostfile.cpp - the parser of PVM's hostfile and of pvm_addhosts lines.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "errors.h"
#include "hostfile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        pvm::Hostfile hostfile = pvm::parseHostfile(text, "fuzz");
        (void)pvm::findHost(hostfile, "node1");
    } catch (const pvm::Error&) {
    }
    try {
        (void)pvm::parseHostSpec(text.substr(0, text.find('\n')), pvm::HostSpec{});
    } catch (const pvm::Error&) {
    }
    return 0;
}
