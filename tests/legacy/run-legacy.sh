#!/bin/bash
# run-legacy.sh BUILD_DIR - PVM 3.4-era programs (K&R C, tests/legacy/*.c) built
# unmodified against the installed prefix with `cc ... -lpvm3 -lgpvm3`, put where
# PVM finds programs ($PVM_ROOT/bin/$PVM_ARCH), and run from the shell and from
# the console, as their users did. Each, started as "NAME master", prints
# "legacy NAME: ok VALUE".
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/pvmtest.legacy-XXXXXX)
prefix=$work/prefix
export PVM_TMP=$work/tmp PVM_ROOT=$work/root PVM_ARCH=LINUX64 HOME=$work/home
mkdir -p "$PVM_TMP" "$PVM_ROOT/bin/LINUX64" "$HOME"
cleanup() {
    echo halt | "$prefix/bin/pvm" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
declare -A expected=([spawntree]=7 [ring]=20 [reduce]=10 [mailbox]=42 [handler]=3)
for name in "${!expected[@]}"; do
    # Old code draws warnings from a modern compiler (implicit int, exit undeclared): fine.
    cc -I"$prefix/include" "$here/$name.c" -L"$prefix/lib" -Wl,-rpath,"$prefix/lib" -lpvm3 -lgpvm3 \
        -o "$PVM_ROOT/bin/LINUX64/$name" 2>"$work/$name.warnings"
done
"$prefix/bin/pvmd"

failed=0
for name in spawntree ring reduce mailbox handler; do
    out=$(timeout 60 "$PVM_ROOT/bin/LINUX64/$name" master 2>&1 || true)
    if grep -qx "legacy $name: ok ${expected[$name]}" <<<"$out"; then
        echo "shell:   $name ok ${expected[$name]}"
    else
        echo "shell:   $name FAILED: $out"
        failed=1
    fi
done

script=""
for name in spawntree ring reduce mailbox handler; do script+="spawn -> $name master"$'\n'; done
out=$(timeout 120 "$prefix/bin/pvm" <<<"$script" 2>&1 || true)
for name in spawntree ring reduce mailbox handler; do
    if grep -Eq "^\[[0-9]+:t[0-9a-f]+\] legacy $name: ok ${expected[$name]}$" <<<"$out"; then
        echo "console: $name ok ${expected[$name]}"
    else
        echo "console: $name FAILED"
        failed=1
    fi
done
((failed)) && echo "$out"
exit $failed
