// notify_table.h - pvm_notify subscriptions held by the daemon.
#pragma once

#include <map>
#include <utility>
#include <vector>

namespace pvm {

/// Subscription says who wants a notify message, and with which tag and context.
struct Subscription {
    int subscriber = 0;
    int tag = 0;
    int context = 0;
    bool operator==(const Subscription&) const = default;
};

/// NotifyTable keeps task-exit and host-delete watches by watched tid, and host-add
/// subscriptions with the number of messages still owed.
class NotifyTable {
public:
    void watch(int event, int watched, const Subscription& s);
    /// cancel removes one matching watch; true when there was one.
    bool cancel(int event, int watched, const Subscription& s);
    /// fire removes and returns the watches of event on watched.
    std::vector<Subscription> fire(int event, int watched);
    /// fireHostDelete removes and returns the host-delete watches on any tid of host (PVM
    /// watches the host of whatever tid it is given), each with the tid it was asked for.
    std::vector<std::pair<int, Subscription>> fireHostDelete(int host);
    /// fireOwn removes and returns the watches of event that tid holds on itself.
    std::vector<Subscription> fireOwn(int event, int tid);
    /// setHostAdd replaces the count of host-add messages owed to s.subscriber (-1: unlimited,
    /// 0: none).
    void setHostAdd(const Subscription& s, int count);
    /// hostAdded returns the host-add subscribers to tell and counts one message off each.
    std::vector<Subscription> hostAdded();
    /// forget drops every subscription a departed task held.
    void forget(int subscriber);

private:
    std::map<std::pair<int, int>, std::vector<Subscription>> watches_;  // (event, watched)
    std::map<int, std::pair<Subscription, int>> hostAdd_;               // subscriber -> (subscription, count)
};

}  // namespace pvm
