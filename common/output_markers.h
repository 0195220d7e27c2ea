// output_markers.h - the counts that frame a task's output messages, written by
// pvmd's output relay and read by pvm_catchout.
#pragma once

namespace pvm {

/// Output message bodies (from a pvmd, PvmDataDefault): int tid, int count, then count
/// bytes of output when count > 0. count -1 announces a new task, count 0 its end.
constexpr int kOutputBegin = -1;
constexpr int kOutputEnd = 0;

}  // namespace pvm
