// handler_table.cpp - PVM 3.4.6's handler table rules, as observed with pvmdisplaymhfinfo.
#include "handler_table.h"

#include <string>

#include "errors.h"
#include "pvm3.h"

namespace pvm {

namespace {
/// The library's own handlers in PVM 3.4.6, in its order: any source, its system context,
/// and the tags of its task control messages.
constexpr int kSystemContext = 0x7ffff;
constexpr unsigned kSystemTags[] = {0x80030001, 0x80030002, 0x80030003, 0x80030004, 0x80030006,
                                    0x80030008, 0x80030009, 0x80030007, 0x8003000c};
}  // namespace

HandlerTable::HandlerTable() {
    for (unsigned tag : kSystemTags) {
        int id = static_cast<int>(ids_.size());
        ids_.push_back({id, id});
        handlers_.push_back({id, -1, static_cast<int>(tag), kSystemContext, nullptr, true});
    }
    inUse_ = static_cast<int>(handlers_.size());
}

int HandlerTable::add(int src, int tag, int context, Function func) {
    for (int i = 0; i < inUse_; ++i) {
        const Handler& h = handlers_[static_cast<std::size_t>(i)];
        PVM_REQUIRE(!(overlaps(h.src, src) && overlaps(h.tag, tag) && overlaps(h.context, context)), PvmExists,
                    "message handler " + std::to_string(h.id) + " overlaps");
    }
    int id = freeHead_;
    if (id >= 0) {
        freeHead_ = ids_[static_cast<std::size_t>(id)].id;
    } else {
        id = static_cast<int>(ids_.size());
        ids_.push_back({});
    }
    int slot = inUse_++;
    if (slot == static_cast<int>(handlers_.size())) handlers_.emplace_back();
    handlers_[static_cast<std::size_t>(slot)] = {id, src, tag, context, func, false};
    ids_[static_cast<std::size_t>(id)] = {id, slot};
    ++users_;
    return id;
}

void HandlerTable::remove(int id) {
    PVM_REQUIRE(id >= 0, PvmBadParam, "message handler " + std::to_string(id));
    PVM_REQUIRE(given(id) && ids_[static_cast<std::size_t>(id)].id == id, PvmNotFound,
                "message handler " + std::to_string(id));
    // As PVM: the last handler moves into the hole, and the freed id keeps the last slot's index.
    IdSlot& freed = ids_[static_cast<std::size_t>(id)];
    int slot = freed.handle, last = inUse_ - 1;
    if (!handlers_[static_cast<std::size_t>(slot)].library) --users_;
    handlers_[static_cast<std::size_t>(slot)] = handlers_[static_cast<std::size_t>(last)];
    ids_[static_cast<std::size_t>(handlers_[static_cast<std::size_t>(slot)].id)].handle = slot;
    freed.handle = last;
    --inUse_;
    freed.id = freeHead_;
    freeHead_ = id;
}

const HandlerTable::Handler* HandlerTable::find(int src, int tag, int context) const {
    for (int i = 0; i < inUse_; ++i) {
        const Handler& h = handlers_[static_cast<std::size_t>(i)];
        if (!h.library && (h.src == -1 || h.src == src) && (h.tag == -1 || h.tag == tag) &&
            (h.context == -1 || h.context == context))
            return &h;
    }
    return nullptr;
}

std::vector<int> HandlerTable::freeIds() const {
    std::vector<int> out;
    for (int id = freeHead_; id >= 0 && out.size() < ids_.size(); id = ids_[static_cast<std::size_t>(id)].id)
        out.push_back(id);
    return out;
}

}  // namespace pvm
