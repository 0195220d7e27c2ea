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

LOG_TAG=run-pingpong
# shellcheck source=bench/lib.sh
. "$SCRIPT_DIR/lib.sh"

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and creates user $BENCH_USER)"
[ -r "$SRC" ] || die "cannot read $SRC"
if [ -n "$OURS_PREFIX" ]; then
    OURS_PREFIX=$(cd "$OURS_PREFIX" 2>/dev/null && pwd) || die "--ours: no such directory"
fi

install_packages pvm pvm-dev libpvm3 gcc libc6-dev procps util-linux coreutils
ensure_user
make_workdir "$OUTDIR" pingpong-bench
# A reused --outdir must not show results of an earlier run.
rm -f "$WORK"/real.out "$WORK"/real.err "$WORK"/ours.out "$WORK"/ours.err "$WORK"/table.txt \
      "$WORK"/real-console.log "$WORK"/ours-pvmd.log "$WORK"/ours-halt.log

PM_ARGS=(-e "$ENC" -t "$TARGET_S" -s "$SIZES")

REAL_OK=0
OURS_OK=0

# ----------------------------------------------------------- real PVM side
run_real() {
    log "== Debian PVM 3.4.6"
    real_locate || return 1
    real_build "$SRC" pingpong -lpvm3 || return 1
    local bin=$BUILT
    real_start || return 1

    log "  running: $bin ${PM_ARGS[*]}"
    run_wait real_run timeout "$RUN_TIMEOUT" "$bin" "${PM_ARGS[@]}" >"$WORK/real.out" 2>"$WORK/real.err"
    local rc=$?
    cat "$WORK/real.out" >&2
    [ -s "$WORK/real.err" ] && sed 's/^/  stderr: /' "$WORK/real.err" >&2

    real_halt
    REAL_STARTED=0
    [ $rc -eq 0 ] || { log "PVM 3.4.6 run failed (exit $rc)"; return 1; }
    return 0
}

# ---------------------------------------------------------------- our side
run_ours() {
    log "== ours: $OURS_PREFIX"
    ours_locate || return 1
    ours_build "$SRC" pingpong -lpvm3 || return 1
    local bin=$BUILT
    ours_start || return 1

    log "  running: $bin ${PM_ARGS[*]}"
    run_wait ours_run timeout "$RUN_TIMEOUT" "$bin" "${PM_ARGS[@]}" >"$WORK/ours.out" 2>"$WORK/ours.err"
    local rc=$?
    cat "$WORK/ours.out" >&2
    [ -s "$WORK/ours.err" ] && sed 's/^/  stderr: /' "$WORK/ours.err" >&2

    ours_halt
    OURS_STARTED=0
    [ $rc -eq 0 ] || { log "our run failed (exit $rc)"; return 1; }
    return 0
}

install_cleanup_trap

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
