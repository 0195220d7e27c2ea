// mailroom.cpp - the arrival queue, matching, and handlers run when reached.
#include "mailroom.h"

#include <algorithm>

namespace pvm {

void Mailroom::arrive(int id) {
    arrived_.push_back(id);
    ++undecided_;
}

std::optional<int> Mailroom::find(int tid, int tag, int context) {
    for (auto it = arrived_.begin(); it != arrived_.end();) {
        if (!buffers_.contains(*it)) {  // freed by the user after a probe
            it = arrived_.erase(it);
            continue;
        }
        // As PVM reads one message at a time in a receive, a handler runs when its message
        // is reached, and those behind the first match wait for the next call. The handler
        // may receive itself and change the queue: start again from the front.
        if (handleQueued(it)) {
            it = arrived_.begin();
            continue;
        }
        const Buffer& b = buffers_.get(*it);
        if (match_) {
            // pvm_recvf's function decides; it may look at the buffer with pvm_bufinfo.
            if (match_(*it, tid, tag) > 0) return *it;
            ++it;
            continue;
        }
        bool tidOk = tid == -1 || b.src == tid;
        bool tagOk = tag == -1 ? b.tag >= 0 : b.tag == tag;
        if (tidOk && tagOk && b.context == context) return *it;
        ++it;
    }
    return std::nullopt;
}

void Mailroom::take(int id) { std::erase(arrived_, id); }

void Mailroom::runHandlers() {
    if (undecided_ == 0) return;  // every queued message was reached before: spare the scan
    for (auto it = arrived_.begin(); it != arrived_.end();) {
        if (buffers_.contains(*it) && handleQueued(it))
            it = arrived_.begin();  // a handler may have changed the queue
        else
            ++it;
    }
    undecided_ = 0;
}

Mailroom::MatchFunction Mailroom::setMatch(MatchFunction match) {
    MatchFunction old = match_;
    match_ = match;
    return old;
}

std::optional<HandlerTable::Function> Mailroom::handlerFor(const Buffer& b) const {
    // The library's own messages, or no handler of the task's to look through.
    if (b.tag < 0 || handlers_.userHandlers() == 0) return std::nullopt;
    const HandlerTable::Handler* h = handlers_.find(b.src, b.tag, b.context);
    if (!h) return std::nullopt;
    return h->func;
}

bool Mailroom::handleQueued(std::deque<int>::iterator it) {
    Buffer& b = buffers_.get(*it);
    if (b.decided) return false;
    b.decided = true;
    if (undecided_ > 0) --undecided_;
    auto func = handlerFor(b);
    if (!func) return false;  // an ordinary message, even for a handler added later
    int id = *it;
    arrived_.erase(it);
    if (*func) {
        // As in PVM, the handler reads the message as the active receive buffer.
        int saved = buffers_.setRecv(id);
        (*func)(id);
        if (buffers_.recvId() == id) buffers_.setRecv(saved != id && buffers_.contains(saved) ? saved : 0);
    }
    if (buffers_.contains(id)) buffers_.free(id);
    return true;
}

}  // namespace pvm
