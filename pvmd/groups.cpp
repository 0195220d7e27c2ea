// groups.cpp - the group server's rules.
#include "groups.h"

#include <algorithm>

#include "pvm3.h"

namespace pvm {

int Groups::instanceOf(const Group& g, int tid) {
    for (const auto& [inst, t] : g.byInstance)
        if (t == tid) return inst;
    return -1;
}

int Groups::join(const std::string& name, int tid) {
    if (name.empty()) return PvmNullGroup;
    Group& g = groups_[name];
    if (instanceOf(g, tid) >= 0) return PvmDupGroup;
    int inst = 0;
    while (g.byInstance.count(inst)) ++inst;
    g.byInstance[inst] = tid;
    return inst;
}

int Groups::leave(const std::string& name, int tid, std::vector<Release>* released) {
    auto it = groups_.find(name);
    if (it == groups_.end()) return PvmNoGroup;
    Group& g = it->second;
    int inst = instanceOf(g, tid);
    if (inst < 0) return PvmNotInGroup;
    g.byInstance.erase(inst);
    auto notTid = [tid](const GroupWaiter& w) { return w.tid == tid; };
    std::erase_if(g.atBarrier, notTid);
    std::erase_if(g.atFreeze, notTid);
    // A static group that loses a member fails its barriers, those waiting and those to
    // come, as PVM documents (and PVM 3.4.6 does).
    if (g.frozen) g.defunct = true;
    if (g.frozen && !g.atBarrier.empty()) {
        released->push_back({std::move(g.atBarrier), PvmNoGroup});
        g.atBarrier.clear();
    }
    if (g.byInstance.empty() && g.atBarrier.empty() && g.atFreeze.empty()) groups_.erase(it);
    return 0;
}

int Groups::size(const std::string& name) const {
    auto it = groups_.find(name);
    return it == groups_.end() ? PvmNoGroup : static_cast<int>(it->second.byInstance.size());
}

int Groups::instance(const std::string& name, int tid) const {
    auto it = groups_.find(name);
    if (it == groups_.end()) return PvmNoGroup;
    // PVM 3.4.6's group server answers tid -1 with the group's size (seen, not documented).
    if (tid == -1) return static_cast<int>(it->second.byInstance.size());
    int inst = instanceOf(it->second, tid);
    return inst < 0 ? PvmNotInGroup : inst;
}

int Groups::tidOf(const std::string& name, int instance) const {
    auto it = groups_.find(name);
    if (it == groups_.end()) return PvmNoGroup;
    auto m = it->second.byInstance.find(instance);
    return m == it->second.byInstance.end() ? PvmNoInst : m->second;
}

bool Groups::frozen(const std::string& name) const {
    auto it = groups_.find(name);
    return it != groups_.end() && it->second.frozen;
}

int Groups::members(const std::string& name, std::vector<int>* tids) const {
    auto it = groups_.find(name);
    if (it == groups_.end()) return PvmNoGroup;
    for (const auto& [inst, tid] : it->second.byInstance) tids->push_back(tid);
    return 0;
}

std::vector<Groups::State> Groups::list() const {
    std::vector<State> states;
    for (const auto& [name, g] : groups_) {
        State st;
        st.name = name;
        int top = g.byInstance.empty() ? -1 : g.byInstance.rbegin()->first;
        st.tids.assign(static_cast<std::size_t>(top + 1), -1);
        for (const auto& [inst, tid] : g.byInstance) st.tids[static_cast<std::size_t>(inst)] = tid;
        if (!g.atBarrier.empty()) {
            st.barrierCount = g.barrierCount;
            st.barrierReached = static_cast<int>(g.atBarrier.size());
        }
        states.push_back(std::move(st));
    }
    return states;
}

int Groups::barrier(const std::string& name, int count, const GroupWaiter& w, std::vector<Release>* released) {
    auto it = groups_.find(name);
    if (it == groups_.end()) return PvmNoGroup;
    Group& g = it->second;
    if (g.defunct) return PvmNoGroup;
    if (instanceOf(g, w.tid) < 0) return PvmNotInGroup;
    if (count < 0) count = static_cast<int>(g.byInstance.size());
    if (count == 0) return PvmBadParam;
    g.barrierCount = count;
    g.atBarrier.push_back(w);
    if (static_cast<int>(g.atBarrier.size()) >= count) {
        released->push_back({std::move(g.atBarrier), 0});
        g.atBarrier.clear();
    }
    return 0;
}

int Groups::freeze(const std::string& name, int size, const GroupWaiter& w, std::vector<Release>* released) {
    auto it = groups_.find(name);
    if (it == groups_.end()) return PvmNoGroup;
    Group& g = it->second;
    if (instanceOf(g, w.tid) < 0) return PvmNotInGroup;
    if (g.frozen) return PvmDupGroup;  // there is no unfreezing
    if (size < 0) size = static_cast<int>(g.byInstance.size());
    g.freezeSize = size;
    g.atFreeze.push_back(w);
    if (static_cast<int>(g.atFreeze.size()) >= size && static_cast<int>(g.byInstance.size()) >= size) {
        g.frozen = true;
        // Every caller gets the size the group was frozen at, as pvm_freezegroup's man page says.
        released->push_back({std::move(g.atFreeze), static_cast<int>(g.byInstance.size())});
        g.atFreeze.clear();
    }
    return 0;
}

void Groups::memberExited(int tid, std::vector<Release>* released) {
    std::vector<std::string> names;
    for (const auto& [name, g] : groups_)
        if (instanceOf(g, tid) >= 0) names.push_back(name);
    for (const auto& name : names) leave(name, tid, released);
}

std::set<int> Groups::allMembers() const {
    std::set<int> out;
    for (const auto& [name, g] : groups_)
        for (const auto& [inst, tid] : g.byInstance) out.insert(tid);
    return out;
}

}  // namespace pvm
