// tid.h - PVM task id layout: host number in bits 18-29, local part below.
#pragma once

#include <cstdint>
#include <string>

namespace pvm {

constexpr int kTidHostShift = 18;
constexpr int kTidHostMask = 0x3ffc0000;
constexpr int kTidLocalMask = 0x3ffff;
constexpr int kMaxHosts = 4095;

/// makeTid builds the tid of local task number local on host number host (both from 1).
constexpr int makeTid(int host, int local) { return (host << kTidHostShift) | local; }
/// daemonTid is the tid of the pvmd of host number host (local part 0).
constexpr int daemonTid(int host) { return makeTid(host, 0); }
/// hostOf gives the host number of a tid.
constexpr int hostOf(int tid) { return (tid & kTidHostMask) >> kTidHostShift; }
/// localOf gives the local part of a tid.
constexpr int localOf(int tid) { return tid & kTidLocalMask; }
/// hostTidOf gives the daemon tid of the host a tid lives on.
constexpr int hostTidOf(int tid) { return tid & kTidHostMask; }
/// isTaskTid is true for a well-formed task tid (a host part and a non-zero local part).
constexpr bool isTaskTid(int tid) {
    return tid > 0 && hostOf(tid) != 0 && localOf(tid) != 0 && (tid & ~(kTidHostMask | kTidLocalMask)) == 0;
}
/// isDaemonTid is true for a well-formed daemon tid.
constexpr bool isDaemonTid(int tid) {
    return tid > 0 && hostOf(tid) != 0 && localOf(tid) == 0 && (tid & ~kTidHostMask) == 0;
}

/// kDaemonSource is the source PVM gives every message a pvmd sends a task (notifies, output):
/// its TIDPVMD, 0x80000000, whatever host it comes from.
constexpr int kDaemonSource = static_cast<int>(0x80000000u);

/// formatTid prints a tid as PVM does: "t40001".
std::string formatTid(int tid);

}  // namespace pvm
