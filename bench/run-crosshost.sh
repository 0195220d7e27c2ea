#!/usr/bin/env bash
# run-crosshost.sh - ping-pong between two emulated hosts: the daemon route
# (task -> pvmd -> pvmd -> task) against the cross-host direct route (one
# CurveZMQ TCP link), for this project installed in PREFIX.
#
#   bench/run-crosshost.sh PREFIX [pingpong options, e.g. -s 8,1024 -t 0.5]
#
# Run as root on Debian 12 (network namespaces; see tests/support/netns-hosts.sh:
# a veth per host on a bridge, 198.18.0.0/15 addresses). Real PVM is not run
# here: its slave start-up would need an rsh into the namespace for an
# unprivileged user, which `ip netns exec` cannot give; bench/run-pingpong.sh
# compares the two on one host.
set -euo pipefail

die() {
    echo "run-crosshost: $*" >&2
    exit 1
}
[ $# -ge 1 ] || die "usage: $0 PREFIX [pingpong options]"
PREFIX=$(cd "$1" 2>/dev/null && pwd) || die "no such directory: $1"
shift
[ -x "$PREFIX/bin/pvmd" ] || die "$PREFIX/bin/pvmd is missing: install the project there first"
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
here=$(cd "$(dirname "$0")" && pwd)
support=$here/../tests/support

name=pvbx$$
work=$(mktemp -d /tmp/pvm-crosshost.XXXXXX)
cleanup() {
    PVM_TMP=$work/$name-h1 ip netns exec "$name-h1" "$PREFIX/bin/pvm" <<<"halt" >/dev/null 2>&1 || true
    "$support/netns-hosts.sh" down "$name" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

"$support/netns-hosts.sh" up 2 "$name" >/dev/null
export PVM_NETNS_HOSTS=/tmp/$name.hosts PVM_NETNS_TMP=$work PVM_RSH=$support/rsh-netns
export PVM_TMP=$work/$name-h1
mkdir -p "$PVM_TMP"
# pingpong.c and its parts, pingpong-*.c (bench/lib.sh's program_sources).
cc -O2 -std=c99 -I"$PREFIX/include" "$here/pingpong.c" "$here"/pingpong-*.c -L"$PREFIX/lib" -Wl,-rpath,"$PREFIX/lib" -lpvm3 \
    -o "$work/pingpong"

ip netns exec "$name-h1" "$PREFIX/bin/pvmd" -n "$name-h1"
printf 'add %s\nquit\n' "$name-h2" | ip netns exec "$name-h1" "$PREFIX/bin/pvm" >/dev/null
echo "# $(date -u +%Y-%m-%dT%H:%MZ) ours, $name-h1 -> $name-h2 (veth + bridge), median round trip"
ip netns exec "$name-h1" "$work/pingpong" -host "$name-h2" -exe "$work/pingpong" "$@" |
    awk '/^route=/ {
        for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "%-7s %9s B  %10s us  %9s MB/s\n", v["route"], v["size"], v["rtt_med_us"], v["mbps_med"]
    }'
