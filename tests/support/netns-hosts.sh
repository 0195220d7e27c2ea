#!/bin/bash
# netns-hosts.sh - emulate several test hosts on this machine with Linux
# network namespaces (needs root and iproute2's `ip`).
#
#   netns-hosts.sh up N PREFIX   create test hosts PREFIX-h1 .. PREFIX-hN
#   netns-hosts.sh down PREFIX   remove everything made for PREFIX (never fails
#                                because parts are missing)
#   netns-hosts.sh check         exit 0 if namespaces can be made here, else
#                                print why not (on stderr) and exit 1
#
# Layout made by `up N PREFIX`:
#   namespace PREFIX-sw   holds bridge PREFIX-br and the outer veth ends
#                         h1 .. hN (all enslaved to the bridge, no addresses)
#   namespace PREFIX-hI   lo (up) and eth0, the inner veth end, with address
#                         198.18.K.(I+1)/24; no other route, no default route
# Every link is created with `ip -n` directly inside its namespace: nothing is
# added to the root namespace's network and no sysctl of it is touched. IPv6
# is disabled on eth0, the bridge and the veth ends so that nothing but IPv4
# to the test hosts (and loopback) ever travels on a test link.
#
# Subnet: K = (CRC of PREFIX from `cksum`) mod 200 + 1, i.e. 198.18.1.0/24 to
# 198.18.200.0/24, all inside 198.18.0.0/15 (RFC 2544 benchmark range). Since
# two prefixes can hash alike, `up` then takes the first K, counting up from
# there (wrapping 200 -> 1), that no other live set of test hosts uses (a set
# is live while its PREFIX-sw namespace exists); the choice is made under the
# lock /tmp/.netns-hosts.lock, so concurrent runs with different prefixes never
# share a subnet. Each set also has its own bridge in its own namespace, so two
# sets could not reach each other even on the same subnet.
#
# PREFIX: 1 to 12 characters of [A-Za-z0-9-], starting with a letter or digit
# (so that PREFIX-br fits Linux's 15-character interface names and PREFIX-hI is
# a valid host name). N: 1 to 253.
#
# `up` prints one line per host: `<hostname> <namespace> <address>` (hostname
# and namespace are both PREFIX-hI). It fails clearly, touching nothing, if
# any namespace of PREFIX already exists; if it fails half way it removes what
# it made.
#
# Names. An existing /etc/hosts is never modified (a machine without one, such as a
# minimal chroot, gets one with localhost only, since `ip netns exec` can bind a
# namespace's file only over an existing one). `up` writes /tmp/PREFIX.hosts, in
# /etc/hosts format ("198.18.K.2  PREFIX-h1  # netns=PREFIX-h1"); it is what
# tests/support/rsh-netns reads to map a host name or address to its
# namespace. In the root namespace the names do not resolve, and the addresses
# are not reachable from there either: start processes inside the namespaces
# (`ip netns exec PREFIX-hI ...` or `rsh-netns PREFIX-hI ...`) and give them
# the address where a name cannot be passed. For programs started through `ip
# netns exec` (which the rsh shim uses) the names do resolve: `up` also writes
# /etc/netns/PREFIX-hI/hosts (localhost plus every host of the set), which `ip
# netns exec` bind-mounts over /etc/hosts inside that namespace only. Set
# NETNS_HOSTS_ETC=0 to skip that.
#
# `down` first kills any process still running inside the set's namespaces
# (they can only be the test's own), then deletes the namespaces, which
# destroys the veths and the bridge, and removes /tmp/PREFIX.hosts and
# /etc/netns/PREFIX-hI.
#
# Test hook: NETNS_HOSTS_FAIL_AT=I makes `up` fail when it reaches host I, to
# test the clean-up after a partial failure.

set -u
export PATH="$PATH:/usr/sbin:/sbin:/usr/bin:/bin"
PROG=netns-hosts.sh
LOCK=/tmp/.netns-hosts.lock
MARK="# netns-hosts.sh"

usage() {
    cat >&2 <<EOF
usage: $PROG up N PREFIX     create test hosts PREFIX-h1..PREFIX-hN
       $PROG down PREFIX     remove them
       $PROG check           can network namespaces be made here?
EOF
    exit 2
}

die() {
    echo "$PROG: $*" >&2
    exit 1
}

valid_prefix() {
    [[ $1 =~ ^[A-Za-z0-9][A-Za-z0-9-]{0,11}$ ]]
}

check_prefix() {
    valid_prefix "$1" ||
        die "bad PREFIX '$1': want 1-12 characters of [A-Za-z0-9-], not starting with '-'"
}

# Why namespaces can't be made here, or nothing.
why_not() {
    if [ "$(id -u)" != 0 ]; then
        echo "not root (network namespaces need root)"
        return
    fi
    if ! command -v ip >/dev/null 2>&1; then
        echo "no 'ip' command (Debian package iproute2)"
        return
    fi
    local ns=nhcheck-$$ err
    if ! err=$(ip netns add "$ns" 2>&1); then
        echo "cannot create a network namespace: $err"
        return
    fi
    if ! err=$(ip -n "$ns" link add name vc0 type veth peer name vc1 2>&1); then
        echo "cannot create a veth pair in a namespace: $err"
    elif ! err=$(ip -n "$ns" link add name bc0 type bridge 2>&1); then
        echo "cannot create a bridge in a namespace: $err"
    elif ! err=$(ip netns exec "$ns" true 2>&1); then
        echo "'ip netns exec' does not work: $err"
    fi
    if ! err=$(ip netns del "$ns" 2>&1); then
        echo "cannot delete a network namespace: $err"
    fi
}

lock() {
    exec 9>>"$LOCK" || die "cannot open lock $LOCK"
    flock -w 120 9 || die "timed out waiting for lock $LOCK"
}

# Namespaces that belong to PREFIX (exactly PREFIX-sw and PREFIX-h<digits>).
prefix_namespaces() {
    local p=$1 name
    ip netns list 2>/dev/null | while read -r name _; do
        [[ $name =~ ^${p}-(sw|h[0-9]+)$ ]] && echo "$name"
    done
}

subnet_hash() {
    local crc
    crc=$(printf %s "$1" | cksum | cut -d' ' -f1)
    echo $((crc % 200 + 1))
}

# Subnet numbers K in use by other live sets (from their /tmp/*.hosts).
used_subnets() {
    local me=$1 f line p k
    for f in /tmp/*.hosts; do
        [ -f "$f" ] || continue
        IFS= read -r line <"$f" || continue
        [[ $line =~ ^"$MARK"\ prefix=([A-Za-z0-9-]+)\ subnet=198\.18\.([0-9]+)\.0/24 ]] || continue
        p=${BASH_REMATCH[1]}
        k=${BASH_REMATCH[2]}
        [ "$p" = "$me" ] && continue
        [ -e "/run/netns/$p-sw" ] && echo "$k"
    done
}

pick_subnet() {
    local p=$1 k i used
    used=" $(used_subnets "$p" | tr '\n' ' ') "
    k=$(subnet_hash "$p")
    for ((i = 0; i < 200; i++)); do
        [[ $used == *" $k "* ]] || {
            echo "$k"
            return 0
        }
        k=$((k % 200 + 1))
    done
    return 1
}

# Run a command; on failure report it and return 1.
run() {
    local err
    if ! err=$("$@" 2>&1); then
        echo "$PROG: failed: $* : $err" >&2
        return 1
    fi
}

# Disable IPv6 on every interface of namespace $1 except lo (so only IPv4 to
# the test hosts, and loopback, is ever sent), and for interfaces made later.
no_ipv6() {
    ip netns exec "$1" sh -c '
        for d in /proc/sys/net/ipv6/conf/*; do
            case ${d##*/} in lo|all) continue ;; esac
            echo 1 >"$d/disable_ipv6"
        done' 2>/dev/null
    return 0
}

do_down() {
    local p=$1 ns pids pid tries d
    local nss
    nss=$(prefix_namespaces "$p")
    # Processes left inside the test namespaces: TERM, then KILL.
    for ns in $nss; do
        pids=$(ip netns pids "$ns" 2>/dev/null)
        [ -n "$pids" ] && kill -TERM $pids 2>/dev/null
    done
    for ns in $nss; do
        for ((tries = 0; tries < 20; tries++)); do
            pids=$(ip netns pids "$ns" 2>/dev/null)
            [ -z "$pids" ] && break
            sleep 0.1
        done
        pids=$(ip netns pids "$ns" 2>/dev/null)
        [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
    done
    # The switch first: that destroys every veth pair and the bridge.
    for ns in $nss; do
        [ "$ns" = "$p-sw" ] && { ip netns del "$ns" 2>/dev/null || echo "$PROG: warning: could not delete namespace $ns" >&2; }
    done
    for ns in $nss; do
        [ "$ns" = "$p-sw" ] || ip netns del "$ns" 2>/dev/null || echo "$PROG: warning: could not delete namespace $ns" >&2
    done
    rm -f "/tmp/$p.hosts"
    for d in /etc/netns/"$p"-h*; do
        [ -d "$d" ] || continue
        [[ ${d##*/} =~ ^${p}-h[0-9]+$ ]] || continue
        rm -f "$d/hosts"
        rmdir "$d" 2>/dev/null
    done
    rmdir /etc/netns 2>/dev/null
    return 0
}

do_up() {
    local n=$1 p=$2 k i ns addr existing tmp
    [[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= 253)) || die "bad N '$n': want 1..253"
    check_prefix "$p"
    local why
    why=$(why_not)
    [ -z "$why" ] || die "cannot make test hosts here: $why"

    lock
    existing=$(prefix_namespaces "$p" | tr '\n' ' ')
    [ -z "$existing" ] ||
        die "test hosts for prefix '$p' already exist (namespaces: ${existing% }); run '$PROG down $p' first"
    k=$(pick_subnet "$p") || die "no free subnet in 198.18.1.0/24..198.18.200.0/24"

    # From here on, a failure or a signal removes whatever was made.
    # (any exit before `made` is set, even from a bug, cleans up too)
    made=0
    trap "[ \"\$made\" = 1 ] || do_down '$p'" EXIT
    trap 'exit 130' INT TERM HUP
    local fail=0
    {
        run ip netns add "$p-sw" &&
            run ip -n "$p-sw" link add name "$p-br" type bridge &&
            no_ipv6 "$p-sw" &&
            run ip -n "$p-sw" link set "$p-br" up
    } || fail=1
    for ((i = 1; i <= n && !fail; i++)); do
        ns=$p-h$i
        addr=198.18.$k.$((i + 1))
        if [ "${NETNS_HOSTS_FAIL_AT:-}" = "$i" ]; then
            echo "$PROG: NETNS_HOSTS_FAIL_AT=$i: failing on purpose" >&2
            fail=1
            break
        fi
        {
            run ip netns add "$ns" &&
                run ip -n "$ns" link set lo up &&
                run ip -n "$p-sw" link add name "h$i" type veth peer name eth0 netns "$ns" &&
                no_ipv6 "$ns" && no_ipv6 "$p-sw" &&
                run ip -n "$p-sw" link set "h$i" master "$p-br" &&
                run ip -n "$p-sw" link set "h$i" up &&
                run ip -n "$ns" addr add "$addr/24" dev eth0 &&
                run ip -n "$ns" link set eth0 up
        } || fail=1
    done
    if ((!fail)); then
        tmp=$(mktemp "/tmp/.$p.hosts.XXXXXX") || fail=1
    fi
    if ((!fail)); then
        {
            echo "$MARK prefix=$p subnet=198.18.$k.0/24 switch=$p-sw"
            for ((i = 1; i <= n; i++)); do
                printf '198.18.%s.%s\t%s\t# netns=%s\n' "$k" $((i + 1)) "$p-h$i" "$p-h$i"
            done
        } >"$tmp" && chmod 644 "$tmp" && mv -f "$tmp" "/tmp/$p.hosts" || fail=1
    fi
    if ((!fail)) && [ "${NETNS_HOSTS_ETC:-1}" != 0 ] && [ ! -e /etc/hosts ]; then
        printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >/etc/hosts || fail=1
    fi
    if ((!fail)) && [ "${NETNS_HOSTS_ETC:-1}" != 0 ]; then
        for ((i = 1; i <= n && !fail; i++)); do
            {
                mkdir -p "/etc/netns/$p-h$i" && {
                    printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n'
                    grep -v '^#' "/tmp/$p.hosts"
                } >"/etc/netns/$p-h$i/hosts"
            } || fail=1
        done
    fi
    if ((fail)); then
        rm -f "${tmp:-}"
        die "could not create test hosts for prefix '$p' (cleaned up)"
    fi
    made=1
    trap - INT TERM HUP
    for ((i = 1; i <= n; i++)); do
        echo "$p-h$i $p-h$i 198.18.$k.$((i + 1))"
    done
}

case "${1:-}" in
up)
    [ $# = 3 ] || usage
    do_up "$2" "$3"
    ;;
down)
    [ $# = 2 ] || usage
    check_prefix "$2"
    [ "$(id -u)" = 0 ] || die "not root"
    lock
    do_down "$2"
    exit 0
    ;;
check)
    [ $# = 1 ] || usage
    why=$(why_not)
    if [ -n "$why" ]; then
        echo "$PROG: network namespaces are not usable here: $why" >&2
        exit 1
    fi
    exit 0
    ;;
*)
    usage
    ;;
esac
