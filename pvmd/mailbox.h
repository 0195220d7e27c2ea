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
    int flags = 0;  // as given to pvm_putinfo, without the direct index
    int encoding = 0;
    std::string body;
};

/// MailClass is one name with its entries (pvm_getmboxinfo).
struct MailClass {
    std::string name;
    std::vector<MailEntry> entries;  // bodies left empty
};

class Mailbox {
public:
    /// put stores body under name for owner; returns the entry's index, or PvmExists (a
    /// single-instance name held by another task), PvmDenied (an entry that may not be
    /// overwritten), PvmBadParam.
    int put(const std::string& name, int owner, int flags, int encoding, std::string body);
    /// get finds <name, index> (PvmMboxFirstAvail: the first index >= index); with
    /// PvmMboxReadAndDelete it also deletes it. An error code when there is none (PvmNotFound)
    /// or it may not be deleted (PvmDenied).
    std::variant<MailEntry, int> get(const std::string& name, int index, int flags, int requester);
    /// remove deletes <name, index>: 0, PvmNotFound or PvmDenied.
    int remove(const std::string& name, int index, int requester);
    /// list gives the classes whose names match the glob pattern ("" or "*": all).
    std::vector<MailClass> list(const std::string& pattern) const;
    /// ownerExited drops tid's entries, except persistent ones, whose owner becomes 0.
    void ownerExited(int tid);
    /// clear empties the mailbox (a reset).
    void clear() { classes_.clear(); }

private:
    static bool mayChange(const MailEntry& e, int requester);
    std::map<std::string, std::map<int, MailEntry>> classes_;
};

}  // namespace pvm
