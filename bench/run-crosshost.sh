#!/usr/bin/env bash
# run-crosshost.sh - ping-pong between two emulated hosts: the daemon route
# (task -> pvmd -> pvmd -> task) and the cross-host direct route (a TCP link
# between the tasks), for this project installed in PREFIX and, side by side,
# for Debian's PVM 3.4.6 when its pvm and pvm-dev packages are installed.
#
#   bench/run-crosshost.sh PREFIX [pingpong options, e.g. -s 8,1024 -t 0.5]
#
# Run as root on Debian 12 (network namespaces; see tests/support/netns-hosts.sh:
# a veth per host on a bridge, 198.18.0.0/15 addresses). Real PVM runs as root
# too (PVM_ALLOW_ROOT=1). PVM takes its own address from gethostname(), so each
# of its daemons runs in a UTS namespace named after its host (PVM_NETNS_UTS of
# tests/support/rsh-netns), with an /etc/netns hosts file that names both hosts.
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
real_on=0 # a PVM 3.4.6 master runs
# in_h1 COMMAND...: runs COMMAND in emulated host 1 (for PVM, under that host's name).
in_h1() { ip netns exec "$name-h1" unshare -u sh -c 'hostname "$0" && exec "$@"' "$name-h1" "$@"; }
real_console() { PVM_ALLOW_ROOT=1 PVM_ROOT=/usr/lib/pvm3 PVM_TMP=$work/real/$name-h1 in_h1 /usr/lib/pvm3/lib/pvm; }
cleanup() {
    PVM_TMP=$work/$name-h1 ip netns exec "$name-h1" "$PREFIX/bin/pvm" <<<"halt" >/dev/null 2>&1 || true
    [ "$real_on" = 0 ] || real_console <<<"halt" >/dev/null 2>&1 || true
    "$support/netns-hosts.sh" down "$name" >/dev/null 2>&1 || true
    rm -rf "/etc/netns/$name-h1" "/etc/netns/$name-h2" "$work"
}
trap cleanup EXIT

"$support/netns-hosts.sh" up 2 "$name" >"$work/hosts"
export PVM_NETNS_HOSTS=/tmp/$name.hosts PVM_RSH=$support/rsh-netns
# pingpong.c and its parts, pingpong-*.c (bench/lib.sh's program_sources).
parts=("$here/pingpong.c" "$here"/pingpong-*.c)
# summary: pingpong's result lines as "route size median-us median-MB/s".
summary() {
    awk '/^route=/ {
        for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        print v["route"], v["size"], v["rtt_med_us"], v["mbps_med"]
    }'
}

: >"$work/real.txt"
if dpkg -s pvm pvm-dev >/dev/null 2>&1; then
    # Built with pvm-dev's pvm3.h and libpvm3, never this project's.
    include=$(dirname "$(dpkg -L pvm-dev | grep -m1 '/pvm3\.h$')")
    cc -O2 -std=c99 -I"$include" "${parts[@]}" -lpvm3 -o "$work/pingpong-real"
    ldd "$work/pingpong-real" | grep -q "libpvm3\.so\.3 => /\(usr/\)\?lib/x86_64-linux-gnu/" ||
        die "pingpong-real is not linked with Debian's libpvm3"
    for h in h1 h2; do
        mkdir -p "/etc/netns/$name-$h" "$work/real/$name-$h"
        { echo "127.0.0.1 localhost"; awk '{ print $3, $1 }' "$work/hosts"; } >"/etc/netns/$name-$h/hosts"
    done
    real_on=1
    printf 'add %s\nconf\nquit\n' "$name-h2" |
        PVM_NETNS_UTS=1 PVM_NETNS_TMP=$work/real real_console \
            >"$work/real-console.log" 2>&1 || true
    grep -q "^2 hosts" "$work/real-console.log" ||
        die "PVM 3.4.6 did not add $name-h2: $(cat "$work/real-console.log")"
    PVM_ALLOW_ROOT=1 PVM_ROOT=/usr/lib/pvm3 PVM_TMP=$work/real/$name-h1 \
        in_h1 "$work/pingpong-real" -host "$name-h2" -exe "$work/pingpong-real" "$@" | summary >"$work/real.txt"
    real_console <<<"halt" >/dev/null 2>&1 || true
    real_on=0
else
    echo "# Debian's pvm and pvm-dev are not installed: ours only (apt-get install pvm pvm-dev for both)"
fi

export PVM_NETNS_TMP=$work PVM_TMP=$work/$name-h1
mkdir -p "$PVM_TMP"
cc -O2 -std=c99 -I"$PREFIX/include" "${parts[@]}" -L"$PREFIX/lib" -Wl,-rpath,"$PREFIX/lib" -lpvm3 -o "$work/pingpong"
ip netns exec "$name-h1" "$PREFIX/bin/pvmd" -n "$name-h1"
printf 'add %s\nquit\n' "$name-h2" | ip netns exec "$name-h1" "$PREFIX/bin/pvm" >/dev/null
ip netns exec "$name-h1" "$work/pingpong" -host "$name-h2" -exe "$work/pingpong" "$@" | summary >"$work/ours.txt"

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $name-h1 -> $name-h2 (veth + bridge), median round trip"
printf '%-7s %10s  %10s  %10s  %8s  %9s  %9s\n' route size "PVM us" "ours us" ours/PVM "PVM MB/s" "ours MB/s"
# real.txt may be empty (no PVM): tell the files apart by name, not by NR == FNR.
awk 'FILENAME == ARGV[1] { us[$1 " " $2] = $3; mb[$1 " " $2] = $4; next }
     { k = $1 " " $2; p = (k in us) ? us[k] : "n/a"; m = (k in mb) ? mb[k] : "n/a"
       r = (k in us && us[k] > 0) ? sprintf("%.2fx", $3 / us[k]) : "n/a"
       printf "%-7s %8s B  %10s  %10s  %8s  %9s  %9s\n", $1, $2, p, $3, r, m, $4 }' "$work/real.txt" "$work/ours.txt"
