#!/bin/bash
# run-compat.sh BUILD_DIR [SANITIZER] - the differential test: builds every program of
# tests/compat/src against OUR pvm3.h and libraries (BUILD_DIR), runs each on a private
# pvmd of ours, masks the output as record-golden.sh does for real PVM 3.4.6, and diffs it
# against golden/NAME.out. Differing lines that pending.txt lists (fixed in another area,
# not merged yet) are shown and counted as pending; the test then exits 77 (skipped), so it
# never passes silently. Any other difference fails.
set -euo pipefail
build=$(cd "$1" && pwd)
sanitizer=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
include=$(cd "$here/../../libpvm/include" && pwd)
source "$here/compat-common.sh"

work=$(mktemp -d /tmp/pvmtest.compat-XXXXXX)
export PVM_TMP=$work/tmp HOME=$work/home PVM_ROOT=$work/root PVM_ARCH=LINUX64
mkdir -p "$PVM_TMP" "$PVM_ROOT/bin/LINUX64"
bindir=$HOME/pvm3/bin/LINUX64
addr=$PVM_TMP/pvm.$(id -u)/pvmd.addr
daemon=""
halt() {
    if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
        echo halt | timeout 20 "$build/console/pvm" >/dev/null 2>&1 || true
        for _ in $(seq 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$daemon" 2>/dev/null || true
    fi
    daemon=""
}
cleanup() {
    halt
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Our headers first and our libraries by path with an rpath: never Debian's.
cflags=(-I"$include")
if [ -n "$sanitizer" ]; then
    cflags+=(-fsanitize="$sanitizer")
    # Leak reports at exit would be diffed as output; the ASan unit and system tests check leaks.
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
fi
lib=$build/libpvm
libs=(-L"$lib" -Wl,-rpath,"$lib" -lgpvm3 -lpvm3)
flibs=(-L"$lib" -Wl,-rpath,"$lib" -lfpvm3 -lgpvm3 -lpvm3)
compat_build "$bindir" cflags libs flibs
for name in $compat_c_programs $compat_f_programs; do
    used=$(ldd "$bindir/$name" | awk '$1 ~ /^libpvm3\.so/ {print $3}')
    if [ "$(realpath "$used")" != "$(realpath "$lib/libpvm3.so.3")" ]; then
        echo "FAILED: $name loads libpvm3 from '$used', not $lib"
        exit 1
    fi
done

# pending.txt: "program | area | regex | reason"; a differing line of that program that
# matches regex is pending (owned by area), not failed.
pending_for() {
    [ -f "$here/pending.txt" ] || return 0
    awk -F' [|] ' -v p="$1" '$1 == p {print $3}' "$here/pending.txt"
}

failed=0 pending=0 passed=0
for name in $compat_c_programs $compat_f_programs; do
    "$build/pvmd/pvmd"
    daemon=$(awk '/^pid/ {print $2}' "$addr")
    out=$work/$name.out
    compat_run "$bindir" "$name" "$out"
    halt
    golden=$here/golden/$name.out
    if [ ! -f "$golden" ]; then
        echo "FAILED $name: no golden file (run record-golden.sh)"
        failed=$((failed + 1))
        continue
    fi
    if diff -q "$golden" "$out" >/dev/null; then
        echo "ok      $name ($(wc -l <"$out") lines)"
        passed=$((passed + 1))
        continue
    fi
    patterns=$(pending_for "$name")
    unexplained=$(diff "$golden" "$out" | grep '^[<>]' | while IFS= read -r line; do
        text=${line:2}
        matched=0
        while IFS= read -r re; do
            [ -n "$re" ] && grep -Eq -- "$re" <<<"$text" && { matched=1; break; }
        done <<<"$patterns"
        ((matched)) || echo "$line"
    done || true)
    if [ -n "$unexplained" ]; then
        echo "FAILED  $name: (< real PVM 3.4.6, > ours)"
        failed=$((failed + 1))
    else
        echo "PENDING $name: differs only in lines pending.txt lists (< real PVM 3.4.6, > ours)"
        pending=$((pending + 1))
    fi
    diff "$golden" "$out" | sed 's/^/    /' || true
done

echo "compat: $passed same as real PVM, $pending pending, $failed failed"
((failed == 0)) || exit 1
((pending == 0)) || exit 77
