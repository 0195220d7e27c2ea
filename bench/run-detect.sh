#!/bin/bash
# run-detect.sh - how soon a failed host is noticed: for a slave killed (SIGKILL),
# stopped (SIGSTOP) or cut off (its link down), the time until the master's
# PvmHostDelete notify, with a few -T (time-out) and -H (heartbeat) settings. Ours
# only, as root (network namespaces; real PVM's slaves cannot be started in them).
#
#   bench/run-detect.sh [BUILD_DIR]      default: build
#
# It runs the hidden test "[detect]" of tests/system/detect-bench.cpp and prints one
# table. The master checks heartbeats once per -H, so a failure should be noticed
# between -T and -T + -H after the last heartbeat heard.
set -euo pipefail
build=${1:-build}
tests="$build/tests/system_tests"
[ -x "$tests" ] || {
    echo "run-detect: no $tests; build the project first (cmake --build $build)" >&2
    exit 2
}
out=$(mktemp /tmp/pvm-detect.XXXXXX)
trap 'rm -f "$out"' EXIT
echo "run-detect: 9 failures, each on a fresh two-host machine; about a minute" >&2
status=0
"$tests" "[detect]" >"$out" 2>&1 || status=$?
printf '| %-8s | %6s | %6s | %12s | %10s |\n' failure "-T ms" "-H ms" "noticed (ms)" "over -T"
printf '|%s|%s|%s|%s|%s|\n' ---------- -------- -------- -------------- ------------
# detect: SIGKILL T=2000 H=200 noticed=2143
sed -n 's/^ *detect: \(.*\) T=\([0-9]*\) H=\([0-9]*\) noticed=\(-*[0-9]*\)$/\1 \2 \3 \4/p' "$out" |
    while read -r what t h n; do
        if [ "$n" -lt 0 ]; then over="never"; else over="$((n - t))"; fi
        printf '| %-8s | %6s | %6s | %12s | %10s |\n' "$what" "$t" "$h" "$n" "$over"
    done
if [ "$status" != 0 ]; then
    grep -E "FAILED|with expansion" "$out" | head -20
    echo "run-detect: FAILED" >&2
fi
exit "$status"
