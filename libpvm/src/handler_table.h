// handler_table.h - the task's message handlers (pvm_addmhf, pvm_delmhf), kept the way PVM
// 3.4.6's library keeps them, because programs see that layout: handler ids and PvmExists
// follow from it, and pvmdisplaymhfinfo prints it slot by slot (PVM's mhf_server example).
#pragma once

#include <vector>

namespace pvm {

class HandlerTable {
public:
    using Function = int (*)(int);
    /// Handler is one slot of the compact array: an id, the pattern (-1: any) and the function.
    /// library marks PVM's own handlers, which this library only lists (they never run).
    struct Handler {
        int id = 0, src = 0, tag = 0, context = 0;
        Function func = nullptr;
        bool library = false;
    };

    /// The table starts as PVM's does once a task has enrolled: ids 0-8 held by its own
    /// handlers for control messages, so a task's first handler is 9.
    HandlerTable();

    /// add stores a handler and returns its id: the last freed id first, else a new one. A
    /// pattern that overlaps any handler's, the library's own included, is PvmExists.
    int add(int src, int tag, int context, Function func);
    /// remove frees id: PvmBadParam when negative, PvmNotFound when it is not in use.
    void remove(int id);
    /// given is true for an id the table has handed out at some time (PVM's ndhandles).
    bool given(int id) const noexcept { return id >= 0 && id < static_cast<int>(ids_.size()); }
    /// find is the task's handler whose pattern matches, or null (patterns never overlap).
    const Handler* find(int src, int tag, int context) const;
    /// userHandlers is how many of the task's handlers are in use.
    int userHandlers() const noexcept { return users_; }

    // What pvmdisplaymhfinfo prints: PVM's two arrays as they are, stale slots included.
    struct IdSlot {
        int id;      // the id, or the next free id (-1: none) while the id is free
        int handle;  // its index in the compact array
    };
    int idSlots() const noexcept { return static_cast<int>(ids_.size()); }
    int inUse() const noexcept { return inUse_; }
    int freeHead() const noexcept { return freeHead_; }
    const IdSlot& idSlot(int i) const { return ids_[static_cast<std::size_t>(i)]; }
    const Handler& handlerSlot(int i) const { return handlers_[static_cast<std::size_t>(i)]; }
    /// freeIds lists the free ids from the head of the free list.
    std::vector<int> freeIds() const;

private:
    static bool overlaps(int a, int b) { return a == -1 || b == -1 || a == b; }
    std::vector<IdSlot> ids_;
    std::vector<Handler> handlers_;  // [0, inUse_) in use; later slots keep what they last held
    int inUse_ = 0;
    int freeHead_ = -1;
    int users_ = 0;
};

}  // namespace pvm
