#!/bin/bash
# record-golden.sh [OUTDIR] - records real PVM 3.4.6's output of every compatibility test
# program into OUTDIR (default tests/compat/golden). Needs Debian's pvm, pvm-dev and
# gfortran. Real PVM refuses root: run this as an ordinary user, e.g.
#   runuser -u USER -- env -i HOME=/home/USER PATH=/usr/bin:/bin PVM_ROOT=/usr/lib/pvm3 \
#       bash tests/compat/record-golden.sh /tmp/golden
# or as root with PVM_ALLOW_ROOT=1. It starts its own pvmd for each program and halts it;
# a pvmd of the same user that is already running is an error, not something to reuse.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "${1:-$here/golden}" && cd "${1:-$here/golden}" && pwd)
source "$here/compat-common.sh"

if [ "$(id -u)" = 0 ] && [ -z "${PVM_ALLOW_ROOT:-}" ]; then
    echo "real PVM does not run as root: run as a user, or set PVM_ALLOW_ROOT=1" >&2
    exit 1
fi
export PVM_ROOT=${PVM_ROOT:-/usr/lib/pvm3} PVM_ARCH=LINUX64
addr=/tmp/pvmd.$(id -u)
if [ -e "$addr" ]; then
    echo "$addr exists: a pvmd of this user runs (echo halt | pvm), or remove a stale one" >&2
    exit 1
fi
# Real PVM spawns from $HOME/pvm3/bin/LINUX64; the group server comes from Debian.
bindir=$HOME/pvm3/bin/LINUX64
mkdir -p "$bindir"
ln -sf /usr/bin/pvmgs "$bindir/pvmgs"

cflags=(-I/usr/include)
libs=(-L/usr/lib/x86_64-linux-gnu -lgpvm3 -lpvm3)
flibs=(-L/usr/lib/x86_64-linux-gnu -lfpvm3 -lgpvm3 -lpvm3)
compat_build "$bindir" cflags libs flibs
for name in $compat_c_programs $compat_f_programs; do
    grep -Eq '/(usr/)?lib/x86_64-linux-gnu/libpvm3.so' <<<"$(ldd "$bindir/$name")" ||
        { echo "$name does not load Debian's libpvm3" >&2; exit 1; }
done

halt() {
    echo halt | timeout 20 pvm >/dev/null 2>&1 || true
    for _ in $(seq 100); do [ -e "$addr" ] || break; sleep 0.1; done
}
trap halt EXIT
for name in $compat_c_programs $compat_f_programs; do
    pvmd >/dev/null 2>&1 &
    disown
    for _ in $(seq 100); do [ -e "$addr" ] && break; sleep 0.1; done
    compat_run "$bindir" "$name" "$out/$name.out"
    rm -f "$out/$name.out.raw"
    halt
    echo "recorded $name: $(wc -l <"$out/$name.out") lines"
done
