# temp-prefix.sh - sourced by the tests that use an installed build as a user would
# (tests/install, tests/legacy-examples): `install_temp_prefix BUILD_DIR NAME` installs the
# build into $prefix under a fresh $work (/tmp/NAME.XXXXXX), points PVM_TMP into it, and
# removes it all on exit, halting and, if need be, killing the pvmd started from it.
# `library_of BINARY` prints the real path of the libpvm3 a binary loads.

install_temp_prefix() {
    work=$(mktemp -d "/tmp/$2.XXXXXX")
    prefix=$work/prefix
    export PVM_TMP=$work/tmp
    mkdir -p "$PVM_TMP"
    trap cleanup_temp_prefix EXIT
    cmake --install "$1" --prefix "$prefix" >/dev/null
}

cleanup_temp_prefix() {
    [ -x "$prefix/bin/pvm" ] && echo halt | "$prefix/bin/pvm" >/dev/null 2>&1 || true
    # Whatever happened, no daemon of the test outlives it.
    local pid
    pid=$(awk '/^pid/ {print $2}' "$PVM_TMP/pvm.$(id -u)/pvmd.addr" 2>/dev/null || true)
    if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}

library_of() {
    realpath "$(ldd "$1" | awk '/libpvm3\.so/ {print $3}')" 2>/dev/null || true
}
