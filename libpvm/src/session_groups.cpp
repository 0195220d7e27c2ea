// session_groups.cpp - dynamic groups in Session: the group server's calls (held by
// the master pvmd), and the collective operations built on them and on messages:
// broadcast, reduce, gather, scatter. A group frozen by pvm_freezegroup is kept by
// the task (static_group.h), which then answers what it can itself. The collectives
// are star-shaped around the root; each member sends or receives one message per
// peer with the caller's tag.
// (Not trees: pvm_reduce and pvm_gather do not block the members that are not the
// root, as PVM documents, and a member inside a tree would wait for its children.)
#include <cstring>

#include "errors.h"
#include "pvm3.h"
#include "session.h"
#include "tid.h"

namespace pvm {

namespace {
DataType dataType(int datatype) {
    PVM_REQUIRE(datatype >= PVM_BYTE && datatype <= PVM_ULONG, PvmBadParam, "data type " + std::to_string(datatype));
    return static_cast<DataType>(datatype);
}
}  // namespace

int Session::groupCall(int op, const std::string& name, int number, int tid) {
    PVM_REQUIRE(!name.empty(), PvmNullGroup, "empty group name");
    auto groupOp = static_cast<wire::GroupOp>(op);
    if (auto kept = staticGroups_.find(name); kept != staticGroups_.end())
        if (std::optional<int> value = kept->second.answer(groupOp, number, tid)) return *value;
    // pvm_lvgroup frees what this task kept of the group, as PVM's does.
    if (groupOp == wire::GroupOp::LEAVE) staticGroups_.erase(name);
    auto answer = call([&](wire::Request::Builder r) {
        auto g = r.initGroup();
        g.setOp(groupOp);
        g.setName(name);
        g.setNumber(number);
        g.setTid(tid);
    });
    int value = answer.reply().getValue();
    // A freeze that returns has made the group static; other calls say whether it is.
    bool frozen = groupOp == wire::GroupOp::FREEZE || answer.reply().getGroupFrozen();
    if (frozen && groupOp != wire::GroupOp::LEAVE) keepStaticGroup(name);
    return value;
}

std::vector<int> Session::groupMembers(const std::string& name) {
    PVM_REQUIRE(!name.empty(), PvmNullGroup, "empty group name");
    if (auto kept = staticGroups_.find(name); kept != staticGroups_.end()) return kept->second.members();
    auto answer = call([&](wire::Request::Builder r) {
        auto g = r.initGroup();
        g.setOp(wire::GroupOp::MEMBERS);
        g.setName(name);
    });
    std::vector<int> tids;
    for (int t : answer.reply().getTids()) tids.push_back(t);
    if (answer.reply().getGroupFrozen()) keepStaticGroup(name);
    return tids;
}

void Session::keepStaticGroup(const std::string& name) {
    if (staticGroups_.count(name)) return;
    for (GroupState& g : groupStates())
        if (g.name == name) staticGroups_.emplace(name, StaticGroup(name, std::move(g.tids)));
}

std::vector<Session::GroupState> Session::groupStates() {
    auto answer = call([&](wire::Request::Builder r) { r.initGroup().setOp(wire::GroupOp::LIST); });
    std::vector<GroupState> states;
    for (auto g : answer.reply().getGroupStates()) {
        GroupState st;
        st.name = g.getName().cStr();
        for (int t : g.getTids()) st.tids.push_back(t);
        st.barrierCount = g.getBarrierCount();
        st.barrierReached = g.getBarrierReached();
        states.push_back(std::move(st));
    }
    return states;
}

void Session::broadcast(const std::string& name, int tag) {
    requireEnrolled();
    std::vector<int> dsts;
    for (int t : groupMembers(name))
        if (t != tid_) dsts.push_back(t);                                       // as PVM 3.2 on: not back to the sender
    PVM_REQUIRE(!dsts.empty(), PvmNoInst, "no other member in group " + name);  // as PVM 3.4.6
    sendBuffer(buffers_.activeSend(), dsts, tag);
}

void Session::sendData(int dst, int tag, DataType type, const void* data, int count) {
    int id = buffers_.create(PvmDataDefault);
    BufferRelease release{buffers_, id};
    Buffer& b = buffers_.get(id);
    b.body.packCopied(type, data, count, 1);
    int dsts[1] = {dst};
    sendBuffer(b, dsts, tag);
}

void Session::receiveData(int src, int tag, DataType type, void* data, int count) {
    int id = take(src, tag, -1);
    BufferRelease release{buffers_, id};
    buffers_.get(id).body.unpack(type, data, count, 1);
}

void Session::reduce(ReduceFunction func, void* data, int count, int datatype, int tag, const std::string& name,
                     int root) {
    PVM_REQUIRE(func && data && count > 0, PvmBadParam, "reduce arguments");
    DataType type = dataType(datatype);
    int rootTid = groupCall(static_cast<int>(wire::GroupOp::TID_OF), name, root, 0);
    if (rootTid != tid_) return sendData(rootTid, tag, type, data, count);
    std::vector<int> members = groupMembers(name);  // only the root needs them
    std::vector<char> incoming(elementSize(type) * static_cast<std::size_t>(count));
    for (int member : members) {
        if (member == tid_) continue;
        receiveData(member, tag, type, incoming.data(), count);
        int info = 0, n = count, dt = datatype;
        func(&dt, data, incoming.data(), &n, &info);
        PVM_REQUIRE(info >= 0, info, "reduce function");
    }
}

void Session::gather(void* result, const void* data, int count, int datatype, int tag, const std::string& name,
                     int root) {
    PVM_REQUIRE(data && count > 0, PvmBadParam, "gather arguments");
    DataType type = dataType(datatype);
    int rootTid = groupCall(static_cast<int>(wire::GroupOp::TID_OF), name, root, 0);
    if (rootTid != tid_) return sendData(rootTid, tag, type, data, count);
    std::vector<int> members = groupMembers(name);
    PVM_REQUIRE(result, PvmBadParam, "gather result");
    std::size_t slice = elementSize(type) * static_cast<std::size_t>(count);
    for (std::size_t inst = 0; inst < members.size(); ++inst) {
        char* at = static_cast<char*>(result) + inst * slice;  // in instance order
        if (members[inst] == tid_)
            std::memcpy(at, data, slice);
        else
            receiveData(members[inst], tag, type, at, count);
    }
}

void Session::scatter(void* result, const void* data, int count, int datatype, int tag, const std::string& name,
                      int root) {
    PVM_REQUIRE(result && count > 0, PvmBadParam, "scatter arguments");
    DataType type = dataType(datatype);
    int rootTid = groupCall(static_cast<int>(wire::GroupOp::TID_OF), name, root, 0);
    if (rootTid != tid_) return receiveData(rootTid, tag, type, result, count);
    std::vector<int> members = groupMembers(name);
    PVM_REQUIRE(data, PvmBadParam, "scatter data");
    std::size_t slice = elementSize(type) * static_cast<std::size_t>(count);
    for (std::size_t inst = 0; inst < members.size(); ++inst) {
        const char* from = static_cast<const char*>(data) + inst * slice;
        if (members[inst] == tid_)
            std::memcpy(result, from, slice);
        else
            sendData(members[inst], tag, type, from, count);
    }
}

}  // namespace pvm
