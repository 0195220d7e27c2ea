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
    # PVM's console words for the errors a host or task command reports.
    variable words [dict create PvmDupHost "Duplicate host" PvmNoHost "No such host" \
        PvmCantStart "Can't start pvmd" PvmBadParam "Bad parameter" PvmHostFail "Host failed" \
        PvmNoTask "No such task" PvmOutOfRes "Out of resources" PvmNotImpl "Not implemented"]
    variable help [dict create \
        add      {add host ...                    Add hosts to the virtual machine (hostfile options allowed: "add {node2 sp=2000}")} \
        alias    {alias ?name command ...?        Define or list command aliases} \
        conf     {conf ?-s?                        List the hosts (-s: fastest first)} \
        delete   {delete host ...                 Delete hosts from the virtual machine} \
        echo     {echo ?word ...?                  Print the words} \
        export   {export ?name ...?                Add variables to PVM_EXPORT, the environment spawn passes on} \
        getopt   {getopt ?option?                  Show task options (Route, DebugMask, ...)} \
        halt     {halt                            Stop every task and pvmd, and leave} \
        help     {help ?command?                   This list, or more about one command} \
        id       {id                              Print the console's tid} \
        jobs     {jobs ?-wait?                     List the spawn -> jobs still running (-wait: until they end)} \
        kill     {kill ?-c? tid ...                Kill tasks (-c: their children too)} \
        mstat    {mstat host ...                  Show the status of hosts} \
        names    {names ?pattern?                 List the mailbox's entries (glob pattern)} \
        ps       {ps ?-a? ?-h host? ?-n name? ?-x? ?-l? ?-w?   List tasks (-a all hosts, -x with the console, -l long, -w live view)} \
        pstat    {pstat tid ...                   Show the status of tasks} \
        quit     {quit                            Leave the console; the machine keeps running} \
        reset    {reset                           Kill every task but the console} \
        setenv   {setenv ?name ?value??            Show or set environment variables} \
        setopt   {setopt option value             Set a task option of the console} \
        sig      {sig signum tid ...              Send a signal to tasks} \
        spawn    {spawn ?-N? ?-host? ?-ARCH? ?-?? ?->? ?->file? ?->>file? ?-@? ?-wd dir? program ?arg ...?   Start tasks} \
        top      {top ?seconds?                    Live view of hosts and tasks; q leaves} \
        trace    {trace ?all|none|+ call ...|- call ...?   The calls spawn -@ tasks report} \
        unalias  {unalias name ...                Remove aliases} \
        unexport {unexport name ...               Remove variables from PVM_EXPORT} \
        version  {version                         Show the PVM version}]
    variable details [dict create \
        spawn {Options, before the program name:
  -N        start N copies (e.g. -4)
  -host     start them on host (a name from conf), -ARCH on hosts of that arch
  -?        start them under the debugger (PvmTaskDebug)
  ->        show their output here, each line as [job:tid] text; "[job] finished" at the end
  ->file    write that output to file; ->>file appends
  -@        as ->, and the tasks report every PVM call they make (see trace) as
            [job:tid] trace: pvm_send() = 0
  -wd dir   start them in dir} \
        ps {Options: -a all hosts (default: this host), -h host (or -hhost), -n name, -x also the
console itself, -l long (parent tid and pid), -w live view (as top).} \
        kill {Tids are written as PVM prints them: t40002 or 40002 (hex).} \
        top {Every second (or the given interval): per host its speed, tasks, load (CPU the tasks
use, in cores) and messages per second through its daemon; per task its state, CPU
share, CPU time, memory and messages. q, Q or Esc leaves.}]
}

proc ::console::say {text} {
    if {[::console::interactive]} {
        ::console::print $text
    } else {
        puts $text
        flush stdout
    }
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
    ::console::say [format "%24s %8s" HOST STATUS]
    foreach host $args result $results {
        ::console::say [format "%24s %8s" $host [expr {$result == 0 ? "deleted" : [::console::errorWords $result]}]]
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

proc help {{command ""}} {
    set all [dict merge $::console::help [lmap {name script} $::console::aliases { list $name "alias for: $script" }]]
    if {$command eq ""} {
        ::console::say "Commands (each line is also Tcl: loops, variables, procs and source work):"
        foreach name [lsort [dict keys $::console::help]] {
            ::console::say "  [dict get $::console::help $name]"
        }
        return
    }
    if {[dict exists $::console::aliases $command]} {
        ::console::say "$command is an alias for: [dict get $::console::aliases $command]"
        return
    }
    if {![dict exists $::console::help $command]} { error "help: no command \"$command\"" }
    ::console::say "  [dict get $::console::help $command]"
    if {[dict exists $::console::details $command]} { ::console::say [dict get $::console::details $command] }
}

proc id {} { ::console::say [::console::tidText [pvm mytid]] }

proc jobs {args} {
    if {$args eq "-wait"} { ::console::waitJobs; return }
    if {[llength $args]} { error "usage: jobs ?-wait?" }
    ::console::say [format "%4s  %s" JOB TASKS]
    dict for {job info} $::console::jobs {
        ::console::say [format "%4d  %s" $job [join [lmap t [dict get $info tids] {::console::tidText $t}]]]
    }
}

proc kill {args} {
    set children 0
    if {[lindex $args 0] eq "-c"} { set children 1; set args [lrange $args 1 end] }
    if {![llength $args]} { error "usage: kill ?-c? tid ..." }
    set tids [lmap w $args { ::console::parseTid $w }]
    if {$children} {
        foreach t [pvm tasks] { if {[dict get $t parent] in $tids} { lappend tids [dict get $t tid] } }
    }
    foreach t $tids {
        if {$t == [pvm mytid]} { ::console::say "kill: [::console::tidText $t] is the console; use quit"; continue }
        if {[catch {pvm kill $t} message options]} {
            ::console::say "kill: [::console::tidText $t]: [::console::errorWords [lindex [dict get $options -errorcode] 1]]"
        }
    }
}

proc mstat {args} {
    if {![llength $args]} { error "usage: mstat host ..." }
    foreach host $args {
        if {[catch {pvm mstat $host} status options]} { set status [lindex [dict get $options -errorcode] 1] }
        ::console::say [format "%24s %s" $host [::console::errorWords $status]]
    }
}

# names lists the mailbox: one line per entry, as PVM's console does.
proc names {{pattern *}} {
    ::console::say [format "%-24s %5s %8s %s" NAME INDEX OWNER FLAGS]
    foreach c [pvm mboxinfo $pattern] {
        foreach index [dict get $c indices] owner [dict get $c owners] flags [dict get $c flags] {
            ::console::say [format "%-24s %5d %8s %#x" [dict get $c name] $index \
                [expr {$owner ? [::console::tidText $owner] : "-"}] $flags]
        }
    }
}

proc pstat {args} {
    if {![llength $args]} { error "usage: pstat tid ..." }
    foreach w $args {
        set t [::console::parseTid $w]
        if {[catch {pvm pstat $t} s options]} { set s [lindex [dict get $options -errorcode] 1] }
        ::console::say [format "%8s %s" [::console::tidText $t] [expr {$s eq "ok" ? "run" : [::console::errorWords $s]}]]
    }
}

proc ps {args} {
    set all 0; set host ""; set name ""; set withConsole 0; set long 0
    for {set i 0} {$i < [llength $args]} {incr i} {
        set word [lindex $args $i]
        if {[string index $word 0] ne "-"} { error "usage: ps ?-a? ?-h host? ?-n name? ?-x? ?-l? ?-w?" }
        foreach letter [split [string range $word 1 end] ""] {
            switch -- $letter {
                a { set all 1 }
                x { set withConsole 1 }
                l { set long 1 }
                w { return [top] }
                h - n {
                    # -hhost or -h host
                    set rest [string range $word [expr {[string first $letter $word] + 1}] end]
                    if {$rest eq ""} { set rest [lindex $args [incr i]] }
                    if {$letter eq "h"} { set host $rest } else { set name $rest }
                    break
                }
                default { error "ps: unknown option -$letter" }
            }
        }
    }
    set hosts [::console::hosts]
    set where [pvm tidtohost mytid]
    if {$host ne ""} {
        set where ""
        dict for {dtid h} $hosts { if {[dict get $h name] eq $host} { set where $dtid } }
        if {$where eq ""} { error "ps: no host \"$host\"" }
    }
    set tasks [pvm tasks [expr {$all ? 0 : $where}]]
    if {$long} {
        ::console::say [format "%24s %8s %8s %8s %6s %s" HOST TID PTID PID FLAG COMMAND]
    } else {
        ::console::say [format "%24s %8s %6s %s" HOST TID FLAG COMMAND]
    }
    foreach t [lsort -command {apply {{a b} { expr {[dict get $a tid] - [dict get $b tid]} }}} $tasks] {
        if {!$withConsole && [dict get $t tid] == [pvm mytid]} continue
        if {$name ne "" && [dict get $t name] ne $name} continue
        set command [expr {[dict get $t name] eq "" ? "-" : [dict get $t name]}]
        set hostName [::console::hostName $hosts [dict get $t host]]
        if {$long} {
            ::console::say [format "%24s %8x %8x %8d %6x %s" $hostName [dict get $t tid] \
                [expr {max([dict get $t parent], 0)}] [dict get $t pid] [dict get $t flags] $command]
        } else {
            ::console::say [format "%24s %8x %6x %s" $hostName [dict get $t tid] [dict get $t flags] $command]
        }
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
            set name [lindex $args 0]
            if {[info exists ::env($name)]} { ::console::say "$name=$::env($name)" } else { error "setenv: $name is not set" }
        }
        default { set ::env([lindex $args 0]) [join [lrange $args 1 end]] }
    }
    return
}

proc setopt {option value} { pvm setopt $option $value; return }

proc getopt {args} {
    if {[llength $args]} { ::console::say [pvm getopt [lindex $args 0]]; return }
    foreach o {Route DebugMask AutoErr OutputTid OutputCode TraceTid TraceCode FragSize ResvTids ShowTids NoReset} {
        ::console::say [format "%-12s %d" $o [pvm getopt $o]]
    }
}

proc sig {signal args} {
    if {![llength $args]} { error "usage: sig signum tid ..." }
    foreach w $args { pvm sendsig $signal [::console::parseTid $w] }
}

proc spawn {args} {
    set count 1; set where {}; set output ""; set debug 0; set wd ""; set traced 0
    set hosts [pvm config]
    while {[llength $args] && [string index [lindex $args 0] 0] eq "-"} {
        set word [lindex $args 0]
        set args [lrange $args 1 end]
        if {[regexp {^-([0-9]+)$} $word -> n]} {
            set count $n
        } elseif {$word eq "-?"} {
            set debug 1
        } elseif {$word eq "->"} {
            set output console
        } elseif {$word eq "-@"} {
            set output console
            set traced 1
        } elseif {[regexp {^-(>>?)(.+)$} $word -> mode file]} {
            set output [list file $file [expr {$mode eq ">>" ? "a" : "w"}]]
        } elseif {$word eq "-wd"} {
            set wd [lindex $args 0]
            set args [lrange $args 1 end]
        } elseif {[lsearch -exact [lmap h $hosts {dict get $h name}] [string range $word 1 end]] >= 0} {
            set where [list -host [string range $word 1 end]]
        } elseif {[lsearch -exact [lmap h $hosts {dict get $h arch}] [string range $word 1 end]] >= 0} {
            set where [list -arch [string range $word 1 end]]
        } else {
            error "spawn: \"$word\" is no option, host or arch (see help spawn)"
        }
    }
    if {![llength $args]} { error "usage: spawn ?options? program ?arg ...? (see help spawn)" }
    set options [list -count $count {*}$where]
    if {$debug} { lappend options -debug }
    if {$wd ne ""} { lappend options -wd $wd }
    if {$output eq ""} {
        set tids [pvm spawn {*}$options -- {*}$args]
        ::console::say "[llength $tids] successful"
        foreach t $tids { ::console::say [::console::tidText $t] }
        return
    }
    set job $::console::nextJob
    incr ::console::nextJob
    set channel ""
    if {[lindex $output 0] eq "file"} { set channel [open [lindex $output 1] [lindex $output 2]] }
    ::console::say "\[$job\]"
    if {$traced} { lappend options -trace [list ::console::jobTrace $job] }
    if {[catch {pvm spawn {*}$options -output [list ::console::jobLine $job] \
                    -outputend [list ::console::jobEnd $job] -- {*}$args} tids]} {
        if {$channel ne ""} { close $channel }
        return -code error $tids
    }
    dict set ::console::jobs $job [dict create tids $tids channel $channel]
    ::console::say "[llength $tids] successful"
    foreach t $tids { ::console::say [::console::tidText $t] }
}

proc ::console::jobLine {job tid line} {
    set text "\[$job:[tidText $tid]\] $line"
    if {![dict exists $::console::jobs $job]} { say $text; return }
    # A task's children write here too: they belong to the job until their output ends.
    if {$line ne "EOF" && $tid ni [dict get $::console::jobs $job tids]} {
        dict lappend ::console::jobs $job tids $tid
    }
    set channel [dict get $::console::jobs $job channel]
    if {$channel ne ""} { puts $channel $text; flush $channel } else { say $text }
}

proc ::console::jobTrace {job tid call} {
    say "\[$job:[tidText $tid]\] trace: $call"
}

proc ::console::jobEnd {job tid} {
    jobLine $job $tid EOF
    if {![dict exists $::console::jobs $job]} return
    dict set ::console::jobs $job tids [lsearch -all -inline -not -exact [dict get $::console::jobs $job tids] $tid]
    if {[llength [dict get $::console::jobs $job tids]]} return
    set channel [dict get $::console::jobs $job channel]
    if {$channel ne ""} { close $channel }
    dict unset ::console::jobs $job
    say "\[$job\] finished"
    set ::console::jobsChanged 1
}

# waitJobs lets the spawn -> jobs finish, for a console whose input has ended.
proc ::console::waitJobs {} {
    while {[dict size $::console::jobs]} { vwait ::console::jobsChanged }
}

# trace sets the calls that tasks started with spawn -@ report; it is also a Tcl command,
# whose own forms keep working.
rename ::trace ::console::tclTrace
proc trace {args} {
    if {[lindex $args 0] in {add remove info variable vdelete vinfo}} {
        tailcall ::console::tclTrace {*}$args
    }
    set calls [pvm tracemask child]
    switch -- [lindex $args 0] {
        "" {
            ::console::say "spawn -@ traces [llength $calls] calls: [join $calls]"
            return
        }
        all - none { set calls [expr {[lindex $args 0] eq "all" ? "all" : {}}] }
        + { foreach c [lrange $args 1 end] { lappend calls $c } }
        - {
            set drop [lmap c [lrange $args 1 end] { expr {[string match pvm_* $c] ? $c : "pvm_$c"} }]
            set calls [lmap c $calls { if {$c in $drop} continue; set c }]
        }
        default { error "usage: trace ?all|none|+ call ...|- call ...?" }
    }
    pvm tracemask child $calls
    return
}

proc alias {args} {
    if {![llength $args]} {
        dict for {name script} $::console::aliases { ::console::say "$name\t$script" }
        return
    }
    if {[llength $args] < 2} { error "usage: alias name command ?word ...?" }
    set name [lindex $args 0]
    dict set ::console::aliases $name [lrange $args 1 end]
    interp alias {} $name {} {*}[lrange $args 1 end]
    return
}

proc unalias {args} {
    foreach name $args {
        if {![dict exists $::console::aliases $name]} { error "unalias: no alias \"$name\"" }
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
