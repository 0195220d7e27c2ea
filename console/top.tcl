# top.tcl - the console's live view (top, ps -w) of hosts and tasks, redrawn until a
# key says stop. Part of the console's script: console/CMakeLists.txt joins it to
# console.tcl.

# top: a live view of hosts and tasks; rates come from two samples.
proc top {{interval 1}} {
    if {![string is double -strict $interval] || $interval <= 0} { error "usage: top ?seconds?" }
    ::console::topFrame
    if {![::console::interactive]} return
    while 1 {
        set key [::console::waitkey [expr {int($interval * 1000)}]]
        if {$key in {q Q "\x1b" "\x03"}} break
        ::console::topFrame
    }
    puts ""
}

proc ::console::topFrame {} {
    variable sample
    set now [clock milliseconds]
    set hosts [hosts]
    set tasks [pvm tasks 0]
    set seconds [expr {[dict exists $sample time] ? max(($now - [dict get $sample time]) / 1000.0, 0.001) : 0}]
    set count [dict create]; set load [dict create]; set rate [dict create]
    dict for {dtid h} $hosts { dict set count $dtid 0; dict set load $dtid 0.0; dict set rate $dtid 0.0 }
    set rows {}
    set next [dict create]
    foreach t $tasks {
        set tid [dict get $t tid]
        set dtid [dict get $t host]
        set cpuShare 0.0
        set sentRate 0.0
        # Rates need an earlier sample of the same task.
        if {$seconds > 0 && [dict exists $sample tasks $tid]} {
            lassign [dict get $sample tasks $tid] oldCpu oldSent
            set cpuShare [expr {([dict get $t cpu] - $oldCpu) / $seconds}]
            set sentRate [expr {([dict get $t sent] - $oldSent) / $seconds}]
        }
        dict set next $tid [list [dict get $t cpu] [dict get $t sent]]
        if {![dict exists $count $dtid]} { dict set count $dtid 0; dict set load $dtid 0.0; dict set rate $dtid 0.0 }
        dict incr count $dtid
        dict set load $dtid [expr {[dict get $load $dtid] + $cpuShare}]
        dict set rate $dtid [expr {[dict get $rate $dtid] + $sentRate}]
        lappend rows [format "%8s %-16s %-14s %5s %5.0f%% %9.2f %8.1f %8d" [tidText $tid] \
            [string range [hostName $hosts $dtid] 0 15] [string range [dict get $t name] 0 13] \
            [expr {[dict get $t flags] & 4 ? "run" : "start"}] [expr {100 * $cpuShare}] [dict get $t cpu] \
            [expr {[dict get $t rss] / 1024.0}] [expr {[dict get $t sent] + [dict get $t received]}]]
    }
    set sample [dict create time $now tasks $next]
    set lines [list "pvm top - [clock format [expr {$now / 1000}] -format %H:%M:%S]   [dict size $hosts] hosts,\
        [llength $tasks] tasks   (q leaves)" ""]
    lappend lines [format "%-24s %7s %6s %6s %8s" HOST SPEED TASKS LOAD MSG/S]
    dict for {dtid h} $hosts {
        lappend lines [format "%-24s %7d %6d %6.2f %8.1f" [string range [dict get $h name] 0 23] \
            [dict get $h speed] [dict get $count $dtid] [dict get $load $dtid] [dict get $rate $dtid]]
    }
    lappend lines "" [format "%8s %-16s %-14s %5s %6s %9s %8s %8s" TID HOST COMMAND STATE CPU TIME MEM/MB MSGS]
    lappend lines {*}$rows
    if {[interactive]} { puts -nonewline "\033\[H\033\[2J" }
    puts [join $lines \n]
    flush stdout
}
