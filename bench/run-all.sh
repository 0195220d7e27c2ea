#!/usr/bin/env bash
# run-all.sh - the whole comparison in one run: Debian's real PVM 3.4.6,
# this project (installed in a prefix) and, for ping-pong, Open MPI.
#
#   sudo bench/run-all.sh --ours /tmp/pvm-ours [--quick]
#
# Measures ping-pong (3 encodings x daemon/direct/one-side/default routes x 8 B..16 MB),
# spawn of 1/16/64 tasks, a 4-worker farm, group barrier/bcast/reduce with 8
# and 32 members, and the memory of an idle daemon and an idle task.  Writes
# table.txt (also on stdout), results.md (a section for docs/performance.md),
# performance-rtt.png and the raw key=value results to the output directory.
# See bench/README.md and docs/performance.md.
set -uo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SCRIPT_DIR/.." && pwd)

BENCH_USER=pvmbench
OURS_PREFIX=""
QUICK=0
OUTDIR=""
DO_INSTALL=1
DO_REAL=1
DO_MPI=1
DO_PLOT=1
TESTS="memory,pingpong,spawn,farm,group,crosshost"
ENCS="default,raw,inplace"
SIZES="8,1024,65536,1048576,16777216"
STAT=median
PP_TIME=""
PP_TIMEOUT=900
OPS_TIMEOUT=600

usage() {
    cat <<EOF
usage: $0 [options]
  --ours PREFIX     benchmark this project, installed in PREFIX
                    (PREFIX/include/pvm3.h, PREFIX/lib/libpvm3.so, PREFIX/bin/pvmd)
  --quick           short timings (about a minute in all) for a smoke test
  --time SECONDS    ping-pong: target timed duration per cell
                    (default 0.75, 0.1 with --quick)
  --tests LIST      subset of: $TESTS
                    (crosshost: ours only, spawn across 4 network-namespace hosts,
                    as root; skipped when namespaces cannot be made here)
  --encs LIST       ping-pong encodings (default: $ENCS)
  --sizes LIST      ping-pong sizes in bytes (default: $SIZES)
  --stat median|mean|min
                    round-trip statistic in the tables (default: $STAT)
  --outdir DIR      where builds, logs and results go (default: mktemp under /tmp)
  --user NAME       unprivileged user that runs everything (default: $BENCH_USER)
  --no-install      do not apt-get anything (packages must be present)
  --no-real         skip Debian's PVM 3.4.6
  --no-mpi          skip Open MPI
  --no-plot         no PNG (no gnuplot needed)
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --ours) OURS_PREFIX=${2:?--ours needs a PREFIX}; shift 2 ;;
        --ours=*) OURS_PREFIX=${1#*=}; shift ;;
        --quick) QUICK=1; shift ;;
        --time) PP_TIME=${2:?}; shift 2 ;;
        --tests) TESTS=${2:?}; shift 2 ;;
        --encs) ENCS=${2:?}; shift 2 ;;
        --sizes) SIZES=${2:?}; shift 2 ;;
        --stat) STAT=${2:?}; shift 2 ;;
        --outdir) OUTDIR=${2:?}; shift 2 ;;
        --user) BENCH_USER=${2:?}; shift 2 ;;
        --no-install) DO_INSTALL=0; shift ;;
        --no-real) DO_REAL=0; shift ;;
        --no-mpi) DO_MPI=0; shift ;;
        --no-plot) DO_PLOT=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run-all: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

case "$STAT" in median|mean|min) ;; *) echo "run-all: bad --stat $STAT" >&2; exit 2 ;; esac
has_test() { case ",$TESTS," in *",$1,"*) return 0 ;; esac; return 1; }

if [ "$QUICK" -eq 1 ]; then
    : "${PP_TIME:=0.1}"
    SPAWN_REPS=2
    FARM_T=0.3
    GROUP_T=0.1
else
    : "${PP_TIME:=0.75}"
    SPAWN_REPS=5
    FARM_T=1.5
    GROUP_T=0.5
fi

LOG_TAG=run-all
# shellcheck source=bench/lib.sh
. "$SCRIPT_DIR/lib.sh"

[ "$(id -u)" -eq 0 ] || die "must run as root (it installs packages and creates user $BENCH_USER)"
if [ -n "$OURS_PREFIX" ]; then
    OURS_PREFIX=$(cd "$OURS_PREFIX" 2>/dev/null && pwd) || die "--ours: no such directory"
fi
[ -n "$OURS_PREFIX" ] || log "no --ours PREFIX: only PVM 3.4.6 and Open MPI are measured"

T_START=$(date +%s)
pkgs=(pvm pvm-dev libpvm3 gcc libc6-dev procps util-linux coreutils python3)
[ "$DO_MPI" -eq 0 ] || pkgs+=(openmpi-bin libopenmpi-dev)
[ "$DO_PLOT" -eq 0 ] || pkgs+=(gnuplot-nox)
install_packages "${pkgs[@]}"
ensure_user
make_workdir "$OUTDIR" pvm-bench
rm -rf "$WORK"/logs "$WORK"/real "$WORK"/ours "$WORK"/mpi
rm -f "$WORK"/real.out "$WORK"/ours.out "$WORK"/mpi.out "$WORK"/meta.txt "$WORK"/table.txt \
      "$WORK"/results.md "$WORK"/performance-rtt.png "$WORK"/*.log
mkdir -p "$WORK/logs"
: >"$WORK/real.out"
: >"$WORK/ours.out"
: >"$WORK/mpi.out"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

REAL_OK=0
OURS_OK=0
MPI_OK=0
REAL_PP="" REAL_OPS="" OURS_PP="" OURS_OPS="" MPI_BIN=""

# shellcheck disable=SC2317  # called from the cleanup trap
mpi_leftovers() {
    [ -z "$MPI_BIN" ] || kill_leftovers "$BENCH_USER" "$MPI_BIN" "$(readlink -f /usr/bin/mpirun 2>/dev/null)"
}
CROSS_NAME=""
# shellcheck disable=SC2317  # called from the cleanup trap
extra_cleanup() {
    mpi_leftovers
    cross_down
}
CLEANUP_HOOK=extra_cleanup
install_cleanup_trap

# ------------------------------------------------------------------- build
if [ "$DO_REAL" -eq 1 ]; then
    log "== Debian PVM 3.4.6: build"
    if real_locate &&
        real_build "$SCRIPT_DIR/pingpong.c" pingpong -lpvm3 && REAL_PP=$BUILT &&
        real_build "$SCRIPT_DIR/pvmops.c" pvmops -lgpvm3 -lpvm3 && REAL_OPS=$BUILT; then
        real_install_pvmgs
        REAL_OK=1
    else
        echo "step=build error=build_failed" >>"$WORK/real.out"
    fi
fi
if [ -n "$OURS_PREFIX" ]; then
    log "== ours ($OURS_PREFIX): build"
    if ours_locate &&
        ours_build "$SCRIPT_DIR/pingpong.c" pingpong -lpvm3 && OURS_PP=$BUILT &&
        ours_build "$SCRIPT_DIR/pvmops.c" pvmops -lgpvm3 -lpvm3 && OURS_OPS=$BUILT; then
        OURS_OK=1
    else
        echo "step=build error=build_failed" >>"$WORK/ours.out"
    fi
fi
if [ "$DO_MPI" -eq 1 ] && has_test pingpong; then
    log "== Open MPI: build"
    mkdir -p "$WORK/mpi"
    if mpicc -std=c99 -O2 -Wall -o "$WORK/mpi/mpi_pingpong" "$SCRIPT_DIR/mpi_pingpong.c" \
        >"$WORK/mpi/build.log" 2>&1; then
        chmod 755 "$WORK/mpi" "$WORK/mpi/mpi_pingpong"
        MPI_BIN="$WORK/mpi/mpi_pingpong"
        MPI_OK=1
    else
        cat "$WORK/mpi/build.log" >&2
        echo "step=build error=build_failed" >>"$WORK/mpi.out"
    fi
fi

# ---------------------------------------------------------------- helpers
# side_daemon_pids real|ours
side_daemon_pids() { if [ "$1" = real ]; then real_pvmd_pids; else ours_pids; fi; }

# record_daemon_rss SIDE WHEN: one line with the daemon's VmRSS.
record_daemon_rss() {
    local side=$1 when=$2 pids p kb total=0
    pids=$(side_daemon_pids "$side")
    if [ -z "$pids" ]; then
        echo "step=daemon-rss-$when test=daemon_rss when=$when error=no_daemon" >>"$WORK/$side.out"
        return
    fi
    for p in $pids; do
        kb=$(rss_kb "$p")
        total=$((total + ${kb:-0}))
    done
    echo "step=daemon-rss-$when test=daemon_rss when=$when pids=$(echo "$pids" | tr '\n' ',' | sed 's/,$//') rss_kb=$total" \
        >>"$WORK/$side.out"
}

# ensure_daemon SIDE: (re)start the side's daemon if it is not running.
ensure_daemon() {
    local side=$1
    [ -n "$(side_daemon_pids "$side")" ] && return 0
    if [ "$side" = real ]; then
        [ "$REAL_STARTED" -eq 0 ] || { log "  PVM 3.4.6 pvmd is gone: restarting it"; echo "step=restart note=pvmd_restarted" >>"$WORK/real.out"; }
        real_start
    else
        [ "$OURS_STARTED" -eq 0 ] || { log "  our pvmd is gone: restarting it"; echo "step=restart note=pvmd_restarted" >>"$WORK/ours.out"; }
        ours_start
    fi
}

# run_step SIDE STEP TIMEOUT CMD...: runs CMD as SIDE's user; every output
# line goes to SIDE.out prefixed with "step=STEP".  A non-zero exit without
# an error= line adds one.  Leftover task processes are killed afterwards.
run_step() {
    local side=$1 step=$2 tmo=$3 rc out err
    shift 3
    out="$WORK/logs/$side-$step.out"
    err="$WORK/logs/$side-$step.err"
    log "  [$side] $step: $(basename "$1") ${*:2}"
    case "$side" in
        real) ensure_daemon real || { echo "step=$step error=no_daemon" >>"$WORK/real.out"; return 1; }
              run_wait real_run timeout "$tmo" "$@" >"$out" 2>"$err" ;;
        ours) ensure_daemon ours || { echo "step=$step error=no_daemon" >>"$WORK/ours.out"; return 1; }
              run_wait ours_run timeout "$tmo" "$@" >"$out" 2>"$err" ;;
        mpi) run_wait run_as "$BENCH_USER" "$BENCH_HOME" -- timeout "$tmo" "$@" >"$out" 2>"$err" ;;
    esac
    rc=$?
    grep -v '^#' "$out" | sed "s/^/step=$step /" >>"$WORK/$side.out"
    grep '^#' "$out" | sed "s/^/# $side: /" >>"$WORK/meta.txt"
    if [ $rc -ne 0 ] && ! grep -q 'error=' "$out"; then
        if [ $rc -eq 124 ]; then
            echo "step=$step error=timeout_${tmo}s" >>"$WORK/$side.out"
        else
            echo "step=$step error=exit_$rc" >>"$WORK/$side.out"
        fi
    fi
    grep -v '^#' "$out" | sed 's/^/      /' >&2
    [ -s "$err" ] && sed 's/^/      stderr: /' "$err" | head -n 20 >&2
    case "$side" in
        real) kill_leftovers "$BENCH_USER" "${REAL_BINS[@]}" ;;
        ours) kill_leftovers "$OURS_USER" "${OURS_BINS[@]}" ;;
        mpi) mpi_leftovers ;;
    esac
    return $rc
}

# both STEP TIMEOUT ARGS...: run_step for PVM 3.4.6 (pingpong or pvmops, by
# STEP) and then for ours with the same arguments.
both() {
    local step=$1 tmo=$2 prog
    shift 2
    case "$step" in pingpong*) prog=pp ;; *) prog=ops ;; esac
    if [ "$REAL_OK" -eq 1 ]; then
        if [ $prog = pp ]; then run_step real "$step" "$tmo" "$REAL_PP" "$@"; else run_step real "$step" "$tmo" "$REAL_OPS" "$@"; fi
    fi
    if [ "$OURS_OK" -eq 1 ]; then
        if [ $prog = pp ]; then run_step ours "$step" "$tmo" "$OURS_PP" "$@"; else run_step ours "$step" "$tmo" "$OURS_OPS" "$@"; fi
    fi
}

# --------------------------------------------------------------------- run
# Both daemons run at the same time (ours has a private PVM_TMP) so that the
# two sides of every comparison are measured back to back.
if [ "$REAL_OK" -eq 1 ]; then
    log "== Debian PVM 3.4.6: start"
    real_start || echo "step=start error=pvmd_did_not_start" >>"$WORK/real.out"
fi
if [ "$OURS_OK" -eq 1 ]; then
    log "== ours: start"
    ours_start || echo "step=start error=pvmd_did_not_start" >>"$WORK/ours.out"
fi
sleep 1
[ "$REAL_OK" -eq 0 ] || record_daemon_rss real idle
[ "$OURS_OK" -eq 0 ] || record_daemon_rss ours idle

if has_test memory; then
    log "== memory of an idle task"
    both memory "$OPS_TIMEOUT" memory
fi
if has_test pingpong; then
    for enc in ${ENCS//,/ }; do
        log "== ping-pong, encoding $enc"
        both "pingpong-$enc" "$PP_TIMEOUT" -r all -e "$enc" -t "$PP_TIME" -s "$SIZES"
    done
    if [ "$MPI_OK" -eq 1 ]; then
        log "== ping-pong, Open MPI"
        # Shared memory (vader) only, so that no TCP is used silently.
        if ! run_step mpi mpi-pingpong "$PP_TIMEOUT" mpirun -np 2 --bind-to core --mca btl self,vader \
            "$MPI_BIN" -t "$PP_TIME" -s "$SIZES" ||
            ! grep -q '^step=mpi-pingpong route=mpi size=[0-9]* n=' "$WORK/mpi.out"; then
            log "  retrying without --bind-to core"
            sed -i '/^step=mpi-pingpong /d' "$WORK/mpi.out"
            run_step mpi mpi-pingpong "$PP_TIMEOUT" mpirun -np 2 --bind-to none --oversubscribe \
                --mca btl self,vader "$MPI_BIN" -t "$PP_TIME" -s "$SIZES"
        fi
    fi
fi
if has_test spawn; then
    log "== spawn"
    both spawn "$OPS_TIMEOUT" spawn -c 1,16,64 -reps "$SPAWN_REPS"
fi
if has_test farm; then
    log "== farm"
    both farm-default "$OPS_TIMEOUT" farm -w 4 -t "$FARM_T" -r default
    both farm-direct "$OPS_TIMEOUT" farm -w 4 -t "$FARM_T" -r direct
fi
if has_test group; then
    for m in 8 32; do
        log "== groups, $m members"
        both "group-$m" "$OPS_TIMEOUT" group -m "$m" -t "$GROUP_T"
    done
fi

[ "$REAL_OK" -eq 0 ] || record_daemon_rss real after
[ "$OURS_OK" -eq 0 ] || record_daemon_rss ours after

log "== stopping the daemons"
if [ "$REAL_STARTED" -eq 1 ]; then
    real_halt
    REAL_STARTED=0
fi
if [ "$OURS_STARTED" -eq 1 ]; then
    ours_halt
    OURS_STARTED=0
fi

# ------------------------------------------------ ours across 4 emulated hosts
# Like run-crosshost.sh: tests/support/netns-hosts.sh makes 4 network
# namespaces on a bridge; our pvmd starts in the first, the console adds the
# other three (through tests/support/rsh-netns) and `pvmops spawn` runs there.
# Everything runs as root, as in run-crosshost.sh.  Real PVM is not run in this
# step; run-crosshost.sh shows how it can be (as root, a UTS namespace per host).
SUPPORT="$REPO_DIR/tests/support"
cross_env=()
cross_down() {
    [ -n "$CROSS_NAME" ] || return 0
    if [ -n "$OURS_OPS" ] && ip netns list 2>/dev/null | grep -q "^$CROSS_NAME-h1\b"; then
        ip netns exec "$CROSS_NAME-h1" "${cross_env[@]}" timeout 30 "$OURS_OPS" -haltonly \
            >>"$WORK/logs/crosshost-halt.log" 2>&1
    fi
    "$SUPPORT/netns-hosts.sh" down "$CROSS_NAME" >>"$WORK/logs/crosshost-netns.log" 2>&1
    CROSS_NAME=""
}

crosshost() {
    local name=pvba$$ h out="$WORK/logs/ours-spawn-4hosts.out" rc
    if [ ! -x "$SUPPORT/netns-hosts.sh" ] || ! "$SUPPORT/netns-hosts.sh" check 2>>"$WORK/logs/crosshost-netns.log"; then
        log "  network namespaces are not available here: skipped"
        echo "step=spawn-4hosts note=skipped_no_netns" >>"$WORK/ours.out"
        return 0
    fi
    CROSS_NAME=$name
    if ! "$SUPPORT/netns-hosts.sh" up 4 "$name" >>"$WORK/logs/crosshost-netns.log" 2>&1; then
        echo "step=spawn-4hosts error=netns_up_failed" >>"$WORK/ours.out"
        return 1
    fi
    mkdir -p "$WORK/cross/$name-h1"
    cross_env=(env -i HOME=/root USER=root LOGNAME=root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C
        PVM_NETNS_HOSTS="/tmp/$name.hosts" PVM_NETNS_TMP="$WORK/cross" PVM_RSH="$SUPPORT/rsh-netns"
        PVM_TMP="$WORK/cross/$name-h1")
    if ! ip netns exec "$name-h1" "${cross_env[@]}" timeout 60 "$OURS_PREFIX/bin/pvmd" -n "$name-h1" \
        >>"$WORK/logs/crosshost-pvmd.log" 2>&1; then
        echo "step=spawn-4hosts error=pvmd_did_not_start" >>"$WORK/ours.out"
        cross_down
        return 1
    fi
    printf 'add %s %s %s\nconf\nquit\n' "$name-h2" "$name-h3" "$name-h4" |
        ip netns exec "$name-h1" "${cross_env[@]}" timeout 120 "$OURS_PREFIX/bin/pvm" \
            >>"$WORK/logs/crosshost-console.log" 2>&1
    h=$(grep -c "^ *$name-h[0-9] .*LINUX" "$WORK/logs/crosshost-console.log")
    log "  [ours] spawn-4hosts: pvmops spawn -c 1,16,64 -reps $SPAWN_REPS ($h hosts in the machine)"
    run_wait ip netns exec "$name-h1" "${cross_env[@]}" timeout "$OPS_TIMEOUT" "$OURS_OPS" spawn -c 1,16,64 \
        -reps "$SPAWN_REPS" >"$out" 2>"$WORK/logs/ours-spawn-4hosts.err"
    rc=$?
    grep -v '^#' "$out" | sed "s/^/step=spawn-4hosts vm_hosts=$h /" >>"$WORK/ours.out"
    [ $rc -eq 0 ] || grep -q 'error=' "$out" || echo "step=spawn-4hosts error=exit_$rc" >>"$WORK/ours.out"
    sed 's/^/      /' "$out" >&2
    cross_down
}
if has_test crosshost && [ "$OURS_OK" -eq 1 ]; then
    log "== ours: spawn across 4 emulated hosts"
    crosshost
fi
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
T_END=$(date +%s)

# ------------------------------------------------------------------ report
{
    echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
    echo "host=$(uname -srm), $(nproc) cpus ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/^MemTotal/ {printf "%.1f GB RAM", $2/1048576}' /proc/meminfo)"
    echo "load_start=$LOAD_START"
    echo "load_end=$LOAD_END"
    echo "elapsed_s=$((T_END - T_START))"
    echo "mode=$([ "$QUICK" -eq 1 ] && echo quick || echo full)"
    echo "pp_time=$PP_TIME"
    echo "spawn_reps=$SPAWN_REPS"
    echo "farm_t=$FARM_T"
    echo "group_t=$GROUP_T"
    echo "stat=$STAT"
    echo "sizes=$SIZES"
    echo "encs=$ENCS"
    echo "real=$([ "$DO_REAL" -eq 1 ] && echo "Debian pvm $(dpkg-query -W -f='${Version}' pvm 2>/dev/null)" || echo "not run")"
    echo "ours=$([ -n "$OURS_PREFIX" ] && echo "$OURS_PREFIX (libpvm3.so from $(date -u -r "$OURS_LIBDIR/libpvm3.so" +%Y-%m-%dT%H:%MZ 2>/dev/null))" || echo "not run")"
    echo "mpi=$([ "$DO_MPI" -eq 1 ] && echo "Open MPI $(dpkg-query -W -f='${Version}' openmpi-bin 2>/dev/null), mpirun -np 2, btl self,vader" || echo "not run")"
    echo "git=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null)$(git -C "$REPO_DIR" status --porcelain 2>/dev/null | grep -q . && echo ' (with uncommitted changes)')"
    echo "command=bench/run-all.sh${OURS_PREFIX:+ --ours $OURS_PREFIX}$([ "$QUICK" -eq 1 ] && echo ' --quick')"
} >>"$WORK/meta.txt"

plot_arg=()
[ "$DO_PLOT" -eq 1 ] && plot_arg=(--plot)
/usr/bin/python3 "$SCRIPT_DIR/report.py" --work "$WORK" "${plot_arg[@]}" | tee "$WORK/table.txt"
echo
echo "results: $WORK/table.txt, $WORK/results.md$([ "$DO_PLOT" -eq 1 ] && echo ", $WORK/performance-rtt.png"); raw: $WORK/{real,ours,mpi}.out, logs: $WORK/logs"
log "done in $((T_END - T_START)) s"
exit 0
