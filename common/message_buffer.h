// message_buffer.h - a PVM message body: typed packing and unpacking in one of
// the three encodings, stored as shared read-only segments so a packed buffer
// can be sent many times and handed to ZeroMQ without copying.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace pvm {

/// DataType numbers are PVM's PVM_STR ... PVM_ULONG.
enum class DataType : int {
    String = 0,
    Byte = 1,
    Short = 2,
    Int = 3,
    Float = 4,
    Complex = 5,
    Double = 6,
    DoubleComplex = 7,
    Long = 8,
    UShort = 9,
    UInt = 10,
    ULong = 11,
};

/// elementSize is the size in memory of one item of type (Complex is two floats); 0 for String.
std::size_t elementSize(DataType type);

/// Segment is one contiguous piece of a message body. owner keeps the bytes alive; it is
/// empty for PvmDataInPlace segments that point into the user's memory.
struct Segment {
    std::shared_ptr<const void> owner;
    const std::byte* data = nullptr;
    std::size_t size = 0;
};

/// MessageBuffer is the body of one message, being packed (send side) or unpacked (receive side).
///
/// Wire format (our own, not PVM's): PvmDataDefault stores every number big-endian in its
/// natural width (short 2, int 4, long 8, float 4, double 8 bytes; complex as two floats),
/// with no padding; PvmDataRaw and PvmDataInPlace store native bytes. A string is a 4-byte
/// length (in the buffer's byte order) followed by the characters, without the NUL.
class MessageBuffer {
public:
    /// MessageBuffer makes an empty buffer; throws Error(PvmBadParam) for an unknown encoding.
    explicit MessageBuffer(int encoding);

    /// fromSegments makes a receive buffer over the segments of an arrived message; throws
    /// Error(PvmBadMsg) for an unknown encoding or a segment with null data and a size.
    static MessageBuffer fromSegments(int encoding, std::vector<Segment> segments);

    /// MessageBuffer copies share the sealed segments and copy the bytes still being packed,
    /// so packing into a copy never shows in the original.
    MessageBuffer(const MessageBuffer& other);
    MessageBuffer& operator=(const MessageBuffer& other);
    MessageBuffer(MessageBuffer&&) noexcept = default;
    MessageBuffer& operator=(MessageBuffer&&) noexcept = default;
    ~MessageBuffer() = default;

    /// encoding is the PvmData* encoding the body is packed in.
    int encoding() const noexcept { return encoding_; }

    /// pack appends nitem items of type read from data every stride items.
    /// Throws Error: PvmBadParam for nitem < 0, stride < 1, a null data pointer with
    /// nitem > 0, or DataType::String (use packString).
    void pack(DataType type, const void* data, int nitem, int stride);
    /// packCopied is pack, except that it always copies the items, even with PvmDataInPlace
    /// (for values that do not outlive the call, such as pvm_packf arguments passed by value).
    void packCopied(DataType type, const void* data, int nitem, int stride);
    /// packString appends a string's length, counting its NUL, then its bytes with the NUL
    /// (PVM's layout); PvmBadParam for null, PvmNotImpl with PvmDataInPlace (as PVM).
    void packString(const char* s);
    /// packBytes appends raw bytes whatever the encoding, always copied, even with
    /// PvmDataInPlace (used by pvm_psend); PvmBadParam for null data with a size.
    void packBytes(const void* data, std::size_t size);

    /// unpack reads nitem items of type into data every stride items; PvmNoData when the
    /// buffer holds fewer bytes than asked for (the cursor is then left unchanged),
    /// PvmBadParam as for pack.
    void unpack(DataType type, void* data, int nitem, int stride);
    /// unpackString copies the next string with its terminating NUL into s; PvmBadParam for
    /// null, PvmNoData (cursor unchanged) when the buffer ends inside the string.
    void unpackString(char* s);
    /// unpackString reads the next string; errors as above.
    std::string unpackString();

    /// size is the number of body bytes packed so far (what pvm_bufinfo reports).
    std::size_t size() const noexcept;
    /// remaining is the number of body bytes not yet unpacked.
    std::size_t remaining() const noexcept;
    /// rewind moves the unpack cursor back to the start of the body.
    void rewind() noexcept;

    /// segments gives the body for sending. Packed data is sealed: packing more afterwards
    /// goes to new storage, so the returned segments never change. InPlace segments point to
    /// user memory and have no owner.
    std::vector<Segment> segments();

private:
    // Chunk is owned storage being packed into; once sealed it is never written again.
    struct Chunk {
        std::unique_ptr<std::byte[]> bytes;
        std::size_t capacity = 0;
        std::size_t used = 0;
    };

    // packItems is pack; mayReference lets PvmDataInPlace point at data instead of copying.
    void packItems(DataType type, const void* data, int nitem, int stride, bool mayReference);
    // appendSegment seals the tail and adds segment after it.
    void appendSegment(Segment segment);
    // reserveTail makes size more bytes part of the body and gives where to write them.
    std::byte* reserveTail(std::size_t size);
    // growTail makes room for size bytes: by copying while small, else in a new chunk.
    void growTail(std::size_t size);
    // sealTail turns the tail into a segment that is never written again.
    void sealTail();
    // swapsBytes tells whether numbers are byte-swapped between memory and this body.
    bool swapsBytes() const noexcept;
    // segmentCount and segmentAt see the body as sealed_ followed by the tail.
    std::size_t segmentCount() const noexcept;
    std::pair<const std::byte*, std::size_t> segmentAt(std::size_t index) const noexcept;
    // readable gives the unread bytes of the cursor's segment (empty at the end).
    std::pair<const std::byte*, std::size_t> readable() noexcept;
    // read copies size bytes across segments; PvmNoData when fewer are left.
    void read(void* out, std::size_t size);
    // readStringLength reads a string's length; PvmNoData, cursor unchanged, if it overruns.
    std::size_t readStringLength();

    int encoding_;
    std::vector<Segment> sealed_;  // segments no longer written to
    std::shared_ptr<Chunk> tail_;  // storage still being packed into; logically after sealed_
    std::size_t size_ = 0;
    // unpack cursor: segment index (sealed_, then the tail) and offset inside it
    std::size_t readSegment_ = 0;
    std::size_t readOffset_ = 0;
    std::size_t consumed_ = 0;
};

}  // namespace pvm
