#!/usr/bin/env tclsh
# cards.tcl - the card dealer of examples/cards, with the master in Tcl: it deals
# small work items to C slaves (cards_slave) on every host, hands the next item to
# whichever slave answers first, keeps a live progress line, and prints how many
# items each host did. Everything happens in callbacks from the event loop.
#
#   tclsh cards.tcl ?-items N? ?-slaves K? ?-slave PATH?
#       -items N    work items to deal (default 500)
#       -slaves K   slaves per host (default 1)
#       -slave PATH the C slave program (default: cards_slave beside this script, then in
#                   ../../build/examples, the build tree)
#
# The protocol is cards_slave.c's: tag 1 to a slave {int item, int lo, int hi}; tag 2 back
# {int item, int primes, long sum}; tag 3 stops it. Item i covers i*10000 .. (i+1)*10000-1.
package require pvm

set options [dict create -items 500 -slaves 1 -slave ""]
foreach {name value} $argv {
    if {![dict exists $options $name]} {
        puts stderr "usage: tclsh cards.tcl ?-items N? ?-slaves K? ?-slave PATH?"
        exit 2
    }
    dict set options $name $value
}
set items [dict get $options -items]
set perHost [dict get $options -slaves]
set slave [dict get $options -slave]
if {$slave eq ""} {
    set here [file dirname [file normalize [info script]]]
    foreach candidate [list $here/cards_slave $here/../../build/examples/cards_slave] {
        if {[file executable $candidate]} { set slave [file normalize $candidate]; break }
    }
    if {$slave eq ""} { puts stderr "cards.tcl: no cards_slave found; give -slave PATH"; exit 2 }
}

set span 10000
set pile {}         ;# items taken back from slaves that died: dealt first
set nextItem 0
set finished 0
set primes 0
set sum 0
array set busy {}   ;# slave tid -> the item it works on, or -1
array set hostOf {} ;# slave tid -> host name
array set doneBy {} ;# host name -> items its slaves finished

# deal gives slave its next item, or stops it when none are left.
proc deal {tid} {
    global pile nextItem items span busy
    if {[llength $pile]} {
        set item [lindex $pile 0]
        set pile [lrange $pile 1 end]
    } elseif {$nextItem < $items} {
        set item $nextItem
        incr nextItem
    } else {
        set busy($tid) -1
        pvm send $tid 3
        return
    }
    set busy($tid) $item
    pvm send $tid 1 -int [list $item [expr {$item * $span}] [expr {($item + 1) * $span}]]
}

proc onResult {h} {
    global busy hostOf doneBy finished primes sum
    set tid [$h src]
    lassign [$h unpack {int int long}] item count partial
    if {[info exists busy($tid)] && $busy($tid) == $item} {
        incr finished
        incr primes $count
        incr sum $partial
        incr doneBy($hostOf($tid))
    }
    progress
    deal $tid
    if {$finished == $::items} { set ::done 1 }
}

# onExit deals the item of a slave that died again; a stopped slave just leaves.
proc onExit {tid} {
    global busy pile hostOf
    if {[info exists busy($tid)] && $busy($tid) >= 0} {
        lappend pile $busy($tid)
        puts stderr "\ncards.tcl: slave t[format %x $tid] on $hostOf($tid) died; its item is dealt again"
    }
    unset -nocomplain busy($tid)
    if {[array size busy] == 0 && $::finished < $::items} {
        puts stderr "\ncards.tcl: no slaves left"
        set ::done 1
    }
}

# progress rewrites one line, at most ten times a second.
proc progress {} {
    global finished items
    set now [clock milliseconds]
    if {$finished < $items && [info exists ::lastShown] && $now - $::lastShown < 100} return
    set ::lastShown $now
    set width 30
    set filled [expr {$finished * $width / $items}]
    puts -nonewline [format "\r\[%s%s\] %d/%d items, %d primes" [string repeat # $filled] \
        [string repeat . [expr {$width - $filled}]] $finished $items $::primes]
    flush stdout
}

set started [clock milliseconds]
foreach host [pvm config] {
    set name [dict get $host name]
    set doneBy($name) 0
    set speed($name) [dict get $host speed]
    foreach tid [pvm spawn -host $name -count $perHost $slave] {
        set hostOf($tid) $name
        set busy($tid) -1
    }
}
set slaves [array names busy]
puts "cards.tcl t[format %x [pvm mytid]]: $items items of $span numbers, [llength $slaves] slaves on\
      [array size doneBy] hosts, slave $slave"
pvm notify exit $slaves -command onExit
pvm bind -tag 2 onResult
foreach tid $slaves { deal $tid }
vwait done
puts ""

set seconds [expr {([clock milliseconds] - $started) / 1000.0}]
puts [format "%-24s %7s %7s" host speed items]
foreach name [lsort [array names doneBy]] {
    puts [format "%-24s %7d %7d" $name $speed($name) $doneBy($name)]
}
puts [format "%-24s %7s %7d" total "" $finished]
puts "primes below [expr {$items * $span}]: $primes, sum $sum; [format %.2f $seconds] s"
pvm exit
