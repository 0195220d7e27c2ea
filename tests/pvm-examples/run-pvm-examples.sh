#!/bin/bash
# run-pvm-examples.sh BUILD_DIR - PVM 3.4's own example programs (Debian's pvm-examples, never
# copied into this repository) built unchanged against an installed prefix with PVM_ROOT set to
# it: with PVM's Makefile.aimk through our aimk, and by hand with the README's compile lines.
# Every binary must load the prefix's libpvm3, and each example of examples.txt, run from the
# shell on a fresh virtual machine, must print what real PVM 3.4.6 printed (golden/, recorded by
# record-golden.sh). spmd also runs from the console, as its Readme says.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/mask.sh"
[ -f /usr/share/doc/pvm-examples/examples.tar.gz ] || { echo "SKIP: Debian's pvm-examples is not installed"; exit 77; }
work=$(mktemp -d /tmp/pvmexamples.XXXXXX)
prefix=$work/prefix
export PVM_ROOT=$prefix PVM_TMP=$work/tmp
mkdir -p "$PVM_TMP"
stop_daemon() {
    [ -x "$prefix/bin/pvm" ] && echo halt | "$prefix/bin/pvm" >/dev/null 2>&1 || true
    pid=$(awk '/^pid/ {print $2}' "$PVM_TMP/pvm.$(id -u)/pvmd.addr" 2>/dev/null || true)
    if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    for _ in $(seq 100); do [ -e "$PVM_TMP/pvm.$(id -u)/pvmd.addr" ] || break; sleep 0.1; done
    rm -rf "$PVM_TMP/pvm.$(id -u)"
}
trap 'stop_daemon; rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
for f in bin/aimk lib/aimk lib/pvmgetarch conf/LINUX64.def lib/LINUX64/libpvm3.so lib/pvmd lib/pvm; do
    [ -e "$prefix/$f" ] || { echo "missing from the PVM_ROOT layout: $f"; exit 1; }
done
arch=$("$prefix/lib/pvmgetarch")
[ "$arch" = LINUX64 ] || [ "$arch" = LINUX ] || { echo "pvmgetarch says $arch"; exit 1; }

cd "$prefix"
tar xzf /usr/share/doc/pvm-examples/examples.tar.gz
tar xzf /usr/share/doc/pvm-examples/gexamples.tar.gz
rm -rf examples/LINUX64 gexamples/LINUX64  # prebuilt objects in Debian's tarball
(cd examples && "$prefix/bin/aimk" c-all f-all >"$work/aimk.log" 2>&1) || { cat "$work/aimk.log"; echo "aimk c-all f-all failed"; exit 1; }
(cd gexamples && aimk_out=$("$prefix/lib/aimk" 2>&1)) || { echo "aimk in gexamples failed"; exit 1; }
grep -q "making in $arch/ for $arch" "$work/aimk.log" || { echo "aimk did not build in $arch/"; exit 1; }

failed=0
# Every program both Makefile.aimk build, in $PVM_ROOT/bin/$PVM_ARCH, loading our library.
for p in hello hello_other gexample master1 slave1 spmd timing timing_slave gmbi dbwtest ibwtest pbwtest \
         rbwtest fgexample fmaster1 fslave1 fspmd hitc hitc_slave inherita inheritb inherit1 inherit2 \
         inherit3 task0 task1 task_end rme lmbi mhf_server mhf_tickle \
         joinleave gexamp tst thb tnb ge tjl tjf trsg frsg gs; do
    exe=$prefix/bin/$arch/$p
    if [ ! -x "$exe" ]; then echo "FAIL $p: not built by aimk"; failed=1; continue; fi
    lib=$(ldd "$exe" | awk '/libpvm3\.so/ {print $3}')
    if [ "$(realpath "$lib")" != "$(realpath "$prefix/lib/libpvm3.so.3")" ]; then
        echo "FAIL $p loads $lib"; failed=1
    fi
done

# By hand, with the README's lines.
mkdir -p "$work/byhand"
cc -I"$prefix/include" examples/hello.c -L"$prefix/lib" -Wl,-rpath,"$prefix/lib" -lpvm3 -lgpvm3 \
    -o "$work/byhand/hello" 2>/dev/null
gfortran -fallow-argument-mismatch -I"$prefix/include" examples/master1.f -L"$prefix/lib" \
    -Wl,-rpath,"$prefix/lib" -lfpvm3 -lpvm3 -o "$work/byhand/fmaster1" 2>/dev/null
for p in hello fmaster1; do
    lib=$(ldd "$work/byhand/$p" | awk '/libpvm3\.so/ {print $3}')
    [ "$(realpath "$lib")" = "$(realpath "$prefix/lib/libpvm3.so.3")" ] || { echo "FAIL by hand: $p loads $lib"; failed=1; }
done

# Each example on a fresh machine, against real PVM's output.
same=0
while IFS='|' read -r name compare input; do
    name=$(echo $name); file=${name// /_}; compare=$(echo $compare); input=$(echo $input)
    "$prefix/bin/pvmd"
    run_example "$prefix/bin/$arch" "$name" "$input" "$work/$file.out"
    stop_daemon
    golden=$here/golden/$file.out
    if [ "$compare" = sorted ]; then
        diff <(sort "$golden") <(sort "$work/$file.out") >"$work/$file.diff" || true
    else
        diff "$golden" "$work/$file.out" >"$work/$file.diff" || true
    fi
    if [ -s "$work/$file.diff" ]; then
        echo "FAIL $name: differs from real PVM 3.4.6 (< real PVM, > ours)"
        sed 's/^/    /' "$work/$file.diff"
        failed=1
    else
        same=$((same + 1))
    fi
done < <(grep -v '^#' "$here/examples.txt")

# spmd from the console, as its Readme says: the token passes the ring of four.
"$prefix/bin/pvmd"
out=$(printf 'spawn -4 -> spmd\n' | timeout 60 "$prefix/bin/pvm" 2>&1) || true
stop_daemon
if ! grep -q 'token ring done' <<<"$out" || ! grep -qE 'Pass a token through the +4 tid ring' <<<"$out"; then
    echo "FAIL spmd from the console:"; echo "$out"; failed=1
fi

echo "pvm-examples: built with aimk and by hand, $same examples print what real PVM printed"
exit $failed
