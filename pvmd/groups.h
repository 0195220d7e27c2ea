// groups.h - PVM's dynamic groups (libgpvm3's group server): members by instance
// number, barriers and freezing. The master pvmd holds the only one, so group state
// is the same from every host.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

namespace pvm {

/// Waiter is one task blocked in pvm_barrier or pvm_freezegroup, known by a token the
/// daemon maps to its requester.
struct GroupWaiter {
    int tid = 0;
    unsigned token = 0;
};

/// Release is a set of waiters to answer with result (a value, or an error code when negative).
struct Release {
    std::vector<GroupWaiter> waiters;
    int result = 0;
};

class Groups {
public:
    /// join gives tid the lowest free instance number; PvmDupGroup if already a member,
    /// PvmNullGroup for an empty name.
    int join(const std::string& name, int tid);
    /// leave removes tid: 0, PvmNoGroup or PvmNotInGroup. Waiters failed by it go to released.
    int leave(const std::string& name, int tid, std::vector<Release>* released);
    int size(const std::string& name) const;
    int instance(const std::string& name, int tid) const;
    int tidOf(const std::string& name, int instance) const;
    /// frozen is true once pvm_freezegroup has made the group static.
    bool frozen(const std::string& name) const;
    /// members are the tids in instance order; PvmNoGroup when there is no such group.
    int members(const std::string& name, std::vector<int>* tids) const;
    /// barrier adds a waiter; when count (-1: the group's size) have come, they are released.
    /// Returns 0 when the waiter waits or was released into *released, else an error code
    /// (PvmNoGroup for a static group a member has left, as in PVM).
    int barrier(const std::string& name, int count, const GroupWaiter& w, std::vector<Release>* released);
    /// freeze waits like a barrier for size members (-1: the current size), then makes the
    /// group static and releases them with its size; PvmDupGroup once it is static.
    int freeze(const std::string& name, int size, const GroupWaiter& w, std::vector<Release>* released);
    /// memberExited makes tid leave every group and drops its waits.
    void memberExited(int tid, std::vector<Release>* released);
    /// State is one group as pvm_gstat shows it: tids by instance (-1 where free), and the
    /// barrier in progress (count -1 when none).
    struct State {
        std::string name;
        std::vector<int> tids;
        int barrierCount = -1;
        int barrierReached = 0;
    };
    /// list is every group, in name order.
    std::vector<State> list() const;
    /// allMembers is every tid in some group (to find a lost host's members).
    std::set<int> allMembers() const;

private:
    struct Group {
        std::map<int, int> byInstance;  // instance -> tid
        bool frozen = false;
        bool defunct = false;  // frozen, then left by a member: its barriers fail
        int barrierCount = 0;
        std::vector<GroupWaiter> atBarrier;
        int freezeSize = 0;
        std::vector<GroupWaiter> atFreeze;
    };
    static int instanceOf(const Group& g, int tid);
    std::map<std::string, Group> groups_;
};

}  // namespace pvm
