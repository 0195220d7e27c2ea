#!/bin/bash
# run-soak.sh - the soak test at full length: 32 tasks on 4 network-namespace hosts
# exchange numbered messages (ten million by default), every one checked for loss
# and order, while the daemons' memory is sampled. Ours only, as root (namespaces).
#
#   bench/run-soak.sh [BUILD_DIR] [ROUNDS]     defaults: build, 10080 (10,000,000 messages)
#
# It runs tests/system/soak-test.cpp from BUILD_DIR with PVM_SOAK_ROUNDS=ROUNDS and
# prints one table; the test fails if a message is lost or out of order, or if a
# daemon grows by 48 MB or more (PVM_QUEUE_LIMIT is 1 MB in the test).
set -euo pipefail
build=${1:-build}
rounds=${2:-10080}
tests="$build/tests/system_tests"
[ -x "$tests" ] || {
    echo "run-soak: no $tests; build the project first (cmake --build $build)" >&2
    exit 2
}
out=$(mktemp /tmp/pvm-soak.XXXXXX)
trap 'rm -f "$out"' EXIT
echo "run-soak: $rounds rounds among 32 tasks ($((32 * 31 * rounds)) messages); this takes a while" >&2
status=0
PVM_SOAK_ROUNDS=$rounds "$tests" "[soak]" >"$out" 2>&1 || status=$?
line=$(tr '\n' ' ' <"$out" | sed -n 's/.*\(soak: [0-9]* messages.*kB;\).*/\1/p' | tr -s ' ')
if [ -z "$line" ]; then
    cat "$out"
    echo "run-soak: the test did not finish (status $status)" >&2
    exit 1
fi
# soak: M messages among 32 tasks on 4 hosts in S s (R messages/s); daemon memory, start->peak->end: h1 A->B kB; ...
read -r _ messages _ _ tasks _ _ hosts _ _ seconds _ rate _ <<<"$line"
printf '%-28s %s\n' "messages (checked)" "$messages" "tasks / hosts" "$tasks / $hosts" \
    "seconds" "$seconds" "messages per second" "${rate#(}"
printf '%-28s %s\n' "daemon memory (start->peak->end)" "$(sed 's/.*start->peak->end: *//' <<<"$line")"
if [ "$status" != 0 ]; then
    grep -E "FAILED|with expansion|^  " "$out" | head -20
    echo "run-soak: FAILED" >&2
fi
exit "$status"
