#!/bin/bash
# demo.sh - install, build, start a virtual machine, run the examples, halt it.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== installing dependencies"
bash scripts/install-deps.sh
echo "== building"
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPVM_BUILD_TESTS=OFF >/dev/null
cmake --build build -j2 >/dev/null
bin=build

# A private PVM_TMP keeps the demo apart from any machine you already run.
export PVM_TMP=$(mktemp -d /tmp/pvmdemo.XXXXXX)
cleanup() {
    "$bin/console/pvm" <<<"halt" >/dev/null 2>&1 || true
    rm -rf "$PVM_TMP"
}
trap cleanup EXIT

echo "== starting pvmd (PVM_TMP=$PVM_TMP)"
"$bin/pvmd/pvmd"
echo "== the console: conf"
"$bin/console/pvm" <<<"conf"
echo "== hello: spawn a greeter and print what it sends"
"$bin/examples/hello"
echo "== master/slave in C: 4 slaves share 100 work items"
"$bin/examples/master" 4
echo "== the same with the C++ API"
"$bin/examples/master_cpp" 4
echo "== the card dealer with its master in Tcl (package require pvm), C slaves"
TCLLIBPATH=$bin/tcl-binding tclsh examples/tcl/cards.tcl -items 300 -slaves 2 -slave "$PWD/$bin/examples/cards_slave"
echo "== task output as the daemon logged it ($PVM_TMP/pvml.$(id -u)), last lines"
tail -n 5 "$PVM_TMP/pvml.$(id -u)"
echo "== halting the virtual machine"
"$bin/console/pvm" <<<"halt"
trap - EXIT
rm -rf "$PVM_TMP"
# A halted daemon takes a moment to be gone; exited ones waiting to be reaped do not count.
for _ in $(seq 50); do
    left=$(ps -C pvmd -o stat= | grep -vc '^Z' || true)
    [ "$left" = 0 ] && break
    sleep 0.1
done
echo "== done: pvmd processes left running: $left"
