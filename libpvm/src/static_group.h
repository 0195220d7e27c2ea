// static_group.h - a group made static by pvm_freezegroup, as a task keeps it: PVM
// documents that once a group is frozen, every group call that local data can answer
// is answered by the task itself (pvm_gsize, pvm_gettid, pvm_getinst, and the member
// lists of pvm_bcast, pvm_reduce, pvm_gather, pvm_scatter). Barriers still go to the
// group server.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wire.h"

namespace pvm {

/// StaticGroup holds a frozen group's tids by instance (-1 where an instance is free).
class StaticGroup {
public:
    StaticGroup(std::string name, std::vector<int> byInstance);

    /// answer is the value of group call op (number and tid as in wire::GroupCall) from the
    /// local data, as the group server would give it; nullopt when the call needs the
    /// server. Throws Error(PvmNoInst or PvmNotInGroup) as the server would answer.
    std::optional<int> answer(wire::GroupOp op, int number, int tid) const;
    /// members are the tids in instance order, free instances left out (as MEMBERS answers).
    std::vector<int> members() const;

private:
    std::string name_;
    std::vector<int> byInstance_;
};

}  // namespace pvm
