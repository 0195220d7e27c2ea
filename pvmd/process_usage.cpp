// process_usage.cpp - /proc/<pid>/stat and statm.
#include "process_usage.h"

#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace pvm {

ProcessUsage processUsage(int pid) {
    ProcessUsage usage;
    if (pid <= 0) return usage;
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(stat, text)) return usage;
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) utime = std::stoll(field);
        if (i == 15) stime = std::stoll(field);
    }
    long ticks = sysconf(_SC_CLK_TCK);
    usage.cpuMs = ticks > 0 ? (utime + stime) * 1000 / ticks : 0;
    std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
    long long size = 0, resident = 0;
    if (statm >> size >> resident) usage.rssKb = resident * (sysconf(_SC_PAGESIZE) / 1024);
    return usage;
}

namespace {
/// parentPid reads the parent of pid from /proc/<pid>/stat; 0 when it is gone.
int parentPid(int pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(stat, text) || text.rfind(')') == std::string::npos) return 0;
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string state;
    int parent = 0;
    fields >> state >> parent;
    return parent;
}
}  // namespace

bool descendsFrom(int pid, int ancestor) {
    if (pid <= 1 || ancestor <= 1) return false;
    // A debugger and a shell or two between them, not more.
    for (int depth = 0; depth < 8 && pid > 1; ++depth) {
        pid = parentPid(pid);
        if (pid == ancestor) return true;
    }
    return false;
}

}  // namespace pvm
