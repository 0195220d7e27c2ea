# A PVM_ROOT-shaped prefix: PVM 3.4 users set PVM_ROOT to the install prefix and build
# their programs with aimk and their own Makefile.aimk, as they did with PVM.
#   lib/pvmgetarch, lib/aimk, bin/aimk   our scripts (legacy/)
#   conf/<ARCH>.def                      one per name pvmgetarch can print
#   lib/<ARCH>/lib*.so                   for Makefiles' -L$(PVM_ROOT)/lib/$(PVM_ARCH)
#   lib/pvmd, lib/pvm                    for scripts that start $PVM_ROOT/lib/pvmd
# Nothing here names the prefix, so it stays relocatable.
set(PVM_LEGACY_ARCHS LINUX64 LINUX LINUXALPHA LINUXARM LINUXHPPA LINUXPPC LINUXPPC64
    LINUXSPARC LINUXMIPS LINUX390)
foreach(ARCH IN LISTS PVM_LEGACY_ARCHS)
  configure_file(${PROJECT_SOURCE_DIR}/legacy/arch.def.in
                 ${PROJECT_BINARY_DIR}/conf/${ARCH}.def @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/conf/${ARCH}.def DESTINATION conf)
endforeach()

install(PROGRAMS legacy/pvmgetarch legacy/aimk DESTINATION ${CMAKE_INSTALL_LIBDIR})

# This machine's architecture, for the lib/<ARCH> directory of the libraries.
execute_process(COMMAND sh ${PROJECT_SOURCE_DIR}/legacy/pvmgetarch
                OUTPUT_VARIABLE PVM_LEGACY_ARCH OUTPUT_STRIP_TRAILING_WHITESPACE)

# Relative symlinks, made at install time under whatever prefix (and DESTDIR) is used.
function(pvm_install_symlink target link)
  install(CODE "
    set(_link \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${link}\")
    get_filename_component(_dir \"\${_link}\" DIRECTORY)
    file(MAKE_DIRECTORY \"\${_dir}\")
    file(REMOVE \"\${_link}\")
    file(CREATE_LINK \"${target}\" \"\${_link}\" SYMBOLIC)
    message(STATUS \"Installing: \${_link} -> ${target}\")")
endfunction()

pvm_install_symlink(../lib/aimk bin/aimk)
pvm_install_symlink(../bin/pvmd ${CMAKE_INSTALL_LIBDIR}/pvmd)
pvm_install_symlink(../bin/pvm ${CMAKE_INSTALL_LIBDIR}/pvm)
if(PVM_LEGACY_ARCH AND NOT PVM_LEGACY_ARCH STREQUAL "UNKNOWN")
  foreach(library pvm3 gpvm3 fpvm3)
    pvm_install_symlink(../lib${library}.so ${CMAKE_INSTALL_LIBDIR}/${PVM_LEGACY_ARCH}/lib${library}.so)
  endforeach()
endif()
