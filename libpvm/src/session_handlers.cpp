// session_handlers.cpp - message handlers (pvm_addmhf), contexts, pvm_recvf's match
// function, messages packed inside messages (pvm_pkmesg, pvm_upkmesg), and the tasks
// that asked not to be reset.
#include <cstring>

#include "errors.h"
#include "pvm3.h"
#include "session.h"
#include "tid.h"

namespace pvm {

namespace {
/// kNoResetClass is the mailbox name under which PvmNoReset tasks are listed, as in PVM.
constexpr const char* kNoResetClass = "###_PVM_NO_RESET_###";
}  // namespace

namespace {
/// overlaps is true when some message could match both patterns (-1 matches anything).
bool overlaps(int a, int b) { return a == -1 || b == -1 || a == b; }
}  // namespace

int Session::addHandler(int src, int tag, int context, MessageHandler func) {
    // PVM checks nothing else: it refuses only a pattern that overlaps an existing handler's,
    // so at most one handler ever wants a message.
    for (const Handler& h : handlers_)
        PVM_REQUIRE(!(overlaps(h.src, src) && overlaps(h.tag, tag) && overlaps(h.context, context)), PvmExists,
                    "message handler " + std::to_string(h.id) + " overlaps");
    int id = handlerIds_;
    if (freeHandlerIds_.empty()) {
        ++handlerIds_;
    } else {
        id = freeHandlerIds_.back();
        freeHandlerIds_.pop_back();
    }
    handlers_.push_back({id, src, tag, context, func});
    return id;
}

void Session::removeHandler(int id) {
    PVM_REQUIRE(id >= 0, PvmBadParam, "message handler " + std::to_string(id));
    auto it = std::find_if(handlers_.begin(), handlers_.end(), [id](const Handler& h) { return h.id == id; });
    PVM_REQUIRE(it != handlers_.end(), PvmNotFound, "message handler " + std::to_string(id));
    handlers_.erase(it);
    freeHandlerIds_.push_back(id);
}

std::optional<Session::MessageHandler> Session::handlerFor(const Buffer& b) const {
    if (b.tag < 0) return std::nullopt;  // the library's own messages
    for (const Handler& h : handlers_)
        if ((h.src == -1 || h.src == b.src) && (h.tag == -1 || h.tag == b.tag) &&
            (h.context == -1 || h.context == b.context))
            return h.func;
    return std::nullopt;
}

bool Session::handleQueued(std::deque<int>::iterator it) {
    Buffer& b = buffers_.get(*it);
    if (!b.forHandler) return false;
    b.forHandler = false;
    auto func = handlerFor(b);
    if (!func) return false;  // removed since it came: an ordinary message
    int id = *it;
    arrived_.erase(it);
    if (*func) {
        // As in PVM, the handler reads the message as the active receive buffer.
        int saved = buffers_.setRecv(id);
        (*func)(id);
        if (buffers_.recvId() == id) buffers_.setRecv(saved != id && buffers_.contains(saved) ? saved : 0);
    }
    if (buffers_.contains(id)) buffers_.free(id);
    return true;
}

void Session::handleAllQueued() {
    if (handlers_.empty()) return;  // nothing could run: spare every call a scan of the queue
    for (auto it = arrived_.begin(); it != arrived_.end();) {
        if (buffers_.contains(*it) && handleQueued(it))
            it = arrived_.begin();  // a handler may have changed the queue
        else
            ++it;
    }
}

int Session::newContext() {
    int context = call([](wire::Request::Builder r) { r.setNewContext(); }).reply().getValue();
    ownContexts_.insert(context);
    return context;
}

void Session::freeContext(int context) {
    // The daemons never reuse a number (as PVM, which gives 0x40003 after freeing 0x40002),
    // so only the task's own record of it goes.
    PVM_REQUIRE(ownContexts_.erase(context) == 1, PvmNotFound, "context " + std::to_string(context));
}

Session::MatchFunction Session::setMatch(MatchFunction match) {
    MatchFunction old = match_;
    match_ = match;
    return old;
}

void Session::packMessage(int bufferId, bool whole) {
    Buffer& inner = buffers_.get(bufferId);
    Buffer& outer = buffers_.activeSend();
    std::string bytes;
    for (const Segment& s : inner.body.segments()) bytes.append(reinterpret_cast<const char*>(s.data), s.size);
    if (whole) {
        int header[7] = {inner.src,
                         inner.dst,
                         inner.tag,
                         inner.context,
                         inner.wid,
                         inner.body.encoding(),
                         static_cast<int>(bytes.size())};
        outer.body.packCopied(DataType::Int, header, 7, 1);
    }
    outer.body.packBytes(bytes.data(), bytes.size());
}

int Session::unpackMessage() {
    Buffer& outer = buffers_.activeRecv();
    int header[7];
    outer.body.unpack(DataType::Int, header, 7, 1);
    PVM_REQUIRE(header[6] >= 0, PvmBadMsg, "packed message length");
    std::vector<zmq::message_t> frames;
    frames.emplace_back(static_cast<std::size_t>(header[6]));
    outer.body.unpack(DataType::Byte, frames.back().data(), header[6], 1);
    auto inner = std::make_unique<Buffer>(MessageBuffer::fromSegments(header[5], segmentsOf(std::move(frames))));
    inner->src = header[0];
    inner->dst = header[1];
    inner->tag = header[2];
    inner->context = header[3];
    inner->wid = header[4];
    return buffers_.adopt(std::move(inner));
}

std::vector<int> Session::noResetTasks() {
    std::vector<int> tids;
    for (const MailboxClass& c : mailboxInfo(kNoResetClass))
        for (int owner : c.owners)
            if (owner > 0) tids.push_back(owner);
    return tids;
}

void Session::markNoReset(bool on) {
    // The entry is the task's own and goes when it exits.
    if (!on) {
        for (const MailboxClass& c : mailboxInfo(kNoResetClass))
            for (std::size_t i = 0; i < c.owners.size(); ++i)
                if (c.owners[i] == tid_) delInfo(kNoResetClass, c.indices[i], 0);
        return;
    }
    int id = buffers_.create(PvmDataDefault);
    BufferRelease release{buffers_, id};
    buffers_.get(id).body.packCopied(DataType::Int, &tid_, 1, 1);
    putInfo(kNoResetClass, id, PvmMboxMultiInstance);
}

std::vector<std::array<int, 4>> Session::handlerTable() const {
    std::vector<std::array<int, 4>> table;
    for (const Handler& h : handlers_) table.push_back({h.id, h.src, h.tag, h.context});
    return table;
}

}  // namespace pvm
