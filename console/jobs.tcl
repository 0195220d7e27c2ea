# jobs.tcl - the console's spawn, its `->` jobs and the trace mask of `spawn -@`. Part of the
# console's script: console/CMakeLists.txt joins it to console.tcl.

# spawnOptions reads spawn's options as PVM's console does: -N, -host, -ARCH (with :dir),
# -:dir, -?, ->, ->file, ->>file, -@, -@file; and ours, -wd dir. A word that is neither a count nor
# an output option names a host or an architecture; an unknown one is tried as a host, so
# the spawn says "No such host" as PVM's console does.
proc ::console::spawnOptions {argsName} {
    upvar 1 $argsName args
    set o [dict create count 1 where {} output "" debug 0 wd "" traced 0]
    set hosts [pvm config]
    while {[llength $args] && [string index [lindex $args 0] 0] eq "-"} {
        set word [lindex $args 0]
        set args [lrange $args 1 end]
        if {[regexp {^-([0-9]+)$} $word -> n]} {
            dict set o count [scan $n %d]
        } elseif {$word eq "-?"} {
            dict set o debug 1
        } elseif {$word eq "->"} {
            dict set o output console
        } elseif {$word eq "-@"} {
            dict set o output console
            dict set o traced 1
        } elseif {[regexp {^-(>>?)(.+)$} $word -> mode file]} {
            dict set o output [list file $file [expr {$mode eq ">>" ? "a" : "w"}]]
        } elseif {[regexp {^-@(.+)$} $word -> file]} {
            dict set o output [list file $file w]
            dict set o traced 1
        } elseif {$word eq "-wd"} {
            dict set o wd [lindex $args 0]
            set args [lrange $args 1 end]
        } elseif {$word eq "-"} {
            error "spawn: \"-\" needs a count, host or arch (see help spawn)"
        } else {
            set place [string range $word 1 end]
            if {[regexp {^([^:]*):(.+)$} $place -> place dir]} { dict set o wd $dir }
            if {$place eq ""} continue
            set kind -host
            if {$place ni [lmap h $hosts {dict get $h name}] && $place in [lmap h $hosts {dict get $h arch}]} {
                set kind -arch
            }
            dict set o where [list $kind $place]
        }
    }
    return $o
}

proc spawn {args} {
    set o [::console::spawnOptions args]
    if {![llength $args]} { error "usage: spawn ?options? program ?arg ...? (see help spawn)" }
    # As PVM's console: what it spawns has no parent (PvmNoSpawnParent), yet its output comes here.
    set options [list -count [dict get $o count] -noparent {*}[dict get $o where]]
    if {[dict get $o debug]} { lappend options -debug }
    if {[dict get $o wd] ne ""} { lappend options -wd [dict get $o wd] }
    set output [dict get $o output]
    set job ""
    set channel ""
    if {$output ne ""} {
        set job $::console::nextJob
        incr ::console::nextJob
        ::console::say "\[$job\]"
        if {[lindex $output 0] eq "file"} { set channel [open [lindex $output 1] [lindex $output 2]] }
        if {[dict get $o traced]} { lappend options -trace [list ::console::jobTrace $job] }
        lappend options -output [list ::console::jobLine $job] -outputend [list ::console::jobEnd $job] \
            -outputdone [list ::console::jobDone $job]
        # The callbacks may run as soon as the spawn returns: the job is there before.
        dict set ::console::jobs $job [dict create tids {} channel $channel]
    }
    if {[catch {pvm spawn {*}$options -- {*}$args} tids errorOptions]} {
        if {$job ne ""} {
            if {$channel ne ""} { close $channel }
            dict unset ::console::jobs $job
        }
        set code [lindex [dict get $errorOptions -errorcode] 1]
        if {$code ni {PvmNoFile PvmNoHost PvmNoSuchBuf PvmOutOfRes PvmCantStart PvmSysErr PvmNoMem PvmHostFail}} {
            return -options $errorOptions $tids
        }
        # As PVM's console: nothing started, and why, once for each copy asked for.
        ::console::say "0 successful"
        for {set i 0} {$i < [dict get $o count]} {incr i} { ::console::say [::console::errorWords $code] }
        return
    }
    if {$job ne ""} { foreach t $tids { ::console::jobAdd $job $t } }
    ::console::say "[llength $tids] successful"
    foreach t $tids { ::console::say [::console::tidText $t] }
}

proc ::console::jobLine {job tid line} {
    set text "\[$job:[tidText $tid]\] $line"
    if {![dict exists $::console::jobs $job]} { say $text; return }
    # A task's children write here too: they belong to the job until their output ends.
    if {$line ne "EOF"} { jobAdd $job $tid }
    set channel [dict get $::console::jobs $job channel]
    if {$channel ne ""} { puts $channel $text; flush $channel } else { say $text }
}

# jobAdd counts tid as one of job's tasks (dict lappend would take "tids" for a value).
proc ::console::jobAdd {job tid} {
    set tids [dict get $::console::jobs $job tids]
    if {$tid ni $tids} { dict set ::console::jobs $job tids [linsert $tids end $tid] }
}

proc ::console::jobTrace {job tid call} {
    set text "\[$job:[tidText $tid]\] trace: $call"
    if {[dict exists $::console::jobs $job] && [set channel [dict get $::console::jobs $job channel]] ne ""} {
        puts $channel $text
        flush $channel
    } else {
        say $text
    }
}

proc ::console::jobEnd {job tid} {
    jobLine $job $tid EOF
    if {[dict exists $::console::jobs $job]} {
        dict set ::console::jobs $job tids [lsearch -all -inline -not -exact [dict get $::console::jobs $job tids] $tid]
    }
}

# jobDone: the output of the job's tasks and of all their children has ended.
proc ::console::jobDone {job} {
    if {![dict exists $::console::jobs $job]} return
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

# jobs lists the jobs as PVM's console does: " 1: t40002 t40003"; with -l, a ps line for each
# of their tasks under the job's number.
proc jobs {args} {
    if {$args eq "-wait"} { ::console::waitJobs; return }
    if {$args ni {{} -l}} { error "usage: jobs ?-l? ?-wait?" }
    if {$args eq "-l"} {
        set hosts [::console::hosts]
        set tasks [dict create]
        foreach t [pvm tasks 0] { dict set tasks [dict get $t tid] $t }
        ::console::psHeader 0
    }
    dict for {job info} $::console::jobs {
        if {$args eq "-l"} {
            ::console::say [format "%2d:" $job]
            foreach tid [dict get $info tids] {
                if {[dict exists $tasks $tid]} { ::console::psRow $hosts [dict get $tasks $tid] 0 }
            }
        } else {
            ::console::say [format "%2d:%s" $job [join [lmap t [dict get $info tids] {format " %s" [::console::tidText $t]}] ""]]
        }
    }
}

# trace sets the calls that tasks started with spawn -@ report; it is also a Tcl command,
# whose own forms keep working. Without arguments it shows every call that can be traced,
# marked with * when it is, in PVM's console's four columns.
rename ::trace ::console::tclTrace
proc trace {args} {
    if {[lindex $args 0] in {add remove info variable vdelete vinfo}} {
        tailcall ::console::tclTrace {*}$args
    }
    set calls [pvm tracemask child]
    set every [::console::traceableCalls]
    if {![llength $args]} { return [::console::showTrace $every $calls] }
    set op +
    if {[lindex $args 0] in {+ -}} {
        set op [lindex $args 0]
        set args [lrange $args 1 end]
    }
    if {$args eq "none"} { set op -; set args * }
    set named {}
    foreach word $args {
        if {$word in {* all}} { lappend named {*}$every; continue }
        set name [expr {[string match pvm_* $word] ? $word : "pvm_$word"}]
        if {$name ni $every} { error "trace: no such call \"$word\"" }
        lappend named $name
    }
    if {$op eq "+"} {
        set calls [lsort -unique [concat $calls $named]]
    } else {
        set calls [lmap c $calls { if {$c in $named} continue; set c }]
    }
    pvm tracemask child $calls
    return
}

# traceableCalls: every call name the trace mask knows, asked of the package once.
proc ::console::traceableCalls {} {
    variable traceable
    if {![info exists traceable]} {
        set saved [pvm tracemask child]
        pvm tracemask child all
        set traceable [pvm tracemask child]
        pvm tracemask child $saved
    }
    return $traceable
}

proc ::console::showTrace {every calls} {
    set names [lsort $every]
    set rows [expr {([llength $names] + 3) / 4}]
    for {set r 0} {$r < $rows} {incr r} {
        set cells {}
        for {set c 0} {$c < 4} {incr c} {
            set name [lindex $names [expr {$c * $rows + $r}]]
            if {$name eq ""} continue
            lappend cells [format "%s%-15s" [expr {$name in $calls ? " * " : "   "}] [string range $name 4 end]]
        }
        say [join $cells " "]
    }
}
