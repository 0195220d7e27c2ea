// mailbox.cpp - the rules of pvm_putinfo's flags.
#include "mailbox.h"

#include <fnmatch.h>

#include <algorithm>

#include "pvm3.h"

namespace pvm {

bool Mailbox::mayChange(const MailEntry& e, int requester) {
    return e.owner == requester || (e.flags & PvmMboxOverWritable);
}

Mailbox::Classes::iterator Mailbox::find(const std::string& name) {
    return std::find_if(classes_.begin(), classes_.end(), [&](const auto& c) { return c.first == name; });
}

int Mailbox::put(const std::string& name, int owner, int flags, int encoding, std::string body) {
    if (name.empty()) return PvmBadParam;
    // PVM 3.4.6's rule: the direct index in the flags (0 without one) is where the entry goes,
    // or with PvmMboxMultiInstance where the search for a free index starts; the flags are kept
    // as given, direct index and unknown bits included (pvm_getmboxinfo shows them).
    int index = PvmMboxDirectIndexOf(flags);
    auto cls = find(name);
    if (cls == classes_.end()) cls = classes_.insert(classes_.end(), {name, {}});
    auto& entries = cls->second;
    if (flags & PvmMboxMultiInstance) {
        while (entries.count(index)) ++index;
    } else if (auto it = entries.find(index); it != entries.end() && !mayChange(it->second, owner)) {
        return PvmDenied;
    }
    entries[index] = MailEntry{index, owner, flags, encoding, std::move(body), owner};
    return index;
}

std::variant<MailEntry, int> Mailbox::get(const std::string& name, int index, int flags, int requester) {
    if (index < 0) return PvmBadParam;
    auto cls = find(name);
    if (cls == classes_.end()) return PvmNotFound;
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
    if (index < 0) return PvmBadParam;
    auto cls = find(name);
    if (cls == classes_.end()) return PvmNotFound;
    auto it = cls->second.find(index);
    if (it == cls->second.end()) return PvmNotFound;
    if (!mayChange(it->second, requester)) return PvmDenied;
    cls->second.erase(it);
    if (cls->second.empty()) classes_.erase(cls);
    return index;
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
