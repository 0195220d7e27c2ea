// c_api_misc.cpp - pvm3.h shims for options, errors, output collection and versions.
#include <cstdlib>
#include <cstring>
#include <unistd.h>

#include "c_api.h"
#include "paths.h"
#include "tid.h"

using pvm::capi::guard;
using pvm::capi::session;

namespace pvm::capi {

namespace {
std::string who() {
    Session& s = Session::instance();
    if (s.enrolled()) return formatTid(s.tid());
    return "pid" + std::to_string(getpid());
}
}  // namespace

int report(const char* function, int code, const char* context) {
    Session& s = Session::instance();
    s.lastError = code;
    s.lastErrorContext = context ? context : "";
    int mode = autoErrSetting();
    if (mode > 0) {
        std::fprintf(stderr, "libpvm [%s]: %s(): %s\n", who().c_str(), function, errorText(code));
        std::fflush(stderr);
        if (mode == 2) std::exit(1);
        if (mode == 3) std::abort();
    }
    return code;
}

}  // namespace pvm::capi

extern "C" {

int pvm_setopt(int what, int value) {
    return guard("pvm_setopt", [&] {
        // As PVM 3.4.6: trace options take only PvmTraceFull/Time/Count, and the "self"
        // contexts cannot be set.
        if (what == PvmTraceOptions || what == PvmSelfTraceOptions)
            PVM_REQUIRE(value >= PvmTraceFull && value <= PvmTraceCount, PvmBadParam,
                        "trace options " + std::to_string(value));
        PVM_REQUIRE(what != PvmSelfOutputContext && what != PvmSelfTraceContext, PvmNotImpl,
                    "option " + std::to_string(what));
        return session().setOption(what, value);
    });
}

int pvm_getopt(int what) {
    return guard("pvm_getopt", [&] {
        // PVM 3.4.6 can set these but not read them back.
        PVM_REQUIRE(what != PvmPollType && what != PvmPollTime, PvmBadParam, "option " + std::to_string(what));
        return session().option(what);
    });
}

int pvm_perror(char* message) {
    pvm::Session& s = session();
    std::fprintf(stderr, "libpvm [%s]: %s: %s\n",
                 s.enrolled() ? pvm::formatTid(s.tid()).c_str() : ("pid" + std::to_string(getpid())).c_str(),
                 message ? message : "", pvm::errorText(s.lastError));
    return 0;
}

char* pvm_strerror(void) { return const_cast<char*>(pvm::errorText(session().lastError)); }

int pvm_catchout(FILE* file) {
    guard("pvm_catchout", [&] {
        session().catchOutput(file);
        return 0;
    });
    return 0;  // documented to always return 0
}

char* pvm_version(void) { return const_cast<char*>(PVM_VER); }

int pvm_archcode(char* arch) {
    // Data signature classes: every little-endian LP64 Linux host shares one.
    if (!arch) return pvm::capi::report("pvm_archcode", PvmBadParam, "null arch");
    if (std::strcmp(arch, "LINUX64") == 0 || std::strcmp(arch, "LINUX") == 0 || std::strcmp(arch, "LINUXARM") == 0)
        return 1;
    return pvm::capi::report("pvm_archcode", PvmNotFound, arch);
}

int pvm_getfds(int** fds) {
    static int fd[1];
    return guard("pvm_getfds", [&] {
        fd[0] = session().eventFd();
        if (fds) *fds = fd;
        return 1;
    });
}

int pvm_getcontext(void) { return session().context(); }

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
