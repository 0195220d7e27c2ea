// mailbox-test.cpp - pvm_putinfo, pvm_recvinfo, pvm_delinfo and pvm_getmboxinfo with
// their flags, entries outliving (or not) their owners, and waiting for an entry.
#include <catch2/catch.hpp>
#include <string>

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
    CHECK(readInt("service", 0, PvmMboxDefault) == PvmNotFound);
    CHECK(pvm_putinfo(text(""), pvm_initsend(PvmDataDefault), 0) == PvmBadParam);
}

TEST_CASE("multiple instances get indices; FirstAvail and getmboxinfo find them", "[mailbox]") {
    VirtualMachine vm;
    QuietErrors quiet;
    for (int i = 0; i < 3; ++i) CHECK(putInt("workers", 100 + i, PvmMboxMultiInstance) == i);
    CHECK(pvm_delinfo(text("workers"), 1, 0) == 0);
    CHECK(putInt("workers", 200, PvmMboxMultiInstance) == 1);  // the lowest free index
    CHECK(readInt("workers", 2, PvmMboxFirstAvail) == 102);
    CHECK(pvm_delinfo(text("workers"), 0, 0) == 0);
    CHECK(readInt("workers", 0, PvmMboxFirstAvail) == 200);
    CHECK(putInt("workers", 1, PvmMboxDefault) == PvmExists);  // a single instance cannot join
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
    CHECK(putInt("lost", 9, PvmMboxDefault) == PvmExists);
    CHECK(pvm_delinfo(text("lost"), 0, 0) == PvmDenied);
    CHECK(readInt("lost", 0, PvmMboxReadAndDelete) == PvmDenied);
    pvm_initsend(PvmDataDefault);
    pvm_send(lose, 99);
    CHECK(waitFor([&] { return pvm_pstat(keep) == PvmNoTask && pvm_pstat(lose) == PvmNoTask; }));
    CHECK(waitFor([&] { return readInt("lost", 0, 0) == PvmNotFound; }));
    CHECK(readInt("kept", 0, 0) == 7);
    int bytes, tag, src;
    pvm_bufinfo(pvm_getrbuf(), &bytes, &tag, &src);
    CHECK(src == 0);  // its owner has exited
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
