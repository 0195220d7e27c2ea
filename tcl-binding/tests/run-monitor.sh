#!/bin/bash
# run-monitor.sh MONITOR OUTDIR - the Tk monitor example (examples/tcl/monitor.tcl) on a
# virtual X screen: a private pvmd with two sleeping test tasks, the monitor in -snapshot
# mode under xvfb-run. Checks what it lists, keeps the screen as OUTDIR/monitor.xwd (an
# XWD image: `convert monitor.xwd monitor.png`, or `xwud -in monitor.xwd`) and checks that
# a window was drawn there. Then the machine is halted: no pvmd and no task is left.
#
# Environment (set by ctest): TCLLIBPATH finds the package pvm, PVM_TEST_PVMD is the pvmd,
# PVM_TEST_TASK the C test task. Needs xvfb-run and xauth (Debian packages xvfb, xauth) and
# wish (tk); without them it skips (exit 77), except under CI (CI set), where it fails.
set -uo pipefail
usage="usage: run-monitor.sh MONITOR.tcl OUTDIR"
monitor=${1:?$usage}
outdir=${2:?$usage}

say() { echo "run-monitor: $*"; }
fail() {
    say "FAIL: $*"
    exit 1
}
skip() {
    [ -n "${CI:-}" ] && fail "cannot run under CI, which must run it: $*"
    say "skipped: $*"
    exit 77
}

for need in xvfb-run:xvfb xauth:xauth wish:tk tclsh:tcl; do
    command -v "${need%:*}" >/dev/null || skip "no ${need%:*} (Debian package ${need#*:})"
done
for var in TCLLIBPATH PVM_TEST_PVMD PVM_TEST_TASK; do
    [ -n "${!var:-}" ] || fail "$var is not set (ctest sets it)"
done
[ -f "$monitor" ] || fail "no $monitor"
[ -x "$PVM_TEST_PVMD" ] || fail "$PVM_TEST_PVMD is not built"
[ -x "$PVM_TEST_TASK" ] || fail "$PVM_TEST_TASK is not built"
mkdir -p "$outdir" || fail "cannot make $outdir"

# One private directory under /tmp/pvmtest.* (where the stray-daemon check looks): pvm/ is
# the machine's PVM_TMP, fb/ Xvfb's framebuffer, the rest the monitor's output and marker.
work=$(mktemp -d /tmp/pvmtest.XXXXXX) || fail "mktemp"
export PVM_TMP=$work/pvm
mkdir -p "$PVM_TMP" "$work/fb"
marker=$work/drawn
# The ASan build preloads its runtime for the instrumented package: wish and tclsh need
# it, Xvfb and xauth must not get it.
preload=${LD_PRELOAD:-}
unset LD_PRELOAD
# pvm_tcl runs the Tcl script on its stdin: as a script file, so that an error fails it.
pvm_tcl() { env ${preload:+LD_PRELOAD="$preload"} timeout 30 tclsh /dev/stdin; }

daemon_pid() { sed -n 's/^pid //p' "$PVM_TMP/pvm.$(id -u)/pvmd.addr" 2>/dev/null; }
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

pvmd=
xvfb=
sleeper_pids=
cleanup() {
    local pid
    # xvfb-run is a session of its own (setsid): this ends it, Xvfb and the monitor.
    alive "$xvfb" && kill -TERM -- "-$xvfb" 2>/dev/null
    if alive "$pvmd"; then
        echo 'package require pvm; pvm halt' | pvm_tcl >/dev/null 2>&1
        wait_for 10 gone "$pvmd" || {
            say "pvmd $pvmd did not halt: killing it"
            kill -9 "$pvmd" 2>/dev/null
        }
    fi
    # A halt kills the tasks; a pvmd that had to be killed leaves them behind.
    for pid in $sleeper_pids; do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = test_task ] && kill -9 "$pid" 2>/dev/null
    done
    alive "$xvfb" && kill -KILL -- "-$xvfb" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

out=$("$PVM_TEST_PVMD" 2>&1) || fail "pvmd did not start: $out"
pvmd=$(daemon_pid)
alive "$pvmd" || fail "no pvmd runs after start-up (address file: $(cat "$PVM_TMP"/pvm.*/pvmd.addr 2>&1))"
say "pvmd pid $pvmd, PVM_TMP $PVM_TMP"

# Two sleepers for the monitor to show: their parent waits for their "ready" (so they are
# enrolled under their program name) and leaves; the sleepers stay until the halt.
spawned=$(pvm_tcl <<'EOF' 2>&1
package require pvm
set tids [pvm spawn -count 2 $env(PVM_TEST_TASK) sleep]
foreach t $tids { pvm recv -tid $t -tag 1 -timeout 10 }
foreach t [pvm tasks] {
    if {[dict get $t tid] in $tids} { puts "[format t%x [dict get $t tid]] [dict get $t pid]" }
}
pvm exit
EOF
) || fail "cannot spawn the sleepers: $spawned"
sleepers=$(awk '{print $1}' <<<"$spawned" | sort | xargs)
sleeper_pids=$(awk '{print $2}' <<<"$spawned" | xargs)
[ "$(wc -w <<<"$sleepers")" = 2 ] || fail "expected 2 sleepers, got: $spawned"
say "sleepers $sleepers (pids $sleeper_pids)"

# -br: a black root instead of the default weave, so whatever is not black was drawn by
# the monitor. No window manager: the window sits at the top left. TMPDIR: xvfb-run's
# own directory (its Xauthority) goes in ours, so it is removed even if xvfb-run is killed.
setsid env TMPDIR="$work" xvfb-run -a -e "$work/xvfb.log" -s "-screen 0 1024x768x24 -br -fbdir $work/fb" \
    env ${preload:+LD_PRELOAD="$preload"} wish "$monitor" -snapshot "$marker" \
    >"$work/monitor.out" 2>"$work/monitor.err" &
xvfb=$!
diagnostics() {
    echo "--- monitor stdout"
    cat "$work/monitor.out"
    echo "--- monitor stderr"
    cat "$work/monitor.err"
    echo "--- Xvfb log"
    cat "$work/xvfb.log" 2>/dev/null
}
drawn() { [ -e "$marker" ] || ! alive "$xvfb"; }
wait_for 30 drawn || {
    diagnostics
    fail "the monitor did not draw its window within 30 s"
}
[ -e "$marker" ] || {
    diagnostics
    fail "the monitor ended before it drew its window"
}
cp "$work/fb/Xvfb_screen0" "$outdir/monitor.xwd" || fail "cannot copy Xvfb's framebuffer"
rm -f "$marker"
wait_for 20 gone "$xvfb" || {
    diagnostics
    fail "the monitor did not exit after the screenshot"
}
wait "$xvfb"
status=$?
xvfb=
out=$(cat "$work/monitor.out")
echo "--- monitor output"
echo "$out"
echo "---"
((status == 0)) || {
    diagnostics
    fail "the monitor exited with status $status"
}

# What the lists showed: this one host, both sleepers there under their program name, the
# host's task count matching the task list (the monitor is a task too), "snapshot" last.
hosts=$(grep -c '^host ' <<<"$out")
[ "$hosts" = 1 ] || fail "expected 1 host line, got $hosts"
read -r _ host_name _ _ host_ntasks <<<"$(grep '^host ' <<<"$out")"
shown=$(awk -v h="$host_name" '$1 == "task" && $3 == h && $4 == "test_task" {print $2}' <<<"$out" | sort | xargs)
[ "$shown" = "$sleepers" ] || fail "expected the sleepers $sleepers as test_task on $host_name, got: ${shown:-none}"
ntasks=$(grep -c '^task ' <<<"$out")
[ "$host_ntasks" = "$ntasks" ] || fail "host $host_name counts $host_ntasks tasks, the task list has $ntasks"
[ "$(tail -n 1 <<<"$out")" = snapshot ] || fail "the output does not end with \"snapshot\""
say "lists ok: host $host_name with $ntasks tasks, sleepers $sleepers shown as test_task"

# The screenshot: an XWD file (big-endian header, then the colour map, then the pixels).
# On the black root, a drawn window means many colours and a large non-black area.
pixels=$(XWD=$outdir/monitor.xwd pvm_tcl <<'EOF' 2>&1
set f [open $env(XWD) rb]
set data [read $f]
close $f
binary scan $data I25 h
lassign $h size - - - width height - order - - - bpp perLine
set ncolors [lindex $h 19]
if {$bpp != 32 || $perLine != $width * 4} { puts "unexpected layout: $bpp bits a pixel, $perLine bytes a line"; exit 1 }
binary scan $data @[expr {$size + $ncolors * 12}]iu[expr {$width * $height}] values
set black [llength [lsearch -all -exact -integer $values 0]]
puts "$width $height [llength [lsort -unique -integer $values]] [expr {$width * $height - $black}]"
EOF
) || fail "cannot read the screenshot: $pixels"
read -r width height colours drawn_pixels <<<"$pixels"
say "screenshot ${width}x${height}: $colours colours, $drawn_pixels pixels not black"
((colours >= 4)) || fail "the screenshot has only $colours colours: nothing was drawn"
((drawn_pixels >= 200 * 100)) || fail "only $drawn_pixels pixels were drawn: the window is missing or tiny"

pid=$pvmd
echo 'package require pvm; pvm halt' | pvm_tcl >/dev/null 2>&1
wait_for 10 gone "$pid" || fail "pvmd $pid still runs after the halt"
say "passed: monitor listed the machine, screenshot in $outdir/monitor.xwd, machine halted"
