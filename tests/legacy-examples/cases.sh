# cases.sh - sourced by run-examples.sh (our PVM) and record-golden.sh (real PVM):
# runs one row of cases.txt and prints its output with tids, hostnames and large
# numbers masked (tids also as 0x4xxxx and bare 4xxxx), so runs on both PVMs compare line
# for line.
# Needs: PATH finding the example programs and the pvm console; $work a scratch dir.

# mask_ids: host name and tids; mask: those and large numbers.
mask_ids() {
    sed -e "s/\\b$(hostname)\\b/HOST/g" -e 's/t[0-9a-f]\{5,\}/tTID/g' -e 's/0x4[0-9a-f]\{4\}\b/0xTID/g' \
        -e 's/\b4[0-9a-f]\{4\}\b/TID/g' -e 's/[[:space:]]*$//'
}
mask() { mask_ids | sed -e 's/[0-9]\{5,\}/NUM/g'; }

# Waits (deadline 60 s) until file $1 has $2 lines matching $3.
wait_lines() {
    local i
    for i in $(seq 600); do
        [ "$(grep -c -- "$3" "$1" 2>/dev/null)" -ge "$2" ] && return 0
        sleep 0.1
    done
    return 1
}

# run_case HOW COMMAND COMPARE [INPUT] - INPUT: blank-separated answers to its prompts
# (HOW: shell, pair or console, as cases.txt says)
run_case() {
    local how=$1 command=$2 compare=$3 input=${4:-} out=$work/case.out
    : > "$out"
    case $how in
    shell)
        if [ -n "$input" ]; then printf '%s\n' $input > "$work/case.in"; else : > "$work/case.in"; fi
        timeout 60 $command > "$out" 2>&1 < "$work/case.in" || echo "exit status $?" >> "$out" ;;
    pair)
        # COMMAND is "SERVER CLIENT": the server runs in the background until it has printed
        # its context; then the client gets INPUT, where CTX stands for that context. The
        # output is the client's, then the server's.
        local server=${command%% *} client=${command#* } ctx spid
        : > "$work/server.out"
        timeout 60 $server > "$work/server.out" 2>&1 &
        spid=$!
        wait_lines "$work/server.out" 1 'with context' || echo "the server printed no context" >> "$out"
        ctx=$(sed -n 's/.*with context \([0-9]*\)\..*/\1/p' "$work/server.out" | head -1)
        printf '%s\n' ${input//CTX/$ctx} > "$work/case.in"
        timeout 60 $client > "$out" 2>&1 < "$work/case.in" || echo "exit status $?" >> "$out"
        wait $spid || echo "server exit status $?" >> "$out"
        { echo "--- $server"; cat "$work/server.out"; } >> "$out" ;;
    console)
        # Tasks spawned with -> print through the console, ending each with an EOF line;
        # the console is told to quit once all of them have.
        local count=1 fifo=$work/console.in
        case $command in "spawn -"[0-9]*) count=${command#spawn -}; count=${count%% *} ;; esac
        case $command in *"-> hello") count=2 ;; *"-> master1"|*"-> fmaster1") count=$((count + 3)) ;; *"-> frsg") count=4 ;; esac
        rm -f "$fifo"; mkfifo "$fifo"
        # Emptied here, not by the background console's redirection: the wait below must
        # never see the previous case's EOF lines.
        : > "$work/console.raw"
        timeout 90 stdbuf -oL pvm < "$fifo" > "$work/console.raw" 2>&1 &
        local console=$!
        exec 9> "$fifo"
        echo "$command" >&9
        wait_lines "$work/console.raw" "$count" 'EOF' || echo "timed out waiting for the EOF lines of the tasks" >> "$out"
        echo quit >&9
        exec 9>&-
        wait $console || true
        # Only the tasks' lines: "[n:tTID] text"; the prompt and banner differ by design.
        grep -o '\[[0-9]*:t[0-9a-f]*\].*' "$work/console.raw" | sed 's/^\[[0-9]*:/[/' >> "$out" || true ;;
    esac
    case $compare in
    sorted) mask < "$out" | sort ;;
    # Bandwidth and latency figures differ from run to run, and so does how many of them a
    # line holds: only the lines without a digit once the tids are masked count.
    notiming) mask_ids < "$out" | { grep -v '[0-9]' || true; } | sort ;;
    *) mask < "$out" ;;
    esac
}
