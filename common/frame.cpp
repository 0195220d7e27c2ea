// frame.cpp - Frame's allocation.
#include "frame.h"

#include <cstring>

namespace pvm {

Frame::Frame(std::size_t size) : size_(size) {
    if (size == 0) return;
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
