// shm_ring.cpp - the shared-memory ring: layout, mapping and record copies.
#include "shm_ring.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <new>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

namespace {
constexpr std::uint64_t kMagic = 0x676e69524d5650ull;  // "PVMRing"
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHeaderBytes = 4096;
constexpr std::size_t kMinCapacity = 4096;
constexpr std::size_t kMaxCapacity = std::size_t{1} << 30;

bool powerOfTwo(std::size_t n) { return n != 0 && (n & (n - 1)) == 0; }

std::string sysError(const std::string& what, const std::string& name) {
    return what + " " + name + ": " + std::strerror(errno);
}

/// Fd closes a descriptor when the scope ends.
struct Fd {
    int fd;
    ~Fd() {
        if (fd >= 0) close(fd);
    }
};
}  // namespace

// Shared is the header page. Each counter has its own cache line, with the flags its
// owner's peer reads next to it.
struct ShmRing::Shared {
    std::uint64_t magic;
    std::uint32_t version;
    std::uint32_t headerBytes;
    std::uint64_t capacity;
    std::int32_t writerTid;
    std::int32_t readerTid;
    std::int32_t writerPid;
    std::atomic<std::int32_t> readerPid;
    alignas(64) std::atomic<std::uint64_t> tail;  // written by the writer
    std::atomic<std::uint32_t> writerSleeping;
    std::atomic<std::uint32_t> writerClosed;
    alignas(64) std::atomic<std::uint64_t> head;  // written by the reader
    std::atomic<std::uint32_t> readerSleeping;
    std::atomic<std::uint32_t> readerAttached;
    std::atomic<std::uint32_t> readerClosed;
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free && std::atomic<std::uint32_t>::is_always_lock_free,
              "ring counters are shared between processes and must be lock-free");

void SegmentCursor::copyTo(std::byte* out, std::size_t size) {
    while (size > 0) {
        const Segment& s = segments_[index_];
        std::size_t n = std::min(size, s.size - offset_);
        std::memcpy(out, s.data + offset_, n);
        out += n;
        size -= n;
        offset_ += n;
        if (offset_ == s.size) {
            ++index_;
            offset_ = 0;
        }
    }
}

ShmRing::ShmRing(void* base, std::size_t mapped, std::size_t capacity)
    : shared_(static_cast<Shared*>(base)),
      data_(static_cast<std::byte*>(base) + kHeaderBytes),
      mapped_(mapped),
      capacity_(capacity) {
    static_assert(sizeof(Shared) <= kHeaderBytes);
}

ShmRing::~ShmRing() { munmap(shared_, mapped_); }

std::unique_ptr<ShmRing> ShmRing::create(const std::string& name, std::size_t capacity, int writerTid, int readerTid,
                                         int writerPid) {
    PVM_REQUIRE(powerOfTwo(capacity) && capacity >= kMinCapacity && capacity <= kMaxCapacity, PvmBadParam,
                "ring capacity " + std::to_string(capacity));
    Fd fd{shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
    if (fd.fd < 0) throw Error(PvmSysErr, sysError("cannot create", name));
    std::size_t mapped = kHeaderBytes + capacity;
    void* base = MAP_FAILED;
    // The pages are taken now: a /dev/shm too small for them (64 MB in a default container)
    // fails here, and the task keeps the daemon route, instead of a SIGBUS on a later write.
    if (fchmod(fd.fd, 0600) == 0 && ftruncate(fd.fd, static_cast<off_t>(mapped)) == 0) {
        if (int err = posix_fallocate(fd.fd, 0, static_cast<off_t>(mapped)); err != 0)
            errno = err;
        else
            base = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_SHARED, fd.fd, 0);
    }
    if (base == MAP_FAILED) {
        std::string why = sysError("cannot map", name);
        unlink(name);
        throw Error(PvmSysErr, why);
    }
    auto* shared = new (base) Shared{};
    shared->magic = kMagic;
    shared->version = kVersion;
    shared->headerBytes = kHeaderBytes;
    shared->capacity = capacity;
    shared->writerTid = writerTid;
    shared->readerTid = readerTid;
    shared->writerPid = writerPid;
    return std::unique_ptr<ShmRing>(new ShmRing(base, mapped, capacity));
}

std::unique_ptr<ShmRing> ShmRing::attach(const std::string& name, int writerTid, int readerTid) {
    Fd fd{shm_open(name.c_str(), O_RDWR | O_CLOEXEC, 0)};
    if (fd.fd < 0) throw Error(PvmSysErr, sysError("cannot open", name));
    struct stat st {};
    if (fstat(fd.fd, &st) != 0) throw Error(PvmSysErr, sysError("cannot stat", name));
    // Only a ring of this user that nobody else can touch is trusted with our messages.
    PVM_REQUIRE(st.st_uid == geteuid() && (st.st_mode & 0777) == 0600, PvmBadMsg,
                name + " does not belong to this user with mode 0600");
    auto size = static_cast<std::size_t>(st.st_size);
    PVM_REQUIRE(size > kHeaderBytes && powerOfTwo(size - kHeaderBytes) && size - kHeaderBytes >= kMinCapacity &&
                    size - kHeaderBytes <= kMaxCapacity,
                PvmBadMsg, name + " has a bad size");
    void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd.fd, 0);
    if (base == MAP_FAILED) throw Error(PvmSysErr, sysError("cannot map", name));
    std::unique_ptr<ShmRing> ring(new ShmRing(base, size, size - kHeaderBytes));
    const Shared& s = *ring->shared_;
    PVM_REQUIRE(s.magic == kMagic && s.version == kVersion && s.headerBytes == kHeaderBytes &&
                    s.capacity == ring->capacity_ && s.writerTid == writerTid && s.readerTid == readerTid,
                PvmBadMsg, name + " has a bad header");
    ring->head_ = ring->shared_->head.load();
    PVM_REQUIRE(ring->head_ == 0, PvmBadMsg, name + " was read before");
    return ring;
}

void ShmRing::unlink(const std::string& name) noexcept { shm_unlink(name.c_str()); }

int ShmRing::writerPid() const noexcept { return shared_->writerPid; }
int ShmRing::readerPid() const noexcept { return shared_->readerPid.load(); }

void ShmRing::copyIn(std::uint64_t position, const void* data, std::size_t size) noexcept {
    std::size_t at = position & (capacity_ - 1);
    std::size_t first = std::min(size, capacity_ - at);
    std::memcpy(data_ + at, data, first);
    std::memcpy(data_, static_cast<const std::byte*>(data) + first, size - first);
}

void ShmRing::copyOut(std::uint64_t position, void* out, std::size_t size) const noexcept {
    std::size_t at = position & (capacity_ - 1);
    std::size_t first = std::min(size, capacity_ - at);
    std::memcpy(out, data_ + at, first);
    std::memcpy(static_cast<std::byte*>(out) + first, data_, size - first);
}

std::size_t ShmRing::freeSpace() const noexcept { return capacity_ - (tail_ - shared_->head.load()); }

void ShmRing::write(const RecordHeader& header, SegmentCursor& cursor) {
    copyIn(tail_, &header, sizeof header);
    std::size_t at = (tail_ + sizeof header) & (capacity_ - 1);
    std::size_t first = std::min<std::size_t>(header.length, capacity_ - at);
    cursor.copyTo(data_ + at, first);
    cursor.copyTo(data_, header.length - first);
    tail_ += recordSpace(header.length);
    shared_->tail.store(tail_);
}

bool ShmRing::takeReaderSleeping() noexcept {
    return shared_->readerSleeping.load() != 0 && shared_->readerSleeping.exchange(0) != 0;
}

void ShmRing::setWriterSleeping(bool sleeping) noexcept { shared_->writerSleeping.store(sleeping ? 1 : 0); }
void ShmRing::closeWriter() noexcept { shared_->writerClosed.store(1); }
bool ShmRing::readerAttached() const noexcept { return shared_->readerAttached.load() != 0; }
bool ShmRing::readerClosed() const noexcept { return shared_->readerClosed.load() != 0; }

void ShmRing::markAttached(int readerPid) noexcept {
    shared_->readerPid.store(readerPid);
    shared_->readerAttached.store(1);
}

void ShmRing::closeReader() noexcept { shared_->readerClosed.store(1); }
bool ShmRing::readable() const noexcept { return shared_->tail.load() != head_; }
std::uint64_t ShmRing::published() const noexcept { return shared_->tail.load(); }
bool ShmRing::writerClosed() const noexcept { return shared_->writerClosed.load() != 0; }

std::optional<RecordHeader> ShmRing::peek(std::uint64_t limit) const {
    if (limit == head_) return std::nullopt;
    PVM_REQUIRE(limit - head_ <= capacity_ && limit - head_ >= sizeof(RecordHeader), PvmBadMsg,
                "ring counters out of range");
    RecordHeader h;
    copyOut(head_, &h, sizeof h);
    PVM_REQUIRE(h.length <= capacity_ - sizeof h && recordSpace(h.length) <= limit - head_ &&
                    (h.flags & ~(kFirstChunk | kLastChunk)) == 0 && h.total >= h.length,
                PvmBadMsg, "bad record in ring");
    return h;
}

void ShmRing::consume(const RecordHeader& header, std::byte* out) noexcept {
    if (header.length != 0) copyOut(head_ + sizeof header, out, header.length);
    head_ += recordSpace(header.length);
    shared_->head.store(head_);
}

bool ShmRing::takeWriterSleeping() noexcept {
    return shared_->writerSleeping.load() != 0 && shared_->writerSleeping.exchange(0) != 0;
}

void ShmRing::setReaderSleeping(bool sleeping) noexcept { shared_->readerSleeping.store(sleeping ? 1 : 0); }

}  // namespace pvm
