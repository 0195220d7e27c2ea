// daemon_mailbox.cpp - the mailbox requests. The master holds the mailbox; other
// daemons forward their tasks' requests to it and tell it when such a task exits.
#include <kj/array.h>

#include "daemon.h"
#include "errors.h"
#include "pvm3.h"
#include "tid.h"

namespace pvm {

namespace {
void fillEntry(wire::Reply::Builder r, const MailEntry& e) {
    auto out = r.initMboxEntry();
    out.setIndex(e.index);
    out.setOwner(e.putter);  // PVM's pvm_recvinfo gives the putter as source, even once gone
    out.setFlags(e.flags);
    out.setEncoding(e.encoding);
    out.setBody(kj::arrayPtr(reinterpret_cast<const kj::byte*>(e.body.data()), e.body.size()));
}
}  // namespace

bool Daemon::forwardToMaster(const Requester& who, const RequestFill& fill) {
    if (isMaster()) return false;
    // The master must hear when this task exits, to drop what it owns there.
    if (who.viaHost == 0) masterStateTids_.insert(who.tid);
    forwardFor(who, 1, fill);
    return true;
}

void Daemon::handleMboxPut(const Requester& who, const wire::MboxPut::Reader& put) {
    if (forwardToMaster(who, [&](wire::Request::Builder r) { r.setMboxPut(put); })) return;
    auto body = put.getBody();
    int result = mailbox_.put(put.getName().cStr(), who.tid, put.getFlags(), put.getEncoding(),
                              std::string(reinterpret_cast<const char*>(body.begin()), body.size()));
    if (result < 0) return respondError(who, result, std::string("mailbox entry ") + put.getName().cStr());
    respond(who, [&](wire::Reply::Builder r) { r.setValue(result); });
    answerWaiting(put.getName().cStr());
}

void Daemon::handleMboxGet(const Requester& who, const wire::MboxKey::Reader& key) {
    if (forwardToMaster(who, [&](wire::Request::Builder r) { r.setMboxGet(key); })) return;
    std::string name = key.getName().cStr();
    auto found = mailbox_.get(name, key.getIndex(), key.getFlags(), who.tid);
    if (const auto* entry = std::get_if<MailEntry>(&found))
        return respond(who, [&](wire::Reply::Builder r) { fillEntry(r, *entry); });
    int code = std::get<int>(found);
    if (code == PvmNotFound && (key.getFlags() & PvmMboxWaitForInfo)) {
        mboxWaiting_.push_back({who, name, key.getIndex(), key.getFlags()});  // answered by a later put
        return;
    }
    respondError(who, code, "mailbox entry " + name + " " + std::to_string(key.getIndex()));
}

void Daemon::answerWaiting(const std::string& name) {
    for (auto it = mboxWaiting_.begin(); it != mboxWaiting_.end();) {
        if (it->name != name) {
            ++it;
            continue;
        }
        auto found = mailbox_.get(it->name, it->index, it->flags, it->who.tid);
        if (const auto* entry = std::get_if<MailEntry>(&found)) {
            respond(it->who, [&](wire::Reply::Builder r) { fillEntry(r, *entry); });
            it = mboxWaiting_.erase(it);
        } else {
            ++it;
        }
    }
}

void Daemon::handleMboxDel(const Requester& who, const wire::MboxKey::Reader& key) {
    if (forwardToMaster(who, [&](wire::Request::Builder r) { r.setMboxDel(key); })) return;
    int result = mailbox_.remove(key.getName().cStr(), key.getIndex(), who.tid);
    if (result < 0) return respondError(who, result, std::string("mailbox entry ") + key.getName().cStr());
    respond(who, [result](wire::Reply::Builder r) { r.setValue(result); });  // the index, as PVM
}

void Daemon::handleMboxList(const Requester& who, const std::string& pattern) {
    if (forwardToMaster(who, [&](wire::Request::Builder r) { r.setMboxList(pattern); })) return;
    std::vector<MailClass> classes = mailbox_.list(pattern);
    respond(who, [&](wire::Reply::Builder r) {
        auto out = r.initMboxClasses(static_cast<unsigned>(classes.size()));
        for (unsigned i = 0; i < classes.size(); ++i) {
            const auto& c = classes[i];
            out[i].setName(c.name);
            auto n = static_cast<unsigned>(c.entries.size());
            auto indices = out[i].initIndices(n);
            auto owners = out[i].initOwners(n);
            auto flags = out[i].initFlags(n);
            for (unsigned k = 0; k < n; ++k) {
                indices.set(k, c.entries[k].index);
                owners.set(k, c.entries[k].owner);
                flags.set(k, c.entries[k].flags);
            }
        }
    });
}

void Daemon::handleTaskGone(const Requester& who, int tid) {
    respond(who, [](wire::Reply::Builder r) { r.setNone(); });
    masterStateGone(tid);
}

void Daemon::masterStateGone(int tid) {
    if (!isMaster()) {
        if (masterStateTids_.erase(tid))
            forward(
                1, tid, [&](wire::Request::Builder r) { r.setTaskGone(tid); }, [](const wire::Reply::Reader&) {});
        return;
    }
    mailbox_.ownerExited(tid);
    std::erase_if(mboxWaiting_, [tid](const MailWaiter& w) { return w.who.tid == tid; });
    groupMemberGone(tid);
}

}  // namespace pvm
