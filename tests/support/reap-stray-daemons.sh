#!/bin/bash
# reap-stray-daemons.sh [PVMD] - the safety net after the system tests: any pvmd still
# running from a test's private PVM_TMP (/tmp/pvmtest.*, /tmp/pvminstall.*) is a leak. Kill it,
# say so, and fail, so that a leak is seen rather than left on the machine.
# PVMD (optional) is the pvmd this build tests: only its daemons are looked at, so
# two builds testing on one machine at once never reap each other's daemons.
pvmd=${1:-}
found=0
for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$(cat "$dir/comm" 2>/dev/null)" = pvmd ] || continue
    if [ -n "$pvmd" ] && [ "$(readlink "$dir/exe" 2>/dev/null)" != "$(realpath "$pvmd")" ]; then continue; fi
    state=$(awk '{print $3}' "$dir/stat" 2>/dev/null)
    [ "$state" = Z ] && continue
    tmp=$(tr '\0' '\n' < "$dir/environ" 2>/dev/null | sed -n 's/^PVM_TMP=//p')
    case "$tmp" in
    /tmp/pvmtest.* | /tmp/pvminstall.*)
        echo "stray pvmd pid $pid (PVM_TMP=$tmp): killing it" >&2
        kill -9 "$pid" 2>/dev/null
        rm -rf "$tmp"
        found=1
        ;;
    esac
done
exit $found
