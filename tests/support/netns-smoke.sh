#!/bin/bash
# netns-smoke.sh - self-test of netns-hosts.sh and rsh-netns (needs root).
#
#   netns-smoke.sh [PREFIX]      PREFIX defaults to nsm<pid>; a second set of
#                                hosts, <PREFIX>-o (cut to 12 characters), is
#                                made to check isolation
#
# Brings up 3 test hosts and a 1-host second set, checks addresses, routes and
# the bridge, that every host reaches every other one of its set by address
# (and by name), that the other set is not reachable, that rsh-netns runs
# commands in the right namespace with stdin/stdout/stderr and the exit status
# passed through, then takes everything down and checks that nothing is left
# (no namespace, hosts file or /etc/netns entry, root namespace unchanged).
# Prints "ok - ..." / "not ok - ..." lines and a closing "N passed, N failed";
# exits 0 on success, 1 on failure, and 77 (skip) with a message when
# namespaces can't be made here, except under CI (CI set) where that fails.
#
# Reachability is tested over TCP: a listener in each host answers
# "pong-<host>" and the client is bash's /dev/tcp inside another host. The
# listener is socat (Debian package socat) if installed, else perl's
# IO::Socket::INET (Debian package perl-base, which is Essential, so always
# there); if neither exists, `ping` (Debian package iputils-ping) is used.
# Nothing is installed by this script. NETNS_SMOKE_METHOD=socat|perl|ping
# forces one. Traffic only ever goes to loopback and the test hosts' own
# 198.18.x.y addresses inside the namespaces made here.

set -u
export PATH="$PATH:/usr/sbin:/sbin:/usr/bin:/bin"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NH=$HERE/netns-hosts.sh
RSH=$HERE/rsh-netns
P=${1:-nsm$$}
O=${P:0:10}-o
[ "$O" = "$P" ] && O=${P:0:10}-x
PORT=5999

passed=0
failed=0
ok() {
    echo "ok - $*"
    passed=$((passed + 1))
}
not_ok() {
    echo "not ok - $*"
    failed=$((failed + 1))
}
# check DESCRIPTION COMMAND... : ok if the command succeeds.
check() {
    local what=$1
    shift
    if "$@"; then ok "$what"; else not_ok "$what"; fi
}
# verdict DESCRIPTION : ok if the command just before succeeded.
verdict() {
    if [ $? = 0 ]; then ok "$1"; else not_ok "$1"; fi
}
not() { ! "$@"; }
finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" = 0 ] && exit 0
    exit 1
}

if ! why=$("$NH" check 2>&1); then
    if [ -n "${CI:-}" ]; then
        echo "not ok - network namespaces usable here: $why"
        echo "0 passed, 1 failed"
        exit 1
    fi
    echo "SKIP: $why"
    exit 77
fi

method=${NETNS_SMOKE_METHOD:-}
if [ -z "$method" ]; then
    if command -v socat >/dev/null; then
        method=socat
    elif command -v perl >/dev/null && perl -MIO::Socket::INET -e 1 2>/dev/null; then
        method=perl
    elif command -v ping >/dev/null; then
        method=ping
    else
        echo "not ok - no way to test reachability: install socat, perl-base or iputils-ping"
        finish
    fi
fi
echo "# prefixes $P and $O, reachability tested with $method"

LISTENERS=()
cleanup() {
    local pid
    for pid in "${LISTENERS[@]}"; do kill "$pid" 2>/dev/null; done
    "$NH" down "$P" >/dev/null 2>&1
    "$NH" down "$O" >/dev/null 2>&1
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

root_net() { ip -o link show | sed 's/ link-netnsid [0-9]*//'; ip -o addr show; ip route show; }
root_before=$(root_net)

# ---- up -------------------------------------------------------------------
out=$("$NH" up 3 "$P" 2>&1)
rc=$?
echo "$out" | sed 's/^/# /'
check "up 3 $P succeeds" [ "$rc" = 0 ]
[ "$rc" = 0 ] || finish
K=$(echo "$out" | sed -n "1s/^$P-h1 $P-h1 198\.18\.\([0-9]*\)\.2$/\1/p")
want="$P-h1 $P-h1 198.18.$K.2
$P-h2 $P-h2 198.18.$K.3
$P-h3 $P-h3 198.18.$K.4"
[ -n "$K" ] && [ "$out" = "$want" ]
verdict "up prints '<hostname> <namespace> <address>' for each host"
[ "${K:-0}" -ge 1 ] && [ "${K:-0}" -le 200 ]
verdict "subnet 198.18.$K.0/24 is within 198.18.1.0 .. 198.18.200.0"
declare -A A
for i in 1 2 3; do A[$P-h$i]=198.18.$K.$((i + 1)); done

others=$(for f in /tmp/*.hosts; do
    [ "$f" = "/tmp/$P.hosts" ] && continue
    sed -n '1s/^# netns-hosts\.sh prefix=\([^ ]*\) subnet=198\.18\.\([0-9]*\)\.0\/24.*/\1 \2/p' "$f" 2>/dev/null
done)
clash=$(echo "$others" | while read -r op ok_; do
    [ -n "$op" ] && [ -e "/run/netns/$op-sw" ] && [ "$ok_" = "$K" ] && echo "$op"
done)
check "no other live set of test hosts uses subnet $K${others:+ (others: $(echo "$others" | tr '\n' ' '))}" [ -z "$clash" ]

again=$("$NH" up 3 "$P" 2>&1)
rc=$?
[ "$rc" != 0 ] && [[ $again == *"already exist"* ]]
verdict "a second 'up 3 $P' fails clearly"
[ -e "/run/netns/$P-sw" ] && [ -e "/run/netns/$P-h1" ] && [ -e "/run/netns/$P-h3" ] && [ -f "/tmp/$P.hosts" ]
verdict "... and leaves the existing hosts alone"

entries=$(grep -v '^#' "/tmp/$P.hosts" | awk '{print $1, $2}')
check "/tmp/$P.hosts maps the 3 names to their addresses" [ "$entries" = "${A[$P-h1]} $P-h1
${A[$P-h2]} $P-h2
${A[$P-h3]} $P-h3" ]

for i in 1 2 3; do
    h=$P-h$i
    addrs=$(ip -n "$h" -4 -o addr show | awk '{print $2, $4}' | tr '\n' ' ')
    check "$h has lo 127.0.0.1 and eth0 ${A[$h]}/24 only" [ "$addrs" = "lo 127.0.0.1/8 eth0 ${A[$h]}/24 " ]
    routes=$(ip -n "$h" -4 route show | awk '{print $1}' | tr '\n' ' ')
    check "$h has only the route to 198.18.$K.0/24 (no default route)" [ "$routes" = "198.18.$K.0/24 " ]
done
ports=$(ip -n "$P-sw" -o link show master "$P-br" | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' ')
check "bridge $P-br in $P-sw has exactly ports h1 h2 h3" [ "$ports" = "h1 h2 h3 " ]
check "bridge $P-br has no IPv4 address" [ -z "$(ip -n "$P-sw" -4 -o addr show dev "$P-br")" ]
check "nothing added to the root namespace's links, addresses or routes" [ "$(root_net)" = "$root_before" ]

out2=$("$NH" up 1 "$O" 2>&1)
rc=$?
echo "$out2" | sed 's/^/# /'
check "up 1 $O succeeds" [ "$rc" = 0 ]
OA=$(echo "$out2" | awk '{print $3}')
[ -n "$OA" ] && [ "${OA%.*}" != "198.18.$K" ]
verdict "$O is on a different subnet ($OA)"

# ---- reachability -----------------------------------------------------------
listen() { # NS ADDR
    case $method in
    socat)
        ip netns exec "$1" timeout 120 socat "TCP-LISTEN:$PORT,bind=$2,reuseaddr,fork" \
            "SYSTEM:echo pong-$1" </dev/null >/dev/null 2>&1 &
        ;;
    perl)
        ip netns exec "$1" timeout 120 perl -MIO::Socket::INET -e '
            my $s = IO::Socket::INET->new(LocalAddr => $ARGV[0], LocalPort => $ARGV[1],
                Listen => 16, ReuseAddr => 1) or die "listen: $!\n";
            while (my $c = $s->accept) { print $c "$ARGV[2]\n"; close $c }' \
            "$2" "$PORT" "pong-$1" </dev/null >/dev/null 2>&1 &
        ;;
    *) return 0 ;;
    esac
    LISTENERS+=($!)
    local t
    for ((t = 0; t < 50; t++)); do
        [ -n "$(ip netns exec "$1" ss -Hltn "sport = :$PORT" 2>/dev/null)" ] && return 0
        sleep 0.1
    done
    echo "# listener in $1 did not start" >&2
    return 1
}
# reach FROM_NS DEST (address or name) DEST_NS: succeeds if FROM reaches DEST.
reach() {
    if [ "$method" = ping ]; then
        ip netns exec "$1" ping -n -c1 -W2 "$2" >/dev/null 2>&1
        return
    fi
    local got
    got=$(ip netns exec "$1" timeout 5 bash -c \
        'exec 3<>"/dev/tcp/$1/$2" || exit 1; IFS= read -r l <&3; echo "$l"' _ "$2" "$PORT" 2>/dev/null)
    [ "$got" = "pong-$3" ]
}

for h in "$P-h1" "$P-h2" "$P-h3"; do listen "$h" "${A[$h]}"; done
listen "$O-h1" "$OA"
for i in 1 2 3; do
    for j in 1 2 3; do
        [ "$i" = "$j" ] && continue
        check "$P-h$i reaches $P-h$j at ${A[$P-h$j]}" reach "$P-h$i" "${A[$P-h$j]}" "$P-h$j"
    done
done
if [ "${NETNS_HOSTS_ETC:-1}" != 0 ]; then
    check "$P-h1 reaches $P-h3 by name" reach "$P-h1" "$P-h3" "$P-h3"
fi
check "$P-h1 does not reach $O-h1 at $OA" not reach "$P-h1" "$OA" "$O-h1"
check "$O-h1 does not reach $P-h2 at ${A[$P-h2]}" not reach "$O-h1" "${A[$P-h2]}" "$P-h2"
for pid in "${LISTENERS[@]}"; do kill "$pid" 2>/dev/null; done
wait 2>/dev/null
LISTENERS=()

# ---- rsh-netns --------------------------------------------------------------
v4() { awk '$2 != "lo" {print $4}' | tr '\n' ' '; }
check "rsh-netns $P-h2 runs 'ip -4 addr' in $P-h2" [ "$("$RSH" "$P-h2" ip -4 -o addr show | v4)" = "${A[$P-h2]}/24 " ]
check "rsh-netns ${A[$P-h3]} (by address) runs in $P-h3" [ "$("$RSH" "${A[$P-h3]}" ip -4 -o addr show | v4)" = "${A[$P-h3]}/24 " ]
if command -v hostname >/dev/null; then
    check "rsh-netns $P-h1 'hostname -I' gives ${A[$P-h1]}" [ "$("$RSH" "$P-h1" hostname -I | tr -d ' ')" = "${A[$P-h1]}" ]
fi
check "echo hi | rsh-netns $P-h2 cat passes stdin through" [ "$(echo hi | "$RSH" "$P-h2" cat)" = hi ]
check "rsh-netns $P-h2 -l nobody CMD (PVM's form) ignores -l" [ "$(echo hi | "$RSH" "$P-h2" -l nobody cat)" = hi ]
check "rsh-netns -n gives the command an empty stdin" [ -z "$(echo hi | "$RSH" -n "$P-h2" cat)" ]
check "the command string is run by sh -c" [ "$("$RSH" "$P-h3" -l root 'echo $((1 + 2)) "a  b"')" = "3 a  b" ]
"$RSH" "$P-h2" 'echo to-stderr >&2; exit 7' 2>/tmp/.netns-smoke.$$.err >/dev/null
rc=$?
check "the exit status is passed back" [ "$rc" = 7 ]
check "stderr is passed through" [ "$(cat /tmp/.netns-smoke.$$.err)" = to-stderr ]
"$RSH" "no-such-host-$$" true 2>/tmp/.netns-smoke.$$.err
rc=$?
[ "$rc" = 255 ] && grep -q "^ssh: Could not resolve hostname no-such-host-$$" /tmp/.netns-smoke.$$.err
verdict "an unknown host fails like ssh (255, 'Could not resolve hostname')"
rm -f /tmp/.netns-smoke.$$.err
check "PVM_NETNS_HOSTS limits the lookup to one hosts file" \
    [ "$(PVM_NETNS_HOSTS=/tmp/$O.hosts "$RSH" "$O-h1" ip -4 -o addr show | v4)" = "$OA/24 " ]
PVM_NETNS_HOSTS=/tmp/$O.hosts "$RSH" "$P-h1" true 2>/dev/null
check "... so $P-h1 is unknown with PVM_NETNS_HOSTS=/tmp/$O.hosts" [ $? = 255 ]
check "nested: rsh-netns from inside $P-h1 to $P-h2 (master pvmd starting a slave)" \
    [ "$("$RSH" "$P-h1" "$RSH $P-h2 -l root ip -4 -o addr show" | v4)" = "${A[$P-h2]}/24 " ]
coproc CONV { "$RSH" "$P-h2" -l root 'while IFS= read -r l; do echo "got $l"; done'; }
echo one >&"${CONV[1]}"
IFS= read -r -t 5 r1 <&"${CONV[0]}"
echo two >&"${CONV[1]}"
IFS= read -r -t 5 r2 <&"${CONV[0]}"
wfd=${CONV[1]}
exec {wfd}>&-
wait "$CONV_PID"
rc=$?
[ "${r1:-}" = "got one" ] && [ "${r2:-}" = "got two" ] && [ "$rc" = 0 ]
verdict "a two-way conversation over rsh-netns works line by line"

# ---- down -----------------------------------------------------------------
check "down $P succeeds" "$NH" down "$P"
check "down $O succeeds" "$NH" down "$O"
check "down $P again (nothing there) succeeds" "$NH" down "$P"
left() { # PREFIX: anything left of it?
    ip netns list | grep -E "^$1-(sw|h[0-9]+)( |$)"
    ls -d "/tmp/$1.hosts" /etc/netns/"$1"-h* 2>/dev/null
}
check "nothing is left of $P or $O (namespaces, hosts files, /etc/netns)" [ -z "$(left "$P")$(left "$O")" ]

NETNS_HOSTS_FAIL_AT=2 "$NH" up 3 "$P" >/dev/null 2>&1
rc=$?
check "an 'up' that fails half way exits non-zero" [ "$rc" != 0 ]
check "... and leaves nothing behind" [ -z "$(left "$P")" ]
"$NH" up 0 "$P" >/dev/null 2>&1
check "up rejects N=0" [ $? != 0 ]
"$NH" up 2 "a-prefix-too-long" >/dev/null 2>&1
check "up rejects a prefix longer than 12 characters" [ $? != 0 ]
check "the root namespace's links, addresses and routes are as before" [ "$(root_net)" = "$root_before" ]
finish
