#!/bin/bash
# run-fortran-tests.sh BUILD_DIR [SANITIZER] - the Fortran interface end to end. Builds the
# programs of tests/fortran and examples/fortran with gfortran, as a user would (our fpvm3.h,
# -lfpvm3 -lpvm3 from BUILD_DIR), checks that fpvm3.h agrees with pvm3.h, runs the programs
# on a private pvmd, and checks what they say. The pvmd is always stopped at the end.
# Without gfortran it skips (exit 77), except under CI, where that is a failure.
set -euo pipefail
build=$(cd "$1" && pwd)
sanitizer=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
include=$src/libpvm/include

if ! command -v gfortran >/dev/null; then
    if [ -n "${CI:-}" ]; then
        echo "gfortran is missing (scripts/install-deps.sh installs it)"
        exit 1
    fi
    echo "SKIP: gfortran is not installed"
    exit 77
fi

PVM_TMP=$(mktemp -d /tmp/pvmtest.fortran-XXXXXX)
export PVM_TMP
bin=$PVM_TMP/bin
mkdir "$bin"
addr=$PVM_TMP/pvm.$(id -u)/pvmd.addr
daemon=""
running=""
cleanup() {
    if [ -n "$running" ]; then kill "$running" 2>/dev/null || true; fi
    # Halt through the console only while our pvmd runs (the console would start one),
    # then make sure it is gone.
    if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
        echo halt | timeout 20 "$build/console/pvm" >/dev/null 2>&1 || true
        for _ in $(seq 50); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$daemon" 2>/dev/null || true
    fi
    rm -rf "$PVM_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM  # a time-out still runs cleanup

failures=0
fail() {
    echo "FAILED: $*"
    failures=$((failures + 1))
}

# Classic Fortran passes different types to pvmfpack in one file, which gfortran 10+ accepts
# only with -fallow-argument-mismatch, and then warns about. Any other warning is a failure.
fflags=(-g -Wall -fallow-argument-mismatch -I"$include")
cflags=(-g -Wall -Wextra -Werror -I"$include")
if [ -n "$sanitizer" ]; then
    fflags+=(-fsanitize="$sanitizer")
    cflags+=(-fsanitize="$sanitizer")
fi
libs=(-L"$build/libpvm" -Wl,-rpath,"$build/libpvm" -lfpvm3 -lpvm3)

# fortran NAME SOURCES... builds $bin/NAME.
fortran() {
    local name=$1
    shift
    if ! gfortran "${fflags[@]}" "$@" -o "$bin/$name" "${libs[@]}" >"$bin/$name.log" 2>&1; then
        cat "$bin/$name.log"
        fail "$name does not build"
        return
    fi
    if grep '^Warning:' "$bin/$name.log" | grep -qv 'mismatch between actual argument'; then
        cat "$bin/$name.log"
        fail "$name builds with warnings"
    fi
}

fortran flinks "$here/flinks.f"
fortran fvm "$here/fvm.f" "$here/fcheck.f"
fortran fmessages "$here/fmessages.f" "$here/fcheck.f"
fortran fslave "$here/fslave.f" "$here/fcheck.f"
fortran fctask "$here/fctask.f" "$here/fcheck.f"
fortran fhalt "$here/fhalt.f" "$here/fcheck.f"
for example in hello hello_other master slave; do
    fortran "$example" "$src/examples/fortran/$example.f"
done
cc "${cflags[@]}" "$here/cpeer.c" -o "$bin/cpeer" -L"$build/libpvm" -Wl,-rpath,"$build/libpvm" -lpvm3 ||
    fail "cpeer does not build"

# Our header and libraries, never Debian's (/usr/include/fpvm3.h, libfpvm3.a, libpvm3.so).
header=$(gfortran -cpp -M -I"$include" "$here/fhalt.f" | tr ' ' '\n' | grep 'fpvm3\.h$' || true)
[ "$(realpath "$header")" = "$(realpath "$include/fpvm3.h")" ] || fail "compiled against '$header'"
for lib in libfpvm3 libpvm3; do
    used=$(ldd "$bin/fvm" | awk -v lib="$lib.so" '$1 ~ "^" lib {print $3}')
    [ "$(realpath "$used")" = "$(realpath "$build/libpvm/$lib.so.3")" ] || fail "fvm loads $lib from '$used'"
done

# Every constant of fpvm3.h has the value of its pvm3.h counterpart: a Fortran program and a
# C program print them, and must print the same. Names that differ are mapped.
names=$(sed -n 's/^      PARAMETER (\(.*\))$/\1/p' "$include/fpvm3.h" | tr ',' '\n' | sed 's/=.*//; s/ //g')
{
    echo "      PROGRAM FCONST"
    echo "      IMPLICIT NONE"
    echo "      INCLUDE 'fpvm3.h'"
    for n in $names; do echo "      PRINT '(A,1X,I0)', '$n', $n"; done
    echo "      END"
} >"$bin/fconst.f"
{
    echo '#include <stdio.h>'
    echo '#include "pvm3.h"'
    echo 'int main(void) {'
    for n in $names; do
        case $n in
            PVMDEFAULT) c=PvmDataDefault ;; PVMRAW) c=PvmDataRaw ;; PVMINPLACE) c=PvmDataInPlace ;;
            PVMHOST) c=PvmTaskHost ;; PVMARCH) c=PvmTaskArch ;; PVMDEBUG) c=PvmTaskDebug ;;
            PVMTRACE) c=PvmTaskTrace ;; STRING) c=PVM_STR ;; BYTE1) c=PVM_BYTE ;;
            INTEGER2) c=PVM_SHORT ;; INTEGER4) c=PVM_INT ;; REAL4) c=PVM_FLOAT ;;
            COMPLEX8) c=PVM_CPLX ;; REAL8) c=PVM_DOUBLE ;; COMPLEX16) c=PVM_DCPLX ;;
            INTEGER8) c=PVM_LONG ;;
            PVMSOUTPUTTID) c=PvmSelfOutputTid ;; PVMSOUTPUTCODE) c=PvmSelfOutputCode ;;
            PVMSTRACETID) c=PvmSelfTraceTid ;; PVMSTRACECODE) c=PvmSelfTraceCode ;;
            PVMSTRACEBUFFER) c=PvmSelfTraceBuffer ;; PVMSTRACEOPTIONS) c=PvmSelfTraceOptions ;;
            PVMOUTPUTCTX) c=PvmOutputContext ;; PVMTRACECTX) c=PvmTraceContext ;;
            PVMSOUTPUTCTX) c=PvmSelfOutputContext ;; PVMSTRACECTX) c=PvmSelfTraceContext ;;
            # PVM's fpvm3.h says -33 (PvmExists) where pvm3.h says PvmDenied; ours follows it.
            PvmDupEntry) c=PvmExists ;;
            *) c=$n ;;
        esac
        echo "    printf(\"%s %d\\n\", \"$n\", (int)($c));"
    done
    echo '    return 0;'
    echo '}'
} >"$bin/cconst.c"
if gfortran -ffixed-line-length-none -Wall -Werror -I"$include" "$bin/fconst.f" -o "$bin/fconst" &&
    cc "${cflags[@]}" "$bin/cconst.c" -o "$bin/cconst"; then
    if diff <("$bin/fconst") <("$bin/cconst"); then
        echo "ok     $(echo "$names" | wc -l) constants of fpvm3.h match pvm3.h"
    else
        fail "fpvm3.h and pvm3.h disagree (above: < Fortran, > C)"
    fi
else
    fail "the constant check does not build"
fi

# run NAME EXPECTED COMMAND... runs a program with a deadline; it must exit 0 and print a
# line matching EXPECTED (a grep pattern; stdout and stderr together).
run() {
    local name=$1 expected=$2 status=0
    shift 2
    echo "--- $name"
    # In the background, so that a signal to this script is handled at once (see cleanup).
    timeout 90 "$@" >"$bin/$name.out" 2>&1 &
    running=$!
    wait "$running" || status=$?
    running=""
    cat "$bin/$name.out"
    [ "$status" = 0 ] || fail "$name exited with status $status"
    grep -q -- "$expected" "$bin/$name.out" || fail "$name did not print '$expected'"
}

"$build/pvmd/pvmd"
daemon=$(awk '/^pid/ {print $2}' "$addr")
run flinks "flinks: linked" "$bin/flinks"
run fvm "fvm perror check: Bad parameter" "$bin/fvm"
grep -q "^fvm: all checks passed" "$bin/fvm.out" || fail "fvm did not pass all its checks"
run fmessages "fslave: stopping" "$bin/fmessages" "$bin"
grep -q "^fmessages: all checks passed" "$bin/fmessages.out" || fail "fmessages did not pass all its checks"
run fctask "^fctask: all checks passed" "$bin/fctask" "$bin" "$build/tests/test_task"
run hello "from t.*: hello, world from" "$bin/hello"
run master "expected .*: ok" "$bin/master" 3

# Last: pvmfhalt stops the pvmd.
run fhalt "^fhalt: all checks passed" "$bin/fhalt"
for _ in $(seq 50); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$daemon" 2>/dev/null; then fail "the pvmd still runs after pvmfhalt"; fi

if [ "$failures" -gt 0 ]; then
    echo "$failures Fortran checks failed"
    exit 1
fi
echo "Fortran tests passed"
