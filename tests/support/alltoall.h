// alltoall.h - groups of test tasks in test_task's "alltoall" mode, spread over the
// hosts of a cluster: each member sends numbered rounds to every other and checks
// that each peer's arrive in order (tests/tasks/test_task.c).
#pragma once

#include <vector>

#include "cluster.h"

namespace pvm::test {

/// spawnAlltoall starts perHost members for rounds on each of hosts 1..hosts of c.
std::vector<int> spawnAlltoall(const Cluster& c, int hosts, int perHost, int rounds);
/// startAlltoall hands the members their list (tag 10): their traffic starts.
void startAlltoall(const std::vector<int>& tids);
/// checkReport reads one member's report (tag 1, from the active receive buffer), checks
/// that it got every message of its group in order, and returns how many it got.
long checkReport(int tid, int members, int rounds);
/// collectAlltoall waits for every member's report and checks it; returns the messages.
/// A report that does not come fails the test with what c's daemons logged.
long collectAlltoall(const Cluster& c, const std::vector<int>& tids, int rounds);

}  // namespace pvm::test
