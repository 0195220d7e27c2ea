#!/bin/bash
# ssh-test.sh BUILD_DIR - the real ssh start-up path, once: Debian's sshd runs inside test
# host 2's network namespace, and the master pvmd on test host 1 starts the slave pvmd there
# with the real `ssh` client as $PVM_RSH. A small task (tests/tasks/remote_echo.c) adds the
# host by address, spawns a task on it and gets a message back; the console halts the
# machine. Then no pvmd and no sshd may be left, and everything made here is removed.
#
# Needs root (namespaces, sshd) and openssh-server/openssh-client (scripts/install-deps.sh);
# without them it skips (exit 77), except under CI (CI set), where it fails.
# Traffic stays on the test hosts' 198.18.0.0/15 link: sshd listens on host 2's address only.
set -uo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
build=$(cd "${1:?usage: ssh-test.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
netns=$here/../support/netns-hosts.sh
port=22

TEST_NAME=ssh-test
# shellcheck source=../support/script-test.sh
. "$here/../support/script-test.sh"

[ "$(id -u)" = 0 ] || skip "needs root (network namespaces and sshd)"
[ -x /usr/sbin/sshd ] || skip "no /usr/sbin/sshd (Debian package openssh-server, see scripts/install-deps.sh)"
for tool in ssh ssh-keygen; do
    command -v $tool >/dev/null || skip "no $tool (Debian package openssh-client)"
done
why=$("$netns" check 2>&1) || skip "$why"
for f in "$build/pvmd/pvmd" "$build/console/pvm" "$build/tests/remote_echo" "$build/tests/test_task"; do
    [ -x "$f" ] || fail "$f is not built"
done

# Everything lives in one private directory under /tmp/pvmtest.* (where the stray-daemon
# check looks): h1 and h2 are the hosts' PVM_TMP, ssh/ holds keys, config and logs.
work=$(mktemp -d /tmp/pvmtest.XXXXXX) || fail "mktemp"
prefix=ssh$(($$ % 100000))
sshd_pid=
made_run_sshd=0
cleanup() {
    local pid
    [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null
    for pid in $(cat "$work"/pids 2>/dev/null); do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pvmd ] && kill -9 "$pid" 2>/dev/null
    done
    # Also kills whatever still runs inside the namespaces.
    "$netns" down "$prefix" >/dev/null 2>&1
    ((made_run_sshd)) && rmdir /run/sshd 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# daemon_pid TMP: the pid in that PVM_TMP's address file, or nothing.
daemon_pid() {
    sed -n 's/^pid //p' "$1/pvm.$(id -u)/pvmd.addr" 2>/dev/null
}
alive() {
    [ -n "$1" ] && kill -0 "$1" 2>/dev/null && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
gone() { ! alive "$1"; }
# wait_for SECONDS COMMAND...: poll until COMMAND succeeds; false when time runs out.
wait_for() {
    local end=$((SECONDS + $1))
    shift
    until "$@"; do
        ((SECONDS < end)) || return 1
        sleep 0.1
    done
}

hosts=$("$netns" up 2 "$prefix") || fail "cannot make test hosts: $hosts"
read -r _ ns1 addr1 <<<"$(sed -n 1p <<<"$hosts")"
read -r _ ns2 addr2 <<<"$(sed -n 2p <<<"$hosts")"
say "test hosts $ns1 ($addr1) and $ns2 ($addr2)"
mkdir -p "$work/h1" "$work/h2" "$work/ssh"

# Throw-away keys: the server's host key, and the client key it accepts for root.
keys=$work/ssh
ssh-keygen -q -t ed25519 -N '' -C pvm-test-host -f "$keys/host_key" || fail "ssh-keygen (host key)"
ssh-keygen -q -t ed25519 -N '' -C pvm-test-client -f "$keys/client_key" || fail "ssh-keygen (client key)"
cp "$keys/client_key.pub" "$keys/authorized_keys"
cat >"$keys/sshd_config" <<EOF
ListenAddress $addr2:$port
HostKey $keys/host_key
PidFile $keys/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile $keys/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
LogLevel VERBOSE
EOF
# sshd's privilege separation needs this directory (Debian's service makes it at boot).
if [ ! -d /run/sshd ]; then
    mkdir -m 0755 /run/sshd && made_run_sshd=1
fi
/usr/sbin/sshd -t -f "$keys/sshd_config" || fail "sshd rejects its test configuration"
ip netns exec "$ns2" /usr/sbin/sshd -D -f "$keys/sshd_config" -E "$keys/sshd.log" &
sshd_pid=$!
listening() { grep -q "Server listening on $addr2" "$keys/sshd.log" 2>/dev/null; }
wait_for 10 listening ||
    fail "sshd did not start: $(cat "$keys/sshd.log" 2>/dev/null)"
say "sshd (pid $sshd_pid) listens on $addr2:$port in $ns2"

# $PVM_RSH: the real ssh client with the test's key. The emulated hosts share one /tmp, so
# the remote command gets host 2's own PVM_TMP. pvmd calls: RSH HOST [-l LOGIN] COMMAND...
cat >"$keys/rsh" <<EOF
#!/bin/bash
host=\$1
shift
login=()
if [ "\${1:-}" = -l ]; then
    login=(-l "\$2")
    shift 2
fi
exec ssh -F /dev/null -i "$keys/client_key" -o IdentitiesOnly=yes -o StrictHostKeyChecking=no \\
    -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR -o ConnectTimeout=10 \\
    $([ "$port" = 22 ] || echo "-p $port") "\${login[@]}" "\$host" env PVM_TMP="$work/h2" "\$@"
EOF
chmod 755 "$keys/rsh"

# The master, inside host 1's namespace, with its own PVM_TMP.
export PVM_TMP=$work/h1 PVM_RSH=$keys/rsh
unset PVM_NETNS_TMP PVM_NETNS_HOSTS
out=$(ip netns exec "$ns1" "$build/pvmd/pvmd" -n "$ns1" -H 250 -T 10000 2>&1) || fail "master pvmd did not start: $out"
master=$(daemon_pid "$work/h1")
echo "$master" >>"$work/pids"
say "master pvmd pid $master on $ns1"

# The task runs here and reaches the master over its IPC socket; sshd logs the login.
out=$("$build/tests/remote_echo" "$addr2" "$build/tests/test_task" 2>&1)
status=$?
echo "$out"
slave=$(daemon_pid "$work/h2")
[ -n "$slave" ] && echo "$slave" >>"$work/pids"
if [ $status != 0 ] || ! grep -q "remote echo ok" <<<"$out"; then
    echo "--- master log"
    cat "$work/h1/pvml.$(id -u)" 2>/dev/null
    echo "--- host 2 log"
    cat "$work/h2/pvml.$(id -u)" 2>/dev/null
    echo "--- sshd log"
    cat "$keys/sshd.log"
    fail "remote_echo failed (status $status)"
fi
grep -q "Accepted publickey for root from $addr1" "$keys/sshd.log" ||
    fail "sshd did not log the login from $addr1: $(cat "$keys/sshd.log")"
grep -q "starting host $addr2 .* with $keys/rsh" "$work/h1/pvml.$(id -u)" ||
    fail "the master did not use \$PVM_RSH: $(cat "$work/h1/pvml.$(id -u)")"
grep -q "^host t80000 $addr2 " <<<"$out" || fail "pvm_config does not list $addr2 as t80000"
[ -n "$slave" ] && alive "$slave" || fail "no pvmd runs on host 2"
[ "$(ip netns identify "$slave")" = "$ns2" ] || fail "host 2's pvmd (pid $slave) is not in $ns2"
say "slave pvmd pid $slave on $ns2, started over ssh"

echo halt | "$build/console/pvm" >/dev/null 2>&1

# After the halt: no pvmd anywhere, and only sshd itself left in host 2 (no session, no
# slave); then sshd stops and nothing is left in either namespace.
for pid in $master $slave; do
    wait_for 10 gone "$pid" || fail "pvmd $pid still runs after the halt"
done
only_sshd() { [ "$(ip netns pids "$ns2")" = "$sshd_pid" ]; }
wait_for 10 only_sshd || fail "left in $ns2 besides sshd: $(ip netns pids "$ns2" | xargs -r ps -o pid,args -p)"
kill "$sshd_pid"
wait "$sshd_pid" 2>/dev/null
alive "$sshd_pid" && fail "sshd $sshd_pid did not stop"
sshd_pid=
for ns in "$ns1" "$ns2"; do
    left=$(ip netns pids "$ns")
    [ -z "$left" ] || fail "processes left in $ns: $(xargs -r ps -o pid,args -p <<<"$left")"
done
say "passed: slave started over ssh, task spawned on $addr2 answered, machine halted, nothing left"
