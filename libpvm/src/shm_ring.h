// shm_ring.h - a single-producer, single-consumer ring of message records in
// POSIX shared memory: the byte layer under the same-host direct route
// (direct_links.h). It knows records, not tasks, routes or wake-ups.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "message_buffer.h"

namespace pvm {

/// kFirstChunk and kLastChunk mark the records of a message; a message that fits in one
/// record carries both.
constexpr std::uint32_t kFirstChunk = 1;
constexpr std::uint32_t kLastChunk = 2;

/// RecordHeader heads one record: a whole message or one chunk of one.
struct RecordHeader {
    std::uint32_t length = 0;  // payload bytes in this record
    std::uint32_t flags = 0;   // kFirstChunk | kLastChunk
    std::int32_t src = 0;      // sending tid
    std::int32_t tag = 0;
    std::int32_t context = 0;
    std::int32_t encoding = 0;  // PvmData*
    std::uint64_t total = 0;    // body bytes of the whole message
};
static_assert(sizeof(RecordHeader) == 32);

/// SegmentCursor walks the segments of a message body being written, across records.
class SegmentCursor {
public:
    explicit SegmentCursor(const std::vector<Segment>& segments) : segments_(segments) {}
    /// copyTo copies the next size bytes to out; the caller never asks for more than is left.
    void copyTo(std::byte* out, std::size_t size);

private:
    const std::vector<Segment>& segments_;
    std::size_t index_ = 0;
    std::size_t offset_ = 0;
};

/// ShmRing is one task's mapping of a ring, as its writer or as its reader.
///
/// The object holds a header page (magic, the two tids, the writer's pid, then the
/// counters on their own cache lines) followed by capacity data bytes, capacity a power
/// of two. tail and head count bytes written and consumed since creation; records are
/// 8-byte aligned and may wrap. The writer publishes a record by storing tail, the reader
/// frees it by storing head. The sleeping flags are half of an eventcount: a side about to
/// sleep sets its flag and then checks the counters again; the other side stores its
/// counter and then takes the flag (all seq_cst), so one of them always sees the other.
class ShmRing {
public:
    /// create makes the object name (O_EXCL, mode 0600), sizes and maps it. Throws
    /// Error(PvmSysErr) and leaves no object behind when something fails.
    static std::unique_ptr<ShmRing> create(const std::string& name, std::size_t capacity, int writerTid, int readerTid,
                                           int writerPid);
    /// attach maps the object name as its reader after checking its owner (this uid), its
    /// mode (0600), its size and its header (magic, tids). Throws Error(PvmSysErr) or
    /// Error(PvmBadMsg).
    static std::unique_ptr<ShmRing> attach(const std::string& name, int writerTid, int readerTid);
    /// unlink removes the name; the mappings stay valid. Errors are ignored.
    static void unlink(const std::string& name) noexcept;
    ~ShmRing();
    ShmRing(const ShmRing&) = delete;
    ShmRing& operator=(const ShmRing&) = delete;

    std::size_t capacity() const noexcept { return capacity_; }
    int writerPid() const noexcept;
    int readerPid() const noexcept;

    /// recordSpace is the ring space a record with length payload bytes takes.
    static std::size_t recordSpace(std::size_t length) noexcept {
        return (sizeof(RecordHeader) + length + 7) & ~std::size_t{7};
    }

    // Writer side.
    /// freeSpace is the number of bytes the writer may fill now.
    std::size_t freeSpace() const noexcept;
    /// write appends one record whose payload is the next header.length bytes of cursor
    /// and publishes it; the caller checked freeSpace() >= recordSpace(header.length).
    void write(const RecordHeader& header, SegmentCursor& cursor);
    /// takeReaderSleeping is true, once, when the reader went to sleep and needs a wake-up.
    bool takeReaderSleeping() noexcept;
    /// setWriterSleeping arms or disarms the writer's flag; armed, the reader wakes it
    /// after freeing space.
    void setWriterSleeping(bool sleeping) noexcept;
    /// closeWriter tells the reader that no more records will come.
    void closeWriter() noexcept;
    bool readerAttached() const noexcept;
    bool readerClosed() const noexcept;

    // Reader side.
    /// markAttached records the reader's pid; the writer may then rely on its wake FIFO.
    void markAttached(int readerPid) noexcept;
    /// closeReader tells the writer that nobody reads any more.
    void closeReader() noexcept;
    /// readable is true when a published record waits.
    bool readable() const noexcept;
    /// published is the writer's tail now (a snapshot to read up to).
    std::uint64_t published() const noexcept;
    std::uint64_t consumedUpTo() const noexcept { return head_; }
    /// peek returns the header of the next record below limit, or nullopt. Throws
    /// Error(PvmBadMsg) for a header that cannot be right.
    std::optional<RecordHeader> peek(std::uint64_t limit) const;
    /// consume copies the payload of the record peek returned to out (header.length
    /// bytes) and frees its space.
    void consume(const RecordHeader& header, std::byte* out) noexcept;
    /// takeWriterSleeping is true, once, when the writer waits for space.
    bool takeWriterSleeping() noexcept;
    /// setReaderSleeping arms or disarms the reader's flag.
    void setReaderSleeping(bool sleeping) noexcept;
    /// writerClosed is true once the writer has closed; read it before readable().
    bool writerClosed() const noexcept;

private:
    struct Shared;
    ShmRing(void* base, std::size_t mapped, std::size_t capacity);
    void copyIn(std::uint64_t position, const void* data, std::size_t size) noexcept;
    void copyOut(std::uint64_t position, void* out, std::size_t size) const noexcept;

    Shared* shared_;
    std::byte* data_;
    std::size_t mapped_;
    std::size_t capacity_;
    std::uint64_t tail_ = 0;  // the writer's own copy of tail
    std::uint64_t head_ = 0;  // the reader's own copy of head
};

}  // namespace pvm
