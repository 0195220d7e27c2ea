# script-test.sh - what the shell-script system tests share; source it after setting
# TEST_NAME. say prints a line of the test's; fail ends the test (after running the
# function show_failure, when the test defines one); skip ends it as skipped (exit 77), except
# under CI (CI set), which must run every test.
# shellcheck shell=bash
say() { echo "$TEST_NAME: $*"; }
fail() {
    say "FAIL: $*"
    declare -F show_failure >/dev/null && show_failure
    exit 1
}
skip() {
    [ -n "${CI:-}" ] && fail "cannot run under CI, which must run it: $*"
    say "skipped: $*"
    exit 77
}
