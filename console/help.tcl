# help.tcl - the console's help: `help` lists the commands, `help command` shows one. The
# layout is PVM's console's (a line "name  what it does", then "Syntax:" and the options), so
# a script that reads one reads the other; the words are ours. Part of the console's script:
# console/CMakeLists.txt joins it to console.tcl.

namespace eval ::console {
    # name -> {what it does} {syntax line ...} {more lines ...}
    variable help [dict create \
        add      {{Add hosts to the virtual machine}
                  {add host ...} {or     add {host option=value ...} ...}
                  {(Host options as in a hostfile: see man pvmd3.)}} \
        alias    {{Define or list command aliases} {alias [ name command args ... ]} {}} \
        conf     {{List the hosts of the virtual machine} {conf [ -s ]} {Options:  -s   fastest first}} \
        delete   {{Delete hosts from the virtual machine} {delete host ...} {}} \
        echo     {{Print the arguments} {echo [ word ... ]} {}} \
        export   {{Add variables to PVM_EXPORT, the environment spawn passes on} {export [ name ... ]} {}} \
        getopt   {{Show the console task's PVM options} {getopt [ option ]} {}} \
        halt     {{Stop every task and pvmd, and leave} {halt} {}} \
        help     {{Show help about a command} {help [ command ]} {}} \
        id       {{Show the console's task id} {id} {}} \
        jobs     {{List the spawn -> jobs that still run} {jobs [ -l ] [ -wait ]}
                  {Options:  -l      long: a ps line for each of their tasks
          -wait   until they have ended}} \
        kill     {{Kill tasks} {kill [ -c ] tid ...} {Options:  -c   their children, not them}} \
        mstat    {{Show the status of hosts} {mstat host ...} {}} \
        names    {{List the entries of the message mailbox} {names [ pattern ]} {}} \
        ps       {{List tasks}
                  {ps [ -axlw ] [ -hdtid ] [ -nhost ]}
                  {Options:  -a       tasks of every host (default: this host)
          -hdtid   tasks of the host with this daemon tid (hex)
          -nhost   tasks of the host with this name
          -l       long: parent tid and process id too
          -x       the console (and tasks not yet enrolled) too
          -w       live view, as top
Columns:  HOST name, TID task id, PTID parent, PID process id, COMMAND program,
          FLAG 0x state: hex bits and letters c (connected), f (started by pvmd),
          a (waiting to be let in)}} \
        pstat    {{Show the status of tasks} {pstat tid ...} {}} \
        put      {{Store a string in the message mailbox} {put name value flags}
                  {Flags:  0, or the sum of 1 (persistent), 2 (multiple instances), 4 (overwritable)}} \
        quit     {{Leave the console; the virtual machine keeps running} {quit} {}} \
        reset    {{Kill every task but the console} {reset} {}} \
        setenv   {{Show or set environment variables} {setenv [ name [ value ... ] ]} {}} \
        setopt   {{Set a PVM option of the console task} {setopt option value} {}} \
        sig      {{Send a signal to tasks} {sig signum tid ...} {}} \
        spawn    {{Start tasks}
                  {spawn [ options ] program [ arg ... ]}
                  {Options:  -N         start N copies (e.g. -4)
          -host      on that host (a name from conf); -host:dir also in dir
          -ARCH      on hosts of that architecture; -ARCH:dir also in dir
          -:dir      in directory dir (also: -wd dir)
          -?         under the debugger
          ->         show their output here as [job:tid] lines
          ->file     write that output to file; ->>file appends
          -@         as ->, and show the PVM calls of the trace mask they make
          -@file     the same, written to file}} \
        top      {{Live view of hosts and tasks, until q} {top [ seconds ]} {}} \
        trace    {{Show or set the calls spawn -@ tasks report}
                  {trace} {trace [+] call ...} {trace - call ...} {trace [+] *    (or all)} {trace - *    (or none)}
                  {}} \
        unalias  {{Remove command aliases} {unalias name ...} {}} \
        unexport {{Remove variables from PVM_EXPORT} {unexport name ...} {}} \
        version  {{Show the PVM version} {version} {}}]
}

proc help {{command ""}} {
    set table $::console::help
    # help's own help is the list, as in PVM's console.
    if {$command in {"" help}} {
        ::console::say [format "%-12s%s" help [lindex [dict get $table help] 0]]
        ::console::say "Syntax:  [lindex [dict get $table help] 1]"
        ::console::say "Commands are:"
        foreach name [lsort [dict keys $table]] {
            ::console::say [format "  %-12s%s" $name [lindex [dict get $table $name] 0]]
        }
        return
    }
    if {[dict exists $::console::aliases $command]} {
        ::console::say [format "%-12s%s" $command "Alias for: [dict get $::console::aliases $command]"]
        return
    }
    if {![dict exists $table $command]} { error "help: no command \"$command\"" }
    set entry [dict get $table $command]
    ::console::say [format "%-12s%s" $command [lindex $entry 0]]
    set syntax [lrange $entry 1 end-1]
    ::console::say "Syntax:  [lindex $syntax 0]"
    foreach line [lrange $syntax 1 end] {
        ::console::say "         $line"
    }
    if {[lindex $entry end] ne ""} { ::console::say [lindex $entry end] }
}
