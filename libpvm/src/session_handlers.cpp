// session_handlers.cpp - message handlers (pvm_addmhf, kept by the Mailroom), contexts,
// messages packed inside messages (pvm_pkmesg, pvm_upkmesg), and the tasks that asked
// not to be reset.
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

int Session::addHandler(int src, int tag, int context, MessageHandler func) {
    return mail_.handlers().add(src, tag, context, func);
}

void Session::removeHandler(int id) { mail_.handlers().remove(id); }

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
    std::vector<Frame> frames;
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

}  // namespace pvm
