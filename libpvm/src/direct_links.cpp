// direct_links.cpp - rings to and from peers on this host: making and naming
// them, writing messages in chunks, reassembling them, and the sleeping flags.
#include "direct_links.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "errors.h"
#include "ring_names.h"
#include "pvm3.h"

namespace pvm {

namespace {
/// kMaxMessageBytes bounds what a ring header may ask the reader to allocate.
constexpr std::uint64_t kMaxMessageBytes = std::uint64_t{1} << 40;

int pidfdOpen(int pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}
}  // namespace

DirectLink::DirectLink(int p, int pid) : peer(p), peerPid(pid) {}

DirectLink::~DirectLink() {
    if (peerPidfd >= 0) close(peerPidfd);
}

DirectLinks::~DirectLinks() {
    for (auto& [peer, link] : links_) {
        if (!link->ring) continue;
        link->ring->closeWriter();
        if (link->ring->takeReaderSleeping()) link->wake->wake();
        // A live reader that has not mapped the ring yet still will, and then removes it.
        if (!link->ring->readerAttached() && processGone(link->peerPid)) ShmRing::unlink(link->name);
    }
    for (auto& in : inbound_) {
        in->ring->closeReader();
        if (in->ring->takeWriterSleeping()) in->wake->wake();
    }
    if (epoll_ >= 0) close(epoll_);
}

void DirectLinks::abandonUnread() {
    for (auto& [peer, link] : links_)
        if (link->ring && !link->ring->readerAttached()) ShmRing::unlink(link->name);
}

WakeFifo& DirectLinks::fifo() {
    if (!fifo_) fifo_ = std::make_unique<WakeFifo>(tid_);
    return *fifo_;
}

DirectLink* DirectLinks::find(int peer) {
    auto it = links_.find(peer);
    return it == links_.end() ? nullptr : it->second.get();
}

DirectLink& DirectLinks::open(int peer, int peerPid, std::size_t capacity, bool asked) {
    fifo();  // a blocked writer sleeps on it
    removeStaleRings();
    auto link = std::make_unique<DirectLink>(peer, peerPid);
    link->name = ringName(tid_, peer, getpid(), peerPid);
    link->ring = ShmRing::create(link->name, capacity, tid_, peer, getpid());
    traffic_.erase(peer);
    if (!asked) ++unasked_;
    link->peerPidfd = pidfdOpen(peerPid);
    link->wake = std::make_unique<WakeTarget>(peer, peerPid);
    auto& slot = links_[peer];
    slot = std::move(link);
    return *slot;
}

void DirectLinks::useDaemon(int peer) {
    traffic_.erase(peer);
    links_[peer] = std::make_unique<DirectLink>(peer, 0);
}

bool DirectLinks::busy(int peer, std::uint64_t bytes) {
    // Peers that never became busy are forgotten now and then, so a long-lived master that
    // talks to many short-lived tasks keeps no record of them all.
    if (traffic_.size() >= 4096 && !traffic_.contains(peer)) traffic_.clear();
    PairTraffic& t = traffic_[peer];
    ++t.messages;
    t.bytes += bytes;
    return t.messages >= kBusyMessages || t.bytes >= kBusyBytes;
}

bool DirectLinks::write(DirectLink& link, OutgoingMessage& message) {
    ShmRing& ring = *link.ring;
    // Chunks of a quarter ring let the reader copy one out while the writer fills the next;
    // waiting for a sixteenth at least keeps chunks from getting tiny when the ring is full.
    const std::size_t maxChunk = ring.capacity() / 4, minChunk = ring.capacity() / 16;
    for (;;) {
        std::uint64_t left = message.header.total - message.written;
        if (message.started && left == 0) return true;
        std::size_t free = ring.freeSpace();
        std::size_t need = ShmRing::recordSpace(static_cast<std::size_t>(std::min<std::uint64_t>(left, minChunk)));
        if (free < need) {
            link.need = need;
            return false;
        }
        auto length = static_cast<std::size_t>(std::min<std::uint64_t>({left, maxChunk, free - sizeof(RecordHeader)}));
        RecordHeader h = message.header;
        h.length = static_cast<std::uint32_t>(length);
        h.flags = (message.started ? 0 : kFirstChunk) | (length == left ? kLastChunk : 0);
        ring.write(h, message.cursor);
        message.written += length;
        message.started = true;
        if (ring.takeReaderSleeping()) link.wake->wake();
    }
}

bool DirectLinks::peerGone(const DirectLink& link) {
    if (link.ring->readerClosed()) return true;
    if (link.peerPidfd < 0) return processGone(link.peerPid);
    pollfd p{link.peerPidfd, POLLIN, 0};
    return poll(&p, 1, 0) > 0;
}

void DirectLinks::drop(DirectLink& link) {
    if (!link.ring) return;
    link.ring->closeWriter();
    ShmRing::unlink(link.name);  // a reader that never mapped it never will
    link.ring.reset();
    if (link.peerPidfd >= 0) close(link.peerPidfd);
    link.peerPidfd = -1;
}

void DirectLinks::attach(int peer, const std::string& name) {
    std::string prefix = "/pvm." + std::to_string(getuid()) + ".";
    PVM_REQUIRE(name.size() < 128 && name.starts_with(prefix) && name.find('/', 1) == std::string::npos, PvmBadMsg,
                "bad ring name " + name);
    fifo();  // before the writer may see this task asleep
    std::unique_ptr<ShmRing> ring;
    try {
        ring = ShmRing::attach(name, peer, tid_);
    } catch (...) {
        ShmRing::unlink(name);
        throw;
    }
    ShmRing::unlink(name);  // both sides have it mapped now
    auto in = std::make_unique<InboundRing>();
    in->peer = peer;
    in->wake = std::make_unique<WakeTarget>(peer, ring->writerPid());
    ring->markAttached(getpid());
    in->ring = std::move(ring);
    inbound_.push_back(std::move(in));
}

std::unique_ptr<Buffer> DirectLinks::readMessage(InboundRing& in, std::uint64_t limit) {
    while (auto h = in.ring->peek(limit)) {
        PVM_REQUIRE(h->src == in.peer, PvmBadMsg, "record from the wrong task");
        if (h->flags & kFirstChunk) {
            PVM_REQUIRE(!in.partial && h->total <= kMaxMessageBytes, PvmBadMsg, "unexpected first chunk");
            // The whole body in one allocation: chunks are copied once, straight into place. A
            // size this process cannot hold breaks this route only (the caller drops it), never
            // the task: an escaping bad_alloc would lose what was already read.
            try {
                in.body = h->total == 0
                              ? nullptr
                              : std::shared_ptr<std::byte>(new std::byte[h->total], std::default_delete<std::byte[]>());
            } catch (const std::bad_alloc&) {
                throw Error(PvmNoMem, "a message of " + std::to_string(h->total) + " bytes");
            }
            in.first = *h;
            in.filled = 0;
            in.partial = true;
        } else {
            PVM_REQUIRE(in.partial && h->total == in.first.total, PvmBadMsg, "chunk without its message");
        }
        PVM_REQUIRE(h->length <= in.first.total - in.filled, PvmBadMsg, "chunk beyond its message");
        in.ring->consume(*h, in.body.get() + in.filled);
        in.filled += h->length;
        if (in.ring->takeWriterSleeping()) in.wake->wake();
        if (h->flags & kLastChunk) {
            PVM_REQUIRE(in.filled == in.first.total, PvmBadMsg, "message shorter than announced");
            in.partial = false;
            std::vector<Segment> segments;
            if (in.filled != 0) {
                const std::byte* data = in.body.get();
                segments.push_back({std::move(in.body), data, static_cast<std::size_t>(in.filled)});
            }
            auto buffer = std::make_unique<Buffer>(MessageBuffer::fromSegments(in.first.encoding, std::move(segments)));
            buffer->src = in.first.src;
            buffer->dst = tid_;
            buffer->tag = in.first.tag;
            buffer->context = in.first.context;
            return buffer;
        }
    }
    return nullptr;
}

std::size_t DirectLinks::readsFrom(int peer) const {
    for (const auto& in : inbound_)
        if (in->peer == peer && !in->broken) return in->ring->capacity();
    return 0;
}

bool DirectLinks::readRings(const std::function<void(std::unique_ptr<Buffer>)>& deliver) {
    if (inbound_.empty()) return false;
    // A writer killed without closing its ring (SIGKILL) would leave it mapped here until
    // this task ends: now and then, look whether the writers still live. What a dead writer
    // published is read below like any other; then its ring goes, a half message with it.
    if (auto now = std::chrono::steady_clock::now(); now >= nextWriterCheck_) {
        nextWriterCheck_ = now + kWriterCheckEvery;
        for (auto& in : inbound_)
            if (!in->writerDead && processGone(in->ring->writerPid())) in->writerDead = true;
    }
    // Read up to what is published now: a writer that keeps writing cannot keep us here.
    // closed is read before the limit, so a closed ring read up to its limit is finished.
    std::size_t n = inbound_.size();
    std::vector<std::pair<std::uint64_t, bool>> limits(n);
    for (std::size_t i = 0; i < n; ++i) {
        bool closed = inbound_[i]->ring->writerClosed();
        limits[i] = {inbound_[i]->ring->published(), closed};
    }
    bool any = false;
    for (bool progress = true; progress;) {
        progress = false;
        for (std::size_t k = 0; k < n; ++k) {
            std::size_t i = (nextInbound_ + k) % n;
            InboundRing& in = *inbound_[i];
            if (in.broken) continue;
            try {
                if (auto buffer = readMessage(in, limits[i].first)) {
                    deliver(std::move(buffer));
                    any = progress = true;
                }
            } catch (const Error& e) {
                std::fprintf(stderr, "libpvm [t%x]: dropped the direct route from t%x: %s\n",
                             static_cast<unsigned>(tid_), static_cast<unsigned>(in.peer), e.what());
                in.broken = true;
                in.ring->closeReader();  // its writer falls back to the daemon route
                if (in.ring->takeWriterSleeping()) in.wake->wake();
            }
        }
    }
    nextInbound_ = (nextInbound_ + 1) % n;
    std::size_t i = 0;
    std::erase_if(inbound_, [&](const std::unique_ptr<InboundRing>& in) {
        auto [limit, closed] = limits[i++];
        bool finished = in->ring->consumedUpTo() == limit;
        return in->broken || (closed && !in->partial && finished) || (in->writerDead && finished);
    });
    return any;
}

bool DirectLinks::ready(const DirectLink* blocked) const {
    for (const auto& in : inbound_)
        if (!in->broken && in->ring->readable()) return true;
    return blocked && blocked->ring && (blocked->ring->freeSpace() >= blocked->need || blocked->ring->readerClosed());
}

bool DirectLinks::spin(const DirectLink* blocked, std::chrono::nanoseconds limit) const {
    if (!watching(blocked)) return false;
    auto end = std::chrono::steady_clock::now() + limit;
    for (;;) {
        for (int i = 0; i < 16; ++i) {
            if (ready(blocked)) return true;
            cpuRelax();
        }
        if (std::chrono::steady_clock::now() >= end) return false;
    }
}

bool DirectLinks::arm(DirectLink* blocked) {
    for (auto& in : inbound_) in->ring->setReaderSleeping(true);
    if (blocked && blocked->ring) blocked->ring->setWriterSleeping(true);
    if (!ready(blocked)) return true;
    disarm(blocked);
    return false;
}

void DirectLinks::disarm(DirectLink* blocked) {
    if (epoll_ < 0)
        for (auto& in : inbound_) in->ring->setReaderSleeping(false);
    if (blocked && blocked->ring) blocked->ring->setWriterSleeping(false);
    if (fifo_) fifo_->drain();
}

int DirectLinks::eventFd(int socketFd) {
    if (epoll_ >= 0) return epoll_;
    int fd = epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0) throw Error(PvmSysErr, std::string("epoll_create1: ") + std::strerror(errno));
    epoll_event socketEvent{}, fifoEvent{};
    socketEvent.events = fifoEvent.events = EPOLLIN;
    socketEvent.data.fd = socketFd;
    fifoEvent.data.fd = fifo().fd();
    if (epoll_ctl(fd, EPOLL_CTL_ADD, socketFd, &socketEvent) != 0 ||
        epoll_ctl(fd, EPOLL_CTL_ADD, fifoEvent.data.fd, &fifoEvent) != 0) {
        std::string why = std::strerror(errno);
        close(fd);
        throw Error(PvmSysErr, "epoll_ctl: " + why);
    }
    epoll_ = fd;
    endCollect();
    return epoll_;
}

void DirectLinks::watch(int fd) {
    if (epoll_ < 0 || watched_.count(fd)) return;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event) == 0) watched_.insert(fd);
}

void DirectLinks::beginCollect() {
    if (epoll_ >= 0) fifo_->drain();
}

void DirectLinks::endCollect() {
    if (epoll_ < 0) return;
    for (auto& in : inbound_) in->ring->setReaderSleeping(true);
    if (ready(nullptr)) fifo_->poke();
}

}  // namespace pvm
