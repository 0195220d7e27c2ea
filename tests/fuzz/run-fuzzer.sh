#!/bin/bash
# run-fuzzer.sh - runs one libFuzzer target for a bounded time, as the ctest label
# `fuzz` does: FUZZER SEEDS SECONDS [libFuzzer options...]
# New inputs go to a scratch corpus, never into the repository's seeds. A crash
# leaves its input in the build tree (fuzz-artifacts/) and fails the test; turn it
# into a regression test by adding it to the seeds.
set -euo pipefail
fuzzer=$1 seeds=$2 seconds=$3
shift 3
name=$(basename "$fuzzer")
artifacts="$(dirname "$fuzzer")/fuzz-artifacts/$name"
scratch=$(mktemp -d /tmp/pvmtest-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$artifacts"
# Every seed (regressions included) runs first; then the fuzzer explores for the time given.
"$fuzzer" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" "$scratch" "$seeds"
