#!/bin/bash
# record-golden.sh [USER] - records golden/<case>.out from the real PVM 3.4.6 (Debian's
# pvm, pvm-dev, pvm-examples): as USER (a non-root user, default pvmh1), builds PVM's own
# examples with Debian's aimk in ~USER/pvm3 (where real PVM spawns from) and runs every
# row of cases.txt. PVM's sources are extracted there, never into this repository.
set -euo pipefail
user=${1:-pvmh1}
here=$(cd "$(dirname "$0")" && pwd)
home=$(getent passwd "$user" | cut -d: -f6)
out=$(mktemp -d); chown "$user" "$out"; trap 'rm -rf "$out"' EXIT
runuser -u "$user" -- env -i HOME="$home" PATH=/usr/bin:/bin PVM_ROOT=/usr/lib/pvm3 \
    bash -s "$here" "$out" <<'INNER'
set -euo pipefail
here=$1 out=$2
work=$(mktemp -d); trap 'echo halt | pvm >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
rm -rf ~/pvm3 && mkdir -p ~/pvm3 && cd ~/pvm3
ln -s /usr/include include    # the examples' Fortran include '../include/fpvm3.h'
tar xzf /usr/share/doc/pvm-examples/examples.tar.gz
tar xzf /usr/share/doc/pvm-examples/gexamples.tar.gz
rm -rf examples/LINUX64 gexamples/LINUX64  # prebuilt objects in Debian's tarballs
(cd examples && aimk c-all f-all >/dev/null 2>&1)
(cd gexamples && aimk >/dev/null 2>&1)
# Debian's group server, where real PVM's libgpvm3 spawns it from.
ln -sf /usr/bin/pvmgs ~/pvm3/bin/LINUX64/pvmgs
export PATH=~/pvm3/bin/LINUX64:$PATH
source "$here/cases.sh"
pvmd </dev/null >/dev/null 2>&1 &
for i in $(seq 100); do [ -e /tmp/pvmd.$(id -u) ] && break; sleep 0.1; done
grep -v '^#' "$here/cases.txt" | while IFS='|' read -r name how command compare input; do
    echo "recording $name" >&2; run_case "$how" "$command" "$compare" "$input" > "$out/$name.out"
done
INNER
cp "$out"/*.out "$here/golden/"
