// c_api_task.cpp - pvm3.h shims for tasks and hosts: enroll, spawn, kill, config...
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "c_api.h"
#include "tid.h"

using pvm::capi::guard;
using pvm::capi::session;

extern "C" {

int pvm_mytid(void) {
    return guard("pvm_mytid", [] { return session().tid(); });
}

int pvm_parent(void) {
    // PvmNoParent is an answer, not a failure worth printing.
    try {
        return session().parent();
    } catch (const pvm::Error& e) {
        if (e.code() == PvmNoParent) return PvmNoParent;
        return pvm::capi::report("pvm_parent", e.code(), e.what());
    }
}

int pvm_exit(void) {
    return guard("pvm_exit", [] {
        pvm::Session& s = session();
        s.traceCall("pvm_exit", 0);  // while it still can: afterwards the link is gone
        s.exit([&s] {
            // PVM 3.4.6's pvm_exit deletes every handler id it ever gave, its own ones included:
            // each freed id is a "pvm_delmhf(): Not Found" under PvmAutoErr (mhf_server shows one).
            for (int id = 0; id < s.handlers().idSlots(); ++id) {
                try {
                    s.removeHandler(id);
                } catch (const pvm::Error& e) {
                    pvm::capi::report("pvm_delmhf", e.code(), e.what());
                }
            }
        });
        return 0;
    });
}

int pvm_halt(void) {
    return guard("pvm_halt", [] {
        session().halt();
        return 0;
    });
}

int pvm_spawn(char* task, char** argv, int flags, char* where, int count, int* tids) {
    return guard("pvm_spawn", [&] {
        PVM_REQUIRE(task && *task, PvmBadParam, "no executable given");
        PVM_REQUIRE(count >= 1, PvmBadParam, "task count " + std::to_string(count));
        pvm::SpawnRequest request;
        request.file = task;
        for (char** a = argv; a && *a; ++a) request.argv.push_back(*a);
        request.flags = flags;
        if (where) request.where = where;
        request.count = count;
        std::vector<int> result = session().spawn(request);
        int started = 0;
        for (std::size_t i = 0; i < result.size() && i < static_cast<std::size_t>(count); ++i) {
            if (tids) tids[i] = result[i];
            if (result[i] > 0) ++started;
        }
        // Copies that failed say why in tids[] only: PVM 3.4.6 neither prints nor sets pvm_errno
        // (a program's pvm_perror after a short spawn shows the error of an earlier call).
        return started;
    });
}

int pvm_kill(int tid) {
    // PVM 3.4.6 returns 0, silently, for a task that does not exist.
    return guard("pvm_kill", [&] {
        try {
            session().kill(tid);
        } catch (const pvm::Error& e) {
            if (e.code() == PvmNoTask) return 0;
            // PVM's pvm_kill goes through pvm_sendsig, whose AutoErr message comes first.
            pvm::capi::report("pvm_sendsig", e.code(), e.what());
            throw;
        }
        return 0;
    });
}

int pvm_sendsig(int tid, int signum) {
    return guard("pvm_sendsig", [&] {
        // PVM 3.4.6 reports neither a signal number the kernel refuses nor a task that is
        // gone: 0 for both (a bad tid is still PvmBadParam).
        PVM_REQUIRE(tid > 0, PvmBadParam, "tid " + std::to_string(tid));
        if (signum < 1 || signum > 64) return 0;
        try {
            session().sendSignal(tid, signum);
        } catch (const pvm::Error& e) {
            if (e.code() != PvmNoTask) throw;
        }
        return 0;
    });
}

int pvm_siblings(int** tids) {
    return guard("pvm_siblings", [&] {
        const auto& s = session().siblings();
        if (tids) *tids = const_cast<int*>(s.data());
        return static_cast<int>(s.size());
    });
}

int pvm_config(int* nhost, int* narch, struct pvmhostinfo** hostp) {
    static std::vector<pvm::HostEntry> hosts;
    static std::vector<pvmhostinfo> infos;
    return guard("pvm_config", [&] {
        hosts = session().config();
        infos.clear();
        std::vector<std::string> archs;
        for (auto& h : hosts) {
            infos.push_back({h.tid, h.name.data(), h.arch.data(), h.speed, h.dataSignature});
            if (std::find(archs.begin(), archs.end(), h.arch) == archs.end()) archs.push_back(h.arch);
        }
        if (nhost) *nhost = static_cast<int>(hosts.size());
        if (narch) *narch = static_cast<int>(archs.size());
        if (hostp) *hostp = infos.data();
        return 0;
    });
}

int pvm_tasks(int where, int* ntask, struct pvmtaskinfo** taskp) {
    static std::vector<pvm::TaskEntry> tasks;
    static std::vector<pvmtaskinfo> infos;
    return guard("pvm_tasks", [&] {
        PVM_REQUIRE(where >= 0, PvmNoHost, "no host " + std::to_string(where));  // PVM's code
        tasks = session().tasks(where);
        infos.clear();
        for (auto& t : tasks) infos.push_back({t.tid, t.parent, t.hostTid, t.flags, t.name.data(), t.pid});
        if (ntask) *ntask = static_cast<int>(tasks.size());
        if (taskp) *taskp = infos.data();
        pvm_errno = PvmNoData;  // PVM's reads its reply until PvmNoData, which stays in pvm_errno
        return 0;
    });
}

int pvm_pstat(int tid) {
    try {
        // A daemon's tid (local part 0) is no task's: PVM 3.4.6 says PvmBadParam.
        PVM_REQUIRE((tid & 0x3ffff) != 0, PvmBadParam, "pvm_pstat of a daemon's tid");
        return pvm::capi::session().pstat(tid);
    } catch (const pvm::Error& e) {
        // PvmNoTask answers the question; only real failures are reported.
        if (e.code() == PvmNoTask) return PvmNoTask;
        return pvm::capi::report("pvm_pstat", e.code(), e.what());
    }
}

int pvm_mstat(char* host) {
    return guard(
        "pvm_mstat",
        [&] {
            PVM_REQUIRE(host, PvmBadParam, "null host name");
            return session().mstat(host);
        },
        [](int code) { return code == PvmNoHost; });  // a status, which PVM does not print
}

int pvm_tidtohost(int tid) {
    // PVM 3.4.6 only masks the host part of anything not a task's tid (0 gives 0).
    if (tid <= 0) return tid & 0x3ffc0000;
    return guard("pvm_tidtohost", [&] { return session().tidToHost(tid); });
}

int pvm_notify(int what, int tag, int count, int* tids) {
    return guard("pvm_notify", [&] {
        int event = what & ~PvmNotifyCancel;
        std::size_t n = event == PvmHostAdd || count < 0 ? 0 : static_cast<std::size_t>(count);
        PVM_REQUIRE(n == 0 || tids, PvmBadParam, "null tid array");
        session().notify(what, tag, count, std::span<const int>(tids, n));
        return 0;
    });
}

}  // extern "C"

namespace {
/// changeHosts runs pvm_addhosts/pvm_delhosts: per-host results into infos, the count of
/// successes as the result (PVM's convention).
int changeHosts(const char* function, char** names, int count, int* infos, bool add) {
    return guard(function, [&] {
        PVM_REQUIRE(names && count >= 1, PvmBadParam, "host list");
        std::vector<std::string> list;
        for (int i = 0; i < count; ++i) {
            PVM_REQUIRE(names[i], PvmBadParam, "null host name");
            list.push_back(names[i]);
        }
        std::vector<int> results = add ? session().addHosts(list) : session().delHosts(list);
        int ok = 0;
        for (std::size_t i = 0; i < results.size() && i < list.size(); ++i) {
            if (infos) infos[i] = results[i];
            if (results[i] >= 0) ++ok;
        }
        return ok;
    });
}
}  // namespace

extern "C" {

int pvm_hostsync(int host, struct timeval* clock, struct timeval* delta) {
    return guard("pvm_hostsync", [&] {
        auto localNow = [] {
            struct timeval tv {};
            gettimeofday(&tv, nullptr);
            return std::int64_t(tv.tv_sec) * 1000000 + tv.tv_usec;
        };
        // Local samples before and after the remote one: their mean cancels the transit time.
        std::int64_t before = localNow();
        std::int64_t remote = 0;
        try {
            remote = session().hostClock(host);
        } catch (const pvm::Error& e) {
            // A daemon tid of no host in the machine: PvmNoHost, as PVM 3.4.6 says.
            if (e.code() == PvmBadParam && host > 0 && (host & 0x3ffff) == 0) throw pvm::Error(PvmNoHost, e.what());
            throw;
        }
        std::int64_t after = localNow();
        auto toTimeval = [](std::int64_t us) {
            // Floor division: the seconds carry the sign, microseconds stay in 0..999999.
            std::int64_t sec = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
            return timeval{static_cast<time_t>(sec), static_cast<suseconds_t>(us - sec * 1000000)};
        };
        if (clock) *clock = toTimeval(remote);
        if (delta) *delta = toTimeval(remote - (before + after) / 2);
        return 0;
    });
}

int pvm_addhosts(char** names, int count, int* infos) { return changeHosts("pvm_addhosts", names, count, infos, true); }
int pvm_delhosts(char** names, int count, int* infos) {
    return changeHosts("pvm_delhosts", names, count, infos, false);
}

}  // extern "C"
