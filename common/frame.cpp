// frame.cpp - Frame's allocation.
#include "frame.h"

#include <cstring>
#include <new>
#include <sys/mman.h>

namespace pvm {

Frame::Frame(std::size_t size) : size_(size) {
    if (size == 0) return;
    if (size >= kMappedFrame) {
        // A big frame is mapped without reserving memory: a reader takes the size a header
        // announces before the bytes come, and pages it never gets must cost nothing (nor
        // be refused by the kernel's overcommit guess). Unmapped, not kept, when let go.
        void* bytes = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (bytes == MAP_FAILED) throw std::bad_alloc();
        data_ = static_cast<std::byte*>(bytes);
        owner_ = std::shared_ptr<void>(bytes, [size](void* p) { munmap(p, size); });
        return;
    }
    // One allocation for the bytes and their count; no zero-filling, the caller writes them.
    auto bytes = std::make_shared_for_overwrite<std::byte[]>(size);
    data_ = bytes.get();
    owner_ = std::move(bytes);
}

Frame::Frame(const void* data, std::size_t size) : Frame(size) {
    if (size != 0) std::memcpy(const_cast<std::byte*>(data_), data, size);
}

Frame& Frame::operator=(Frame&& other) noexcept {
    owner_ = std::move(other.owner_);
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = kEmpty;
    other.size_ = 0;
    return *this;
}

}  // namespace pvm
