// direct_links.h - the same-host direct route: a shared-memory
// ring to each peer this task sends to directly, the rings peers opened to it,
// and the wake FIFO both directions sleep on. Session decides when to use a ring
// and how to wait (session_direct.cpp); this file moves the messages.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "buffer_table.h"
#include "shm_ring.h"
#include "wake_fifo.h"

namespace pvm {

/// kRingBytes is the data area of a ring asked for with PvmRouteDirect. Bigger messages go
/// in chunks.
constexpr std::size_t kRingBytes = std::size_t{2} << 20;
/// kBusyRingBytes is the data area of a ring made without being asked for, for a busy pair
/// (PvmAllowDirect, the default): small, because every such ring holds its memory.
constexpr std::size_t kBusyRingBytes = std::size_t{256} << 10;
/// A pair is busy once kBusyMessages messages or kBusyBytes bytes went to the peer through
/// the daemon: one-off messages (a spawned task's "ready", say) cost no ring.
constexpr unsigned kBusyMessages = 8;
constexpr std::uint64_t kBusyBytes = std::uint64_t{1} << 20;
/// kMaxUnaskedRings bounds the rings a task makes without PvmRouteDirect: each holds its
/// memory and two descriptors, and a task with many peers must keep both for its own use.
constexpr std::size_t kMaxUnaskedRings = 32;

/// DirectLink is this task's sending side of the direct route to one peer.
struct DirectLink {
    DirectLink(int peer, int peerPid);
    ~DirectLink();
    DirectLink(const DirectLink&) = delete;
    DirectLink& operator=(const DirectLink&) = delete;

    int peer;
    int peerPid;
    int peerPidfd = -1;                // readable once the peer's process has ended
    std::string name;                  // of the shared-memory object
    std::unique_ptr<ShmRing> ring;     // null: messages to peer take the daemon route
    std::unique_ptr<WakeTarget> wake;  // the peer's FIFO
    std::size_t need = 0;              // ring space a blocked send waits for
};

/// OutgoingMessage is one message being written into a ring, perhaps in several records.
struct OutgoingMessage {
    OutgoingMessage(const RecordHeader& h, const std::vector<Segment>& segments) : header(h), cursor(segments) {}
    RecordHeader header;  // src, tag, context, encoding and total; length and flags per record
    SegmentCursor cursor;
    std::uint64_t written = 0;
    bool started = false;
};

/// DirectLinks holds every ring of the task and its wake FIFO.
class DirectLinks {
public:
    explicit DirectLinks(int tid) : tid_(tid) {}
    /// ~DirectLinks closes every ring (so peers stop waiting on this task), unmaps them
    /// and removes the FIFO. A ring whose reader never mapped it and has died is unlinked.
    ~DirectLinks();
    DirectLinks(const DirectLinks&) = delete;
    DirectLinks& operator=(const DirectLinks&) = delete;

    // Sending.
    /// find gives the link to peer made earlier, with or without a ring, or null.
    DirectLink* find(int peer);
    /// open makes a ring of capacity bytes to peer, a task running as process peerPid;
    /// asked says PvmRouteDirect wanted it (see unaskedRings). The caller announces link.name
    /// to the peer before the first write. Throws Error(PvmSysErr).
    DirectLink& open(int peer, int peerPid, std::size_t capacity, bool asked);
    /// busy counts a message of bytes to peer through the daemon and is true once the pair
    /// is busy (kBusyMessages, kBusyBytes).
    bool busy(int peer, std::uint64_t bytes);
    /// unaskedRings is how many rings this task made without PvmRouteDirect.
    std::size_t unaskedRings() const { return unasked_; }
    /// useDaemon remembers that messages to peer take the daemon route.
    void useDaemon(int peer);
    /// write puts as much of message into the ring as fits now, waking the reader when it
    /// sleeps; true once all of it is in. On false, link.need is the space to wait for.
    bool write(DirectLink& link, OutgoingMessage& message);
    /// readerLeft is true when the peer has closed its side (left PVM); a cheap check.
    static bool readerLeft(const DirectLink& link) { return link.ring->readerClosed(); }
    /// peerGone is readerLeft, or the peer's process has ended.
    static bool peerGone(const DirectLink& link);
    /// drop gives up link's ring: later messages to the peer take the daemon route.
    void drop(DirectLink& link);
    /// abandonUnread removes the names of the rings no reader has mapped yet: after pvm_halt
    /// no reader is left to map them, and nobody else would remove them.
    void abandonUnread();

    // Receiving.
    /// attach maps the ring peer announced under name, then removes the name: from now on
    /// only the two tasks hold it. Throws Error(PvmBadMsg) or Error(PvmSysErr).
    void attach(int peer, const std::string& name);
    /// readRings hands deliver every complete message the attached rings hold now, one
    /// message from each ring in turn; true when there was one. A ring whose writer has
    /// closed is let go once empty; a corrupt one is let go at once, with a warning.
    bool readRings(const std::function<void(std::unique_ptr<Buffer>)>& deliver);
    /// readsFrom is the capacity of the ring peer writes to this task over, or 0 when there
    /// is none.
    std::size_t readsFrom(int peer) const;

    // Waiting: see Session::sleep.
    /// ready is true when an attached ring holds a record, or when blocked has the space it
    /// needs or has lost its reader.
    bool ready(const DirectLink* blocked) const;
    /// spin polls ready() for up to limit, when there is a ring to look at.
    bool spin(const DirectLink* blocked, std::chrono::nanoseconds limit) const;
    /// watching is true when there is a ring to look at: one to read, or blocked's.
    bool watching(const DirectLink* blocked) const noexcept { return !inbound_.empty() || blocked; }
    /// arm raises the sleeping flags (reader of every attached ring, writer of blocked),
    /// then looks again. It returns false, flags lowered, when something is ready: the
    /// caller must not sleep. Peers that publish after arm write to the FIFO.
    bool arm(DirectLink* blocked);
    /// disarm lowers the flags after the sleep and empties the FIFO.
    void disarm(DirectLink* blocked);
    /// wakeFd is the FIFO to poll while asleep, or -1 when there is none yet.
    int wakeFd() const { return fifo_ ? fifo_->fd() : -1; }

    // An event descriptor for pvm_getfds, readable when a packet or a record may wait.
    /// eventFd gives an epoll descriptor over socketFd and the FIFO. From then on the
    /// reader flags stay up between calls, so a peer's next record pokes the FIFO.
    /// Throws Error(PvmSysErr).
    int eventFd(int socketFd);
    /// watch adds fd (the cross-host inbox) to the event descriptor, once it exists.
    void watch(int fd);
    /// beginCollect empties the FIFO before the rings are read (with an event descriptor).
    void beginCollect();
    /// pokeEvent makes the event descriptor readable (when there is one), for input it cannot
    /// see: what the daemon link took in during a send.
    void pokeEvent() {
        if (epoll_ >= 0) fifo().poke();
    }
    /// endCollect raises the reader flags again and, when a record already waits, pokes the
    /// FIFO so the event descriptor stays readable (with an event descriptor).
    void endCollect();

private:
    /// InboundRing is a ring a peer writes to us, with the message being reassembled.
    struct InboundRing {
        int peer = 0;
        std::unique_ptr<ShmRing> ring;
        std::unique_ptr<WakeTarget> wake;  // the writer's FIFO
        bool broken = false;
        RecordHeader first;               // header of the message being reassembled
        std::shared_ptr<std::byte> body;  // its bytes, allocated at its first record
        std::uint64_t filled = 0;
        bool partial = false;
        bool writerDead = false;  // its process has ended without closing the ring
    };
    /// kWriterCheckEvery is how often readRings looks whether the writers still live.
    static constexpr std::chrono::seconds kWriterCheckEvery{1};
    std::chrono::steady_clock::time_point nextWriterCheck_{};
    WakeFifo& fifo();
    std::unique_ptr<Buffer> readMessage(InboundRing& in, std::uint64_t limit);

    int tid_;
    std::unique_ptr<WakeFifo> fifo_;
    std::map<int, std::unique_ptr<DirectLink>> links_;
    std::vector<std::unique_ptr<InboundRing>> inbound_;
    std::size_t nextInbound_ = 0;  // where readRings starts, so no ring is always last
    int epoll_ = -1;               // eventFd(), or -1
    std::set<int> watched_;        // descriptors added to epoll_ by watch()
    /// PairTraffic is what went to one peer through the daemon so far.
    struct PairTraffic {
        unsigned messages = 0;
        std::uint64_t bytes = 0;
    };
    std::map<int, PairTraffic> traffic_;  // peers without a link yet
    std::size_t unasked_ = 0;
};

}  // namespace pvm
