// c_api_legacy.cpp - what PVM 3.4's libpvm3 exports beyond pvm3.h and programs use anyway:
// the examples call pvmsleep, pvmgetclock, lpvmerr, pvmdisplaymhfinfo and set pvmdebmask;
// Debian's console and trace tools read pvm_errlist, pvm_nerr, pvmtevinfo and pvmtevdidlist
// and call pvmendtask, pvmputenv, pvmreset, pvmstrtoi. The data objects have PVM's types and
// sizes, so that binaries built against Debian's libpvm3 (copy relocations included) run on
// this library. Behaviour was observed on PVM 3.4.6 (docs/compatibility.md, "Legacy symbols").
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "c_api.h"
#include "pvmtev.h"
#include "tid.h"
#include "trace_events.h"

using pvm::capi::session;

namespace {

// pvm_errlist has PVM's size: an entry for each code from 0 to PvmIPLoopback (-36).
constexpr int kErrors = 37;

// errlistText is pvm_errlist[index], what a legacy program prints through pvm_errlist[-cc]: the
// code's text (errors.cpp), or "Error N" where PVM's table has none (0 and its gaps).
const char* errlistText(int index) {
    static std::string gaps[kErrors];
    if (index > 0 && pvm::knownError(-index)) return pvm::errorText(-index);
    gaps[index] = "Error " + std::to_string(index);
    return gaps[index].c_str();
}

// The trace data identifiers, in TEV_DID_ order (pvmtev.h). The description is the
// identifier itself: the tools that read the list print both.
const char* const kDataIds[TEV_DID_MAX + 1] = {
    "AN",  "AC",  "AS",  "BF",  "CC",  "CN",  "CI",  "CF",  "CD",  "CR",  "CL",  "CDA", "CDT", "CDX", "CDC", "CGI",
    "CRF", "CXC", "CXF", "CXN", "CXS", "ERI", "ERR", "FDS", "FP",  "GN",  "GI",  "GT",  "GS",  "GBC", "HN",  "HNL",
    "HNA", "HPT", "HA",  "HSP", "HIS", "HCS", "HCU", "HDS", "HDU", "HS",  "INB", "IMC", "IST", "MC",  "MCX", "MB",
    "MNB", "SRC", "DST", "MDL", "MTS", "MTU", "MRF", "MRB", "MSB", "ME",  "MHI", "AST", "AMC", "AML", "NE",  "NMC",
    "NCT", "NTL", "NH",  "NA",  "OPT", "OPV", "OS",  "PDA", "PDT", "PC",  "PSD", "PSG", "PF",  "PRF", "RST", "RMC",
    "RCX", "SN",  "SE",  "SF",  "SW",  "SC",  "STL", "SIB", "TID", "PT",  "MT",  "TF",  "TN",  "PID", "TT",  "TW",
    "TIS", "TNT", "TST", "TUS", "TUU", "TSS", "TSU", "TES", "TA",  "TR",  "TS",  "TU",  "TGS", "TGU", "TMW", "TM",
    "TRC", "TRT", "TRX", "TRO", "TRM", "TRB", "TRL", "VER", "VCT", "VID", "WID",
};

// The names of PVM's events that are not calls (the calls' names come from trace_events.h).
const char* eventName(int event) {
    switch (event) {
        case TEV_NEWTASK:
            return "newtask";
        case TEV_ENDTASK:
            return "endtask";
        case TEV_SPNTASK:
            return "spntask";
        case TEV_GETINFO:
            return "getinfo";
        case TEV_MHF_INVOKE:
            return "mhf_invoke";
        case TEV_TIMING:
            return "timing";
        case TEV_PROFILING:
            return "profiling";
        case TEV_USER_DEFINED:
            return "user_defined";
        default:
            return nullptr;
    }
}

}  // namespace

extern "C" {

// Data. Sizes as PVM's: pvm_errlist 37 pointers, pvmtevinfo TEV_MAX + 1 entries,
// pvmtevdidlist TEV_DID_MAX + 1 entries. They are filled in when the library loads.
char* pvm_errlist[kErrors];
int pvm_nerr = kErrors;
struct Pvmtevinfo pvmtevinfo[TEV_MAX + 1];
struct Pvmtevdid pvmtevdidlist[TEV_DID_MAX + 1];

// pvmdebmask is PvmDebugMask: pvm_setopt sets it, and pvm_getopt reads it (c_api_misc.cpp).
// Nothing here prints debugging output, so it is stored only.
int pvmdebmask = 0;

// pvmmyctx is the current context, kept by pvm_setcontext (c_api_context.cpp); pvmctrc is
// where this task's trace and output go, in PVM's layout. Debian's srm.pvm reads both.
// pvmctrc stays zero: the options of pvm_setopt are the ones that count here.
int pvmmyctx = 0;
struct Pvmtracer pvmctrc;

// pvmnametag names a message tag: PVM knows its own protocol's tags (TM_CONNECT...), which
// this implementation does not use, so every tag is given in decimal with *found = 0.
char* pvmnametag(int tag, int* found) {
    static char buf[16];
    std::snprintf(buf, sizeof buf, "%d", tag);
    if (found) *found = 0;
    return buf;
}

int pvmsleep(int seconds) { return static_cast<int>(sleep(static_cast<unsigned>(seconds))); }

int pvmgetclock(struct timeval* tv) { return gettimeofday(tv, nullptr); }

// lpvmerr reports code as the failure of function f, as every libpvm call does (PvmAutoErr,
// pvm_perror), and returns it. PVM prints even a code of 0 ("Error 0").
int lpvmerr(const char* f, int code) { return pvm::capi::report(f ? f : "", code, nullptr); }

// pvmstrtoi reads an int as C source writes one: 0x1F in hex, 017 in octal, else decimal.
int pvmstrtoi(const char* s) {
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return static_cast<int>(std::strtoul(s + 2, nullptr, 16));
    if (s[0] == '0') return static_cast<int>(std::strtol(s, nullptr, 8));
    return static_cast<int>(std::strtol(s, nullptr, 10));
}

// pvmxtoi reads hex digits, with or without 0x.
int pvmxtoi(const char* s) {
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2;
    return static_cast<int>(std::strtoul(s, nullptr, 16));
}

// pvmputenv takes "NAME=value" into this process's environment, where tasks it spawns find
// it through PVM_EXPORT. A string without '=' gives -1, as in PVM.
int pvmputenv(const char* s) {
    if (!s || !*s || !std::strchr(s, '=') || s[0] == '=') return -1;
    // putenv keeps the pointer: the copy lives as long as the process, as PVM's does.
    char* copy = strdup(s);
    if (!copy || putenv(copy) != 0) return -1;
    return 0;
}

// pvmendtask leaves the virtual machine without waiting for anything (the console's exit path).
int pvmendtask(void) {
    try {
        if (session().enrolled()) session().exit();
    } catch (const std::exception&) {
        // Leaving an unreachable daemon is no error.
    }
    return 0;
}

// pvmreset is the console's reset: with killtasks, every task but mytid and those that asked
// not to be reset (pvm_getnoresets) is killed. PVM's class and index select mailbox entries
// to keep; entries here go with their owners anyway, so they are not needed.
int pvmreset(int mytid, int killtasks, char* /*klass*/, int /*index*/) {
    if (!killtasks) return 0;
    int ntask = 0;
    struct pvmtaskinfo* tasks = nullptr;
    int cc = pvm_tasks(0, &ntask, &tasks);
    if (cc < 0) return cc;
    std::vector<int> victims;
    for (int i = 0; i < ntask; ++i) victims.push_back(tasks[i].ti_tid);
    int* keep = nullptr;
    int nkeep = 0;
    if (pvm_getnoresets(&keep, &nkeep) < 0) nkeep = 0;
    for (int tid : victims) {
        bool spared = tid == mytid;
        for (int k = 0; k < nkeep && !spared; ++k) spared = keep[k] == tid;
        if (!spared) pvm_kill(tid);
    }
    return 0;
}

// pvmdisplaymhfinfo prints the task's message handler table on stdout as PVM 3.4.6 does: its
// two arrays slot by slot (freed and stale slots included), the free list, then a flush.
void pvmdisplaymhfinfo(const char* who, const char* msg, int tid) {
    const pvm::HandlerTable& table = session().handlers();
    std::string t = pvm::formatTid(tid);
    std::printf("\n%s %s: Display Message Handler Information: ndhandles = %d\tnhandles = %d\tfl_dhandles = %d\n", who,
                t.c_str(), table.idSlots(), table.inUse(), table.freeHead());
    std::printf("pvmdisplaymhfinfo: free list.  head <- ");
    for (int id : table.freeIds()) std::printf("%d ", id);
    std::printf("-< tail\n");
    std::printf("%s %s: %s\n", who, t.c_str(), msg);
    for (int i = 0; i < table.idSlots(); ++i) {
        const auto& d = table.idSlot(i);
        const auto& h = table.handlerSlot(i);
        std::printf(
            "%s %s: dhandles[%2d].mhid = %2d  .handle = %2d     handles[%2d].mhid = %2d  .header.src = t%-8x"
            "  .header.ctx = %8d  .header.tag= %8d\n",
            who, t.c_str(), i, d.id, d.handle, i, h.id, static_cast<unsigned>(h.src), h.context, h.tag);
    }
    std::printf("\n\n");
    std::fflush(stdout);
}

// i_dump is PVM's debugging allocator's report; there is none here.
int i_dump(int /*how*/) { return 0; }

}  // extern "C"

namespace {

// Fills the data objects when the library is loaded, before any program code runs.
struct LegacyDataInit {
    LegacyDataInit() {
        for (int i = 0; i < kErrors; ++i) pvm_errlist[i] = const_cast<char*>(errlistText(i));
        for (int i = 0; i <= TEV_DID_MAX; ++i)
            pvmtevdidlist[i] = {const_cast<char*>(kDataIds[i]), const_cast<char*>(kDataIds[i])};
        for (int i = 0; i <= TEV_MAX; ++i) {
            const char* name = eventName(i);
            if (!name) name = pvm::traceEventShortName(i);
            pvmtevinfo[i].name = const_cast<char*>(name ? name : "");
        }
    }
};
const LegacyDataInit legacyDataInit;

}  // namespace
