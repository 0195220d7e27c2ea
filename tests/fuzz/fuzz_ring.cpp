// fuzz_ring.cpp - the reader of a shared-memory ring whose header and records
// were written by a writer that is broken or hostile: the input replaces the
// whole object (header page and data) before the reader attaches and reads.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

#include "errors.h"
#include "shm_ring.h"

namespace {
constexpr std::size_t kCapacity = 4096;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string name = "/pvm." + std::to_string(getuid()) + ".fuzz-ring." + std::to_string(getpid());
    pvm::ShmRing::unlink(name);
    try {
        auto writer = pvm::ShmRing::create(name, kCapacity, 0x40001, 0x40002, getpid());
        int fd = shm_open(name.c_str(), O_RDWR | O_CLOEXEC, 0);
        if (fd < 0) return 0;
        off_t length = lseek(fd, 0, SEEK_END);
        void* base = mmap(nullptr, static_cast<std::size_t>(length), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        close(fd);
        if (base == MAP_FAILED) return 0;
        std::memcpy(base, data, std::min(size, static_cast<std::size_t>(length)));
        munmap(base, static_cast<std::size_t>(length));
        auto reader = pvm::ShmRing::attach(name, 0x40001, 0x40002);
        std::vector<std::byte> out;
        for (int i = 0; i < 1000 && reader->readable(); ++i) {
            auto header = reader->peek(reader->published());
            if (!header) break;
            out.resize(header->length);
            reader->consume(*header, out.data());
        }
    } catch (const pvm::Error&) {
    }
    pvm::ShmRing::unlink(name);
    return 0;
}
