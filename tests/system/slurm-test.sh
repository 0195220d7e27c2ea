#!/bin/bash
# slurm-test.sh BUILD_DIR - the virtual machine inside Slurm jobs, with a real Slurm
# (Debian's slurm-wlm and munge) over three test hosts (tests/support/slurm-cluster.sh):
#   1. salloc -N 3: pvmd starts a slave on each other node with srun; conf shows 3 hosts and
#      the job; the card dealer deals work to all three; halt leaves nothing.
#   2. sbatch -N 3 examples/slurm/cards.sbatch: the same from a batch script.
#   3. salloc -N 2: adding the third node, outside the job, fails; the machine keeps 2 hosts.
#   4. salloc -N 3: a node's pvmd killed is deleted; the rest goes on.
#   5. salloc -N 3 that ends without a halt: the master halts itself and Slurm ends the slaves.
# Needs root (namespaces) and slurm-wlm and munge (scripts/install-deps.sh); without them it
# skips (exit 77), except under CI (CI set), where it fails.
set -uo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
build=$(cd "${1:?usage: slurm-test.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
support=$here/../support
examples=$here/../../examples

TEST_NAME=slurm-test
# shellcheck source=../support/script-test.sh
. "$support/script-test.sh"
work=
show_failure() {
    for f in "$work"/out/* "$work"/tmp/*/pvml.*; do
        [ -r "$f" ] && { echo "--- $f"; tail -20 "$f"; }
    done
}

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
for tool in slurmctld slurmd salloc sbatch srun squeue munged mungekey; do
    command -v $tool >/dev/null || skip "no $tool (Debian packages slurm-wlm and munge)"
done
why=$("$support/netns-hosts.sh" check 2>&1) || skip "$why"
for f in "$build/pvmd/pvmd" "$build/console/pvm" "$build/examples/cards" "$build/examples/cards_slave"; do
    [ -x "$f" ] || fail "$f is not built"
done

work=$(mktemp -d /tmp/pvmtest.XXXXXX) || fail "mktemp"
prefix=slm$(($$ % 100000))
cleanup() {
    "$support/slurm-cluster.sh" down "$work"
    # Also kills whatever still runs inside the namespaces.
    "$support/netns-hosts.sh" down "$prefix" >/dev/null 2>&1
    [ -n "${SLURM_TEST_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

"$support/netns-hosts.sh" up 3 "$prefix" >/dev/null || fail "cannot make the test hosts"
SLURM_CONF=$("$support/slurm-cluster.sh" up "$prefix" 3 "$work") || fail "Slurm did not start"
export SLURM_CONF
mkdir -p "$work/out"
export PVMD=$build/pvmd/pvmd PVM=$build/console/pvm CARDS=$build/examples/cards
# The master's host is node 1; its shell is no step, so it gets no PVM_TMP from the prolog.
export PVM_TMP=$work/tmp/$prefix-h1
mkdir -p "$PVM_TMP"
unset PVM_RSH PVM_SLURM

# on_node1 CMD...: CMD on node 1, as a user logged in there.
on_node1() { "$support/slurm-cluster.sh" run "$prefix" 1 "$@"; }

# ours: the pvmds of this test's nodes (their PVM_TMP is under $work), whatever their path.
ours() {
    local pid
    for pid in $(pgrep -x pvmd); do
        { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -q "^PVM_TMP=$work/" && echo "$pid"
    done
}

# no_daemons_left: wait (up to 30 s) until no pvmd of this test runs on any node.
no_daemons_left() {
    local i
    for ((i = 0; i < 300; i++)); do
        [ -z "$(ours)" ] && return 0
        sleep 0.1
    done
    fail "pvmd still running: $(ours | xargs -r ps -o pid,args -p)"
}

# 1. salloc: conf, the dealer over three hosts, halt.
cat >"$work/salloc1.sh" <<'SCRIPT'
set -e
"$PVMD"
echo conf | "$PVM"
"$CARDS" 300 1
echo halt | "$PVM"
SCRIPT
on_node1 salloc --nodes=3 --quiet bash "$work/salloc1.sh" >"$work/out/salloc1" 2>&1 || fail "salloc run failed"
grep -q "^3 hosts" "$work/out/salloc1" || fail "conf did not show 3 hosts"
grep -q "^Slurm job [0-9]" "$work/out/salloc1" || fail "conf did not show the job"
# Each node has one CPU in the job: speed 1000 each, whatever the node measures.
[ "$(grep -cE "^ +$prefix-h[1-3] +[0-9a-f]+ +LINUX64 +1000 " "$work/out/salloc1")" = 3 ] ||
    fail "the hosts' speeds do not follow their CPUs in the job"
for i in 1 2 3; do
    grep -Eq "^$prefix-h$i +[0-9]+ +1 +[1-9]" "$work/out/salloc1" || fail "no items dealt to $prefix-h$i"
done
grep -q "sieve: .*: ok$" "$work/out/salloc1" || fail "the dealer's sum is wrong"
no_daemons_left
say "salloc: 3 hosts, the job shown, work on each node, nothing left"

# 2. sbatch with the example script.
on_node1 sbatch --nodes=3 --wait --quiet --output="$work/out/sbatch" "$examples/slurm/cards.sbatch" 300 \
    || fail "sbatch job failed"
grep -q "^3 hosts" "$work/out/sbatch" || fail "the batch job's machine did not have 3 hosts"
grep -q "sieve: .*: ok$" "$work/out/sbatch" || fail "the batch job's dealer failed"
no_daemons_left
say "sbatch: the example ran over 3 nodes, nothing left"

# 3. A node outside the job cannot be added.
cat >"$work/salloc3.sh" <<SCRIPT
"\$PVMD"
printf 'add $prefix-h3\nconf\nhalt\n' | "\$PVM"
SCRIPT
on_node1 salloc --nodes=2 --nodelist="$prefix-h[1-2]" --quiet bash "$work/salloc3.sh" >"$work/out/salloc3" 2>&1
grep -q "^2 hosts" "$work/out/salloc3" || fail "the 2-node job's machine did not keep 2 hosts"
grep -qi "no such host" "$work/out/salloc3" || fail "adding a node outside the job did not fail clearly"
grep -q "not one of Slurm job" "$PVM_TMP"/pvml.* || fail "the log does not say why"
no_daemons_left
say "outside the job: refused, with the job's nodes in the log"

# 4. A node's pvmd killed: deleted, and the machine goes on.
cat >"$work/salloc4.sh" <<SCRIPT
"\$PVMD"
pkill -KILL -f '^$build/pvmd/pvmd --slave [0-9]+ -n $prefix-h3'
for i in \$(seq 100); do
    echo conf | "\$PVM" | grep -q '^2 hosts' && break
    sleep 0.2
done
echo conf | "\$PVM"
"\$CARDS" 100 1
echo halt | "\$PVM"
SCRIPT
on_node1 salloc --nodes=3 --quiet bash "$work/salloc4.sh" >"$work/out/salloc4" 2>&1
grep -q "^2 hosts" "$work/out/salloc4" || fail "the killed node's host was not deleted"
grep -q "sieve: .*: ok$" "$work/out/salloc4" || fail "the dealer failed on the two nodes left"
no_daemons_left
say "a node's pvmd killed: deleted, work goes on"

# 5. The job ends while the machine runs: nothing may be left on any node. Here the console
# starts the master.
cat >"$work/salloc5.sh" <<'SCRIPT'
echo conf | "$PVM" | head -1
SCRIPT
on_node1 salloc --nodes=3 --quiet bash "$work/salloc5.sh" >"$work/out/salloc5" 2>&1
grep -q "^3 hosts" "$work/out/salloc5" || fail "the machine did not start on 3 nodes"
no_daemons_left
# Slurm's end of the allocation signals the console's process group, the master included,
# or the master finds the job ended when it asks.
grep -Eq "has ended; halting|halting on signal" "$PVM_TMP"/pvml.* || fail "the master did not say why it halted"
say "the job's end: the master halted, Slurm ended the slaves"
say "PASS"
