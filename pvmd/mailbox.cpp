// mailbox.cpp - the rules of pvm_putinfo's flags.
#include "mailbox.h"

#include <fnmatch.h>

#include "pvm3.h"

namespace pvm {

bool Mailbox::mayChange(const MailEntry& e, int requester) {
    return e.owner == requester || (e.flags & PvmMboxOverWritable);
}

int Mailbox::put(const std::string& name, int owner, int flags, int encoding, std::string body) {
    if (name.empty()) return PvmBadParam;
    int direct = PvmMboxDirectIndexOf(flags);
    bool hasDirect = flags >= PvmMboxMaxFlag;
    flags &= PvmMboxMaxFlag - 1;
    auto& entries = classes_[name];
    MailEntry entry{0, owner, flags, encoding, std::move(body)};
    if (hasDirect) {
        // Atomic replace of one instance, which must allow it.
        auto it = entries.find(direct);
        if (it != entries.end() && !(it->second.flags & PvmMboxOverWritable)) return PvmDenied;
        if (direct > 0 && it != entries.end() && !(it->second.flags & PvmMboxMultiInstance)) return PvmDenied;
        entry.index = direct;
        entries[direct] = std::move(entry);
        return direct;
    }
    if (flags & PvmMboxMultiInstance) {
        // A single-instance entry under this name keeps the name for itself.
        if (!entries.empty() && !(entries.begin()->second.flags & PvmMboxMultiInstance)) return PvmExists;
        int index = 0;
        while (entries.count(index)) ++index;
        entry.index = index;
        entries[index] = std::move(entry);
        return index;
    }
    if (!entries.empty()) {
        // Only a lone entry 0 that this task may change is replaced.
        auto it = entries.find(0);
        if (entries.size() > 1 || it == entries.end()) return PvmExists;
        if (!mayChange(it->second, owner)) return it->second.owner == 0 ? PvmDenied : PvmExists;
    }
    entries.clear();
    entries[0] = std::move(entry);
    return 0;
}

std::variant<MailEntry, int> Mailbox::get(const std::string& name, int index, int flags, int requester) {
    auto cls = classes_.find(name);
    if (cls == classes_.end() || index < 0) return PvmNotFound;
    auto& entries = cls->second;
    auto it = (flags & PvmMboxFirstAvail) ? entries.lower_bound(index) : entries.find(index);
    if (it == entries.end()) return PvmNotFound;
    MailEntry found = it->second;
    if (flags & PvmMboxReadAndDelete) {
        if (!mayChange(found, requester)) return PvmDenied;
        entries.erase(it);
        if (entries.empty()) classes_.erase(cls);
    }
    return found;
}

int Mailbox::remove(const std::string& name, int index, int requester) {
    auto cls = classes_.find(name);
    if (cls == classes_.end()) return PvmNotFound;
    auto it = cls->second.find(index);
    if (it == cls->second.end()) return PvmNotFound;
    if (!mayChange(it->second, requester)) return PvmDenied;
    cls->second.erase(it);
    if (cls->second.empty()) classes_.erase(cls);
    return 0;
}

std::vector<MailClass> Mailbox::list(const std::string& pattern) const {
    std::vector<MailClass> out;
    for (const auto& [name, entries] : classes_) {
        if (!pattern.empty() && fnmatch(pattern.c_str(), name.c_str(), 0) != 0) continue;
        MailClass c{name, {}};
        for (const auto& [index, e] : entries) c.entries.push_back({e.index, e.owner, e.flags, e.encoding, {}});
        out.push_back(std::move(c));
    }
    return out;
}

void Mailbox::ownerExited(int tid) {
    for (auto cls = classes_.begin(); cls != classes_.end();) {
        auto& entries = cls->second;
        for (auto it = entries.begin(); it != entries.end();) {
            if (it->second.owner != tid) {
                ++it;
            } else if (it->second.flags & PvmMboxPersistent) {
                it->second.owner = 0;
                ++it;
            } else {
                it = entries.erase(it);
            }
        }
        cls = entries.empty() ? classes_.erase(cls) : std::next(cls);
    }
}

}  // namespace pvm
