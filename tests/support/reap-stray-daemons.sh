#!/bin/bash
# reap-stray-daemons.sh - the safety net after the system tests: any pvmd still
# running from a test's private PVM_TMP (/tmp/pvmtest.*, /tmp/pvminstall.*) is a leak. Kill it,
# say so, and fail, so that a leak is seen rather than left on the machine.
found=0
for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$(cat "$dir/comm" 2>/dev/null)" = pvmd ] || continue
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
