// mailbox.h - PVM's message mailbox (pvm_putinfo, pvm_recvinfo, pvm_delinfo,
// pvm_getmboxinfo): named, indexed copies of messages, owned by the task that put
// them. The master pvmd holds the only one, so every host sees the same entries.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace pvm {

/// MailEntry is one stored message.
struct MailEntry {
    int index = 0;
    int owner = 0;  // tid; 0 once the owner of a persistent entry has exited
    int flags = 0;  // as given to pvm_putinfo, direct index included
    int encoding = 0;
    std::string body;
    int putter = 0;  // the task that put it: the message's source, even once it has exited
};

/// MailClass is one name with its entries (pvm_getmboxinfo).
struct MailClass {
    std::string name;
    std::vector<MailEntry> entries;  // bodies left empty
};

class Mailbox {
public:
    /// put stores body under name for owner; returns the entry's index, or PvmDenied (the entry
    /// it would replace belongs to another task and is not PvmMboxOverWritable), PvmBadParam. As
    /// in PVM 3.4.6, PvmMboxMultiInstance adds an entry at the lowest free index from the direct
    /// index in flags (0 without one); any other put replaces the entry at the direct index (or
    /// makes it), whatever other entries the name has.
    int put(const std::string& name, int owner, int flags, int encoding, std::string body);
    /// get finds <name, index> (PvmMboxFirstAvail: the first index >= index); with
    /// PvmMboxReadAndDelete it also deletes it. An error code when there is none (PvmNotFound)
    /// or it may not be deleted (PvmDenied).
    std::variant<MailEntry, int> get(const std::string& name, int index, int flags, int requester);
    /// remove deletes <name, index>: the index (as PVM returns it), PvmNotFound, PvmDenied or
    /// PvmBadParam.
    int remove(const std::string& name, int index, int requester);
    /// list gives the classes whose names match the glob pattern ("" or "*": all).
    std::vector<MailClass> list(const std::string& pattern) const;
    /// ownerExited drops tid's entries, except persistent ones, whose owner becomes 0.
    void ownerExited(int tid);
    /// clear empties the mailbox (a reset).
    void clear() { classes_.clear(); }

private:
    static bool mayChange(const MailEntry& e, int requester);
    using Entries = std::map<int, MailEntry>;
    using Classes = std::vector<std::pair<std::string, Entries>>;
    /// find is the class named name, or end: classes keep their creation order, which is
    /// the order pvm_getmboxinfo lists them in PVM.
    Classes::iterator find(const std::string& name);
    Classes classes_;
};

}  // namespace pvm
