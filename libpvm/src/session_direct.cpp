// session_direct.cpp - the same-host direct route inside Session: when a message
// takes a ring, how a ring is announced, how arrivals from the daemon and the
// rings are merged in order, and the one wait that watches all of them.
//
// Ordering. A sender announces a ring with a kDirectRouteTag message through the
// daemon, behind everything it sent that way before, and the receiver reads the
// ring only once it has taken that announcement. collect() reads the rings it
// already had before the packets it drained from the socket (a packet such as
// the writer's exit notify tells of writes made before it), and a new ring right
// where its announcement stands.
#include <cstdio>
#include <exception>
#include <poll.h>
#include <sched.h>
#include <unistd.h>

#include "errors.h"
#include "pvm3.h"
#include "session.h"
#include "tid.h"

namespace pvm {

namespace {
/// kSpin is how long a wait looks at the rings and the daemon's socket before it sleeps: a
/// peer that is running may answer within it and spare both sides a wake-up.
constexpr auto kSpin = std::chrono::microseconds(40);
/// kSpinMax bounds the spin a task with rings learns from its recent waits: a peer that
/// answered in 150 us last time (a 1 MB reply) will likely do so again, and a sleep and a
/// wake-up cost both sides more on a virtual machine. A task waiting on the daemon alone
/// keeps kSpin: spinning longer there takes the core the daemon needs to answer it.
constexpr auto kSpinMax = std::chrono::microseconds(400);
/// kRingSlice is how long the rings are watched between two looks at the socket (and two
/// sched_yield calls). A system call costs 1-1.5 us on a virtual machine: with a look every
/// 2 us, a message on a ring often waited for one, and an 8 B round trip took 5-8 us, not 3.
/// The daemon's packets are seen up to kRingSlice later while a task spins on its rings.
constexpr auto kRingSlice = std::chrono::microseconds(20);
/// kAskAfter is how long a send blocked on a ring nobody has mapped waits before it asks
/// the daemon whether the reader still exists.
constexpr auto kAskAfter = std::chrono::milliseconds(500);
/// kLastWords is how long a task whose daemon has died still waits for what it sent before.
constexpr auto kLastWords = std::chrono::milliseconds(200);
}  // namespace

DirectLink* Session::directLinkTo(int dst, std::uint64_t bytes) {
    if (dst == tid_ || !isTaskTid(dst) || hostOf(dst) != hostOf(tid_)) return nullptr;
    if (direct_)
        if (DirectLink* link = direct_->find(dst)) return link->ring ? link : nullptr;
    if (route_ == PvmDontRoute) return nullptr;
    if (!direct_) direct_ = std::make_unique<DirectLinks>(tid_);
    // As in PVM, the option matters when a link is made; a ring, once made, stays in use.
    // PvmRouteDirect asks for a ring at once. At PvmAllowDirect (the default) a task answers
    // a peer that writes to it over a ring with a ring of the same size, as a link either
    // side asked for carries both directions in PVM, and a pair that has become busy gets a
    // small ring too: one host's data then goes through shared memory, not the daemon.
    bool asked = route_ == PvmRouteDirect;
    std::size_t capacity = kRingBytes;
    if (!asked) {
        if (direct_->unaskedRings() >= kMaxUnaskedRings) return nullptr;
        capacity = direct_->readsFrom(dst);
        if (capacity == 0 && direct_->busy(dst, bytes)) capacity = kBusyRingBytes;
        if (capacity == 0) return nullptr;
    }
    std::vector<TaskEntry> peer;
    {
        HandlersHeld held(*this);
        peer = tasks(dst);  // its pid: a writer must notice its death
    }
    if (peer.empty() || peer.front().pid <= 0) {
        direct_->useDaemon(dst);  // no such task: the daemon drops and logs, as before
        return nullptr;
    }
    DirectLink* link = nullptr;
    try {
        link = &direct_->open(dst, peer.front().pid, capacity, asked);
    } catch (const Error& e) {
        // Only a route the program asked for is worth a word; a busy pair just stays put.
        if (asked)
            std::fprintf(stderr, "libpvm [t%x]: no direct route to t%x, using the daemon: %s\n",
                         static_cast<unsigned>(tid_), static_cast<unsigned>(dst), e.what());
        direct_->useDaemon(dst);
        return nullptr;
    }
    MessageBuffer announcement(PvmDataRaw);
    announcement.packString(link->name.c_str());
    BodySendGuard guard;
    sendViaDaemon(dst, kDirectRouteTag, 0, announcement, announcement.segments(), guard);
    return link;
}

bool Session::sendDirect(const Buffer& buffer, const std::vector<Segment>& segments, int dst, int tag) {
    DirectLink* link = directLinkTo(dst, buffer.body.size());
    if (!link) return false;
    if (DirectLinks::readerLeft(*link)) {
        // Before any byte is written, the daemon route reports the loss in its log as usual.
        direct_->drop(*link);
        return false;
    }
    RecordHeader header;
    header.src = tid_;
    header.tag = tag;
    header.context = context_;
    header.encoding = buffer.body.encoding();
    header.total = buffer.body.size();
    OutgoingMessage message(header, segments);
    auto asked = std::chrono::steady_clock::now();
    while (!direct_->write(*link, message)) {
        bool gone = DirectLinks::peerGone(*link);
        // A reader that left PVM before it took the announcement never maps the ring, yet
        // its process may live on: ask the daemon about the task now and then.
        if (!gone && !link->ring->readerAttached() && std::chrono::steady_clock::now() - asked > kAskAfter) {
            HandlersHeld held(*this);
            gone = pstat(dst) != PvmOk;
            asked = std::chrono::steady_clock::now();
        }
        if (gone) {
            // A message to a task that has gone is lost whatever the route; pvm_send still succeeds.
            direct_->drop(*link);
            return true;
        }
        // Take what comes in meanwhile, so two tasks sending to each other never deadlock.
        collect();
        sleep(link->ring->readerAttached() ? -1 : static_cast<int>(kAskAfter.count()), link);
    }
    return true;
}

bool Session::routeNotice(Buffer& notice) {
    std::string text;
    try {
        text = notice.body.unpackString();
    } catch (const Error&) {
        return false;  // not from a library of ours: ignore it
    }
    if (text.rfind("tcp-", 0) == 0) {
        remoteNotice(notice.src, text);
        return false;
    }
    return attachRing(notice.src, text);
}

bool Session::attachRing(int src, const std::string& name) {
    if (!isTaskTid(src) || src == tid_ || hostOf(src) != hostOf(tid_)) return false;
    try {
        if (!direct_) direct_ = std::make_unique<DirectLinks>(tid_);
        direct_->attach(src, name);
        return true;
    } catch (const Error& e) {
        std::fprintf(stderr, "libpvm [t%x]: cannot take the direct route from t%x: %s\n", static_cast<unsigned>(tid_),
                     static_cast<unsigned>(src), e.what());
        return false;
    }
}

bool Session::collect() {
    std::vector<Incoming> packets;
    try {
        while (auto in = link_->tryReceive()) packets.push_back(std::move(*in));
    } catch (const Error&) {
        leave();  // the daemon is gone: the next call enrolls afresh
        throw;
    }
    bool got = !packets.empty();
    // What the cross-host links hold was written before anything the daemon drained now
    // could tell of (the writer's exit, say), so it comes first, like the rings.
    if (remote_ && takeFromLinks()) got = true;
    auto deliver = [this](std::unique_ptr<Buffer> buffer) { arrive(std::move(buffer)); };
    if (direct_) {
        direct_->beginCollect();
        if (direct_->readRings(deliver)) got = true;
    }
    // A bad packet must not cost the ones drained after it: its error comes after them.
    std::exception_ptr bad;
    for (auto& in : packets) {
        try {
            if (accept(std::move(in)) && direct_->readRings(deliver)) got = true;
        } catch (const Error&) {
            if (!bad) bad = std::current_exception();
        }
    }
    if (direct_) direct_->endCollect();
    if (bad) std::rethrow_exception(bad);
    return got;
}

void Session::sleep(int timeoutMs, DirectLink* blocked) {
    // Spin first: a peer or daemon that is running answers within microseconds, and waking
    // a sleeping process costs more than that on a virtual machine. The rings are looked at
    // between system calls; an idle task spends kSpin (or kSpinMax) once and then sleeps.
    auto started = std::chrono::steady_clock::now();
    if (spinFor_.count() == 0) spinFor_ = kSpin;
    if (timeoutMs != 0) {
        auto end = started + (direct_ && direct_->watching(blocked) ? spinFor_ : kSpin);
        do {
            if (direct_ && direct_->spin(blocked, kRingSlice)) return;
            if (link_->hasFreshInput() || (remote_ && remote_->inboxHasInput())) return;
            sched_yield();  // on a busy machine, the process we wait for may need this core
        } while (std::chrono::steady_clock::now() < end);
    }
    sleepUntilReady(timeoutMs, blocked);
    // A wait that ended soon after the spin gave up would have been spared its wake-up by a
    // longer spin; one much longer is a task with nothing to do, which should not spin.
    auto waited = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    spinFor_ = waited < kSpinMax ? std::min(kSpinMax, waited + waited / 4) : kSpin;
}

void Session::sleepUntilReady(int timeoutMs, DirectLink* blocked) {
    if (direct_ && !direct_->arm(blocked)) return;
    // The eventcount: with the flags up, anything a peer publishes from now on writes to
    // the FIFO, and bytes the link has already read do not show on its socket: look once more.
    bool daemonDied = link_->closed();
    if (!daemonDied && !link_->hasInput() && !(remote_ && remote_->inboxHasInput())) {
        pollfd fds[5];
        nfds_t n = 0;
        fds[n++] = {link_->eventFd(), POLLIN, 0};
        int daemonFd = link_->daemonPidfd();
        if (daemonFd >= 0) fds[n++] = {daemonFd, POLLIN, 0};
        int wakeFd = direct_ ? direct_->wakeFd() : -1;
        if (wakeFd >= 0) fds[n++] = {wakeFd, POLLIN, 0};
        int peerFd = blocked ? blocked->peerPidfd : -1;
        if (peerFd >= 0) fds[n++] = {peerFd, POLLIN, 0};
        int inboxFd = remote_ ? remote_->inboxFd() : -1;
        if (inboxFd >= 0) fds[n++] = {inboxFd, POLLIN, 0};
        // Without pidfds, wake up now and then to notice a dead daemon or reader.
        int wait = timeoutMs;
        int cap = daemonFd < 0 ? 1000 : (blocked && peerFd < 0) ? 100 : -1;
        if (cap >= 0 && (wait < 0 || wait > cap)) wait = cap;
        int ready = poll(fds, n, wait);
        if (ready > 0 && (fds[0].revents & POLLIN)) link_->noteReadable();
        bool pidfdSaysExited = daemonFd >= 0 && ready > 0 && (fds[1].revents & POLLIN) != 0;
        daemonDied = (daemonFd < 0 || pidfdSaysExited) && !link_->daemonAlive();
    }
    if (direct_) direct_->disarm(blocked);
    if (daemonDied) daemonGone();
}

void Session::daemonGone() {
    // The daemon may have answered just before it ended (the reply to pvm_halt, say): those
    // bytes can still be on their way. Give them a moment, and fail only when nothing more
    // comes.
    auto end = std::chrono::steady_clock::now() + kLastWords;
    while (!link_->closed()) {  // a closed connection has given all it had
        if (link_->hasInput()) return;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{link_->eventFd(), POLLIN, 0};
        poll(&p, 1, static_cast<int>(left.count()));
    }
    leave();
    throw Error(PvmSysErr, "pvmd has exited");
}

}  // namespace pvm
