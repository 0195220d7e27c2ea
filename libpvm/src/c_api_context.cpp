// c_api_context.cpp - pvm3.h shims for message handlers, contexts, message info,
// pvm_recvf, messages in messages, the spawn environment, the PVM 3.3 database
// calls (on the mailbox), tasks that ask not to be reset, and pvm_start_pvmd.
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <csignal>
#include <dlfcn.h>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "c_api.h"
#include "paths.h"
#include "pvmtev.h"

using pvm::capi::guard;
using pvm::capi::session;

namespace {
/// defaultMatch is what pvm_recvf hands back first: PVM's own matching.
int defaultMatch(int mid, int tid, int tag) {
    int bytes = 0, msgtag = 0, src = 0;
    if (pvm_bufinfo(mid, &bytes, &msgtag, &src) < 0) return 0;
    struct pvmminfo info {};
    pvm_getminfo(mid, &info);
    bool tidOk = tid == -1 || src == tid;
    bool tagOk = tag == -1 ? msgtag >= 0 : msgtag == tag;
    return tidOk && tagOk && info.ctx == pvm_getcontext() ? 1 : 0;
}

std::vector<std::string> exportList() {
    std::vector<std::string> names;
    const char* v = std::getenv("PVM_EXPORT");
    std::string s = v ? v : "";
    for (std::size_t start = 0; start < s.size();) {
        std::size_t end = s.find(':', start);
        if (end == std::string::npos) end = s.size();
        if (end > start) names.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return names;
}

void setExportList(const std::vector<std::string>& names) {
    std::string joined;
    for (const auto& n : names) joined += (joined.empty() ? "" : ":") + n;
    setenv("PVM_EXPORT", joined.c_str(), 1);
}

/// pvmdBeside is the pvmd installed with this library (<prefix>/bin next to <prefix>/lib).
std::string pvmdBeside() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&pvm_start_pvmd), &info) && info.dli_fname) {
        std::string lib = info.dli_fname;
        std::string dir = lib.substr(0, lib.rfind('/'));
        for (const char* candidate : {"/../bin/pvmd", "/../pvmd/pvmd"})  // installed, build tree
            if (access((dir + candidate).c_str(), X_OK) == 0) return dir + candidate;
    }
    return "pvmd";
}

/// encodingCode is pvm_getminfo's enc as PVM 3.4.6 gives it: its own codes for XDR (0x10000000)
/// and in-place (0x20000000, on the sender's buffer), and the host's data signature for raw
/// data, which is also what an in-place message is once received.
int encodingCode(const pvm::Buffer& b) {
    int raw = pvm::dataSignature(pvm::archName());
    switch (b.body.encoding()) {
        case PvmDataDefault:
            return 0x10000000;
        case PvmDataInPlace:
            return b.dst == 0 ? 0x20000000 : raw;
        default:
            return raw;
    }
}
}  // namespace

extern "C" {

int pvm_addmhf(int src, int tag, int ctx, int (*func)(int)) {
    return guard("pvm_addmhf", [&] { return session().addHandler(src, tag, ctx, func); });
}

int pvm_delmhf(int mhid) {
    // PVM's AutoErr message names the check an id it never handed out fails.
    bool beyond = mhid >= 0 && !session().handlers().given(mhid);
    return guard(beyond ? "(mhid >= ndhandles) pvm_delmhf" : "pvm_delmhf", [&] {
        session().removeHandler(mhid);
        return 0;
    });
}

int pvm_newcontext(void) {
    return guard("pvm_newcontext", [] { return session().newContext(); });
}

extern int pvmmyctx;  // c_api_legacy.cpp: PVM's global copy of the current context

int pvm_setcontext(int ctx) {
    // PVM takes any number, even one no pvm_newcontext gave.
    return guard("pvm_setcontext", [&] {
        int old = session().context();
        session().setContext(ctx);
        pvmmyctx = ctx;
        return old;
    });
}

int pvm_freecontext(int ctx) {
    return guard("pvm_freecontext", [&] {
        session().freeContext(ctx);
        return 0;
    });
}

int pvm_export(char* name) {
    return guard("pvm_export", [&] {
        PVM_REQUIRE(name, PvmBadParam, "null variable name");
        if (!*name) return 0;  // nothing to export: PVM 3.4.6 says 0 too
        std::vector<std::string> names = exportList();
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        setExportList(names);
        return 0;
    });
}

int pvm_unexport(char* name) {
    return guard("pvm_unexport", [&] {
        PVM_REQUIRE(name && *name, PvmBadParam, "empty variable name");
        std::vector<std::string> names = exportList();
        std::erase(names, std::string(name));
        setExportList(names);
        return 0;
    });
}

int pvm_getnoresets(int** tids, int* ntids) {
    static std::vector<int> store;  // until the next call, as PVM
    return guard("pvm_getnoresets", [&] {
        store = session().noResetTasks();
        if (tids) *tids = store.data();
        if (ntids) *ntids = static_cast<int>(store.size());
        return 0;
    });
}

int pvm_getminfo(int mid, struct pvmminfo* info) {
    return guard("pvm_getminfo", [&] {
        PVM_REQUIRE(info, PvmBadParam, "null pvmminfo");
        const pvm::Buffer& b = session().buffers().get(mid);
        *info = {static_cast<int>(b.body.size()), b.context, b.tag, b.wid, encodingCode(b), 0, b.src, b.dst};
        return 0;
    });
}

int pvm_setminfo(int mid, struct pvmminfo* info) {
    return guard("pvm_setminfo", [&] {
        PVM_REQUIRE(info, PvmBadParam, "null pvmminfo");
        pvm::Buffer& b = session().buffers().get(mid);
        b.context = info->ctx;
        b.tag = info->tag;
        b.wid = info->wid;
        b.src = info->src;
        b.dst = info->dst;
        return 0;
    });
}

int pvm_getmwid(int mid) {
    return guard("pvm_getmwid", [&] { return session().buffers().get(mid).wid; });
}

int pvm_setmwid(int mid, int wid) {
    return guard("pvm_setmwid", [&] {
        session().buffers().get(mid).wid = wid;
        return 0;
    });
}

int pvm_pkmesg(int mid) {
    return guard("pvm_pkmesg", [&] {
        session().packMessage(mid, true);
        return 0;
    });
}

int pvm_pkmesgbody(int mid) {
    return guard("pvm_pkmesgbody", [&] {
        session().packMessage(mid, false);
        return 0;
    });
}

int pvm_upkmesg(void) {
    return guard("pvm_upkmesg", [] { return session().unpackMessage(); });
}

int (*pvm_recvf(int (*func)(int, int, int)))(int, int, int) {
    auto old = session().setMatch(func == defaultMatch ? nullptr : func);
    return old ? old : defaultMatch;
}

int pvm_insert(char* name, int req, int data) {
    return guard("pvm_insert", [&] {
        PVM_REQUIRE(name && *name, PvmBadParam, "empty name");
        pvm::Session& s = session();
        int flags = PvmMboxMultiInstance | PvmMboxPersistent | PvmMboxOverWritable;
        if (req >= 0) {
            int mine = 0;
            try {
                mine = s.fetchInfo(name, req, 0);
            } catch (const pvm::Error& e) {
                if (e.code() != PvmNotFound) throw;
            }
            if (mine > 0) {
                pvm::BufferRelease release{s.buffers(), mine};
                return PvmDupEntry;
            }
            flags |= PvmMboxDirectIndex(req);
        }
        int id = s.buffers().create(PvmDataDefault);
        pvm::BufferRelease release{s.buffers(), id};
        s.buffers().get(id).body.packCopied(pvm::DataType::Int, &data, 1, 1);
        return s.putInfo(name, id, flags);
    });
}

int pvm_lookup(char* name, int req, int* datap) {
    return guard("pvm_lookup", [&] {
        PVM_REQUIRE(name && *name, PvmBadParam, "empty name");
        pvm::Session& s = session();
        int id = s.fetchInfo(name, req < 0 ? 0 : req, req < 0 ? PvmMboxFirstAvail : 0);
        pvm::BufferRelease release{s.buffers(), id};
        int data = 0;
        s.buffers().get(id).body.unpack(pvm::DataType::Int, &data, 1, 1);
        if (datap) *datap = data;
        return 0;
    });
}

int pvm_delete(char* name, int req) {
    return guard("pvm_delete", [&] {
        PVM_REQUIRE(name && *name, PvmBadParam, "empty name");
        session().delInfo(name, req, 0);
        return 0;
    });
}

int pvm_settmask(int who, Pvmtmask mask) {
    return guard("pvm_settmask", [&] {
        PVM_REQUIRE(who == PvmTaskSelf || who == PvmTaskChild, PvmBadParam, "who " + std::to_string(who));
        PVM_REQUIRE(mask, PvmBadParam, "null trace mask");
        session().setTraceMask(who == PvmTaskChild, std::string(mask, strnlen(mask, TEV_MASK_LENGTH - 1)));
        return 0;
    });
}

int pvm_gettmask(int who, Pvmtmask mask) {
    return guard("pvm_gettmask", [&] {
        PVM_REQUIRE(who == PvmTaskSelf || who == PvmTaskChild, PvmBadParam, "who " + std::to_string(who));
        PVM_REQUIRE(mask, PvmBadParam, "null trace mask");
        std::string m = session().traceMask(who == PvmTaskChild);
        std::memcpy(mask, m.c_str(), m.size() + 1);
        return 0;
    });
}

int pvm_start_pvmd(int argc, char** argv, int block) {
    (void)block;  // our pvmd returns only once it is ready: every start blocks
    if (auto running = pvm::readAddressFile(); running && kill(running->pid, 0) == 0)
        return pvm::capi::report("pvm_start_pvmd", PvmDupHost, "a pvmd is already running");
    std::string pvmd = pvmdBeside();
    std::vector<char*> args{const_cast<char*>(pvmd.c_str())};
    for (int i = 0; i < argc && argv; ++i) args.push_back(argv[i]);
    args.push_back(nullptr);
    pid_t pid = fork();
    if (pid < 0) return pvm::capi::report("pvm_start_pvmd", PvmSysErr, "fork");
    if (pid == 0) {
        execvp(args[0], args.data());
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return pvm::capi::report("pvm_start_pvmd", PvmCantStart, (pvmd + " did not start").c_str());
    return pvm_mytid() < 0 ? PvmSysErr : 0;
}

}  // extern "C"
