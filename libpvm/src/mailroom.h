// mailroom.h - the task's arrived messages: the queue in arrival order, matching a
// receive against it (source, tag and context, or pvm_recvf's function), and the
// message handlers of pvm_addmhf, run when their message is first reached, as PVM
// runs them. Session fills it (session_messages.cpp) and waits; this file decides.
#pragma once

#include <cstddef>
#include <deque>
#include <optional>

#include "buffer_table.h"
#include "handler_table.h"

namespace pvm {

class Mailroom {
public:
    using MatchFunction = int (*)(int, int, int);
    /// The mailroom keeps ids of buffers that live in buffers.
    explicit Mailroom(BufferTable& buffers) : buffers_(buffers) {}
    Mailroom(const Mailroom&) = delete;
    Mailroom& operator=(const Mailroom&) = delete;

    /// arrive queues the received buffer id behind every earlier one.
    void arrive(int id);
    /// find is the first queued message that tid and tag (-1: any; a tag of -1 skips the
    /// library's negative tags) select in context, or that pvm_recvf's function accepts.
    /// Handlers run for the messages it reaches on the way; nothing else is taken out.
    std::optional<int> find(int tid, int tag, int context);
    /// take removes id, which find gave, from the queue.
    void take(int id);
    /// runHandlers reaches every queued message in arrival order: what PVM does with the
    /// messages it reads while it waits for its daemon.
    void runHandlers();

    /// handlers is the table of pvm_addmhf, as PVM keeps it.
    HandlerTable& handlers() noexcept { return handlers_; }
    const HandlerTable& handlers() const noexcept { return handlers_; }
    /// setMatch installs pvm_recvf's function (null: the default); returns the previous one.
    MatchFunction setMatch(MatchFunction match);

private:
    /// handlerFor is the handler that wants buffer (its function may be null), if any.
    std::optional<HandlerTable::Function> handlerFor(const Buffer& buffer) const;
    /// handleQueued decides, the first time the queued message at it is reached, whether a
    /// handler takes it: then runs the handler, takes it out of the queue and frees it. False
    /// (queue untouched) when the message is not for a handler, or was reached before.
    bool handleQueued(std::deque<int>::iterator it);

    BufferTable& buffers_;
    std::deque<int> arrived_;    // ids of buffers received but not yet taken
    std::size_t undecided_ = 0;  // how many of them nothing has reached yet (at most)
    HandlerTable handlers_;
    MatchFunction match_ = nullptr;
};

}  // namespace pvm
