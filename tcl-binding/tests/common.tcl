# common.tcl - what every test file of the Tcl package shares: a private virtual
# machine (own PVM_TMP, a real pvmd), waits on events with deadlines, and the
# exit status ctest reads. Environment (set by ctest): TCLLIBPATH finds the
# package, PVM_TEST_PVMD is the pvmd, PVM_TEST_TASK the C test task.
package require tcltest 2
namespace import ::tcltest::*

# Under /tmp/pvmtest.*, where the suite's last test looks for daemons left behind.
set ::testTmp [exec mktemp -d /tmp/pvmtest.tcl-XXXXXX]
set ::env(PVM_TMP) $::testTmp
exec $::env(PVM_TEST_PVMD)
set ::task $::env(PVM_TEST_TASK)
package require pvm

# waitVar waits in the event loop until variable name is set, at most ms milliseconds;
# returns its value, or "timeout".
proc waitVar {name {ms 10000}} {
    upvar #0 $name var
    if {[info exists var]} { return $var }
    set id [after $ms [list set ::$name timeout]]
    vwait ::$name
    after cancel $id
    return $var
}

# waitUntil runs the event loop until condition (an expression) holds, at most ms milliseconds.
proc waitUntil {condition {ms 10000}} {
    set deadline [expr {[clock milliseconds] + $ms}]
    while {![uplevel #0 [list expr $condition]]} {
        if {[clock milliseconds] > $deadline} { return 0 }
        set ::tick 0
        after 20 {set ::tick 1}
        vwait ::tick
    }
    return 1
}

# errorOf runs script and returns {errorCode message}, or "ok" when it did not fail.
proc errorOf {script} {
    if {[catch {uplevel 1 $script} message options]} {
        return [list [dict get $options -errorcode] $message]
    }
    return ok
}

# cpuSeconds is the CPU time this process has used (user + system), from /proc.
proc cpuSeconds {} {
    set f [open /proc/self/stat]
    set fields [split [read $f]]
    close $f
    set rest [lrange [split [lindex [split [join $fields " "] ")"] end]] 0 end]
    set rest [lsearch -all -inline -not -exact $rest ""]
    return [expr {([lindex $rest 11] + [lindex $rest 12]) / 100.0}]
}

# running: is process pid still there (a zombie is not)?
proc running {pid} {
    if {[catch {set f [open /proc/$pid/stat]}]} { return 0 }
    set stat [read $f]
    close $f
    return [expr {[lindex [split [lindex [split $stat ")"] end]] 1] ne "Z"}]
}

proc finish {} {
    # The daemon writes into the directory until it has halted: wait for its end (10 s at
    # most) before removing it.
    set pid ""
    catch {
        set f [open $::testTmp/pvm.[exec id -u]/pvmd.addr]
        regexp {pid (\d+)} [read $f] -> pid
        close $f
    }
    catch {pvm halt}
    set deadline [expr {[clock milliseconds] + 10000}]
    while {$pid ne "" && [running $pid] && [clock milliseconds] < $deadline} { after 20 }
    file delete -force $::testTmp
    set failed $::tcltest::numTests(Failed)
    cleanupTests
    exit [expr {$failed > 0}]
}
