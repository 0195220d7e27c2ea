# run.tcl FILE - runs one test file of the Tcl package so that its virtual machine is
# halted even when the file stops with an error (finish, in common.tcl, exits otherwise).
set file [lindex $argv 0]
set argv {}  ;# tcltest would read them as its options
set argc 0
# The files are UTF-8 whatever the locale (a C locale would read them as ISO 8859-1).
if {[catch {source -encoding utf-8 $file}]} {
    puts stderr $::errorInfo
    catch {package require pvm; pvm halt}
    catch {file delete -force $::testTmp}
    exit 1
}
