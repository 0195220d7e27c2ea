// static_group.cpp - a frozen group, answered by the task that holds it.
#include "static_group.h"

#include <algorithm>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

StaticGroup::StaticGroup(std::string name, std::vector<int> byInstance)
    : name_(std::move(name)), byInstance_(std::move(byInstance)) {}

std::optional<int> StaticGroup::answer(wire::GroupOp op, int number, int tid) const {
    auto size = [this] {
        return static_cast<int>(std::count_if(byInstance_.begin(), byInstance_.end(), [](int t) { return t >= 0; }));
    };
    switch (op) {
        case wire::GroupOp::SIZE:
            return size();
        case wire::GroupOp::INSTANCE: {
            if (tid == -1) return size();  // as the group server (groups.cpp)
            auto at = std::find(byInstance_.begin(), byInstance_.end(), tid);
            if (tid < 0 || at == byInstance_.end()) throw Error(PvmNotInGroup, "group " + name_);
            return static_cast<int>(at - byInstance_.begin());
        }
        case wire::GroupOp::TID_OF:
            if (number < 0 || number >= static_cast<int>(byInstance_.size()) ||
                byInstance_[static_cast<std::size_t>(number)] < 0)
                throw Error(PvmNoInst, "group " + name_);
            return byInstance_[static_cast<std::size_t>(number)];
        default:
            return std::nullopt;
    }
}

std::vector<int> StaticGroup::members() const {
    std::vector<int> tids;
    for (int t : byInstance_)
        if (t >= 0) tids.push_back(t);
    return tids;
}

}  // namespace pvm
