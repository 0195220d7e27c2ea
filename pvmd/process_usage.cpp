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

}  // namespace pvm
