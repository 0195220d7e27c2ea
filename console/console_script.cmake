# console_script.cmake - pvm_console_script(DIR) writes DIR/console_script.h: the console's
# Tcl commands (console.tcl, jobs.tcl, help.tcl, top.tcl, in that order) as one string, for
# the console itself and for the console fuzzer (tests/fuzz).
function(pvm_console_script dir)
  set(PVM_CONSOLE_SCRIPT "")
  foreach(part console jobs help top)
    file(READ ${PROJECT_SOURCE_DIR}/console/${part}.tcl text)
    string(APPEND PVM_CONSOLE_SCRIPT "${text}\n")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/console/${part}.tcl)
  endforeach()
  configure_file(${PROJECT_SOURCE_DIR}/console/console_script.h.in ${dir}/console_script.h @ONLY)
endfunction()
