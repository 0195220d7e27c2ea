# mask.sh - the masks both sides' outputs go through: task ids in every form PVM's examples
# print them (t40002, 0x40002, 262146) and this host's name. Nothing else is masked.
pvm_examples_mask() {
    perl -pe 's/\bt4[0-9a-f]{4}\b/tTID/g; s/\b0x4[0-9a-f]{4}\b/0xTID/g; s/\b26[2-9][0-9]{3}\b/TID/g;
              s/\b\Q$ENV{MASK_HOST}\E\b/HOST/g if length $ENV{MASK_HOST};'
}
# run_example BINDIR COMMAND INPUT OUT: runs one example's command line from BINDIR with INPUT on
# its standard input (stdout and stderr together, masked) and appends its exit status.
run_example() {
    local status=0
    # shellcheck disable=SC2086 # the command line is split into program and arguments
    (cd "$1" && printf "$3" | timeout 60 ./$2 2>&1) >"$4.raw" || status=$?
    echo "exit $status" >>"$4.raw"
    MASK_HOST=$(hostname) pvm_examples_mask <"$4.raw" >"$4"
    rm -f "$4.raw"
}
