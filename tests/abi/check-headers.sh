#!/bin/bash
# check-headers.sh - binary compatibility of our pvm3.h and pvmtev.h with Debian's PVM 3.4.6
# headers (package pvm-dev): every constant Debian's headers define has the same value in
# ours, every structure the same size and member offsets (layouts.c), and every prototype
# the same type. The lists of names are taken from Debian's headers when the test runs;
# nothing of them is kept in this repository. Skips (77) without pvm-dev, except under CI.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ours=$(cd "$here/../../libpvm/include" && pwd)
deb=/usr/include
if [ ! -f "$deb/pvm3.h" ] || [ ! -f "$deb/pvmtev.h" ]; then
    if [ -n "${CI:-}" ]; then
        echo "Debian's pvm-dev is missing (scripts/install-deps.sh installs it)"
        exit 1
    fi
    echo "SKIP: Debian's pvm-dev headers are not installed"
    exit 77
fi
work=$(mktemp -d /tmp/pvmtest.abi-XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0

# 1. Constants: an object-like #define NAME VALUE of Debian's headers, but their include
# guards and K&R helper, printed as a number or (for "...") a string. PVMTMPNAMLEN and
# PVMTMPNAMFUN differ on purpose: Debian's build makes them tmpnam() and L_tmpnam (20), ours
# pvmtmpnam() and 128 (PVM's NOTMPNAM configuration), which spares users the linker's
# warning about tmpnam; a buffer sized either way works with the function it goes with.
{
    echo '#include <stdio.h>'
    echo '#include <pvm3.h>'
    echo '#include <pvmtev.h>'
    echo 'int main(void) {'
    cat "$deb/pvm3.h" "$deb/pvmtev.h" |
        sed -n 's/^#[[:space:]]*define[[:space:]]\+\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]\+\([^[:space:]].*\)$/\1 \2/p' |
        grep -vE '^(_PVM3_H_|_PVMTEV_H_|__ProtoGlarp__|PVMTMPNAMFUN|PVMTMPNAMLEN) ' |
        sort -u -k1,1 |
        while read -r name value; do
            case "$value" in
            \"*) echo "    printf(\"%s = %s\\n\", \"$name\", $name);" ;;
            *) echo "    printf(\"%s = %ld\\n\", \"$name\", (long)($name));" ;;
            esac
        done
    echo '    return 0;'
    echo '}'
} >"$work/constants.c"
echo "constants compared: $(grep -c printf "$work/constants.c")"

# build NAME INCLUDE_DIR: compiles and runs a printer against one set of headers. Our
# directory comes first with -I, so Debian's (in /usr/include) cannot stand in for ours.
run() {
    local name=$1 inc=$2 tag=$3
    if ! gcc -w -I"$inc" -o "$work/$name.$tag" "$work/$name.c" 2>"$work/$name.$tag.log"; then
        cat "$work/$name.$tag.log"
        echo "FAILED: $name.c does not compile against the $tag headers"
        failures=$((failures + 1))
        return
    fi
    "$work/$name.$tag" >"$work/$name.$tag.out" 2>/dev/null
}
cp "$here/layouts.c" "$work/layouts.c"
for printer in constants layouts; do
    run $printer "$deb" debian
    run $printer "$ours" ours
    if [ -f "$work/$printer.ours.out" ] && ! diff "$work/$printer.debian.out" "$work/$printer.ours.out"; then
        echo "FAILED: $printer differ (< Debian, > ours)"
        failures=$((failures + 1))
    fi
done
# Make sure the "ours" build really used our headers.
grep -q PVM3_H_INCLUDED "$ours/pvm3.h"
echo '#include <pvm3.h>
#ifndef PVM3_H_INCLUDED
#error not our pvm3.h
#endif' >"$work/which.c"
gcc -fsyntax-only -I"$ours" "$work/which.c"

# 3. Prototypes: gcc -aux-info writes every declaration as the compiler understood it. Each
# of Debian's must be in ours. pvm_recvf is the one exception: Debian's header declares it
# returning a function that takes a function (a slip in PVM's header); ours returns the
# int (*)(int, int, int) of the man page. Either way it returns a pointer, so binaries agree.
echo '#include <pvm3.h>
#include <pvmtev.h>' >"$work/protos.c"
for tag in debian ours; do
    inc=$deb
    [ $tag = ours ] && inc=$ours
    gcc -fsyntax-only -I"$inc" -aux-info "$work/protos.$tag.ai" "$work/protos.c"
    grep -E '(pvm3|pvmtev)\.h:' "$work/protos.$tag.ai" | sed 's|/\*[^*]*\*/ *||' | sort -u >"$work/protos.$tag"
done
missing=$(comm -23 "$work/protos.debian" "$work/protos.ours" | grep -v ' (\*pvm_recvf ' || true)
echo "prototypes compared: $(wc -l <"$work/protos.debian")"
if [ -n "$missing" ]; then
    echo "$missing"
    echo "FAILED: Debian's prototypes above are not in ours"
    failures=$((failures + 1))
fi

# 4. fpvm3.h: every PARAMETER of Debian's has the same value in ours (Fortran is not case
# sensitive, so PVMDATARAW is our PvmDataRaw). IMPLICIT NONE makes a missing name an error.
if [ -f "$deb/fpvm3.h" ] && command -v gfortran >/dev/null; then
    {
        echo "      PROGRAM FCONST"
        echo "      IMPLICIT NONE"
        echo "      INCLUDE 'fpvm3.h'"
        grep -iE '^ +parameter' "$deb/fpvm3.h" | grep -oiE '[a-z][a-z0-9_]* *= *-?[0-9]+' |
            sed 's/ *=.*//' | sort -u | while read -r n; do echo "      PRINT '(A,1X,I0)', '$n', $n"; done
        echo "      END"
    } >"$work/fconst.f"
    for tag in debian ours; do
        inc=$deb
        [ $tag = ours ] && inc=$ours
        if ! gfortran -I"$inc" -o "$work/fconst.$tag" "$work/fconst.f" >"$work/fconst.$tag.log" 2>&1; then
            cat "$work/fconst.$tag.log"
            echo "FAILED: fpvm3.h constants do not compile against the $tag header"
            failures=$((failures + 1))
        fi
    done
    if [ -x "$work/fconst.ours" ]; then
        echo "fpvm3.h constants compared: $(grep -c PRINT "$work/fconst.f")"
        if ! diff <("$work/fconst.debian") <("$work/fconst.ours"); then
            echo "FAILED: fpvm3.h constants differ (< Debian, > ours)"
            failures=$((failures + 1))
        fi
    fi
elif [ -n "${CI:-}" ]; then
    echo "FAILED: gfortran or Debian's fpvm3.h is missing"
    failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "headers agree with Debian's PVM 3.4.6"
