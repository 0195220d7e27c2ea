#!/bin/bash
# run-examples.sh BUILD_DIR - runs the shipped examples against a real pvmd and
# checks what they print: they are what a new user tries first.
set -euo pipefail
build=$1
export PVM_TMP=$(mktemp -d /tmp/pvmtest.XXXXXX)
cleanup() {
    echo halt | "$build/console/pvm" >/dev/null 2>&1 || true
    rm -rf "$PVM_TMP"
}
trap cleanup EXIT
"$build/pvmd/pvmd"
out=$("$build/examples/hello")
echo "$out"
grep -q "hello, world from" <<<"$out"
out=$("$build/examples/hello_cpp")
echo "$out"
grep -q "hello, world from" <<<"$out"
out=$("$build/examples/master" 3)
echo "$out"
grep -q ": ok" <<<"$out"
out=$("$build/examples/master_cpp" 3)
echo "$out"
grep -q ": ok" <<<"$out"
out=$(printf 'conf\nps\n' | "$build/console/pvm")
echo "$out"
grep -q "LINUX64" <<<"$out"
echo "examples passed"
