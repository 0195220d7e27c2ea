// fpvm3_task.cpp - libfpvm3: the pvmf* routines that control tasks and the virtual machine.
// Each one calls the pvm3.h function of the same name; see fortran_strings.h for the
// calling convention. Results the C functions return go to the last INTEGER argument.
#include <sys/time.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "fortran_strings.h"
#include "pvm3.h"

using pvm::fortran::FLen;
using pvm::fortran::fromFortran;
using pvm::fortran::toFortran;

namespace {

// Fortran cannot take the arrays pvm_config and pvm_tasks return, so pvmfconfig and pvmftasks
// hand out one entry per call from a snapshot. As PVM documents, the count and the entries
// stay the same until a cycle ends, and a count of -1 on entry starts a new one.

struct HostCycle {
    struct Host {
        int dtid;
        std::string name, arch;
        int speed;
    };
    std::vector<Host> hosts;
    int narch = 0;
    std::size_t next = 0;
};

struct TaskCycle {
    std::vector<pvmtaskinfo> tasks;  // ti_a_out points into names
    std::vector<std::string> names;
    int where = 0;
    std::size_t next = 0;
};

HostCycle hostCycle;
TaskCycle taskCycle;

// loadHosts takes a new snapshot of pvm_config; it returns the C call's result.
int loadHosts(HostCycle& c) {
    int n = 0, narch = 0;
    pvmhostinfo* hosts = nullptr;
    int cc = pvm_config(&n, &narch, &hosts);
    if (cc < 0) return cc;
    c.hosts.clear();
    for (int i = 0; i < n; ++i)
        c.hosts.push_back({hosts[i].hi_tid, hosts[i].hi_name ? hosts[i].hi_name : "",
                           hosts[i].hi_arch ? hosts[i].hi_arch : "", hosts[i].hi_speed});
    c.narch = narch;
    c.next = 0;
    return cc;
}

// loadTasks takes a new snapshot of pvm_tasks(where); it returns the C call's result.
int loadTasks(TaskCycle& c, int where) {
    int n = 0;
    pvmtaskinfo* tasks = nullptr;
    int cc = pvm_tasks(where, &n, &tasks);
    if (cc < 0) return cc;
    c.tasks.assign(tasks, tasks + n);
    c.names.clear();
    for (int i = 0; i < n; ++i) c.names.emplace_back(tasks[i].ti_a_out ? tasks[i].ti_a_out : "");
    c.where = where;
    c.next = 0;
    return cc;
}

// oneHostResult turns pvm_addhosts/pvm_delhosts for one host into the Fortran info: 1 when it
// worked, else the host's error code (or the call's, when the whole call failed).
int oneHostResult(int count, int hostResult) {
    if (count < 0) return count;
    return count == 1 ? 1 : hostResult;
}

}  // namespace

extern "C" {

void pvmfmytid_(int* tid) { *tid = pvm_mytid(); }

void pvmfparent_(int* tid) { *tid = pvm_parent(); }

void pvmfexit_(int* info) { *info = pvm_exit(); }

void pvmfhalt_(int* info) { *info = pvm_halt(); }

void pvmfkill_(int* tid, int* info) { *info = pvm_kill(*tid); }

void pvmfsendsig_(int* tid, int* signum, int* info) { *info = pvm_sendsig(*tid, *signum); }

void pvmfpstat_(int* tid, int* status) { *status = pvm_pstat(*tid); }

void pvmftidtoh_(int* tid, int* dtid) { *dtid = pvm_tidtohost(*tid); }

void pvmfmstat_(char* host, int* mstat, FLen hostLen) {
    std::string name = fromFortran(host, hostLen);
    *mstat = pvm_mstat(name.data());
}

void pvmfarchcode_(char* arch, int* cod, FLen archLen) {
    std::string name = fromFortran(arch, archLen);
    *cod = pvm_archcode(name.data());
}

// Fortran has no argv: spawned tasks get no arguments. A blank where is C's NULL ("anywhere").
void pvmfspawn_(char* task, int* flag, char* where, int* ntask, int* tids, int* numt, FLen taskLen, FLen whereLen) {
    std::string file = fromFortran(task, taskLen), place = fromFortran(where, whereLen);
    *numt = pvm_spawn(file.data(), nullptr, *flag, place.empty() ? nullptr : place.data(), *ntask, tids);
}

void pvmfconfig_(int* nhost, int* narch, int* dtid, char* name, char* arch, int* speed, int* info, FLen nameLen,
                 FLen archLen) {
    HostCycle& c = hostCycle;
    if (*nhost == -1 || c.next >= c.hosts.size()) {
        *info = loadHosts(c);
        if (*info < 0) return;
    }
    *nhost = static_cast<int>(c.hosts.size());
    *narch = c.narch;
    // PVM 3.4.6 sets info to 1 for each entry it hands out (seen with 1 host, 2 tasks).
    *info = 0;
    if (c.hosts.empty()) return;
    *info = 1;
    const HostCycle::Host& h = c.hosts[c.next++];
    *dtid = h.dtid;
    toFortran(h.name.c_str(), name, nameLen);
    toFortran(h.arch.c_str(), arch, archLen);
    *speed = h.speed;
}

// A where different from the current cycle's also starts a new cycle: those entries are
// not the ones asked for.
void pvmftasks_(int* where, int* ntask, int* tid, int* ptid, int* dtid, int* flag, char* aout, int* info,
                FLen aoutLen) {
    TaskCycle& c = taskCycle;
    if (*ntask == -1 || *where != c.where || c.next >= c.tasks.size()) {
        *info = loadTasks(c, *where);
        if (*info < 0) return;
    }
    *ntask = static_cast<int>(c.tasks.size());
    *info = 0;
    if (c.tasks.empty()) return;
    *info = 1;  // as pvmfconfig
    std::size_t i = c.next++;
    *tid = c.tasks[i].ti_tid;
    *ptid = c.tasks[i].ti_ptid;
    *dtid = c.tasks[i].ti_host;
    *flag = c.tasks[i].ti_flag;
    toFortran(c.names[i].c_str(), aout, aoutLen);
}

void pvmfaddhost_(char* host, int* info, FLen hostLen) {
    std::string name = fromFortran(host, hostLen);
    char* names[] = {name.data()};
    int result = 0;
    int count = pvm_addhosts(names, 1, &result);
    *info = oneHostResult(count, result);
}

void pvmfdelhost_(char* host, int* info, FLen hostLen) {
    std::string name = fromFortran(host, hostLen);
    char* names[] = {name.data()};
    int result = 0;
    int count = pvm_delhosts(names, 1, &result);
    *info = oneHostResult(count, result);
}

// index -1 asks only for the count; any other index outside 0 .. ntids-1 is PvmBadParam.
void pvmfsiblings_(int* ntids, int* index, int* sibling) {
    int* tids = nullptr;
    *ntids = pvm_siblings(&tids);
    if (*ntids < 0 || *index == -1) return;
    if (*index < 0 || *index >= *ntids) {
        *ntids = PvmBadParam;
        return;
    }
    *sibling = tids[*index];
}

// Output of children goes to this process's stdout, which the Fortran runtime shares.
void pvmfcatchout_(int* onoff, int* info) { *info = pvm_catchout(*onoff ? stdout : nullptr); }

void pvmfnotify_(int* what, int* msgtag, int* cnt, int* tids, int* info) {
    *info = pvm_notify(*what, *msgtag, *cnt, tids);
}

// The Fortran clock is INTEGER seconds and microseconds.
void pvmfhostsync_(int* host, int* clksec, int* clkusec, int* deltasec, int* deltausec, int* info) {
    timeval clk{}, delta{};
    *info = pvm_hostsync(*host, &clk, &delta);
    if (*info < 0) return;
    *clksec = static_cast<int>(clk.tv_sec);
    *clkusec = static_cast<int>(clk.tv_usec);
    *deltasec = static_cast<int>(delta.tv_sec);
    *deltausec = static_cast<int>(delta.tv_usec);
}

// args is one string; its blank-separated words are pvm_start_pvmd's argv.
void pvmfstartpvmd_(char* args, int* block, int* info, FLen argsLen) {
    std::istringstream in(fromFortran(args, argsLen));
    std::vector<std::string> words;
    for (std::string word; in >> word;) words.push_back(word);
    std::vector<char*> argv;
    for (std::string& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    *info = pvm_start_pvmd(static_cast<int>(words.size()), argv.data(), *block);
}

// The man page's example spells it PVMFSTART_PVMD.
void pvmfstart_pvmd_(char* args, int* block, int* info, FLen argsLen) { pvmfstartpvmd_(args, block, info, argsLen); }

}  // extern "C"
