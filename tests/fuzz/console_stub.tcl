# console_stub.tcl - what fuzz_console_line runs after the console's own script (console/*.tcl):
# a `pvm` command that answers as a small virtual machine would, with no pvmd behind it; the
# events that machine would send (job output, task exits) delivered when the console waits for
# them; and ::fuzz::run, which runs the words of one command if they name a console command.
# Nothing may reach outside the process: spawn ->file writes to /dev/null, puts goes nowhere,
# and exit, exec, socket and cd fail.

namespace eval ::fuzz {
    variable hosts [list \
        [dict create tid 262144 name master arch LINUX64 speed 1000 dsig 4259913] \
        [dict create tid 524288 name node2 arch LINUX64 speed 2000 dsig 4259913] \
        [dict create tid 786432 name node3 arch SUN4 speed 500 dsig 1077952576]]
    variable firstTasks [list \
        [dict create tid 262145 parent 0 host 262144 name "" pid 100 flags 4 cpu 0.1 rss 2048 sent 0 received 0] \
        [dict create tid 262146 parent 0 host 262144 name master1 pid 101 flags 6 cpu 1.5 rss 4096 sent 10 \
            received 4] \
        [dict create tid 524289 parent 262146 host 524288 name slave1 pid 200 flags 12 cpu 0.5 rss 1024 sent 3 \
            received 9]]
    variable traceable {pvm_addhosts pvm_bufinfo pvm_config pvm_exit pvm_initsend pvm_kill pvm_mcast pvm_mytid
        pvm_parent pvm_pkint pvm_pkstr pvm_recv pvm_send pvm_spawn pvm_upkint pvm_upkstr}
    # The console's commands (console.tcl, jobs.tcl, help.tcl, top.tcl); other words are Tcl's.
    variable commands {add alias conf delete echo export getopt halt help id jobs kill mstat names ps pstat
        put quit reset setenv setopt sig spawn top trace unalias unexport version}
    variable environment [lsort -stride 2 [array get ::env]]

    # What one input changes, put back by ::fuzz::reset.
    variable tasks $firstTasks
    variable mask {}
    variable options {}
    variable pending {}  ;# scripts the machine runs when the console waits (vwait)
    variable nextTid 262200
}

proc ::fuzz::fail {name code message} {
    return -code error -errorcode [list PVM $name $code] "pvm $message"
}

# tid reads a tid as the package does: an integer > 0, t<hex>, or mytid.
proc ::fuzz::tid {word} {
    if {$word eq "mytid"} { return 262145 }
    if {[regexp {^t([0-9a-fA-F]{1,8})$} $word -> hex] && "0x$hex" > 0 && "0x$hex" <= 0x7fffffff} {
        return [expr {"0x$hex"}]
    }
    if {[string is integer -strict $word] && $word > 0} { return [expr {$word}] }
    fail PvmBadParam -2 "expected a tid (an integer, t<hex>, mytid or parent) but got \"$word\""
}

proc ::fuzz::task {tid} {
    foreach t $::fuzz::tasks { if {[dict get $t tid] == $tid} { return $t } }
    return {}
}

proc ::fuzz::host {name} {
    foreach h $::fuzz::hosts { if {[dict get $h name] eq $name} { return $h } }
    return {}
}

# spawn reads the options of `pvm spawn` (tcl-binding/src/tasks.cpp) and starts nothing: the
# tids it returns write a line each, end their output, and the job is done, when the console
# next waits.
proc ::fuzz::spawn {words} {
    set o [dict create -count 1 -host "" -arch ""]
    while {[llength $words] && [string index [lindex $words 0] 0] eq "-"} {
        set words [lassign $words word]
        if {$word eq "--"} break
        if {$word in {-debug -noparent}} continue
        if {$word ni {-host -arch -count -wd -output -outputend -outputdone -trace}} {
            fail PvmBadParam -2 "spawn: bad option \"$word\""
        }
        if {![llength $words]} { fail PvmBadParam -2 "spawn: $word needs a value" }
        set words [lassign $words value]
        dict set o $word $value
    }
    set count [dict get $o -count]
    if {![string is integer -strict $count] || $count < 1} {
        fail PvmBadParam -2 "spawn: -count wants a positive integer"
    }
    if {![llength $words]} { fail PvmBadParam -2 "wrong # args: should be \"pvm spawn ... program ?arg ...?\"" }
    if {[dict get $o -host] ne "" && [dict get $o -arch] ne ""} { fail PvmBadParam -2 "spawn: -host or -arch" }
    # The daemon's limit (pvmd/daemon_spawn.cpp).
    if {$count > 4096} { fail PvmBadParam -2 "spawn: task count $count" }
    set host [dict get $o -host]
    if {$host ne "" && [host $host] eq ""} { fail PvmNoHost -6 "spawn: cannot start: No such host" }
    if {[lindex $words 0] eq "missing"} { fail PvmNoFile -7 "spawn: cannot start missing: No such file" }
    set tids {}
    for {set i 0} {$i < min($count, 8)} {incr i} {
        set tid [incr ::fuzz::nextTid]
        lappend tids $tid
        lappend ::fuzz::tasks [dict create tid $tid parent 0 host 524288 name [lindex $words 0] pid $tid \
            flags 4 cpu 0.0 rss 512 sent 0 received 0]
        if {[dict exists $o -trace]} {
            lappend ::fuzz::pending [list {*}[dict get $o -trace] $tid "pvm_mytid() = t[format %x $tid]"]
        }
        if {[dict exists $o -output]} {
            lappend ::fuzz::pending [list {*}[dict get $o -output] $tid "hello from [lindex $words 0]"]
            if {[dict exists $o -outputend]} { lappend ::fuzz::pending [list {*}[dict get $o -outputend] $tid] }
        }
    }
    if {[dict exists $o -outputdone]} { lappend ::fuzz::pending [dict get $o -outputdone] }
    return $tids
}

proc ::pvm {subcommand args} {
    switch -- $subcommand {
        config { return $::fuzz::hosts }
        mytid { return 262145 }
        version { return 3.4.6 }
        tidtohost { return [expr {[::fuzz::tid [lindex $args 0]] & ~0x3ffff}] }
        tasks {
            # All of them, a host's (a daemon tid), or one task.
            set where [expr {[llength $args] && [lindex $args 0] ne "0" ? [::fuzz::tid [lindex $args 0]] : 0}]
            if {$where == 0} { return $::fuzz::tasks }
            set key [expr {$where & 0x3ffff ? "tid" : "host"}]
            return [lmap t $::fuzz::tasks { if {[dict get $t $key] != $where} continue; set t }]
        }
        addhosts {
            set dtid 1048576
            return [lmap spec $args {
                expr {[::fuzz::host [lindex $spec 0]] ne "" ? "PvmDupHost" : [incr dtid 262144]}
            }]
        }
        delhosts { return [lmap name $args { expr {[::fuzz::host $name] ne "" ? 0 : "PvmNoHost"} }] }
        mstat { return [expr {[::fuzz::host [lindex $args 0]] ne "" ? "ok" : "PvmNoHost"}] }
        pstat { return [expr {[::fuzz::task [::fuzz::tid [lindex $args 0]]] ne "" ? "ok" : "PvmNoTask"}] }
        kill {
            foreach word $args {
                if {[::fuzz::task [::fuzz::tid $word]] eq ""} { ::fuzz::fail PvmNoTask -31 "kill: No such task" }
            }
        }
        sendsig {
            lassign $args signal tid
            if {![string is integer -strict $signal]} { ::fuzz::fail PvmBadParam -2 "sendsig: bad signal" }
            if {[::fuzz::task [::fuzz::tid $tid]] eq ""} { ::fuzz::fail PvmNoTask -31 "sendsig: No such task" }
        }
        getopt {
            set name [lindex $args 0]
            if {![string match Pvm* $name]} { ::fuzz::fail PvmBadParam -2 "getopt: unknown option" }
            return [expr {[dict exists $::fuzz::options $name] ? [dict get $::fuzz::options $name] : 0}]
        }
        setopt {
            lassign $args name value
            if {![string is integer -strict $value]} { ::fuzz::fail PvmBadParam -2 "setopt: bad value" }
            dict set ::fuzz::options $name [expr {$value}]
            return
        }
        tracemask {
            if {[llength $args] == 2} {
                set calls [lindex $args 1]
                if {"all" in $calls} { set calls $::fuzz::traceable }
                foreach c $calls {
                    if {$c ni $::fuzz::traceable && "pvm_$c" ni $::fuzz::traceable} {
                        ::fuzz::fail PvmBadParam -2 "tracemask: no PVM call named $c"
                    }
                }
                set ::fuzz::mask [lsort -unique [lmap c $calls { expr {[string match pvm_* $c] ? $c : "pvm_$c"} }]]
            }
            return $::fuzz::mask
        }
        spawn { return [::fuzz::spawn $args] }
        mboxinfo {
            return [list [dict create name [lindex $args 0] indices {0 1} owners {262146 524289} flags {1 0}]]
        }
        putinfo {
            foreach flag [dict get [lrange $args 1 2] -flags] {
                if {![string is integer -strict $flag] && $flag ni {persistent multiinstance overwritable}} {
                    ::fuzz::fail PvmBadParam -2 "putinfo: unknown mailbox flag \"$flag\""
                }
            }
            return 0
        }
        notify {
            lassign $args what tids option command
            foreach tid $tids { lappend ::fuzz::pending [list {*}$command $tid] }
        }
        noresets { return {} }
        halt - reset { return }
        default { ::fuzz::fail PvmBadParam -2 "unknown subcommand \"$subcommand\"" }
    }
}

# vwait: the console waits only for PVM's events (job output, task exits); run those the
# machine has for it, or fail as a newer Tcl does when nothing could ever set the variable.
rename ::vwait ::fuzz::vwait
proc ::vwait {name} {
    if {![llength $::fuzz::pending]} { error "can't wait for variable \"$name\": would wait forever" }
    set scripts $::fuzz::pending
    set ::fuzz::pending {}
    foreach script $scripts { uplevel #0 $script }
}

# The console's output would flood the fuzzer's: puts and the terminal's commands say nothing.
rename ::puts ::fuzz::puts
proc ::puts {args} {
    if {[llength $args] < 1 || [llength $args] > 3} {
        error "wrong # args: should be \"puts ?-nonewline? ?channelId? string\""
    }
}

# spawn ->file and -@file open a file the line names: /dev/null instead.
rename ::open ::fuzz::open
proc ::open {name args} {
    if {[info level] > 1 && [namespace which [lindex [info level -1] 0]] eq "::spawn"} { set name /dev/null }
    tailcall ::fuzz::open $name {*}$args
}

foreach command {exit exec socket cd} {
    rename ::$command {}
    proc ::$command {args} "error {$command: not from the fuzzer}"
}

# run runs the words of one command (substitutions left as typed) if they name a console
# command. Left out: Tcl's own forms of trace (they attach scripts to commands), and aliases
# named as a command that exists or may be loaded later (an alias replaces the command).
proc ::fuzz::run {words} {
    variable commands
    set name [lindex $words 0]
    if {$name ni $commands} return
    if {$name eq "trace" && [lindex $words 1] in {add remove info variable vdelete vinfo}} return
    if {$name eq "alias" && [llength $words] > 2 && (![regexp {^[A-Za-z][A-Za-z0-9_]*$} [lindex $words 1]] ||
        [uplevel #0 [list namespace which -command [lindex $words 1]]] ne "" ||
        [info exists ::auto_index([lindex $words 1])])} return
    catch {uplevel #0 $words}
}

# reset puts back what an input changed, so that each one starts from the same console.
proc ::fuzz::reset {} {
    foreach name [dict keys $::console::aliases] { catch {interp alias {} $name {}} }
    set ::console::aliases [dict create]
    dict for {job info} $::console::jobs {
        if {[dict get $info channel] ne ""} { catch {close [dict get $info channel]} }
    }
    set ::console::jobs [dict create]
    set ::console::nextJob 1
    set ::console::done ""
    set ::console::sample [dict create]
    foreach id [after info] { after cancel $id }
    if {[lsort -stride 2 [array get ::env]] ne $::fuzz::environment} {
        array unset ::env
        array set ::env $::fuzz::environment
    }
    set ::fuzz::tasks $::fuzz::firstTasks
    set ::fuzz::mask {}
    set ::fuzz::options {}
    set ::fuzz::pending {}
    set ::fuzz::nextTid 262200
}

# Load now what Tcl loads on first use (clock's script and the local time zone, msgcat), while
# open still opens files, and before an alias could take the name of one of its commands.
clock format [clock seconds] -format %H:%M:%S
auto_load_index
