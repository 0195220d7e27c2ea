#!/bin/bash
# check-install.sh BUILD_DIR SOURCE_DIR - installs the build into a temporary
# prefix, checks its PVM-shaped layout, builds one program with pkg-config and
# one with find_package(PVM), and runs both against the installed pvmd.
set -euo pipefail
build=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../support/temp-prefix.sh"
install_temp_prefix "$build" pvminstall
ours=$(realpath "$prefix/lib/libpvm3.so.3")
# require_ours BINARY: it must load the prefix's libpvm3, whatever else is on the system.
require_ours() {
    local library
    library=$(library_of "$1")
    [ "$library" = "$ours" ] || { echo "$1 loads '$library', not $ours"; exit 1; }
}

for f in bin/pvmd bin/pvm include/pvm3.h include/pvm/pvm.hpp lib/libpvm3.so lib/libgpvm3.so \
         lib/cmake/PVM/PVMConfig.cmake lib/pkgconfig/pvm3.pc; do
    [ -e "$prefix/$f" ] || { echo "missing from the prefix: $f"; exit 1; }
done

# Installed programs must load the installed library.
require_ours "$prefix/bin/pvm"

# pkg-config, the way a Makefile of a legacy code would do it.
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
cc $(pkg-config --cflags pvm3) "$here/consumer.c" -o "$work/consumer_c" $(pkg-config --libs pvm3) -lgpvm3
# It must have compiled against our header, never /usr/include/pvm3.h.
header=$(cc $(pkg-config --cflags pvm3) -M "$here/consumer.c" | tr ' ' '\n' | grep 'pvm3\.h$')
[ "$(realpath "$header")" = "$(realpath "$prefix/include/pvm3.h")" ] || { echo "compiled against $header"; exit 1; }
require_ours "$work/consumer_c"

# CMake, the way a new project would do it.
cmake -S "$here/project" -B "$work/project" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$work/project" >/dev/null

"$prefix/bin/pvmd"
"$work/consumer_c"
"$work/project/consumer_cpp"

# The Tcl package, from a plain tclsh: <prefix>/lib/tcltk is Tcl's package path for the
# prefixes /usr and /usr/local; any other prefix is named in TCLLIBPATH.
tcldir=$(dirname "$(ls "$prefix"/lib/tcltk/pvm*/pkgIndex.tcl)")
require_ours "$tcldir/libtclpvm.so"
said=$(echo 'puts "[package require pvm] [expr {[pvm mytid] > 0}]"; pvm exit' | TCLLIBPATH="$prefix/lib/tcltk" tclsh)
[ "$said" = "3.4.6 1" ] || { echo "package require pvm said: $said"; exit 1; }

echo halt | "$prefix/bin/pvm"
echo "install check passed"
