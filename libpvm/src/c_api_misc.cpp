// c_api_misc.cpp - pvm3.h shims for options, errors, output collection and versions.
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "c_api.h"
#include "paths.h"
#include "tid.h"

using pvm::capi::guard;
using pvm::capi::session;

extern "C" char* pvm_errlist[];  // c_api_legacy.cpp, PVM's table
extern "C" int pvm_nerr;

namespace pvm::capi {

namespace {
/// perrorText is the text PVM 3.4.6 prints for code, in pvm_perror and AutoErr messages alike:
/// pvm_errlist's entry ("Error 1" for a number with no meaning), "Unknown Error" outside it.
const char* perrorText(int code) {
    if (code <= 0 && -code < pvm_nerr && pvm_errlist[-code]) return pvm_errlist[-code];
    return "Unknown Error";
}

std::string who() {
    Session& s = Session::instance();
    if (s.enrolled()) return formatTid(s.tid());
    return "pid" + std::to_string(getpid());
}
}  // namespace

int report(const char* function, int code, const char* context, bool quiet) {
    Session& s = Session::instance();
    s.lastError = code;
    pvm_errno = code;
    s.lastErrorContext = context ? context : "";
    int mode = autoErrSetting();
    if (mode > 0 && !quiet) {
        std::fprintf(stderr, "libpvm [%s]: %s(): %s\n", who().c_str(), function, perrorText(code));
        std::fflush(stderr);
        if (mode == 2) std::exit(code);  // PVM's status: 254 for PvmBadParam
        if (mode == 3) std::abort();
    }
    return code;
}

}  // namespace pvm::capi

extern "C" {

// pvm_errno is the code of the last failed call: PVM's libpvm3 exports it (pvm3.h does not
// declare it) and pvm_perror and pvm_strerror read it, so a program may set it itself.
int pvm_errno = 0;
}

namespace {
// PVM's library looks a registered tracer up in the mailbox as a task enrols; there never is one
// here (pvm_reg_tracer is not implemented), and that lookup leaves pvm_errno at PvmNotFound.
[[maybe_unused]] const bool kEnrolmentErrno = (
    pvm::Session::afterEnroll = [] { pvm_errno = PvmNotFound; }, true);
}  // namespace

extern "C" {

extern int pvmdebmask;  // c_api_legacy.cpp: PVM's own variable for PvmDebugMask

int pvm_setopt(int what, int value) {
    int old = guard("pvm_setopt", [&] {
        pvm::Session& s = session();
        // PVM 3.4.6 sends children's output and trace only to the log (0), to the caller itself,
        // or leaves them where they are; the Self* destinations take any value unchecked. Trace
        // options take only PvmTraceFull/Time/Count, and the "self" contexts cannot be set.
        if (what == PvmOutputTid || what == PvmTraceTid)
            PVM_REQUIRE(value == 0 || value == s.tid() || value == s.option(what), PvmBadParam,
                        "destination " + pvm::formatTid(value));
        if (what == PvmTraceOptions || what == PvmSelfTraceOptions)
            PVM_REQUIRE(value >= PvmTraceFull && value <= PvmTraceCount, PvmBadParam,
                        "trace options " + std::to_string(value));
        PVM_REQUIRE(what != PvmSelfOutputContext && what != PvmSelfTraceContext, PvmNotImpl,
                    "option " + std::to_string(what));
        return s.setOption(what, value);
    });
    // PVM 3.4.6 reports code 0 after setting these two: "pvm_setopt(): Error 0" under
    // PvmAutoErr (exit status 0 with 2), and pvm_errno 0.
    if (old >= 0 && (what == PvmSelfOutputCode || what == PvmSelfTraceCode)) pvm::capi::report("pvm_setopt", 0, "");
    if (what == PvmDebugMask && old >= 0) {
        // Programs also set pvmdebmask directly (PVM's ptest): the variable is the option.
        old = pvmdebmask;
        pvmdebmask = value;
    }
    return old;
}

int pvm_getopt(int what) {
    return guard("pvm_getopt", [&] {
        // PVM 3.4.6 can set these but not read them back.
        PVM_REQUIRE(what != PvmPollType && what != PvmPollTime, PvmBadParam, "option " + std::to_string(what));
        return what == PvmDebugMask ? pvmdebmask : session().option(what);
    });
}

int pvm_perror(char* message) {
    pvm::Session& s = session();
    std::fprintf(stderr, "libpvm [%s]: %s: %s\n",
                 s.enrolled() ? pvm::formatTid(s.tid()).c_str() : ("pid" + std::to_string(getpid())).c_str(),
                 message ? message : "", pvm::capi::perrorText(pvm_errno));
    return 0;
}

char* pvm_strerror(void) { return const_cast<char*>(pvm::capi::perrorText(pvm_errno)); }

int pvm_catchout(FILE* file) {
    guard("pvm_catchout", [&] {
        session().catchOutput(file);
        return 0;
    });
    return 0;  // documented to always return 0
}

char* pvm_version(void) { return const_cast<char*>(PVM_VER); }

int pvm_archcode(char* arch) {
    // As PVM 3.4.6: the data signature of a host of that architecture in the machine now, so two
    // names share a code only when their hosts exchange raw data; no such host is PvmNotFound.
    if (!arch) return pvm::capi::report("pvm_archcode", PvmBadParam, "null arch");
    return guard("pvm_archcode", [&] {
        for (const auto& host : session().config())
            if (host.arch == arch) return host.dataSignature;
        throw pvm::Error(PvmNotFound, arch);
    });
}

int pvm_getfds(int** fds) {
    static int fd[1];
    return guard("pvm_getfds", [&] {
        fd[0] = session().eventFd();
        if (fds) *fds = fd;
        return 1;
    });
}

int pvm_getcontext(void) {
    // Enrols first, as PVM: a spawned task's first call must see the context it starts in.
    return guard("pvm_getcontext", [] {
        session().tid();
        return session().context();
    });
}

char* pvmgettmp(void) {
    static std::string dir;
    dir = pvm::tmpDir();
    return dir.data();
}

char* pvmgetrsh(void) {
    const char* rsh = std::getenv("PVM_RSH");
    return const_cast<char*>(rsh && *rsh ? rsh : "ssh");
}

char* pvmtmpnam(char* buf) {
    static char own[PVMTMPNAMLEN];
    static int counter = 0;
    char* out = buf ? buf : own;
    std::snprintf(out, PVMTMPNAMLEN, "%s/pvmtmp%d.%d", pvm::tmpDir().c_str(), static_cast<int>(getpid()), counter++);
    return out;
}

}  // extern "C"
