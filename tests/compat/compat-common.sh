# compat-common.sh - sourced by record-golden.sh (real PVM 3.4.6) and run-compat.sh (this
# project): the program list, how a program is built, run and masked. Both sides use
# exactly these functions, so the only difference between them is which pvm3.h, libraries
# and pvmd they are given.

compat_src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/src
# C programs (src/NAME.c) and Fortran programs (src/NAME.f), run in this order.
compat_c_programs="ctask cpack cmsg cgroup cmbox cctx cmisc cautoerr ccatch cextra"
compat_f_programs="fcompat"
# COMPAT_ONLY="ctask cmsg" restricts a run to some programs (while writing one).
if [ -n "${COMPAT_ONLY:-}" ]; then
    compat_c_programs=$(for n in $compat_c_programs; do [[ " $COMPAT_ONLY " == *" $n "* ]] && echo "$n"; done || true)
    compat_f_programs=$(for n in $compat_f_programs; do [[ " $COMPAT_ONLY " == *" $n "* ]] && echo "$n"; done || true)
fi

# compat_build BINDIR CC_FLAGS LIBS F_LIBS: builds every program into BINDIR. The flags
# arrays are passed by name so each side can put its own -I first.
compat_build() {
    local bindir=$1 cflags_name=$2 libs_name=$3 flibs_name=$4 name
    local -n cflags_ref=$cflags_name libs_ref=$libs_name flibs_ref=$flibs_name
    mkdir -p "$bindir"
    for name in $compat_c_programs; do
        cc -g -w "${cflags_ref[@]}" "$compat_src/$name.c" -o "$bindir/$name" "${libs_ref[@]}" || return 1
    done
    for name in $compat_f_programs; do
        gfortran -g -w -fallow-argument-mismatch "${cflags_ref[@]}" "$compat_src/$name.f" \
            -o "$bindir/$name" "${flibs_ref[@]}" || return 1
    done
}

# compat_mask: tids become T1, T2... in order of first appearance (PVM's and ours are
# numbered alike but need not be equal). Masked because we differ on purpose (listed in
# docs/compatibility.md, "Differential test harness"): the host speed (we measure it, PVM
# reports a constant), PvmDataDefault message sizes ("xdrbytes", our XDR does not pad every
# item to 4 bytes) and longs in PvmDataDefault ("xdrlong(s)", PVM keeps only 32 bits).
# Nothing else is masked.
compat_mask() {
    perl -pe '
        BEGIN { our %seen; our $n = 0; }
        s/(?<![0-9A-Za-z_])t([0-9a-f]{5,8})(?![0-9A-Za-z_])/exists $seen{$1} ? $seen{$1} : ($seen{$1} = "T" . ++$n)/ge;
        s/\bspeed=\d+/speed=*/g;
        s/\bxdrbytes=\d+/xdrbytes=*/g;
        s/\bxdrlongs [^;\n]*; ulongs [^;\n]*/xdrlongs *; ulongs */g;
        s/\bxdrlong -?\d+/xdrlong */g;
    '
}

# compat_run BINDIR NAME OUTFILE: runs one program (stdout and stderr together), masked.
compat_run() {
    local bindir=$1 name=$2 out=$3 status=0
    (cd "$bindir" && timeout 60 "./$name" 2>&1) >"$out.raw" || status=$?
    [ "$status" = 0 ] || echo "exit status $status" >>"$out.raw"
    compat_mask <"$out.raw" >"$out"
}
