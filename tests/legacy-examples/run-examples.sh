#!/bin/bash
# run-examples.sh BUILD_DIR - PVM 3.4's own examples on this project, as a PVM user
# would: installs the build into a temporary prefix, extracts Debian's pvm-examples
# sources into it, builds them with PVM_ROOT=$prefix $prefix/bin/aimk, checks every
# binary loads the prefix's libpvm3 (never Debian's, same soname), builds two by hand
# with the README's line, and runs each row of cases.txt against our pvmd, comparing
# with golden/ (recorded from real PVM by record-golden.sh).
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/temp-prefix.sh"
install_temp_prefix "$build" pvmexamples
failed=()

cd "$prefix"
tar xzf /usr/share/doc/pvm-examples/examples.tar.gz
tar xzf /usr/share/doc/pvm-examples/gexamples.tar.gz
rm -rf examples/LINUX64 gexamples/LINUX64  # Debian's tarballs hold prebuilt objects: make would skip them
for f in bin/aimk lib/aimk lib/pvmgetarch conf/LINUX64.def lib/LINUX64/libpvm3.so lib/pvmd lib/pvm; do
    [ -e "$prefix/$f" ] || { echo "missing from the PVM_ROOT layout: $f"; exit 1; }
done
(cd examples && PVM_ROOT=$prefix "$prefix/bin/aimk" c-all f-all) > "$work/aimk.log" 2>&1 \
    || { cat "$work/aimk.log"; echo "aimk c-all f-all failed"; exit 1; }
(cd gexamples && PVM_ROOT=$prefix "$prefix/bin/aimk") > "$work/gaimk.log" 2>&1 \
    || { cat "$work/gaimk.log"; echo "aimk in gexamples failed"; exit 1; }

# The README's lines, by hand.
mkdir -p "$work/byhand"
cc -I"$prefix/include" examples/hello.c -L"$prefix/lib" -Wl,-rpath,"$prefix/lib" -lpvm3 -lgpvm3 \
    -o "$work/byhand/hello" 2>/dev/null
gfortran -fallow-argument-mismatch -I"$prefix/include" examples/master1.f -L"$prefix/lib" \
    -Wl,-rpath,"$prefix/lib" -lfpvm3 -lpvm3 -o "$work/byhand/fmaster1" 2>/dev/null

# Every program of both Makefile.aimk is built, in $PVM_ROOT/bin/$PVM_ARCH.
for p in hello hello_other gexample master1 slave1 spmd timing timing_slave gmbi dbwtest ibwtest pbwtest \
         rbwtest fgexample fmaster1 fslave1 fspmd hitc hitc_slave inherita inheritb inherit1 inherit2 \
         inherit3 task0 task1 task_end rme lmbi mhf_server mhf_tickle \
         joinleave gexamp tst thb tnb ge tjl tjf trsg frsg gs; do
    [ -x "$prefix/bin/LINUX64/$p" ] || failed+=("$p: not built by aimk")
done
ours=$(realpath "$prefix/lib/libpvm3.so.3")
for binary in "$prefix"/bin/LINUX64/* "$work"/byhand/*; do
    [ -x "$binary" ] && [ -f "$binary" ] || continue
    library=$(library_of "$binary")
    [ "$library" = "$ours" ] || failed+=("$(basename "$binary"): loads '$library', not $ours")
done

export PATH=$prefix/bin/LINUX64:$prefix/bin:$PATH PVM_ROOT=$prefix
source "$here/cases.sh"
"$prefix/bin/pvmd"
while IFS='|' read -r name how command compare input; do
    case $name in ''|'#'*) continue ;; esac
    run_case "$how" "$command" "$compare" "$input" > "$work/$name.out"
    if ! diff -u "$here/golden/$name.out" "$work/$name.out" > "$work/$name.diff"; then
        failed+=("$name: differs from real PVM")
        cat "$work/$name.diff"
    else
        echo "ok: $name ($how: $command)"
    fi
done < "$here/cases.txt"

if [ ${#failed[@]} -gt 0 ]; then
    printf 'FAILED: %s\n' "${failed[@]}"
    exit 1
fi
echo "legacy examples passed"
