#!/usr/bin/env bash
# run-pingpong.sh - side-by-side PVM ping-pong benchmark:
#   Debian's real PVM 3.4.6  versus  this project's implementation.
#
# Run as root on Debian 12:
#   bench/run-pingpong.sh                      # real PVM 3.4.6 only
#   bench/run-pingpong.sh --ours /opt/pvm      # ... and ours, installed in /opt/pvm
#
# One C source (bench/pingpong.c) is built twice: against Debian's pvm-dev
# (headers and libpvm3 from the package) and against PREFIX/include +
# PREFIX/lib.  Both binaries are checked to use the intended pvm3.h and to
# load the intended libpvm3.so before anything is run.  Both daemons run as an
# unprivileged user (default: pvmbench, created if missing) because PVM 3.4
# refuses to run, or misbehaves, as root.  See bench/README.md.
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC="$SCRIPT_DIR/pingpong.c"

BENCH_USER=pvmbench
OURS_PREFIX=""
ENC=raw
TARGET_S=0.75
SIZES="8,1024,65536,1048576,16777216"
STAT=median
OUTDIR=""
DO_INSTALL=1
DO_REAL=1
RUN_TIMEOUT=900

usage() {
    cat <<EOF
usage: $0 [options]
  --ours PREFIX     also benchmark this project, installed in PREFIX
                    (PREFIX/include/pvm3.h, PREFIX/lib/libpvm3.so, PREFIX/bin/pvmd)
  --user NAME       unprivileged user that runs the daemons (default: $BENCH_USER)
  --enc raw|inplace|default
                    pvm_initsend encoding for the payload (default: $ENC)
  --time SECONDS    target timed duration per cell (default: $TARGET_S)
  --sizes LIST      comma separated message sizes in bytes (default: $SIZES)
  --stat median|mean|min
                    which round-trip statistic the table shows (default: $STAT)
  --outdir DIR      keep builds, logs and raw results here (default: mktemp under /tmp)
  --no-install      do not apt-get anything (packages must be present)
  --no-real         skip Debian's PVM (only useful with --ours)
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --ours) OURS_PREFIX=${2:?--ours needs a PREFIX}; shift 2 ;;
        --ours=*) OURS_PREFIX=${1#*=}; shift ;;
        --user) BENCH_USER=${2:?}; shift 2 ;;
        --enc) ENC=${2:?}; shift 2 ;;
        --time) TARGET_S=${2:?}; shift 2 ;;
        --sizes) SIZES=${2:?}; shift 2 ;;
        --stat) STAT=${2:?}; shift 2 ;;
        --outdir) OUTDIR=${2:?}; shift 2 ;;
        --no-install) DO_INSTALL=0; shift ;;
        --no-real) DO_REAL=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run-pingpong: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

case "$ENC" in raw|inplace|default) ;; *) echo "run-pingpong: bad --enc $ENC" >&2; exit 2 ;; esac
case "$STAT" in median|mean|min) ;; *) echo "run-pingpong: bad --stat $STAT" >&2; exit 2 ;; esac

log() { echo "run-pingpong: $*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and creates user $BENCH_USER)"
[ -r "$SRC" ] || die "cannot read $SRC"
if [ -n "$OURS_PREFIX" ]; then
    OURS_PREFIX=$(cd "$OURS_PREFIX" 2>/dev/null && pwd) || die "--ours: no such directory"
fi

# ---------------------------------------------------------------- packages
pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

install_packages() {
    local pkgs=(pvm pvm-dev libpvm3 gcc libc6-dev procps util-linux coreutils)
    local missing=() p
    for p in "${pkgs[@]}"; do pkg_installed "$p" || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$DO_INSTALL" -eq 1 ] || die "missing packages: ${missing[*]} (and --no-install given)"
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Update the package lists only if there are none or the install fails.
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        apt-get update -q || die "apt-get update failed"
    fi
    if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
        apt-get update -q || die "apt-get update failed"
        apt-get install -y -q --no-install-recommends "${missing[@]}" || die "apt-get install failed"
    fi
}
install_packages

# -------------------------------------------------------------------- user
if ! id "$BENCH_USER" >/dev/null 2>&1; then
    log "creating user $BENCH_USER"
    useradd --create-home --shell /bin/bash "$BENCH_USER" || die "useradd failed"
fi
BENCH_UID=$(id -u "$BENCH_USER")
BENCH_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6)
[ "$BENCH_UID" -ne 0 ] || die "--user must not be root"
[ -d "$BENCH_HOME" ] || { mkdir -p "$BENCH_HOME" && chown "$BENCH_USER": "$BENCH_HOME"; }

# run_as USER HOME [VAR=value ...] -- command args...
# Runs with a clean, explicit environment so that nothing (LD_LIBRARY_PATH,
# PVM_ROOT, PVM_TMP ...) leaks from the caller into either PVM.
run_as() {
    local user=$1 home=$2; shift 2
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
    shift
    (
        cd "$home" || cd / || exit 1
        exec runuser -u "$user" -- env -i HOME="$home" USER="$user" LOGNAME="$user" \
            SHELL=/bin/bash PATH=/usr/local/bin:/usr/bin:/bin LANG=C "${envs[@]}" "$@"
    )
}

# pids_by_exe USER EXE: processes of USER whose executable is EXE.
pids_by_exe() {
    local uid exe=$2 d e
    uid=$(id -u "$1") || return 0
    for d in /proc/[0-9]*; do
        [ "$(stat -c %u "$d" 2>/dev/null)" = "$uid" ] || continue
        e=$(readlink "$d/exe" 2>/dev/null) || continue
        e=${e% (deleted)}
        [ "$e" = "$exe" ] && echo "${d#/proc/}"
    done
    return 0
}

# run_wait CMD...: run CMD in the background and wait for it, so that a
# SIGTERM/SIGINT to this script is handled at once (the cleanup trap then
# stops the daemons) instead of after the benchmark finishes.
CHILD=""
run_wait() {
    local rc
    "$@" &
    CHILD=$!
    wait "$CHILD"
    rc=$?
    CHILD=""
    return $rc
}

# descendants PID: all processes below PID (found by parent pid).
# shellcheck disable=SC2317  # called from the trap
descendants() {
    local c
    for c in $(pgrep -P "$1"); do
        echo "$c"
        descendants "$c"
    done
}

alive() { local p; for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }

# kill_pids WHAT PID...: wait a little, then SIGTERM, then SIGKILL.
kill_pids() {
    local what=$1 _; shift
    [ $# -gt 0 ] || return 0
    for _ in $(seq 50); do alive "$@" || return 0; sleep 0.1; done
    log "terminating leftover $what: $*"
    kill -TERM "$@" 2>/dev/null
    for _ in $(seq 30); do alive "$@" || return 0; sleep 0.1; done
    kill -KILL "$@" 2>/dev/null
    sleep 0.2
}

# ------------------------------------------------------------------ workdir
if [ -n "$OUTDIR" ]; then
    mkdir -p "$OUTDIR" || die "cannot create $OUTDIR"
    WORK=$(cd "$OUTDIR" && pwd)
else
    WORK=$(mktemp -d /tmp/pingpong-bench.XXXXXX) || die "mktemp failed"
fi
chmod 755 "$WORK"
# A reused --outdir must not show results of an earlier run.
rm -f "$WORK"/real.out "$WORK"/real.err "$WORK"/ours.out "$WORK"/ours.err "$WORK"/table.txt \
      "$WORK"/real-console.log "$WORK"/ours-pvmd.log "$WORK"/ours-halt.log

PM_ARGS=(-e "$ENC" -t "$TARGET_S" -s "$SIZES")

# ------------------------------------------------------------ build helpers
# check_header SRC_INCDIR CFLAGS...: the pvm3.h the compiler picks is SRC_INCDIR/pvm3.h.
check_header() {
    local want got
    want=$(readlink -f "$1/pvm3.h"); shift
    got=$(gcc -std=c99 "$@" -M "$SRC" | grep -o '[^ ]*/pvm3\.h' | head -n1)
    got=$(readlink -f "$got")
    if [ "$got" != "$want" ]; then
        log "header check failed: compiler uses '$got', expected '$want'"
        return 1
    fi
    log "  header: $got"
}

# check_lib BINARY WANT_LIB RUNUSER RUNHOME: BINARY loads WANT_LIB as libpvm3.
check_lib() {
    local bin=$1 want got
    want=$(readlink -f "$2")
    got=$(run_as "$3" "$4" -- ldd "$bin" | awk '$1 ~ /^libpvm3\.so/ {print $3; exit}')
    got=$(readlink -f "$got" 2>/dev/null)
    if [ -z "$got" ] || [ "$got" != "$want" ]; then
        log "library check failed: $bin loads libpvm3 '$got', expected '$want'"
        return 1
    fi
    if nm -D "$bin" 2>/dev/null | grep -q ' U pvm_spawn$'; then :; else
        log "library check failed: $bin does not import pvm_spawn"
        return 1
    fi
    log "  libpvm3: $got"
}

REAL_OK=0
OURS_OK=0
REAL_STARTED=0
OURS_STARTED=0
REAL_PVMD=/usr/bin/pvmd
REAL_BIN=""
OURS_BIN=""
OURS_USER=""
OURS_HOME=""
OURS_TMP=""
OURS_PVMD=""

# ----------------------------------------------------------- real PVM side
real_env=(PVM_ROOT=/usr/lib/pvm3)

real_halt() {
    local pids
    pids=$(pids_by_exe "$BENCH_USER" "$REAL_PVMD")
    if [ -n "$pids" ]; then
        # Only ask the console when a pvmd runs: otherwise `pvm` would start one.
        run_as "$BENCH_USER" "$BENCH_HOME" "${real_env[@]}" -- \
            timeout 30 bash -c 'echo halt | pvm' >>"$WORK/real-console.log" 2>&1
        # shellcheck disable=SC2086
        kill_pids "PVM 3.4.6 pvmd" $pids
    fi
    if [ -n "$REAL_BIN" ]; then
        pids=$(pids_by_exe "$BENCH_USER" "$REAL_BIN")
        # shellcheck disable=SC2086
        [ -z "$pids" ] || kill_pids "pingpong tasks" $pids
    fi
    rm -f "/tmp/pvmd.$BENCH_UID"
}

run_real() {
    local inc libso libdir arch dest
    log "== Debian PVM 3.4.6"
    inc=$(dirname "$(dpkg -L pvm-dev | grep -m1 '/pvm3\.h$')")
    libso=$(dpkg -L pvm-dev | grep -m1 '/libpvm3\.so$')
    libdir=$(dirname "$libso")
    if [ ! -r "$inc/pvm3.h" ] || [ ! -e "$libso" ]; then log "pvm-dev files not found"; return 1; fi

    arch=$(run_as "$BENCH_USER" "$BENCH_HOME" "${real_env[@]}" -- /usr/lib/pvm3/lib/pvmgetarch 2>/dev/null)
    [ -n "$arch" ] || arch=$(/usr/bin/pvmgetarch 2>/dev/null)
    [ -n "$arch" ] || arch=LINUX64
    log "  PVM_ARCH=$arch"

    mkdir -p "$WORK/real"
    check_header "$inc" -I"$inc" || return 1
    gcc -std=c99 -O2 -Wall -I"$inc" -o "$WORK/real/pingpong" "$SRC" -L"$libdir" -lpvm3 \
        >"$WORK/real/build.log" 2>&1 || { cat "$WORK/real/build.log" >&2; log "build failed"; return 1; }

    # Where PVM 3.4 looks for executables: $HOME/pvm3/bin/$PVM_ARCH.
    dest="$BENCH_HOME/pvm3/bin/$arch"
    install -d -o "$BENCH_USER" -g "$(id -g "$BENCH_USER")" "$BENCH_HOME/pvm3" "$BENCH_HOME/pvm3/bin" "$dest"
    install -o "$BENCH_USER" -g "$(id -g "$BENCH_USER")" -m 755 "$WORK/real/pingpong" "$dest/pingpong"
    REAL_BIN="$dest/pingpong"
    check_lib "$REAL_BIN" "$(readlink -f "$libso")" "$BENCH_USER" "$BENCH_HOME" || return 1

    # A pvmd of this user left over from an earlier run would be reused: stop it.
    if [ -n "$(pids_by_exe "$BENCH_USER" "$REAL_PVMD")" ]; then
        log "  halting a PVM 3.4.6 pvmd of $BENCH_USER left from before"
        real_halt
    fi
    rm -f "/tmp/pvmd.$BENCH_UID"

    # The console starts the pvmd if none runs and leaves it running on quit.
    REAL_STARTED=1
    run_as "$BENCH_USER" "$BENCH_HOME" "${real_env[@]}" -- \
        timeout 60 bash -c 'echo quit | pvm' >"$WORK/real-console.log" 2>&1
    if [ -z "$(pids_by_exe "$BENCH_USER" "$REAL_PVMD")" ]; then
        cat "$WORK/real-console.log" >&2
        log "PVM 3.4.6 pvmd did not start"
        return 1
    fi
    log "  pvmd running (pid $(pids_by_exe "$BENCH_USER" "$REAL_PVMD" | tr '\n' ' '))"

    log "  running: $REAL_BIN ${PM_ARGS[*]}"
    run_wait run_as "$BENCH_USER" "$BENCH_HOME" "${real_env[@]}" -- \
        timeout "$RUN_TIMEOUT" "$REAL_BIN" "${PM_ARGS[@]}" >"$WORK/real.out" 2>"$WORK/real.err"
    local rc=$?
    cat "$WORK/real.out" >&2
    [ -s "$WORK/real.err" ] && sed 's/^/  stderr: /' "$WORK/real.err" >&2

    real_halt
    REAL_STARTED=0
    [ $rc -eq 0 ] || { log "PVM 3.4.6 run failed (exit $rc)"; return 1; }
    return 0
}

# ---------------------------------------------------------------- our side
ours_pids() {
    local pid f p
    [ -n "$OURS_PVMD" ] || return 0
    f="$OURS_TMP/pvm.$(id -u "$OURS_USER")/pvmd.addr"
    pid=$( [ -r "$f" ] && awk '$1 == "pid" {print $2}' "$f")
    for p in $(pids_by_exe "$OURS_USER" "$OURS_PVMD"); do
        # Only the daemon started with our private PVM_TMP.
        if [ "$p" = "$pid" ] || tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "PVM_TMP=$OURS_TMP"; then
            echo "$p"
        fi
    done
}

ours_halt() {
    local pids
    pids=$(ours_pids)
    if [ -n "$pids" ] && [ -n "$OURS_BIN" ] && [ -x "$OURS_BIN" ]; then
        run_as "$OURS_USER" "$OURS_HOME" PVM_TMP="$OURS_TMP" -- \
            timeout 30 "$OURS_BIN" -haltonly >>"$WORK/ours-halt.log" 2>&1
    fi
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill_pids "our pvmd" $pids
    if [ -n "$OURS_BIN" ]; then
        pids=$(pids_by_exe "$OURS_USER" "$OURS_BIN")
        # shellcheck disable=SC2086
        [ -z "$pids" ] || kill_pids "pingpong tasks" $pids
    fi
}

run_ours() {
    local p=$OURS_PREFIX libdir="" d multiarch
    log "== ours: $p"
    multiarch=$(gcc -print-multiarch 2>/dev/null)
    for d in lib lib64 ${multiarch:+lib/$multiarch}; do
        if [ -e "$p/$d/libpvm3.so" ]; then libdir="$p/$d"; break; fi
    done
    [ -r "$p/include/pvm3.h" ] || { log "missing $p/include/pvm3.h"; return 1; }
    [ -n "$libdir" ] || { log "missing $p/lib/libpvm3.so"; return 1; }
    [ -x "$p/bin/pvmd" ] || { log "missing $p/bin/pvmd"; return 1; }
    OURS_PVMD=$(readlink -f "$p/bin/pvmd")

    # Run as the same unprivileged user when it can reach the prefix.
    OURS_USER=$BENCH_USER
    OURS_HOME=$BENCH_HOME
    if ! run_as "$BENCH_USER" "$BENCH_HOME" -- test -x "$OURS_PVMD" -a -r "$libdir/libpvm3.so" 2>/dev/null; then
        log "  $BENCH_USER cannot read $p; running ours as root instead"
        OURS_USER=root
        OURS_HOME=/root
    fi

    mkdir -p "$WORK/ours"
    check_header "$p/include" -I"$p/include" || return 1
    gcc -std=c99 -O2 -Wall -I"$p/include" -o "$WORK/ours/pingpong" "$SRC" \
        -L"$libdir" -Wl,-rpath,"$libdir" -lpvm3 \
        >"$WORK/ours/build.log" 2>&1 || { cat "$WORK/ours/build.log" >&2; log "build failed"; return 1; }
    chmod 755 "$WORK/ours" "$WORK/ours/pingpong"
    OURS_BIN="$WORK/ours/pingpong"
    check_lib "$OURS_BIN" "$libdir/libpvm3.so" "$OURS_USER" "$OURS_HOME" || return 1

    OURS_TMP="$WORK/ours-tmp"
    mkdir -p "$OURS_TMP"
    chown "$OURS_USER": "$OURS_TMP"
    chmod 700 "$OURS_TMP"

    OURS_STARTED=1
    # Our pvmd detaches and returns once it is ready.
    if ! run_as "$OURS_USER" "$OURS_HOME" PVM_TMP="$OURS_TMP" -- \
            timeout 60 "$p/bin/pvmd" >"$WORK/ours-pvmd.log" 2>&1; then
        cat "$WORK/ours-pvmd.log" >&2
        log "our pvmd did not start"
        return 1
    fi
    log "  pvmd running (pid $(ours_pids | tr '\n' ' '))"

    log "  running: $OURS_BIN ${PM_ARGS[*]}"
    run_wait run_as "$OURS_USER" "$OURS_HOME" PVM_TMP="$OURS_TMP" -- \
        timeout "$RUN_TIMEOUT" "$OURS_BIN" "${PM_ARGS[@]}" >"$WORK/ours.out" 2>"$WORK/ours.err"
    local rc=$?
    cat "$WORK/ours.out" >&2
    [ -s "$WORK/ours.err" ] && sed 's/^/  stderr: /' "$WORK/ours.err" >&2

    ours_halt
    OURS_STARTED=0
    [ $rc -eq 0 ] || { log "our run failed (exit $rc)"; return 1; }
    return 0
}

# shellcheck disable=SC2317  # invoked by trap
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$CHILD" ]; then
        # shellcheck disable=SC2046
        kill -TERM $(descendants "$CHILD") "$CHILD" 2>/dev/null
        wait "$CHILD" 2>/dev/null
    fi
    [ "$REAL_STARTED" -eq 1 ] && real_halt
    [ "$OURS_STARTED" -eq 1 ] && ours_halt
    REAL_STARTED=0
    OURS_STARTED=0
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ------------------------------------------------------------------- run
if [ "$DO_REAL" -eq 1 ]; then
    run_real && REAL_OK=1
else
    : >"$WORK/real.out"
fi
if [ -n "$OURS_PREFIX" ]; then
    run_ours && OURS_OK=1
fi
[ "$REAL_OK" -eq 1 ] || : >>"$WORK/real.out"
[ "$OURS_OK" -eq 1 ] || : >>"$WORK/ours.out"

# ------------------------------------------------------------------ table
# Cells that printed a result line are shown even if a later cell failed.
table() {
    awk -v stat="$STAT" -v sizes="$SIZES" -v real_ok="$DO_REAL" -v ours_ok="${OURS_PREFIX:+1}" '
    function label(s) {
        if (s % 1048576 == 0) return (s / 1048576) " MB"
        if (s % 1024 == 0) return (s / 1024) " KB"
        return s " B"
    }
    function field(line, key,   n, i, a, kv) {
        n = split(line, a, " ")
        for (i = 1; i <= n; i++) {
            split(a[i], kv, "=")
            if (kv[1] == key) return kv[2]
        }
        return ""
    }
    {
        side = (FILENAME ~ /ours\.out$/) ? "ours" : "real"
        if ($0 !~ /^route=/ || $0 ~ / error=/) next
        r = field($0, "route"); s = field($0, "size")
        key = (stat == "mean") ? "rtt_us" : (stat == "min") ? "rtt_min_us" : "rtt_med_us"
        rtt[side, r, s] = field($0, key)
    }
    function fmt_rtt(v) { return v == "" ? "n/a" : sprintf("%.1f", v) }
    function fmt_bw(v, s) {
        if (v == "" || v <= 0) return "n/a"
        return sprintf(2 * s / v < 10 ? "%.2f" : "%.1f", 2 * s / v)
    }
    END {
        printf "%-7s | %-6s | %17s | %12s | %10s | %10s\n", "size", "route",
               "PVM 3.4.6 rtt us", "ours rtt us", "PVM MB/s", "ours MB/s"
        printf "%s\n", "--------+--------+-------------------+--------------+------------+-----------"
        n = split(sizes, sz, ",")
        for (i = 1; i <= n; i++) {
            split("daemon direct", routes, " ")
            for (j = 1; j <= 2; j++) {
                r = routes[j]; s = sz[i]
                a = rtt["real", r, s]; b = rtt["ours", r, s]
                printf "%-7s | %-6s | %17s | %12s | %10s | %10s\n", label(s), r,
                       fmt_rtt(a), fmt_rtt(b), fmt_bw(a, s), fmt_bw(b, s)
            }
        }
    }' "$WORK/real.out" "$WORK/ours.out"
}

{
    echo
    echo "PVM ping-pong: round trip ($STAT of N timed round trips) and bandwidth 2*size/rtt (MB/s = 10^6 B/s)"
    echo "host: $(uname -srm), $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg); encoding: $ENC"
    echo "PVM 3.4.6: Debian pvm $(dpkg-query -W -f='${Version}' pvm 2>/dev/null)$([ "$DO_REAL" -eq 1 ] && [ "$REAL_OK" -ne 1 ] && echo ' (FAILED, see logs)')"
    if [ -n "$OURS_PREFIX" ]; then
        echo "ours: $OURS_PREFIX$([ "$OURS_OK" -ne 1 ] && echo ' (FAILED, see logs)')"
    else
        echo "ours: not given (--ours PREFIX)"
    fi
    echo
    table
    echo
    echo "raw results and logs: $WORK"
} | tee "$WORK/table.txt"

rc=0
[ "$DO_REAL" -eq 0 ] || [ "$REAL_OK" -eq 1 ] || rc=1
[ -z "$OURS_PREFIX" ] || [ "$OURS_OK" -eq 1 ] || rc=1
exit $rc
