// pvmgs.cpp - the group server task that PVM's group tools talk to. Groups themselves are
// kept by the master pvmd; this task only answers the two requests of Debian's pvm_gstat
// (tag 10: every group's state) and pvmgroups (tag 9: print the groups on stdout), which
// they send in PVM's group server context to the tid gs_getgstid gives them (gpvm3.cpp
// starts this program when no server runs). The answer has the layout pvm_gstat unpacks:
// int ngroups, then per group int strlen(name), string name, int size, int ntids,
// int barrier count (-1: none), int members at the barrier, int tids[ntids] by instance
// (-1 where free), ntids a multiple of 10 as in PVM.
#include <cstdio>
#include <string>
#include <vector>

#include "pvm3.h"
#include "session.h"

namespace {

constexpr int kServerContext = 524284;  // PVM's context for the group server's messages
constexpr int kPrintTag = 9;
constexpr int kStateTag = 10;
constexpr const char* kMailboxName = "pvmgs";  // gs_getgstid looks the server up here

void sendStates(int to) {
    auto states = pvm::Session::instance().groupStates();
    pvm_initsend(PvmDataDefault);
    int n = static_cast<int>(states.size());
    pvm_pkint(&n, 1, 1);
    for (auto& g : states) {
        int len = static_cast<int>(g.name.size());
        int size = 0;
        for (int t : g.tids) size += t >= 0;
        int ntids = (static_cast<int>(g.tids.size()) + 9) / 10 * 10;
        if (ntids == 0) ntids = 10;
        g.tids.resize(static_cast<std::size_t>(ntids), -1);
        pvm_pkint(&len, 1, 1);
        pvm_pkstr(g.name.data());
        pvm_pkint(&size, 1, 1);
        pvm_pkint(&ntids, 1, 1);
        pvm_pkint(&g.barrierCount, 1, 1);
        pvm_pkint(&g.barrierReached, 1, 1);
        pvm_pkint(g.tids.data(), ntids, 1);
    }
    pvm_send(to, kStateTag);
}

void printGroups() {
    for (const auto& g : pvm::Session::instance().groupStates()) {
        std::printf("group %s:", g.name.c_str());
        for (std::size_t i = 0; i < g.tids.size(); ++i)
            if (g.tids[i] >= 0) std::printf(" %zu t%x", i, static_cast<unsigned>(g.tids[i]));
        std::printf("\n");
    }
    std::fflush(stdout);
}

}  // namespace

int main() {
    int me = pvm_mytid();
    if (me < 0) return 1;
    // One server per virtual machine: the mailbox entry (gone when this task exits) says
    // which. A second one started at the same time finds it taken and leaves.
    pvm_setopt(PvmAutoErr, 0);
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&me, 1, 1);
    if (pvm_putinfo(const_cast<char*>(kMailboxName), pvm_getsbuf(), PvmMboxDefault) < 0) {
        pvm_exit();
        return 0;
    }
    pvm_setcontext(kServerContext);
    for (;;) {
        int bufid = pvm_recv(-1, -1);
        if (bufid < 0) break;  // the pvmd is gone
        int bytes = 0, tag = 0, src = 0;
        pvm_bufinfo(bufid, &bytes, &tag, &src);
        if (tag == kStateTag)
            sendStates(src);
        else if (tag == kPrintTag)
            printGroups();
        pvm_freebuf(bufid);
    }
    pvm_exit();
    return 0;
}
