// gpvm3.cpp - libgpvm3: legacy link lines say -lpvm3 -lgpvm3, and Debian's binaries that
// use groups list libgpvm3.so.3 as NEEDED. The group calls themselves are in libpvm3, which
// this library depends on, so a binary built against PVM finds them through it. What PVM's
// libgpvm3 alone exports and Debian's tools import (pvm_gstat, pvmgroups) is here: the tid
// of a group server task (pvmgs.cpp) that answers their requests.
#include <dlfcn.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>

#include "pvm3.h"

namespace {

constexpr const char* kMailboxName = "pvmgs";  // where pvmgs puts its tid (pvmgs.cpp)

// findServer reads the server's tid from the mailbox (flags: PvmMboxWaitForInfo to wait for
// it), leaving the caller's receive buffer as it was. A negative result is the error.
int findServer(int flags) {
    int saved = pvm_setrbuf(0);
    int bufid = pvm_recvinfo(const_cast<char*>(kMailboxName), 0, flags);
    int tid = bufid;
    if (bufid > 0) {
        if (pvm_upkint(&tid, 1, 1) < 0) tid = PvmNoData;
        pvm_freebuf(bufid);
    }
    pvm_setrbuf(saved);
    return tid;
}

// startServer spawns pvmgs on this host: the one beside this library (the build tree), the
// one in the bin/ beside the library's directory (a prefix moved since it was installed), the
// installed one, or any pvmgs PVM's search path finds. True when one started.
bool startServer() {
    std::string dir;
    Dl_info info;
    if (dladdr(reinterpret_cast<void*>(&findServer), &info) && info.dli_fname) {
        dir = info.dli_fname;
        dir = dir.substr(0, dir.find_last_of('/') + 1);
    }
    for (std::string path :
         {dir + "pvmgs", dir + "../bin/pvmgs", std::string(PVM_INSTALL_BINDIR "/pvmgs"), std::string("pvmgs")}) {
        if (path[0] == '/' && access(path.c_str(), X_OK) != 0) continue;
        int tid = 0;
        if (pvm_spawn(path.data(), nullptr, PvmTaskHost, const_cast<char*>("."), 1, &tid) == 1) return true;
    }
    return false;
}

}  // namespace

extern "C" {

int pvm_gpvm3_present(void) { return 1; }

// pvmgs_tmout is how long pvm_gstat waits for the group server's answer (null: for ever).
struct timeval* pvmgs_tmout = nullptr;

// gs_getgstid gives the tid of the group server, starting it when none runs. Without one
// (no pvmgs program to start) it gives the error, as PVM does.
int gs_getgstid(void) {
    if (pvm_mytid() < 0) return PvmSysErr;
    int autoErr = pvm_setopt(PvmAutoErr, 0);  // not finding it at first is expected
    int tid = findServer(0);
    if (tid < 0 && startServer()) tid = findServer(PvmMboxWaitForInfo);
    pvm_setopt(PvmAutoErr, autoErr);
    return tid;
}

}  // extern "C"
