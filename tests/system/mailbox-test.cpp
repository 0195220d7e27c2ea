// mailbox-test.cpp - pvm_putinfo, pvm_recvinfo, pvm_delinfo and pvm_getmboxinfo with
// their flags, entries outliving (or not) their owners, and waiting for an entry.
#include <catch2/catch.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "cluster.h"
#include "pvm3.h"
#include "virtual_machine.h"

using namespace pvm::test;

namespace {
char* text(const char* s) { return const_cast<char*>(s); }

/// putInt stores one int under name; the result of pvm_putinfo.
int putInt(const char* name, int value, int flags) {
    int buf = pvm_initsend(PvmDataDefault);
    pvm_pkint(&value, 1, 1);
    return pvm_putinfo(text(name), buf, flags);
}

/// readInt fetches <name, index> and unpacks its int, or returns the error code.
int readInt(const char* name, int index, int flags) {
    int buf = pvm_recvinfo(text(name), index, flags);
    if (buf < 0) return buf;
    int v = 0;
    pvm_upkint(&v, 1, 1);
    return v;
}

/// putFromTask has a test task put value under name with flags; its tid, once done.
int putFromTask(const char* name, int flags, int value, bool stay) {
    std::string path = taskPath(), f = std::to_string(flags), v = std::to_string(value);
    char* argv[] = {text("mbox"), text(name), f.data(), v.data(), stay ? text("stay") : nullptr, nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskDefault, nullptr, 1, &tid) == 1);
    REQUIRE(pvm_recv(tid, 1) > 0);
    int r = -99;
    pvm_upkint(&r, 1, 1);
    CHECK(r >= 0);
    return tid;
}
}  // namespace

TEST_CASE("an entry goes in, comes out, and is deleted", "[mailbox]") {
    VirtualMachine vm;
    QuietErrors quiet;
    CHECK(putInt("service", 42, PvmMboxDefault) == 0);
    CHECK(readInt("service", 0, PvmMboxDefault) == 42);
    int bytes, tag, src;
    REQUIRE(pvm_bufinfo(pvm_getrbuf(), &bytes, &tag, &src) == 0);
    CHECK(src == pvm_mytid());                          // the owner
    CHECK(putInt("service", 43, PvmMboxDefault) == 0);  // its owner may replace it
    CHECK(readInt("service", 0, PvmMboxDefault) == 43);
    CHECK(readInt("service", 1, PvmMboxDefault) == PvmNotFound);
    CHECK(readInt("nothing", 0, PvmMboxDefault) == PvmNotFound);
    CHECK(pvm_delinfo(text("service"), 0, 0) == 0);
    CHECK(pvm_delinfo(text("service"), 0, 0) == PvmNotFound);
    CHECK(pvm_delinfo(text("service"), -1, 0) == PvmBadParam);
    CHECK(readInt("service", -1, 0) == PvmBadParam);
    CHECK(readInt("service", 0, PvmMboxDefault) == PvmNotFound);
    CHECK(pvm_putinfo(text(""), pvm_initsend(PvmDataDefault), 0) == PvmBadParam);
}

TEST_CASE("multiple instances get indices, and FirstAvail and getmboxinfo find them", "[mailbox]") {
    VirtualMachine vm;
    QuietErrors quiet;
    for (int i = 0; i < 3; ++i) CHECK(putInt("workers", 100 + i, PvmMboxMultiInstance) == i);
    CHECK(pvm_delinfo(text("workers"), 1, 0) == 1);            // PVM returns the index
    CHECK(putInt("workers", 200, PvmMboxMultiInstance) == 1);  // the lowest free index
    CHECK(readInt("workers", 2, PvmMboxFirstAvail) == 102);
    CHECK(pvm_delinfo(text("workers"), 0, 0) == 0);
    CHECK(readInt("workers", 0, PvmMboxFirstAvail) == 200);
    CHECK(putInt("workers", 1, PvmMboxDefault) == 0);  // entry 0 is free again: made there
    CHECK(pvm_delinfo(text("workers"), 0, 0) == 0);
    CHECK(putInt("other", 5, PvmMboxPersistent) == 0);
    int n = 0;
    struct pvmmboxinfo* classes = nullptr;
    REQUIRE(pvm_getmboxinfo(text("w*"), &n, &classes) == 0);
    REQUIRE(n == 1);
    CHECK(std::string(classes[0].mi_name) == "workers");
    REQUIRE(classes[0].mi_nentries == 2);
    CHECK(classes[0].mi_indices[0] == 1);
    CHECK(classes[0].mi_indices[1] == 2);
    CHECK(classes[0].mi_owners[0] == pvm_mytid());
    CHECK(classes[0].mi_flags[0] == PvmMboxMultiInstance);
    REQUIRE(pvm_getmboxinfo(text(""), &n, &classes) == 0);
    CHECK(n == 2);
}

TEST_CASE("entries go with their owner unless persistent", "[mailbox]") {
    VirtualMachine vm;
    QuietErrors quiet;
    REQUIRE(pvm_mytid() > 0);
    int keep = putFromTask("kept", PvmMboxPersistent, 7, false);
    int lose = putFromTask("lost", PvmMboxDefault, 8, true);
    CHECK(readInt("lost", 0, 0) == 8);
    // Not ours and not overwritable: no replacing, no deleting.
    CHECK(putInt("lost", 9, PvmMboxDefault) == PvmDenied);
    CHECK(pvm_delinfo(text("lost"), 0, 0) == PvmDenied);
    CHECK(readInt("lost", 0, PvmMboxReadAndDelete) == PvmDenied);
    pvm_initsend(PvmDataDefault);
    pvm_send(lose, 99);
    CHECK(waitFor([&] { return pvm_pstat(keep) == PvmNoTask && pvm_pstat(lose) == PvmNoTask; }));
    CHECK(waitFor([&] { return readInt("lost", 0, 0) == PvmNotFound; }));
    CHECK(readInt("kept", 0, 0) == 7);
    int bytes, tag, src;
    pvm_bufinfo(pvm_getrbuf(), &bytes, &tag, &src);
    CHECK(src == keep);  // the putter, even though it has exited (getmboxinfo's owner is 0)
}

TEST_CASE("overwritable entries may be replaced and taken by others", "[mailbox]") {
    VirtualMachine vm;
    QuietErrors quiet;
    REQUIRE(pvm_mytid() > 0);
    int owner = putFromTask("open", PvmMboxOverWritable | PvmMboxMultiInstance, 1, true);
    CHECK(putInt("open", 2, PvmMboxDirectIndex(0) | PvmMboxOverWritable) == 0);  // atomic replace
    CHECK(readInt("open", 0, PvmMboxReadAndDelete) == 2);
    CHECK(readInt("open", 0, 0) == PvmNotFound);
    pvm_initsend(PvmDataDefault);
    pvm_send(owner, 99);
}

TEST_CASE("a direct index names the entry another task's put replaces, as in PVM 3.4.6", "[mailbox]") {
    VirtualMachine vm;
    QuietErrors quiet;
    REQUIRE(pvm_mytid() > 0);
    int shut = putFromTask("shut", PvmMboxDirectIndex(2), 1, true);
    int open = putFromTask("open", PvmMboxDirectIndex(2) | PvmMboxOverWritable, 1, true);
    CHECK(putInt("shut", 2, PvmMboxDirectIndex(2)) == PvmDenied);
    CHECK(putInt("shut", 3, PvmMboxDirectIndex(2) | PvmMboxMultiInstance) == 3);  // the next free one
    CHECK(putInt("shut", 4, PvmMboxDefault) == 0);                                // index 0 is free
    CHECK(putInt("open", 5, PvmMboxDirectIndex(2)) == 2);
    CHECK(readInt("open", 2, 0) == 5);
    int n = 0;
    pvmmboxinfo* classes = nullptr;
    REQUIRE(pvm_getmboxinfo(text("open"), &n, &classes) == 0);
    REQUIRE(n == 1);
    REQUIRE(classes[0].mi_nentries == 1);
    CHECK(classes[0].mi_owners[0] == pvm_mytid());
    CHECK(classes[0].mi_flags[0] == PvmMboxDirectIndex(2));  // kept as given, index included
    for (int tid : {shut, open}) {
        pvm_initsend(PvmDataDefault);
        pvm_send(tid, 99);
    }
}

TEST_CASE("a big entry goes in and out whole, a too big one is refused at once", "[mailbox]") {
    VirtualMachine vm;
    QuietErrors quiet;
    REQUIRE(pvm_mytid() > 0);
    // 8 MB, as PVM 3.4.6 takes it: more than a control packet held until now.
    std::vector<int> data(2 * 1024 * 1024);
    data.back() = 77;
    int buf = pvm_initsend(PvmDataDefault);
    REQUIRE(pvm_pkint(data.data(), static_cast<int>(data.size()), 1) == 0);
    CHECK(pvm_putinfo(text("big"), buf, PvmMboxDefault) == 0);
    data.back() = 0;
    REQUIRE(pvm_recvinfo(text("big"), 0, 0) > 0);
    REQUIRE(pvm_upkint(data.data(), static_cast<int>(data.size()), 1) == 0);
    CHECK(data.back() == 77);
    // Over the packet limit: an error now, where the request used to go unanswered for ever.
    std::vector<char> huge(65 * 1024 * 1024);
    buf = pvm_initsend(PvmDataDefault);
    REQUIRE(pvm_pkbyte(huge.data(), static_cast<int>(huge.size()), 1) == 0);
    CHECK(pvm_putinfo(text("huge"), buf, PvmMboxDefault) == PvmOverflow);
    CHECK(readInt("big", 0, 0) >= 0);  // the daemon still answers
}

TEST_CASE("recvinfo with PvmMboxWaitForInfo waits for the entry", "[mailbox]") {
    VirtualMachine vm;
    QuietErrors quiet;
    REQUIRE(pvm_mytid() > 0);
    std::string path = taskPath();
    int tid = 0;
    // The putter is only starting when the receive reaches the master, which holds it until
    // the entry is there.
    char* argv[] = {text("mbox"), text("late"), text("0"), text("11"), text("stay"), nullptr};
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskDefault, nullptr, 1, &tid) == 1);
    CHECK(readInt("late", 0, PvmMboxWaitForInfo) == 11);
    REQUIRE(pvm_recv(tid, 1) > 0);
    pvm_initsend(PvmDataDefault);
    pvm_send(tid, 99);
    CHECK(readInt("never", 0, 0) == PvmNotFound);
}

TEST_CASE("the mailbox is one for the whole machine", "[mailbox][multihost]") {
    if (skipWithoutNamespaces()) return;
    Cluster c(2);
    QuietErrors quiet;
    REQUIRE(pvm_mytid() > 0);
    std::string host = c.address(2);
    char* names[] = {host.data()};
    int info = 0;
    REQUIRE(pvm_addhosts(names, 1, &info) == 1);
    // A task on the other host puts an entry; this one, on the master's host, reads it.
    std::string path = taskPath();
    char* argv[] = {text("mbox"), text("remote"), text("0"), text("31"), text("stay"), nullptr};
    int tid = 0;
    REQUIRE(pvm_spawn(path.data(), argv, PvmTaskHost, host.data(), 1, &tid) == 1);
    CHECK(pvm_tidtohost(tid) == 0x80000);
    REQUIRE(pvm_recv(tid, 1) > 0);
    CHECK(readInt("remote", 0, 0) == 31);
    // Its exit, seen by its own daemon, reaches the master's mailbox.
    pvm_initsend(PvmDataDefault);
    pvm_send(tid, 99);
    CHECK(waitFor([&] { return readInt("remote", 0, 0) == PvmNotFound; }));
}

namespace {
/// Entry is one row of pvm_getmboxinfo for a name: index, owner, flags.
using Entry = std::tuple<int, int, int>;
std::vector<Entry> entriesOf(const char* name) {
    int n = 0;
    struct pvmmboxinfo* classes = nullptr;
    REQUIRE(pvm_getmboxinfo(text(name), &n, &classes) == 0);
    std::vector<Entry> out;
    for (int i = 0; i < n; ++i)
        for (int k = 0; k < classes[i].mi_nentries; ++k)
            out.emplace_back(classes[i].mi_indices[k], classes[i].mi_owners[k], classes[i].mi_flags[k]);
    return out;
}
}  // namespace

// Every result below was observed on PVM 3.4.6 with the same calls.
TEST_CASE("pvm_putinfo's flags by the owner and by another task, as PVM 3.4.6", "[mailbox][behaviour]") {
    VirtualMachine vm;
    QuietErrors quiet;
    int me = pvm_mytid();
    const int P = PvmMboxPersistent, M = PvmMboxMultiInstance, O = PvmMboxOverWritable;
    // The owner: MultiInstance adds at the next index after any entry; any other put replaces
    // entry 0, flags and all.
    CHECK(putInt("mine", 1, 0) == 0);
    CHECK(putInt("mine", 2, P) == 0);
    CHECK(putInt("mine", 3, M) == 1);
    CHECK(putInt("mine", 4, O) == 0);
    CHECK(putInt("mine", 5, P | M) == 2);
    CHECK(putInt("mine", 6, P | O) == 0);
    CHECK(putInt("mine", 7, M | O) == 3);
    CHECK(entriesOf("mine") == std::vector<Entry>{{0, me, P | O}, {1, me, M}, {2, me, P | M}, {3, me, M | O}});
    CHECK(readInt("mine", 0, 0) == 6);
    CHECK(readInt("mine", 1, PvmMboxFirstAvail) == 3);
    CHECK(readInt("mine", 4, 0) == PvmNotFound);
    // Another task: a MultiInstance put always goes in; a single one only over an
    // OverWritable entry 0, which becomes its own.
    CHECK(putInt("closed", 0, P | M) == 0);
    CHECK(putInt("open", 0, O) == 0);
    int other = putFromTask("closed", M, 10, true);
    CHECK(entriesOf("closed") == std::vector<Entry>{{0, me, P | M}, {1, other, M}});
    int rival = putFromTask("open", P, 11, true);
    CHECK(entriesOf("open") == std::vector<Entry>{{0, rival, P}});
    CHECK(putInt("open", 12, 0) == PvmDenied);  // no longer ours, and not OverWritable
    CHECK(pvm_delinfo(text("closed"), 1, 0) == PvmDenied);
    CHECK(readInt("closed", 1, PvmMboxReadAndDelete) == PvmDenied);
    // Names are listed in the order they were made.
    int n = 0;
    struct pvmmboxinfo* classes = nullptr;
    REQUIRE(pvm_getmboxinfo(text("*"), &n, &classes) == 0);
    REQUIRE(n == 3);
    CHECK(std::string(classes[0].mi_name) == "mine");
    CHECK(std::string(classes[1].mi_name) == "closed");
    CHECK(std::string(classes[2].mi_name) == "open");
    // When the others exit, their plain entries go and persistent ones stay, owned by 0.
    for (int t : {other, rival}) {
        pvm_initsend(PvmDataDefault);
        pvm_send(t, 99);
    }
    REQUIRE(waitFor([&] { return pvm_pstat(other) == PvmNoTask && pvm_pstat(rival) == PvmNoTask; }));
    REQUIRE(waitFor([&] { return entriesOf("closed").size() == 1; }));
    CHECK(entriesOf("open") == std::vector<Entry>{{0, 0, P}});
    CHECK(putInt("open", 13, 0) == PvmDenied);
    CHECK(pvm_delinfo(text("open"), 0, 0) == PvmDenied);
    CHECK(pvm_delinfo(text("mine"), 2, 0) == 2);
}
