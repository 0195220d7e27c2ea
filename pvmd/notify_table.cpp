// notify_table.cpp - pvm_notify subscriptions.
#include "notify_table.h"

#include <algorithm>

#include "pvm3.h"
#include "tid.h"

namespace pvm {

void NotifyTable::watch(int event, int watched, const Subscription& s) { watches_[{event, watched}].push_back(s); }

bool NotifyTable::cancel(int event, int watched, const Subscription& s) {
    auto it = watches_.find({event, watched});
    if (it == watches_.end()) return false;
    auto& list = it->second;
    auto found = std::find(list.begin(), list.end(), s);
    if (found == list.end()) return false;
    list.erase(found);
    if (list.empty()) watches_.erase(it);
    return true;
}

std::vector<Subscription> NotifyTable::fire(int event, int watched) {
    auto it = watches_.find({event, watched});
    if (it == watches_.end()) return {};
    auto list = std::move(it->second);
    watches_.erase(it);
    return list;
}

std::vector<std::pair<int, Subscription>> NotifyTable::fireHostDelete(int host) {
    std::vector<std::pair<int, Subscription>> out;
    for (auto it = watches_.begin(); it != watches_.end();) {
        auto [event, watched] = it->first;
        if (event != PvmHostDelete || hostOf(watched) != host) {
            ++it;
            continue;
        }
        for (const Subscription& s : it->second) out.emplace_back(watched, s);
        it = watches_.erase(it);
    }
    return out;
}

std::vector<Subscription> NotifyTable::fireOwn(int event, int tid) {
    auto it = watches_.find({event, tid});
    if (it == watches_.end()) return {};
    std::vector<Subscription> own;
    std::erase_if(it->second, [&](const Subscription& s) {
        if (s.subscriber != tid) return false;
        own.push_back(s);
        return true;
    });
    if (it->second.empty()) watches_.erase(it);
    return own;
}

void NotifyTable::setHostAdd(const Subscription& s, int count) {
    if (count == 0)
        hostAdd_.erase(s.subscriber);
    else
        hostAdd_[s.subscriber] = {s, count};
}

std::vector<Subscription> NotifyTable::hostAdded() {
    std::vector<Subscription> out;
    for (auto it = hostAdd_.begin(); it != hostAdd_.end();) {
        out.push_back(it->second.first);
        int& left = it->second.second;
        if (left > 0 && --left == 0)
            it = hostAdd_.erase(it);
        else
            ++it;
    }
    return out;
}

void NotifyTable::forget(int subscriber) {
    for (auto it = watches_.begin(); it != watches_.end();) {
        std::erase_if(it->second, [&](const Subscription& s) { return s.subscriber == subscriber; });
        it = it->second.empty() ? watches_.erase(it) : std::next(it);
    }
    hostAdd_.erase(subscriber);
}

}  // namespace pvm
