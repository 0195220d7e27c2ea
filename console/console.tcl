# console.tcl - the commands of the pvm console (man pvm), as Tcl procs over the
# `pvm` package: the console is a Tcl interpreter, so every PVM console line is a
# Tcl command line and loops, variables, procs and `source` work at the prompt.
# The C++ side (console/main.cpp, line_editor.cpp) provides ::console::print (output
# that respects the prompt), ::console::interactive, ::console::waitkey and reads lines.

namespace eval ::console {
    variable jobs [dict create]  ;# job number -> dict {open N tids {...} channel name}
    variable nextJob 1
    variable aliases [dict create]
    variable done ""             ;# set by quit or halt: the reader stops
    variable sample [dict create] ;# top: the previous sample (time, per task cpu and sent), for rates
    # The words PVM's console prints for an error code (pvm_errlist's).
    variable words [dict create PvmBadParam "Bad parameter" PvmMismatch "Parameter mismatch" \
        PvmOverflow "Value too large" PvmNoData "End of buffer" PvmNoHost "No such host" \
        PvmNoFile "No such file" PvmDenied "Permission denied" PvmNoMem "Malloc failed" \
        PvmBadMsg "Can't decode message" PvmSysErr "Can't contact local daemon" \
        PvmNoBuf "No current buffer" PvmNoSuchBuf "No such buffer" PvmHostFail "Host failed" \
        PvmNotImpl "Not implemented" PvmDSysErr "Pvmd system error" PvmBadVersion "Version mismatch" \
        PvmOutOfRes "Out of resources" PvmDupHost "Duplicate host" PvmCantStart "Can't start pvmd" \
        PvmAlready "Already in progress" PvmNoTask "No such task" PvmNotFound "Not found" \
        PvmExists "Already exists" PvmIPLoopback "Master host's IP is loopback"]
    # The options getopt lists, in PVM's order.
    variable options {Route DebugMask AutoErr OutputTid OutputCode TraceTid TraceCode TraceBuffer
        TraceOptions FragSize ResvTids SelfOutputTid SelfOutputCode SelfTraceTid SelfTraceCode
        SelfTraceBuffer SelfTraceOptions ShowTids OutputContext TraceContext SelfOutputContext
        SelfTraceContext NoReset}
}

proc ::console::say {text} {
    if {[::console::interactive]} {
        ::console::print $text
    } else {
        puts $text
        flush stdout
    }
}

# warn reports a problem that does not stop the command (a task gone, a bad flag): one line
# on standard error, as PVM's libpvm reports them, while the command goes on.
proc ::console::warn {text} {
    flush stdout
    puts stderr $text
    flush stderr
}

proc ::console::tidText {tid} { format t%x $tid }

# parseTid reads a tid as the console prints it: t40002 or 40002, both hex.
proc ::console::parseTid {word} {
    if {[regexp {^t?([0-9a-fA-F]+)$} $word -> hex]} { return [expr {"0x$hex"}] }
    error "not a tid: \"$word\" (write it as t40002 or 40002)"
}

proc ::console::errorWords {name} {
    variable words
    if {[dict exists $words $name]} { return [dict get $words $name] }
    return $name
}

proc ::console::hosts {} {
    set byTid [dict create]
    foreach h [pvm config] { dict set byTid [dict get $h tid] $h }
    return $byTid
}

proc ::console::hostName {hosts dtid} {
    if {[dict exists $hosts $dtid]} { return [dict get $hosts $dtid name] }
    return [tidText $dtid]
}

proc add {args} {
    if {![llength $args]} { error "usage: add host ..." }
    set results [pvm addhosts {*}$args]
    set ok [llength [lsearch -all -regexp $results {^[0-9]+$}]]
    ::console::say "$ok successful"
    ::console::say [format "%24s %8s" HOST DTID]
    foreach host $args result $results {
        set shown [expr {[string is integer -strict $result] ? [format %x $result] : [::console::errorWords $result]}]
        ::console::say [format "%24s %8s" [lindex $host 0] $shown]
    }
}

proc delete {args} {
    if {![llength $args]} { error "usage: delete host ..." }
    set results [pvm delhosts {*}$args]
    set ok [llength [lsearch -all -exact $results 0]]
    ::console::say "$ok successful"
    ::console::say [format "%24s  %s" HOST STATUS]
    foreach host $args result $results {
        ::console::say [format "%24s  %s" $host [expr {$result == 0 ? "deleted" : [::console::errorWords $result]}]]
    }
}

proc conf {args} {
    if {$args ni {{} -s}} { error "usage: conf ?-s?" }
    set hosts [pvm config]
    if {$args eq "-s"} { set hosts [lsort -command {apply {{a b} {
        expr {[dict get $b speed] - [dict get $a speed]}}}} $hosts] }
    set formats [llength [lsort -unique [lmap h $hosts {dict get $h dsig}]]]
    set n [llength $hosts]
    ::console::say "$n host[expr {$n == 1 ? "" : "s"}], $formats data format[expr {$formats == 1 ? "" : "s"}]"
    ::console::say [format "%24s %8s %8s %7s %10s" HOST DTID ARCH SPEED DSIG]
    foreach h $hosts {
        ::console::say [format "%24s %8x %8s %7d 0x%08x" [dict get $h name] [dict get $h tid] [dict get $h arch] \
            [dict get $h speed] [dict get $h dsig]]
    }
    # Only inside a Slurm job, whose nodes the hosts are (docs/slurm.md).
    set job [pvm slurmjob]
    if {$job ne ""} { ::console::say "Slurm job $job" }
}

proc echo {args} { ::console::say [join $args] }

proc ::console::exportList {} {
    if {![info exists ::env(PVM_EXPORT)] || $::env(PVM_EXPORT) eq ""} { return {} }
    return [split $::env(PVM_EXPORT) :]
}

proc export {args} {
    set names [::console::exportList]
    foreach name $args { if {$name ni $names} { lappend names $name } }
    set ::env(PVM_EXPORT) [join $names :]
    if {![llength $args]} { ::console::say "PVM_EXPORT=[join $names :]" }
}

proc unexport {args} {
    set names [lmap n [::console::exportList] { if {$n in $args} continue; set n }]
    set ::env(PVM_EXPORT) [join $names :]
    return
}

proc halt {} {
    pvm halt
    set ::console::done halt
    return
}

proc quit {} {
    set ::console::done quit
    return
}

proc id {} { ::console::say [::console::tidText [pvm mytid]] }

proc kill {args} {
    set children 0
    if {[lindex $args 0] eq "-c"} { set children 1; set args [lrange $args 1 end] }
    if {![llength $args]} { error "usage: kill ?-c? tid ..." }
    set tids [lmap w $args { ::console::parseTid $w }]
    if {$children} {
        # As PVM's console: the children of the tasks named, not those tasks.
        set parents $tids
        set tids {}
        foreach t [pvm tasks] { if {[dict get $t parent] in $parents} { lappend tids [dict get $t tid] } }
    }
    foreach t $tids {
        if {$t == [pvm mytid]} { ::console::warn "kill: [::console::tidText $t] is the console; use quit"; continue }
        if {[catch {pvm kill $t} message options]} {
            ::console::warn "kill: [::console::tidText $t]: [::console::errorWords [lindex [dict get $options -errorcode] 1]]"
        }
    }
}

proc mstat {args} {
    if {![llength $args]} { error "usage: mstat host ..." }
    foreach host $args {
        set status [pvm mstat $host]
        ::console::say [format "%24s  %s" $host [expr {$status eq "ok" ? "ok" : [::console::errorWords $status]}]]
    }
}

# names lists the mailbox as PVM's console does: "<name>:", a line per entry, a blank line.
proc names {{pattern *}} {
    foreach c [pvm mboxinfo $pattern] {
        ::console::say "<[dict get $c name]>:"
        foreach index [dict get $c indices] owner [dict get $c owners] flags [dict get $c flags] {
            ::console::say [format "\tindex=%d owner=0x%x/%d flags=0x%x" $index $owner $owner $flags]
        }
        ::console::say ""
    }
}

# put stores value (a string) in the mailbox under name, with flags (a number or names).
proc put {name value flags} {
    pvm putinfo $name -flags $flags -string $value
    return
}

proc pstat {args} {
    if {![llength $args]} { error "usage: pstat tid ..." }
    foreach w $args {
        set t [::console::parseTid $w]
        set s [pvm pstat $t]
        ::console::say [format "t%8x  %s" $t [expr {$s eq "ok" ? "run" : [::console::errorWords $s]}]]
    }
}

# flagText shows a task's flags as PVM's ps does: the bits in hex, then their letters.
proc ::console::flagText {flags} {
    set letters {}
    foreach {bit letter} {4 c 2 f 8 a} { if {$flags & $bit} { lappend letters $letter } }
    return [format %x/%s $flags [join $letters ,]]
}

# ps takes PVM's options: -a all hosts, -hDTID one host by daemon tid, -nNAME one host by
# name, -l long, -x the console too; and ours, -w (top). An unknown letter is reported and
# the listing goes on, as in PVM's console.
proc ps {args} {
    set all 0; set hostTid ""; set hostName ""; set withConsole 0; set long 0
    for {set i 0} {$i < [llength $args]} {incr i} {
        set word [lindex $args $i]
        if {[string index $word 0] ne "-"} { error "usage: ps ?-axlw? ?-hdtid? ?-nhost?" }
        foreach letter [split [string range $word 1 end] ""] {
            switch -- $letter {
                a { set all 1 }
                x { set withConsole 1 }
                l { set long 1 }
                w { return [top] }
                h - n {
                    # -hdtid or -h dtid, -nname or -n name
                    set rest [string range $word [expr {[string first $letter $word] + 1}] end]
                    if {$rest eq ""} { set rest [lindex $args [incr i]] }
                    if {$letter eq "h"} { set hostTid $rest } else { set hostName $rest }
                    break
                }
                default { ::console::warn "unknown flag -$letter" }
            }
        }
    }
    set hosts [::console::hosts]
    set where [pvm tidtohost mytid]
    if {$hostName ne ""} {
        set where ""
        dict for {dtid h} $hosts { if {[dict get $h name] eq $hostName} { set where $dtid } }
        if {$where eq ""} { error "unknown host $hostName" }
    } elseif {$hostTid ne ""} {
        # A daemon tid in hex, as conf shows it (or, ours, a host's name).
        set where ""
        dict for {dtid h} $hosts {
            if {[dict get $h name] eq $hostTid || ([string is xdigit -strict $hostTid] && $dtid == "0x$hostTid")} {
                set where $dtid
            }
        }
        if {$where eq ""} { error "unknown host $hostTid" }
    }
    set tasks [pvm tasks [expr {$all ? 0 : $where}]]
    ::console::psHeader $long
    set me [pvm mytid]
    foreach t [lsort -command {apply {{a b} { expr {[dict get $a tid] - [dict get $b tid]} }}} $tasks] {
        if {!$withConsole && [dict get $t tid] == $me} continue
        ::console::psRow $hosts $t $long
    }
}

proc ::console::psHeader {long} {
    if {$long} {
        say [format "%24s %8s %8s %6s %9s %s" HOST TID PTID PID "FLAG 0x" COMMAND]
    } else {
        say [format "%24s %8s %9s %s" HOST TID "FLAG 0x" COMMAND]
    }
}

# psRow prints task t (a dict of pvm tasks) as PVM's ps does; hosts from ::console::hosts.
proc ::console::psRow {hosts t long} {
    set tid [expr {[dict get $t tid] == [pvm mytid] ? "(cons)" : [format %x [dict get $t tid]]}]
    set command [format %-12s [expr {[dict get $t name] eq "" ? "-" : [dict get $t name]}]]
    set host [hostName $hosts [dict get $t host]]
    set flags [flagText [dict get $t flags]]
    if {$long} {
        set parent [dict get $t parent]
        set ptid [expr {$parent == 0 ? "-" : [format %x [expr {$parent & 0xffffffff}]]}]
        say [format "%24s %8s %8s %6d %9s %s" $host $tid $ptid [dict get $t pid] $flags $command]
    } else {
        say [format "%24s %8s %9s %s" $host $tid $flags $command]
    }
}

# reset returns once the tasks it killed are gone, so a ps after it shows none of them.
proc reset {} {
    set me [pvm mytid]
    set spared [pvm noresets]
    set others [lmap t [pvm tasks] { if {[dict get $t tid] == $me || [dict get $t tid] in $spared} continue
        dict get $t tid }]
    if {![llength $others]} return
    set ::console::resetLeft [llength $others]
    pvm notify exit $others -command {apply {{tid} { incr ::console::resetLeft -1 }}}
    pvm reset
    set timer [after 5000 {set ::console::resetLeft 0}]
    while {$::console::resetLeft > 0} { vwait ::console::resetLeft }
    after cancel $timer
}

proc setenv {args} {
    switch [llength $args] {
        0 { foreach name [lsort [array names ::env]] { ::console::say "$name=$::env($name)" } }
        1 {
            # As PVM's console: the value alone, nothing when it is not set.
            set name [lindex $args 0]
            if {[info exists ::env($name)]} { ::console::say $::env($name) }
        }
        default { set ::env([lindex $args 0]) [join [lrange $args 1 end]] }
    }
    return
}

# optionName is PVM's name of an option given as PvmRoute, Route or route.
proc ::console::optionName {word} {
    regsub -nocase {^pvm} $word "" bare
    foreach o $::console::options { if {[string equal -nocase $o $bare]} { return Pvm$o } }
    error "PVM Option \"$word\" Unknown."
}

proc setopt {option value} {
    set name [::console::optionName $option]
    set old [pvm getopt $name]
    pvm setopt $name $value
    ::console::say "$name Changed from $old to [pvm getopt $name]"
}

proc getopt {args} {
    if {[llength $args] > 1} { error "usage: getopt ?option?" }
    set names [expr {[llength $args] ? [list [::console::optionName [lindex $args 0]]] : \
        [lmap o $::console::options { set o Pvm$o }]}]
    foreach name $names { ::console::say "$name Currently Set to [pvm getopt $name]" }
}

proc sig {signal args} {
    if {![llength $args]} { error "usage: sig signum tid ..." }
    foreach w $args {
        set t [::console::parseTid $w]
        if {[catch {pvm sendsig $signal $t} message options]} {
            set code [lindex [dict get $options -errorcode] 1]
            if {$code ne "PvmNoTask"} { return -options $options $message }
            ::console::warn "sig: [::console::tidText $t]: [::console::errorWords $code]"
        }
    }
}

proc alias {args} {
    if {[llength $args] < 2} {
        # All of them, or the one named (nothing when there is none, as PVM's console).
        dict for {name script} $::console::aliases {
            if {![llength $args] || $name eq [lindex $args 0]} { ::console::say "$name\t$script" }
        }
        return
    }
    set name [lindex $args 0]
    dict set ::console::aliases $name [lrange $args 1 end]
    interp alias {} $name {} {*}[lrange $args 1 end]
    return
}

proc unalias {args} {
    foreach name $args {
        if {![dict exists $::console::aliases $name]} continue
        dict unset ::console::aliases $name
        interp alias {} $name {}
    }
}

proc version {} { ::console::say [pvm version] }

# Unknown words are not run as programs, as tclsh would do at its prompt.
set ::tcl_interactive 0
rename ::unknown ::console::tclUnknown
proc ::unknown {args} {
    # Tcl's own handler still loads procs and packages on demand (clock, msgcat, ...).
    if {[catch {uplevel 1 [list ::console::tclUnknown {*}$args]} result options]} {
        if {[string match "invalid command name *" $result]} {
            return -code error "unknown command \"[lindex $args 0]\": type help for the list"
        }
        return -options $options $result
    }
    return $result
}

# commandNames is what the line editor completes a first word from.
proc ::console::commandNames {} {
    lsort -unique [concat [dict keys $::console::help] [dict keys $::console::aliases] \
        [info commands] quit exit]
}
