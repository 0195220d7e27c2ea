#!/usr/bin/env wish
# monitor.tcl - a Tk window on the virtual machine: its hosts (name, arch, speed, how
# many tasks run there) and its tasks (tid, host, program, pid, parent), kept current
# from PVM's own events.
#
#   wish monitor.tcl ?-snapshot FILE?
#       -snapshot FILE  for the test (tcl-binding/tests/run-monitor.sh): print what the
#                       lists show, draw the window, create FILE, and exit once the test
#                       has taken its screenshot and deleted FILE (at most 10 s later).
#
# Needs the package pvm (TCLLIBPATH=<build>/tcl-binding, or installed) and a running pvmd.
package require Tk
package require pvm

set snapshot ""
if {[llength $argv] == 2 && [lindex $argv 0] eq "-snapshot"} {
    set snapshot [lindex $argv 1]
} elseif {[llength $argv] != 0} {
    puts stderr "usage: wish monitor.tcl ?-snapshot FILE?"
    exit 2
}

set timer ""        ;# the next periodic refresh
set pending ""      ;# a refresh asked for by a PVM callback
set enrolled 0      ;# whether our callbacks are set up with the current pvmd
array set watchedTasks {}  ;# tid -> 1 once `pvm notify exit` is set for it
array set watchedHosts {}  ;# daemon tid -> 1 once `pvm notify hostdelete` is set for it

# --- the window
wm title . "PVM monitor"
ttk::frame .top -padding 6
ttk::label .top.hostsLabel -text Hosts
ttk::treeview .top.hosts -columns {name arch speed ntasks} -show headings -height 4 -selectmode none
ttk::label .top.tasksLabel -text Tasks
ttk::treeview .top.tasks -columns {tid host program pid parent} -show headings -height 8 \
    -yscrollcommand {.top.scroll set}
ttk::scrollbar .top.scroll -command {.top.tasks yview}
foreach {tree column title width} {
    hosts name Host 160  hosts arch Arch 90  hosts speed Speed 70  hosts ntasks Tasks 60
    tasks tid TID 80  tasks host Host 130  tasks program Program 130  tasks pid PID 70
    tasks parent Parent 80
} {
    .top.$tree heading $column -text $title -anchor w
    .top.$tree column $column -width $width -anchor w
}
ttk::frame .bar -padding {6 0 6 6}
ttk::label .bar.status -text "reading the machine..." -anchor w
ttk::button .bar.refresh -text Refresh -command refresh
ttk::button .bar.quit -text Quit -command quit
grid .top.hostsLabel - -sticky w
grid .top.hosts - -sticky nsew -pady {0 6}
grid .top.tasksLabel - -sticky w
grid .top.tasks .top.scroll -sticky nsew
grid columnconfigure .top 0 -weight 1
grid rowconfigure .top 3 -weight 1
pack .bar.quit .bar.refresh -side right -padx {4 0}
pack .bar.status -side left -fill x -expand 1
pack .bar -side bottom -fill x
pack .top -side top -fill both -expand 1
wm protocol . WM_DELETE_WINDOW quit

# A callback that fails (e.g. the pvmd has gone) belongs in the status line, not in
# Tk's modal error dialog, which would stop a window that is meant to be left open.
interp bgerror {} {apply {{message options} { .bar.status configure -text "error: $message" }}}

proc tidText {tid} { format t%x $tid }
proc plural {n word} { expr {$n == 1 ? "$n $word" : "$n ${word}s"} }

# fill replaces a list's rows ({id values ...}) but keeps what the user had selected.
proc fill {tree rows} {
    set selected [$tree selection]
    $tree delete [$tree children {}]
    foreach {id values} $rows { $tree insert {} end -id $id -values $values }
    $tree selection set [lmap id $selected {expr {[$tree exists $id] ? $id : [continue]}}]
}

# refresh reads the machine and redraws both lists; false when PVM failed.
proc refresh {} {
    global timer pending enrolled watchedTasks watchedHosts
    after cancel $timer
    after cancel $pending
    set pending ""
    # PVM has an event for a task that ends and a host that comes or goes, but none for a
    # task that is spawned: only polling (every 2 s) shows new tasks.
    set timer [after 2000 refresh]
    if {[catch {
        if {!$enrolled} {
            pvm notify hostadd -command hostsAdded
            set enrolled 1
        }
        set hosts [pvm config]
        set tasks [pvm tasks]
        set me [pvm mytid]
    } message]} {
        # Leave the machine: our callbacks can never fire now, and leaving drops them (a
        # callback left on a dead pvmd's socket makes the package spin the event loop).
        # The next refresh enrolls afresh once a pvmd runs again.
        catch {pvm exit}
        set enrolled 0
        array unset watchedTasks
        array unset watchedHosts
        .bar.status configure -text "pvm: $message"
        return 0
    }
    foreach h $hosts {
        set nameOf([dict get $h tid]) [dict get $h name]
        set count([dict get $h tid]) 0
    }
    set taskRows {}
    foreach t $tasks {
        dict with t {
            incr count($host)
            set hostName [expr {[info exists nameOf($host)] ? $nameOf($host) : [tidText $host]}]
            lappend taskRows $tid [list [tidText $tid] $hostName $name $pid \
                                       [expr {$parent > 0 ? [tidText $parent] : "-"}]]
            # Each task is watched once; its exit callback forgets it. Our own exit
            # would come too late to show.
            if {$tid != $me && ![info exists watchedTasks($tid)]} {
                set watchedTasks($tid) 1
                catch {pvm notify exit $tid -command taskExited}
            }
        }
    }
    set hostRows {}
    foreach h $hosts {
        dict with h {
            lappend hostRows $tid [list $name $arch $speed $count($tid)]
            if {![info exists watchedHosts($tid)]} {
                set watchedHosts($tid) 1
                catch {pvm notify hostdelete $name -command hostDeleted}
            }
        }
    }
    fill .top.hosts $hostRows
    fill .top.tasks $taskRows
    .bar.status configure -text "[plural [llength $hosts] host], [plural [llength $tasks] task],\
        updated [clock format [clock seconds] -format %H:%M:%S]"
    return 1
}

# soon refreshes once the event loop is idle: several tasks that end together (say a
# whole job being killed) cost one refresh, not one each.
proc soon {} {
    if {$::pending eq ""} { set ::pending [after idle refresh] }
}
proc taskExited {tid} { unset -nocomplain ::watchedTasks($tid); soon }
proc hostDeleted {hostTid} { unset -nocomplain ::watchedHosts($hostTid); soon }
proc hostsAdded {hostTids} { soon }

proc quit {} {
    catch {pvm exit}
    exit 0
}

# printSnapshot prints what the lists show, read back from the widgets themselves.
proc printSnapshot {} {
    foreach id [.top.hosts children {}] {
        lassign [.top.hosts item $id -values] name arch speed ntasks
        puts "host $name $arch $speed $ntasks"
    }
    foreach id [.top.tasks children {}] {
        lassign [.top.tasks item $id -values] tid host program
        puts "task $tid $host $program"
    }
    puts snapshot
    flush stdout
}

# Bound before the first `update`: `tkwait visibility` on a window that has already
# become visible would wait for an event that never comes again.
bind . <Visibility> {set ::visible 1}
set ok [refresh]
if {$snapshot eq ""} {
    # Not `return`: under tclsh + `package require Tk` that would end the program.
    tkwait window .
    quit
}
if {!$ok} {
    puts stderr "monitor.tcl: [.bar.status cget -text]"
    exit 1
}
update
printSnapshot
if {![info exists ::visible]} {
    after 10000 {set ::visible timeout}
    vwait ::visible
}
# `update` syncs with the X server, so the framebuffer holds the drawn window when the
# marker appears. The wait below blocks the event loop on purpose: no refresh may change
# the window while the test copies the screen.
update idletasks
update
close [open $snapshot w]
set deadline [expr {[clock milliseconds] + 10000}]
while {[file exists $snapshot] && [clock milliseconds] < $deadline} { after 100 }
quit
