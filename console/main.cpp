// main.cpp - a first `pvm` console: starts a pvmd when none runs, then reads
// commands (conf, ps, spawn, kill, version, halt, quit) from stdin. The full
// console of `man pvm` is its own piece of work; this one covers the basics.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include "pvm3.h"

namespace {

std::string selfDir() {
    char path[4096];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n <= 0) return ".";
    path[n] = '\0';
    std::string p = path;
    return p.substr(0, p.rfind('/'));
}

/// startDaemon runs the pvmd installed beside this console; it returns when the daemon is ready.
bool startDaemon() {
    std::string pvmd = selfDir() + "/pvmd";
    if (access(pvmd.c_str(), X_OK) != 0) pvmd = selfDir() + "/../pvmd/pvmd";  // build tree
    pid_t pid = fork();
    if (pid == 0) {
        execl(pvmd.c_str(), "pvmd", static_cast<char*>(nullptr));
        execlp("pvmd", "pvmd", static_cast<char*>(nullptr));
        std::perror("pvm: cannot run pvmd");
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/// pvm_strerror_of names a PVM error code as PVM's console does ("Duplicate host").
const char* pvm_strerror_of(int code) {
    switch (code) {
        case PvmDupHost:
            return "Duplicate host";
        case PvmNoHost:
            return "No such host";
        case PvmCantStart:
            return "Can't start pvmd";
        case PvmBadParam:
            return "Bad parameter";
        case PvmHostFail:
            return "Host failed";
        default:
            return "Error";
    }
}

/// conf lists the hosts; `conf -s` lists them fastest first (who to ask for ten nodes).
void conf(std::istringstream& words) {
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts = nullptr;
    if (pvm_config(&nhost, &narch, &hosts) < 0) return;
    std::vector<pvmhostinfo> list(hosts, hosts + nhost);
    std::string flag;
    if (words >> flag && flag == "-s")
        std::stable_sort(list.begin(), list.end(), [](auto& a, auto& b) { return a.hi_speed > b.hi_speed; });
    std::printf("%d host%s, %d data format%s\n", nhost, nhost == 1 ? "" : "s", narch, narch == 1 ? "" : "s");
    std::printf("                    HOST     DTID     ARCH   SPEED       DSIG\n");
    for (const auto& h : list)
        std::printf("%24s %8x %8s %7d 0x%08x\n", h.hi_name, h.hi_tid, h.hi_arch, h.hi_speed, h.hi_dsig);
}

void ps() {
    int ntask = 0;
    struct pvmtaskinfo* tasks = nullptr;
    if (pvm_tasks(0, &ntask, &tasks) < 0) return;
    std::vector<pvmtaskinfo> list(tasks, tasks + ntask);  // pvm_config reuses the library's arrays
    int nhost = 0, narch = 0;
    struct pvmhostinfo* hosts = nullptr;
    pvm_config(&nhost, &narch, &hosts);
    auto hostName = [&](int dtid) -> const char* {
        for (int h = 0; h < nhost; ++h)
            if (hosts[h].hi_tid == dtid) return hosts[h].hi_name;
        return "?";
    };
    std::printf("                    HOST      TID   FLAG 0x COMMAND\n");
    for (const auto& t : list)
        std::printf("%24s %8x %9x %s\n", hostName(t.ti_host), t.ti_tid, t.ti_flag,
                    t.ti_a_out && *t.ti_a_out ? t.ti_a_out : "-");
}

/// changeHosts runs `add` and `delete`: one result line per host, as PVM's console prints.
void changeHosts(std::istringstream& words, bool add) {
    std::vector<std::string> names;
    std::string word;
    while (words >> word) names.push_back(word);
    if (names.empty()) {
        std::printf("usage: %s host ...\n", add ? "add" : "delete");
        return;
    }
    std::vector<char*> argv;
    for (auto& n : names) argv.push_back(n.data());
    std::vector<int> infos(names.size());
    int done = add ? pvm_addhosts(argv.data(), static_cast<int>(argv.size()), infos.data())
                   : pvm_delhosts(argv.data(), static_cast<int>(argv.size()), infos.data());
    if (done < 0) return;
    std::printf("%d successful\n", done);
    std::printf("                    HOST     DTID\n");
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (infos[i] > 0)
            std::printf("%24s %8x\n", names[i].c_str(), infos[i]);
        else if (infos[i] == 0)
            std::printf("%24s %8s\n", names[i].c_str(), "deleted");
        else
            std::printf("%24s %8s\n", names[i].c_str(), pvm_strerror_of(infos[i]));
    }
}

void spawn(std::istringstream& words) {
    int count = 1;
    std::string word, file;
    std::vector<std::string> args;
    while (words >> word) {
        if (file.empty() && word == "-count") {
            words >> count;
        } else if (file.empty() && word.size() > 1 && word[0] == '-' &&
                   std::isdigit(static_cast<unsigned char>(word[1]))) {
            count = std::atoi(word.c_str() + 1);
        } else if (file.empty()) {
            file = word;
        } else {
            args.push_back(word);
        }
    }
    if (file.empty() || count < 1) {
        std::printf("usage: spawn [-count n | -n] program [args...]\n");
        return;
    }
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<int> tids(static_cast<std::size_t>(count));
    int started = pvm_spawn(file.data(), argv.data(), PvmTaskDefault, nullptr, count, tids.data());
    std::printf("%d successful\n", started < 0 ? 0 : started);
    for (int t : tids) std::printf(t > 0 ? "t%x\n" : "%d\n", t);
}

}  // namespace

int main() {
    bool interactive = isatty(0);
    pvm_setopt(PvmAutoErr, 0);
    if (pvm_mytid() < 0) {
        if (!startDaemon() || pvm_mytid() < 0) {
            std::fprintf(stderr, "pvm: cannot start or reach a pvmd\n");
            return 1;
        }
    } else if (interactive) {
        std::printf("pvmd already running.\n");
    }
    pvm_setopt(PvmAutoErr, 1);
    std::string line;
    for (;;) {
        if (interactive) std::printf("pvm> "), std::fflush(stdout);
        if (!std::getline(std::cin, line)) break;
        std::istringstream words(line);
        std::string cmd;
        if (!(words >> cmd)) continue;
        if (cmd == "quit") break;
        if (cmd == "halt") {
            pvm_halt();
            return 0;
        }
        if (cmd == "conf")
            conf(words);
        else if (cmd == "add")
            changeHosts(words, true);
        else if (cmd == "delete")
            changeHosts(words, false);
        else if (cmd == "ps")
            ps();
        else if (cmd == "spawn")
            spawn(words);
        else if (cmd == "kill") {
            std::string t;
            while (words >> t) pvm_kill(static_cast<int>(std::strtol(t.c_str() + (t[0] == 't'), nullptr, 16)));
        } else if (cmd == "version")
            std::printf("%s\n", pvm_version());
        else if (cmd == "id")
            std::printf("t%x\n", pvm_mytid());
        else if (cmd == "help")
            std::printf("commands: add conf delete ps spawn kill id version halt quit help\n");
        else
            std::printf("pvm: unknown command \"%s\" (try help)\n", cmd.c_str());
        std::fflush(stdout);
    }
    pvm_exit();
    return 0;
}
