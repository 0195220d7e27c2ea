#!/bin/bash
# run-each.sh - runs every test case of a Catch2 binary that SPEC selects, each in a
# process of its own, as ctest does (a test case expects a fresh process):
#   run-each.sh BINARY SPEC
# Exit status 1 if any failed; each failure is named at the end.
set -uo pipefail
bin=$1 spec=$2
failed=()
count=0
while IFS= read -r name; do
    [ -n "$name" ] || continue
    count=$((count + 1))
    # A name is a test spec of its own: its commas and brackets must be escaped.
    escaped=$(sed 's/[],[\\]/\\&/g' <<<"$name")
    echo "== $name"
    "$bin" "$escaped" || failed+=("$name")
done < <("$bin" --list-test-names-only "$spec")
echo "run-each: $count test cases, ${#failed[@]} failed"
for name in "${failed[@]}"; do echo "FAILED: $name"; done
[ "$count" -gt 0 ] && [ ${#failed[@]} -eq 0 ]
