#!/bin/bash
# record-golden.sh - records golden/<example>.out from Debian's real PVM 3.4.6 (packages pvm,
# pvm-dev, pvm-examples): builds PVM's examples with PVM's own aimk under a scratch $HOME/pvm3,
# then runs each line of examples.txt on a fresh real pvmd. Run it as a user other than root,
# or as root with PVM_ALLOW_ROOT=1.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/mask.sh"
export PVM_ROOT=/usr/lib/pvm3
[ -x $PVM_ROOT/lib/pvmd ] && [ -f /usr/share/doc/pvm-examples/examples.tar.gz ] ||
    { echo "record-golden: needs Debian's pvm, pvm-dev and pvm-examples"; exit 1; }
work=$(mktemp -d /tmp/pvmgolden.XXXXXX)
export HOME=$work  # real PVM looks for spawned programs in $HOME/pvm3/bin/LINUX64
trap 'echo halt | pvm >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
mkdir -p "$work/pvm3/bin/LINUX64" "$work/pvm3/include"
ln -s /usr/include/fpvm3.h "$work/pvm3/include/fpvm3.h"  # the Fortran sources say ../include/fpvm3.h
ln -s $PVM_ROOT/lib/pvmgs "$work/pvm3/bin/LINUX64/pvmgs"
cd "$work/pvm3"
tar xzf /usr/share/doc/pvm-examples/examples.tar.gz
tar xzf /usr/share/doc/pvm-examples/gexamples.tar.gz
rm -rf examples/LINUX64 gexamples/LINUX64  # prebuilt objects in Debian's tarball
(cd examples && aimk c-all f-all >/dev/null 2>&1)
(cd gexamples && aimk >/dev/null 2>&1)
grep -v '^#' "$here/examples.txt" | while IFS='|' read -r name compare input; do
    name=$(echo $name); file=${name// /_}
    input=$(echo $input)
    pvmd </dev/null >/dev/null 2>&1 &
    for _ in $(seq 100); do [ -e /tmp/pvmd.$(id -u) ] && break; sleep 0.1; done
    run_example "$work/pvm3/bin/LINUX64" "$name" "$input" "$here/golden/$file.out"
    echo halt | pvm >/dev/null 2>&1 || true
    for _ in $(seq 100); do [ -e /tmp/pvmd.$(id -u) ] || break; sleep 0.1; done
    echo "recorded $name"
done
