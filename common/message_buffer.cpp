// message_buffer.cpp - typed packing and unpacking of PVM message bodies.
#include "message_buffer.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <cstring>
#include <new>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

// The wire gives long 8 bytes; a platform with 32-bit longs would need a widening codec.
static_assert(sizeof(long) == 8 && sizeof(unsigned long) == 8, "pvm needs an LP64 platform");
static_assert(sizeof(short) == 2 && sizeof(int) == 4 && sizeof(float) == 4 && sizeof(double) == 8);
static_assert(std::endian::native == std::endian::little || std::endian::native == std::endian::big);

namespace {

// The first chunk of a buffer starts small, as most PVM messages are a few numbers.
constexpr std::size_t kFirstChunk = 512;
// Chunks grow by copying up to this size; beyond it a full chunk is sealed and a new one
// started instead, so a huge message is never copied and a small one stays one segment.
constexpr std::size_t kCopiedChunkLimit = std::size_t{1} << 20;

// knownEncoding accepts the encodings of pvm_mkbuf: PvmDataDefault, Raw and InPlace.
bool knownEncoding(int encoding) {
    return encoding == PvmDataDefault || encoding == PvmDataRaw || encoding == PvmDataInPlace;
}

// scalarWidth is the size of one number of type: a complex is two such numbers, each
// byte-swapped on its own. 0 for String and for values outside the enum.
std::size_t scalarWidth(DataType type) {
    switch (type) {
        case DataType::Byte:
            return 1;
        case DataType::Short:
        case DataType::UShort:
            return 2;
        case DataType::Int:
        case DataType::UInt:
        case DataType::Float:
        case DataType::Complex:
            return 4;
        case DataType::Long:
        case DataType::ULong:
        case DataType::Double:
        case DataType::DoubleComplex:
            return 8;
        case DataType::String:
            break;
    }
    return 0;
}

// UintOf<W> is the unsigned integer of W bytes that a W-byte number is swapped as.
template <std::size_t W>
struct UintOf;
template <>
struct UintOf<2> {
    using type = std::uint16_t;
};
template <>
struct UintOf<4> {
    using type = std::uint32_t;
};
template <>
struct UintOf<8> {
    using type = std::uint64_t;
};

// byteSwap reverses the bytes of v.
template <typename U>
inline U byteSwap(U v) {
    if constexpr (sizeof(U) == 2) {
        return __builtin_bswap16(v);
    } else if constexpr (sizeof(U) == 4) {
        return __builtin_bswap32(v);
    } else {
        return __builtin_bswap64(v);
    }
}

// swapScalar copies one W-byte number with its bytes reversed; memcpy allows any alignment.
template <std::size_t W>
inline void swapScalar(std::byte* dst, const std::byte* src) {
    typename UintOf<W>::type v;
    std::memcpy(&v, src, W);
    v = byteSwap(v);
    std::memcpy(dst, &v, W);
}

// swapContiguous is the hot loop for stride 1: memcpy in and out lets the compiler use
// unaligned loads and vector shuffles.
template <std::size_t W>
void swapContiguous(std::byte* __restrict dst, const std::byte* __restrict src, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) swapScalar<W>(dst + i * W, src + i * W);
}

// swapItems is transcode for W-byte numbers that need swapping.
template <std::size_t W>
void swapItems(std::byte* dst, std::size_t dstStride, const std::byte* src, std::size_t srcStride, std::size_t count,
               std::size_t scalarsPerItem) {
    const std::size_t itemSize = W * scalarsPerItem;
    if (dstStride == itemSize && srcStride == itemSize) {
        swapContiguous<W>(dst, src, count * scalarsPerItem);
        return;
    }
    for (std::size_t i = 0; i < count; ++i) {
        for (std::size_t j = 0; j < scalarsPerItem; ++j) {
            swapScalar<W>(dst + i * dstStride + j * W, src + i * srcStride + j * W);
        }
    }
}

// copyStrided copies count N-byte items between strided arrays; N fixed so each memcpy is a move.
template <std::size_t N>
void copyStrided(std::byte* dst, std::size_t dstStride, const std::byte* src, std::size_t srcStride,
                 std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) std::memcpy(dst + i * dstStride, src + i * srcStride, N);
}

// transcode moves count items of scalarsPerItem numbers, each width bytes wide, from src
// (one item every srcStride bytes) to dst (every dstStride bytes), byte-swapping every
// number when swap is set. Byte swapping is its own inverse, so pack and unpack share it.
void transcode(bool swap, std::size_t width, std::size_t scalarsPerItem, std::byte* dst, std::size_t dstStride,
               const std::byte* src, std::size_t srcStride, std::size_t count) {
    const std::size_t itemSize = width * scalarsPerItem;
    if (!swap || width == 1) {
        if (dstStride == itemSize && srcStride == itemSize) {
            std::memcpy(dst, src, count * itemSize);
            return;
        }
        switch (itemSize) {
            case 1:
                return copyStrided<1>(dst, dstStride, src, srcStride, count);
            case 2:
                return copyStrided<2>(dst, dstStride, src, srcStride, count);
            case 4:
                return copyStrided<4>(dst, dstStride, src, srcStride, count);
            case 8:
                return copyStrided<8>(dst, dstStride, src, srcStride, count);
            case 16:
                return copyStrided<16>(dst, dstStride, src, srcStride, count);
        }
        for (std::size_t i = 0; i < count; ++i) std::memcpy(dst + i * dstStride, src + i * srcStride, itemSize);
        return;
    }
    switch (width) {
        case 2:
            return swapItems<2>(dst, dstStride, src, srcStride, count, scalarsPerItem);
        case 4:
            return swapItems<4>(dst, dstStride, src, srcStride, count, scalarsPerItem);
        case 8:
            return swapItems<8>(dst, dstStride, src, srcStride, count, scalarsPerItem);
    }
}

// checkItems applies the argument rules shared by pack and unpack.
void checkItems(DataType type, const void* data, int nitem, int stride, const char* what) {
    PVM_REQUIRE(scalarWidth(type) != 0, PvmBadParam,
                std::string(what) + ": bad data type " + std::to_string(static_cast<int>(type)));
    PVM_REQUIRE(nitem >= 0, PvmBadParam, std::string(what) + ": negative item count");
    PVM_REQUIRE(stride >= 1, PvmBadParam, std::string(what) + ": stride below 1");
    PVM_REQUIRE(data != nullptr || nitem == 0, PvmBadParam, std::string(what) + ": null data");
}

// allocate gets size bytes of chunk storage; running out of memory is PVM's PvmNoMem.
std::unique_ptr<std::byte[]> allocate(std::size_t size) {
    try {
        // new[] without () leaves the bytes uninitialised: a 512 MB buffer is written once.
        return std::unique_ptr<std::byte[]>(new std::byte[size]);
    } catch (const std::bad_alloc&) {
        throw Error(PvmNoMem, "message buffer: cannot allocate " + std::to_string(size) + " bytes");
    }
}

}  // namespace

std::size_t elementSize(DataType type) {
    switch (type) {
        case DataType::Complex:
        case DataType::DoubleComplex:
            return 2 * scalarWidth(type);
        default:
            return scalarWidth(type);
    }
}

MessageBuffer::MessageBuffer(int encoding) : encoding_(encoding) {
    PVM_REQUIRE(knownEncoding(encoding), PvmBadParam, "unknown encoding " + std::to_string(encoding));
}

MessageBuffer MessageBuffer::fromSegments(int encoding, std::vector<Segment> segments) {
    PVM_REQUIRE(knownEncoding(encoding), PvmBadMsg, "message with unknown encoding " + std::to_string(encoding));
    MessageBuffer buffer(encoding);
    for (const Segment& s : segments) {
        PVM_REQUIRE(s.data != nullptr || s.size == 0, PvmBadMsg, "message segment without data");
        buffer.size_ += s.size;
    }
    buffer.sealed_ = std::move(segments);
    return buffer;
}

MessageBuffer::MessageBuffer(const MessageBuffer& other)
    : encoding_(other.encoding_),
      sealed_(other.sealed_),
      size_(other.size_),
      readSegment_(other.readSegment_),
      readOffset_(other.readOffset_),
      consumed_(other.consumed_) {
    if (other.tail_) {
        // The tail is the one piece still written to, so the copy gets its own.
        auto chunk = std::make_shared<Chunk>();
        chunk->capacity = std::max(other.tail_->used, kFirstChunk);
        chunk->bytes = allocate(chunk->capacity);
        chunk->used = other.tail_->used;
        if (chunk->used) std::memcpy(chunk->bytes.get(), other.tail_->bytes.get(), chunk->used);
        tail_ = std::move(chunk);
    }
}

MessageBuffer& MessageBuffer::operator=(const MessageBuffer& other) {
    if (this != &other) *this = MessageBuffer(other);
    return *this;
}

bool MessageBuffer::swapsBytes() const noexcept {
    return encoding_ == PvmDataDefault && std::endian::native == std::endian::little;
}

void MessageBuffer::pack(DataType type, const void* data, int nitem, int stride) {
    packItems(type, data, nitem, stride, true);
}

void MessageBuffer::packCopied(DataType type, const void* data, int nitem, int stride) {
    packItems(type, data, nitem, stride, false);
}

void MessageBuffer::packItems(DataType type, const void* data, int nitem, int stride, bool mayReference) {
    checkItems(type, data, nitem, stride, "pack");
    if (nitem == 0) return;
    const std::size_t width = scalarWidth(type);
    const std::size_t itemSize = elementSize(type);
    const std::size_t count = static_cast<std::size_t>(nitem);
    const auto* src = static_cast<const std::byte*>(data);
    if (encoding_ == PvmDataInPlace && stride == 1 && mayReference) {
        // PvmDataInPlace: the message carries the user's memory as it is at send time.
        appendSegment(Segment{nullptr, src, count * itemSize});
        return;
    }
    std::byte* dst = reserveTail(count * itemSize);
    transcode(swapsBytes(), width, itemSize / width, dst, itemSize, src, itemSize * static_cast<std::size_t>(stride),
              count);
}

void MessageBuffer::packString(const char* s) {
    PVM_REQUIRE(s != nullptr, PvmBadParam, "packString: null string");
    PVM_REQUIRE(encoding_ != PvmDataInPlace, PvmNotImpl, "packString: strings cannot be packed in place");
    // The NUL goes too, and counts in the length, as PVM 3.4.6 packs strings.
    const std::size_t length = std::strlen(s) + 1;
    PVM_REQUIRE(length <= UINT32_MAX, PvmOverflow, "packString: string longer than 4 GB");
    std::uint32_t prefix = static_cast<std::uint32_t>(length);
    if (swapsBytes()) prefix = __builtin_bswap32(prefix);
    std::byte* dst = reserveTail(sizeof prefix + length);
    std::memcpy(dst, &prefix, sizeof prefix);
    std::memcpy(dst + sizeof prefix, s, length);
}

void MessageBuffer::packBytes(const void* data, std::size_t size) {
    PVM_REQUIRE(data != nullptr || size == 0, PvmBadParam, "packBytes: null data");
    if (size == 0) return;
    std::memcpy(reserveTail(size), data, size);
}

void MessageBuffer::appendSegment(Segment segment) {
    if (segment.size == 0) return;
    sealTail();
    size_ += segment.size;
    sealed_.push_back(std::move(segment));
}

std::byte* MessageBuffer::reserveTail(std::size_t size) {
    if (!tail_ || tail_->capacity - tail_->used < size) growTail(size);
    std::byte* p = tail_->bytes.get() + tail_->used;
    tail_->used += size;
    size_ += size;
    return p;
}

void MessageBuffer::growTail(std::size_t size) {
    if (tail_ && tail_->used + size <= kCopiedChunkLimit) {
        // Geometric growth keeps many small packs amortised O(1) per byte.
        std::size_t capacity = std::min(std::max(2 * tail_->capacity, tail_->used + size), kCopiedChunkLimit);
        auto bytes = allocate(capacity);
        std::memcpy(bytes.get(), tail_->bytes.get(), tail_->used);
        tail_->bytes = std::move(bytes);
        tail_->capacity = capacity;
        return;
    }
    // A full chunk says the message is big: continue in limit-sized chunks, each filled once.
    const bool full = tail_ && tail_->used > 0;
    sealTail();
    auto chunk = std::make_shared<Chunk>();
    chunk->capacity = std::max(size, full ? kCopiedChunkLimit : kFirstChunk);
    chunk->bytes = allocate(chunk->capacity);
    tail_ = std::move(chunk);
}

void MessageBuffer::sealTail() {
    if (!tail_) return;
    if (tail_->used > 0) {
        Segment s;
        s.data = tail_->bytes.get();
        s.size = tail_->used;
        s.owner = std::move(tail_);
        sealed_.push_back(std::move(s));
    }
    tail_.reset();
}

std::vector<Segment> MessageBuffer::segments() {
    sealTail();
    return sealed_;
}

std::size_t MessageBuffer::size() const noexcept { return size_; }

std::size_t MessageBuffer::remaining() const noexcept { return size_ - consumed_; }

void MessageBuffer::rewind() noexcept {
    readSegment_ = 0;
    readOffset_ = 0;
    consumed_ = 0;
}

std::size_t MessageBuffer::segmentCount() const noexcept { return sealed_.size() + (tail_ ? 1 : 0); }

std::pair<const std::byte*, std::size_t> MessageBuffer::segmentAt(std::size_t index) const noexcept {
    if (index < sealed_.size()) return {sealed_[index].data, sealed_[index].size};
    if (index == sealed_.size() && tail_) return {tail_->bytes.get(), tail_->used};
    return {nullptr, 0};
}

std::pair<const std::byte*, std::size_t> MessageBuffer::readable() noexcept {
    // Stepping over finished segments does not move the logical cursor.
    for (;;) {
        auto [data, size] = segmentAt(readSegment_);
        if (readOffset_ < size) return {data + readOffset_, size - readOffset_};
        if (readSegment_ + 1 >= segmentCount()) return {nullptr, 0};
        ++readSegment_;
        readOffset_ = 0;
    }
}

void MessageBuffer::read(void* out, std::size_t size) {
    PVM_REQUIRE(size <= remaining(), PvmNoData, "unpack: end of message");
    auto* dst = static_cast<std::byte*>(out);
    while (size > 0) {
        auto [src, avail] = readable();
        std::size_t n = std::min(avail, size);
        std::memcpy(dst, src, n);
        dst += n;
        size -= n;
        readOffset_ += n;
        consumed_ += n;
    }
}

void MessageBuffer::unpack(DataType type, void* data, int nitem, int stride) {
    checkItems(type, data, nitem, stride, "unpack");
    if (nitem == 0) return;
    const std::size_t width = scalarWidth(type);
    const std::size_t itemSize = elementSize(type);
    const std::size_t scalars = itemSize / width;
    const std::size_t count = static_cast<std::size_t>(nitem);
    // Checked up front so a short message leaves both the cursor and data untouched.
    PVM_REQUIRE(
        count * itemSize <= remaining(), PvmNoData,
        "unpack: " + std::to_string(count * itemSize) + " bytes asked, " + std::to_string(remaining()) + " left");
    const bool swap = swapsBytes();
    auto* dst = static_cast<std::byte*>(data);
    const std::size_t dstStride = itemSize * static_cast<std::size_t>(stride);
    std::size_t done = 0;
    while (done < count) {
        auto [src, avail] = readable();
        std::size_t n = std::min(avail / itemSize, count - done);
        if (n > 0) {
            transcode(swap, width, scalars, dst + done * dstStride, dstStride, src, itemSize, n);
            readOffset_ += n * itemSize;
            consumed_ += n * itemSize;
            done += n;
        } else {
            // This item straddles a segment boundary: gather it first.
            std::byte item[16];
            read(item, itemSize);
            transcode(swap, width, scalars, dst + done * dstStride, dstStride, item, itemSize, 1);
            ++done;
        }
    }
}

std::size_t MessageBuffer::readStringLength() {
    const std::size_t savedSegment = readSegment_;
    const std::size_t savedOffset = readOffset_;
    const std::size_t savedConsumed = consumed_;
    std::uint32_t prefix;
    read(&prefix, sizeof prefix);
    if (swapsBytes()) prefix = __builtin_bswap32(prefix);
    if (prefix > remaining()) {
        // A truncated or hostile length: leave the cursor before the string.
        readSegment_ = savedSegment;
        readOffset_ = savedOffset;
        consumed_ = savedConsumed;
        throw Error(PvmNoData, "unpackString: string of " + std::to_string(prefix) + " bytes, " +
                                   std::to_string(remaining()) + " left");
    }
    return prefix;
}

void MessageBuffer::unpackString(char* s) {
    PVM_REQUIRE(s != nullptr, PvmBadParam, "unpackString: null destination");
    std::size_t length = readStringLength();
    read(s, length);
    // The packed NUL ends it; a sender that left it out gets one added.
    if (length == 0 || s[length - 1] != '\0') s[length] = '\0';
}

std::string MessageBuffer::unpackString() {
    std::size_t length = readStringLength();
    std::string s(length, '\0');
    read(s.data(), length);
    if (!s.empty() && s.back() == '\0') s.pop_back();
    return s;
}

}  // namespace pvm
