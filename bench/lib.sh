# bench/lib.sh - shell functions shared by run-pingpong.sh and run-all.sh.
# Source it from bash (set -u safe).  The caller sets, before using them:
#   LOG_TAG      prefix of log lines (e.g. run-all)
#   BENCH_USER   unprivileged user that runs the daemons and tasks
#   DO_INSTALL   1: install_packages may apt-get, 0: it only checks
#   WORK         output directory (builds, logs); made by make_workdir
# See bench/README.md for what the machinery guarantees (clean environment,
# header/library isolation, no daemon left behind).
# shellcheck shell=bash
# shellcheck disable=SC2034  # BUILT and others are read by the sourcing script

# ------------------------------------------------------------------ basics
log() { echo "${LOG_TAG:-bench}: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

pkg_installed() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# install_packages PKG...: apt-get install the missing ones.  The package
# lists are updated only if there are none or the install fails.
install_packages() {
    local missing=() p
    for p in "$@"; do pkg_installed "$p" || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "${DO_INSTALL:-1}" -eq 1 ] || die "missing packages: ${missing[*]} (and --no-install given)"
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
        apt-get update -q || die "apt-get update failed"
    fi
    if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
        apt-get update -q || die "apt-get update failed"
        apt-get install -y -q --no-install-recommends "${missing[@]}" || die "apt-get install failed"
    fi
}

# ensure_user: create BENCH_USER if missing; sets BENCH_UID and BENCH_HOME.
ensure_user() {
    if ! id "$BENCH_USER" >/dev/null 2>&1; then
        log "creating user $BENCH_USER"
        useradd --create-home --shell /bin/bash "$BENCH_USER" || die "useradd failed"
    fi
    BENCH_UID=$(id -u "$BENCH_USER")
    BENCH_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6)
    [ "$BENCH_UID" -ne 0 ] || die "--user must not be root"
    [ -d "$BENCH_HOME" ] || { mkdir -p "$BENCH_HOME" && chown "$BENCH_USER": "$BENCH_HOME"; }
}

# make_workdir [DIR]: WORK = DIR (created) or a new /tmp/PREFIX.XXXXXX.
make_workdir() {
    local dir=$1 prefix=${2:-pvm-bench}
    if [ -n "$dir" ]; then
        mkdir -p "$dir" || die "cannot create $dir"
        WORK=$(cd "$dir" && pwd)
    else
        WORK=$(mktemp -d "/tmp/$prefix.XXXXXX") || die "mktemp failed"
    fi
    chmod 755 "$WORK"
}

# run_as USER HOME [VAR=value ...] -- command args...
# Runs with a clean, explicit environment so that nothing (LD_LIBRARY_PATH,
# PVM_ROOT, PVM_TMP ...) leaks from the caller into either PVM.
run_as() {
    local user=$1 home=$2
    shift 2
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        envs+=("$1")
        shift
    done
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

# rss_kb PID: VmRSS of PID in kB (empty if gone).
rss_kb() { awk '$1 == "VmRSS:" {print $2}' "/proc/$1/status" 2>/dev/null; }

# run_wait CMD...: run CMD in the background and wait for it, so that a
# SIGTERM/SIGINT to the script is handled at once (the cleanup trap then
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

alive() {
    local p
    for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done
    return 1
}

# kill_pids WHAT PID...: wait a little (5 s), then SIGTERM, then SIGKILL.
kill_pids() {
    local what=$1 _
    shift
    [ $# -gt 0 ] || return 0
    for _ in $(seq 50); do alive "$@" || return 0; sleep 0.1; done
    log "terminating leftover $what: $*"
    kill -TERM "$@" 2>/dev/null
    for _ in $(seq 30); do alive "$@" || return 0; sleep 0.1; done
    kill -KILL "$@" 2>/dev/null
    sleep 0.2
}

# kill_leftovers USER EXE...: kill_pids for the processes of USER running EXE.
kill_leftovers() {
    local user=$1 exe pids
    shift
    for exe in "$@"; do
        [ -n "$exe" ] || continue
        pids=$(pids_by_exe "$user" "$exe")
        # shellcheck disable=SC2086
        [ -z "$pids" ] || kill_pids "$(basename "$exe") processes" $pids
    done
}

# ------------------------------------------------------------ build checks
# program_sources SRC: sets SOURCES to SRC, the program's main file, and its
# parts, the files named after it (pvmops.c: pvmops-*.c).
program_sources() {
    local part
    SOURCES=("$1")
    for part in "${1%.c}"-*.c; do
        [ -e "$part" ] && SOURCES+=("$part")
    done
}

# check_header SRC WANT_INCDIR CFLAGS...: the pvm3.h the compiler picks for
# SRC and each of its parts is WANT_INCDIR/pvm3.h.
check_header() {
    local src=$1 want got file
    want=$(readlink -f "$2/pvm3.h")
    shift 2
    program_sources "$src"
    for file in "${SOURCES[@]}"; do
        got=$(gcc -std=c99 "$@" -M "$file" | grep -o '[^ ]*/pvm3\.h' | head -n1)
        got=$(readlink -f "$got")
        if [ "$got" != "$want" ]; then
            log "header check failed: compiler uses '$got' for $file, expected '$want'"
            return 1
        fi
    done
    log "  header: $got ($(basename "$src") and ${#SOURCES[@]} file(s) in all)"
}

# check_lib BINARY WANT_LIB RUNUSER RUNHOME: run as RUNUSER, BINARY loads
# WANT_LIB (a .so path; its basename up to ".so" names the library, e.g.
# libpvm3 or libgpvm3) and imports pvm_spawn.  A library other than libpvm3
# that the binary does not list as NEEDED passes.
check_lib() {
    local bin=$1 want got name
    want=$(readlink -f "$2")
    name=$(basename "$2")
    name=${name%%.so*}
    if [ "$name" != libpvm3 ] && ! readelf -d "$bin" 2>/dev/null | grep -q "NEEDED.*\[$name\.so"; then
        # e.g. our libgpvm3: the group calls live in our libpvm3, so the
        # linker records no dependency on libgpvm3 at all.
        log "  $name: not needed by $(basename "$bin") (its symbols come from libpvm3)"
        return 0
    fi
    got=$(run_as "$3" "$4" -- ldd "$bin" | awk -v n="$name" 'index($1, n ".so") == 1 {print $3; exit}')
    got=$(readlink -f "$got" 2>/dev/null)
    if [ -z "$got" ] || [ "$got" != "$want" ]; then
        log "library check failed: $bin loads $name '$got', expected '$want'"
        return 1
    fi
    if ! nm -D "$bin" 2>/dev/null | grep -q ' U pvm_spawn$'; then
        log "library check failed: $bin does not import pvm_spawn"
        return 1
    fi
    log "  $name: $got ($(basename "$bin"))"
}

# ---------------------------------------------------- real PVM 3.4.6 side
real_env=(PVM_ROOT=/usr/lib/pvm3)
REAL_PVMD=/usr/bin/pvmd
REAL_STARTED=0
REAL_BINS=()    # our benchmark binaries for the real PVM (leftovers are killed)
REAL_HELPERS=() # PVM's own tasks (pvmgs) whose leftovers are killed
REAL_INC=""
REAL_LIBDIR=""
REAL_LIBSO=""
REAL_ARCH=""
REAL_BINDIR=""

# real_locate: finds Debian's pvm-dev header and library and PVM_ARCH.
real_locate() {
    REAL_INC=$(dirname "$(dpkg -L pvm-dev | grep -m1 '/pvm3\.h$')")
    REAL_LIBSO=$(dpkg -L pvm-dev | grep -m1 '/libpvm3\.so$')
    REAL_LIBDIR=$(dirname "$REAL_LIBSO")
    if [ ! -r "$REAL_INC/pvm3.h" ] || [ ! -e "$REAL_LIBSO" ]; then
        log "pvm-dev files not found"
        return 1
    fi
    REAL_ARCH=$(run_as "$BENCH_USER" "$BENCH_HOME" "${real_env[@]}" -- /usr/lib/pvm3/lib/pvmgetarch 2>/dev/null)
    [ -n "$REAL_ARCH" ] || REAL_ARCH=$(/usr/bin/pvmgetarch 2>/dev/null)
    [ -n "$REAL_ARCH" ] || REAL_ARCH=LINUX64
    # Where PVM 3.4 looks for executables: $HOME/pvm3/bin/$PVM_ARCH.
    REAL_BINDIR="$BENCH_HOME/pvm3/bin/$REAL_ARCH"
    log "  PVM_ARCH=$REAL_ARCH"
}

# real_build SRC NAME [LIBS...]: builds SRC (and its parts) against pvm-dev into
# $WORK/real/NAME, installs it as REAL_BINDIR/NAME and checks both the header
# and the libraries.  Sets BUILT to the installed path.
real_build() {
    local src=$1 name=$2 lib
    shift 2
    local libs=("$@")
    [ ${#libs[@]} -gt 0 ] || libs=(-lpvm3)
    BUILT=""
    mkdir -p "$WORK/real"
    check_header "$src" "$REAL_INC" -I"$REAL_INC" || return 1
    program_sources "$src"
    gcc -std=c99 -O2 -Wall -I"$REAL_INC" -o "$WORK/real/$name" "${SOURCES[@]}" -L"$REAL_LIBDIR" "${libs[@]}" \
        >"$WORK/real/$name.build.log" 2>&1 ||
        {
            cat "$WORK/real/$name.build.log" >&2
            log "build of $name failed"
            return 1
        }
    install -d -o "$BENCH_USER" -g "$(id -g "$BENCH_USER")" "$BENCH_HOME/pvm3" "$BENCH_HOME/pvm3/bin" "$REAL_BINDIR"
    install -o "$BENCH_USER" -g "$(id -g "$BENCH_USER")" -m 755 "$WORK/real/$name" "$REAL_BINDIR/$name"
    REAL_BINS+=("$REAL_BINDIR/$name")
    for lib in "${libs[@]}"; do
        case "$lib" in
            -l*) check_lib "$REAL_BINDIR/$name" "$REAL_LIBDIR/lib${lib#-l}.so" "$BENCH_USER" "$BENCH_HOME" || return 1 ;;
        esac
    done
    BUILT="$REAL_BINDIR/$name"
}

# real_install_pvmgs: libgpvm3 starts the group server with pvm_spawn("pvmgs"),
# which searches $HOME/pvm3/bin/$PVM_ARCH; Debian installs it in /usr/bin.
real_install_pvmgs() {
    local gs
    gs=$(dpkg -L pvm 2>/dev/null | grep -m1 '/bin/pvmgs$')
    [ -n "$gs" ] || gs=/usr/bin/pvmgs
    [ -x "$gs" ] || {
        log "pvmgs not found: group benchmarks of PVM 3.4.6 will fail"
        return 1
    }
    install -d -o "$BENCH_USER" -g "$(id -g "$BENCH_USER")" "$BENCH_HOME/pvm3" "$BENCH_HOME/pvm3/bin" "$REAL_BINDIR"
    [ "$(readlink -f "$REAL_BINDIR/pvmgs")" = "$(readlink -f "$gs")" ] || ln -sfn "$gs" "$REAL_BINDIR/pvmgs"
    REAL_HELPERS+=("$(readlink -f "$gs")")
}

real_pvmd_pids() { pids_by_exe "$BENCH_USER" "$REAL_PVMD"; }

# real_halt: `echo halt | pvm` when a pvmd runs, then kill what is left.
real_halt() {
    local pids
    pids=$(real_pvmd_pids)
    if [ -n "$pids" ]; then
        # Only ask the console when a pvmd runs: otherwise `pvm` would start one.
        run_as "$BENCH_USER" "$BENCH_HOME" "${real_env[@]}" -- \
            timeout 30 bash -c 'echo halt | pvm' >>"$WORK/real-console.log" 2>&1
        # shellcheck disable=SC2086
        kill_pids "PVM 3.4.6 pvmd" $pids
    fi
    kill_leftovers "$BENCH_USER" "${REAL_BINS[@]}" "${REAL_HELPERS[@]}"
    rm -f "/tmp/pvmd.$BENCH_UID"
}

# real_start: halt a pvmd left by an earlier run, start one with the console.
real_start() {
    if [ -n "$(real_pvmd_pids)" ]; then
        log "  halting a PVM 3.4.6 pvmd of $BENCH_USER left from before"
        real_halt
    fi
    rm -f "/tmp/pvmd.$BENCH_UID"
    # The console starts the pvmd if none runs and leaves it running on quit.
    REAL_STARTED=1
    run_as "$BENCH_USER" "$BENCH_HOME" "${real_env[@]}" -- \
        timeout 60 bash -c 'echo quit | pvm' >"$WORK/real-console.log" 2>&1
    if [ -z "$(real_pvmd_pids)" ]; then
        cat "$WORK/real-console.log" >&2
        log "PVM 3.4.6 pvmd did not start"
        return 1
    fi
    log "  PVM 3.4.6 pvmd running (pid $(real_pvmd_pids | tr '\n' ' '))"
}

# real_run CMD...: run as the bench user in PVM 3.4.6's environment.
real_run() { run_as "$BENCH_USER" "$BENCH_HOME" "${real_env[@]}" -- "$@"; }

# --------------------------------------------------------------- our side
OURS_PREFIX=${OURS_PREFIX:-}
OURS_STARTED=0
OURS_BINS=()
OURS_HALT_BIN="" # a built binary that understands -haltonly
OURS_USER=""
OURS_HOME=""
OURS_TMP=""
OURS_PVMD=""
OURS_LIBDIR=""

# ours_locate: checks OURS_PREFIX, picks OURS_LIBDIR/OURS_PVMD and the user
# (the bench user when it can read the prefix, else root).
ours_locate() {
    local p=$OURS_PREFIX d multiarch
    multiarch=$(gcc -print-multiarch 2>/dev/null)
    OURS_LIBDIR=""
    for d in lib lib64 ${multiarch:+lib/$multiarch}; do
        if [ -e "$p/$d/libpvm3.so" ]; then
            OURS_LIBDIR="$p/$d"
            break
        fi
    done
    [ -r "$p/include/pvm3.h" ] || { log "missing $p/include/pvm3.h"; return 1; }
    [ -n "$OURS_LIBDIR" ] || { log "missing $p/lib/libpvm3.so"; return 1; }
    [ -x "$p/bin/pvmd" ] || { log "missing $p/bin/pvmd"; return 1; }
    OURS_PVMD=$(readlink -f "$p/bin/pvmd")

    # Run as the same unprivileged user when it can reach the prefix.
    OURS_USER=$BENCH_USER
    OURS_HOME=$BENCH_HOME
    if ! run_as "$BENCH_USER" "$BENCH_HOME" -- test -x "$OURS_PVMD" -a -r "$OURS_LIBDIR/libpvm3.so" 2>/dev/null; then
        log "  $BENCH_USER cannot read $p; running ours as root instead"
        OURS_USER=root
        OURS_HOME=/root
    fi
    OURS_TMP="$WORK/ours-tmp"
}

# ours_build SRC NAME [LIBS...]: builds SRC (and its parts) against OURS_PREFIX into
# $WORK/ours/NAME (rpath to the prefix) and checks header and libraries.
# Sets BUILT.
ours_build() {
    local src=$1 name=$2 lib
    shift 2
    local libs=("$@")
    [ ${#libs[@]} -gt 0 ] || libs=(-lpvm3)
    BUILT=""
    mkdir -p "$WORK/ours"
    check_header "$src" "$OURS_PREFIX/include" -I"$OURS_PREFIX/include" || return 1
    program_sources "$src"
    gcc -std=c99 -O2 -Wall -I"$OURS_PREFIX/include" -o "$WORK/ours/$name" "${SOURCES[@]}" \
        -L"$OURS_LIBDIR" -Wl,-rpath,"$OURS_LIBDIR" "${libs[@]}" \
        >"$WORK/ours/$name.build.log" 2>&1 ||
        {
            cat "$WORK/ours/$name.build.log" >&2
            log "build of $name failed"
            return 1
        }
    chmod 755 "$WORK/ours" "$WORK/ours/$name"
    OURS_BINS+=("$WORK/ours/$name")
    [ -n "$OURS_HALT_BIN" ] || OURS_HALT_BIN="$WORK/ours/$name"
    for lib in "${libs[@]}"; do
        case "$lib" in
            -l*) check_lib "$WORK/ours/$name" "$OURS_LIBDIR/lib${lib#-l}.so" "$OURS_USER" "$OURS_HOME" || return 1 ;;
        esac
    done
    BUILT="$WORK/ours/$name"
}

# ours_pids: our pvmd(s) started with our private PVM_TMP.
ours_pids() {
    local pid f p
    [ -n "$OURS_PVMD" ] || return 0
    f="$OURS_TMP/pvm.$(id -u "$OURS_USER")/pvmd.addr"
    pid=$([ -r "$f" ] && awk '$1 == "pid" {print $2}' "$f")
    for p in $(pids_by_exe "$OURS_USER" "$OURS_PVMD"); do
        if [ "$p" = "$pid" ] || tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "PVM_TMP=$OURS_TMP"; then
            echo "$p"
        fi
    done
}

# ours_run CMD...: run as our user with our private PVM_TMP.
ours_run() { run_as "$OURS_USER" "$OURS_HOME" PVM_TMP="$OURS_TMP" -- "$@"; }

# ours_start: starts PREFIX/bin/pvmd, which detaches once it is ready.
ours_start() {
    mkdir -p "$OURS_TMP"
    chown "$OURS_USER": "$OURS_TMP"
    chmod 700 "$OURS_TMP"
    OURS_STARTED=1
    if ! ours_run timeout 60 "$OURS_PREFIX/bin/pvmd" >"$WORK/ours-pvmd.log" 2>&1; then
        cat "$WORK/ours-pvmd.log" >&2
        log "our pvmd did not start"
        return 1
    fi
    log "  our pvmd running (pid $(ours_pids | tr '\n' ' '))"
}

# ours_halt: pvm_halt() through OURS_HALT_BIN -haltonly, then kill leftovers.
ours_halt() {
    local pids
    pids=$(ours_pids)
    if [ -n "$pids" ] && [ -n "$OURS_HALT_BIN" ] && [ -x "$OURS_HALT_BIN" ]; then
        ours_run timeout 30 "$OURS_HALT_BIN" -haltonly >>"$WORK/ours-halt.log" 2>&1
    fi
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill_pids "our pvmd" $pids
    [ -z "$OURS_USER" ] || kill_leftovers "$OURS_USER" "${OURS_BINS[@]}"
}

# ----------------------------------------------------------------- cleanup
# bench_cleanup: EXIT trap.  Stops the foreground job, then the daemons;
# CLEANUP_HOOK (a function name) runs in between for extra leftovers.
CLEANUP_HOOK=""
# shellcheck disable=SC2317  # invoked by trap
bench_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$CHILD" ]; then
        # shellcheck disable=SC2046
        kill -TERM $(descendants "$CHILD") "$CHILD" 2>/dev/null
        wait "$CHILD" 2>/dev/null
    fi
    [ -z "$CLEANUP_HOOK" ] || "$CLEANUP_HOOK"
    [ "$REAL_STARTED" -eq 1 ] && real_halt
    [ "$OURS_STARTED" -eq 1 ] && ours_halt
    REAL_STARTED=0
    OURS_STARTED=0
    exit "$rc"
}

install_cleanup_trap() {
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}
