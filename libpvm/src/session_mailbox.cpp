// session_mailbox.cpp - the mailbox calls of Session: entries are copies of message
// buffers kept by the master pvmd (pvmd/mailbox.h).

#include "errors.h"
#include "pvm3.h"
#include "session.h"
#include "wire.h"

namespace pvm {

int Session::putInfo(const std::string& name, int bufferId, int flags) {
    PVM_REQUIRE(!name.empty(), PvmBadParam, "empty mailbox name");
    requireEnrolled();
    Buffer& buffer = buffers_.get(bufferId);
    std::string body;
    body.reserve(buffer.body.size());
    for (const Segment& s : buffer.body.segments()) body.append(reinterpret_cast<const char*>(s.data), s.size);
    auto answer = call([&](wire::Request::Builder r) {
        auto put = r.initMboxPut();
        put.setName(name);
        put.setFlags(flags);
        put.setEncoding(buffer.body.encoding());
        put.setBody(kj::arrayPtr(reinterpret_cast<const kj::byte*>(body.data()), body.size()));
    });
    return answer.reply().getValue();
}

int Session::recvInfo(const std::string& name, int index, int flags) {
    int id = fetchInfo(name, index, flags);
    makeActiveReceive(id);  // as pvm_recv
    return id;
}

int Session::fetchInfo(const std::string& name, int index, int flags) {
    PVM_REQUIRE(!name.empty(), PvmBadParam, "empty mailbox name");
    PVM_REQUIRE(index >= 0, PvmBadParam, "mailbox index " + std::to_string(index));
    auto answer = call([&](wire::Request::Builder r) {
        auto key = r.initMboxGet();
        key.setName(name);
        key.setIndex(index);
        key.setFlags(flags);
    });
    auto entry = answer.reply().getMboxEntry();
    auto bytes = entry.getBody();
    std::vector<Frame> frames;
    frames.emplace_back(bytes.begin(), bytes.size());
    auto buffer =
        std::make_unique<Buffer>(MessageBuffer::fromSegments(entry.getEncoding(), segmentsOf(std::move(frames))));
    buffer->src = entry.getOwner();
    buffer->dst = tid_;
    return buffers_.adopt(std::move(buffer));
}

int Session::delInfo(const std::string& name, int index, int flags) {
    PVM_REQUIRE(!name.empty(), PvmBadParam, "empty mailbox name");
    return call([&](wire::Request::Builder r) {
               auto key = r.initMboxDel();
               key.setName(name);
               key.setIndex(index);
               key.setFlags(flags);
           })
        .reply()
        .getValue();
}

std::vector<MailboxClass> Session::mailboxInfo(const std::string& pattern) {
    auto answer = call([&](wire::Request::Builder r) { r.setMboxList(pattern); });
    std::vector<MailboxClass> out;
    for (auto c : answer.reply().getMboxClasses()) {
        MailboxClass mc;
        mc.name = c.getName().cStr();
        for (int v : c.getIndices()) mc.indices.push_back(v);
        for (int v : c.getOwners()) mc.owners.push_back(v);
        for (int v : c.getFlags()) mc.flags.push_back(v);
        out.push_back(std::move(mc));
    }
    return out;
}

}  // namespace pvm
