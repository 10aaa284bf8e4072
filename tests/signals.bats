#!/usr/bin/env bats
# Signals and deadlines (issue 3): SIGTERM/SIGINT stop admitting and reading,
# in-flight requests get --grace, then everything read but not finished gets
# a "cancelled" record; a second signal or a signal during a retry's backoff
# cancels at once; --deadline bounds the whole run.
#
# Synchronisation is on events, never on sleeps: volley runs in the
# background (volley_bg) writing to files, the test waits until the server
# sees the requests in flight (/_wait?inflight=N) or until volley's -v
# stderr says it took the first signal, then signals it.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    # /_wait counts the server's in-flight requests: one test at a time.
    export BATS_NO_PARALLELIZE_WITHIN_FILE=true
    server_start
}

teardown_file() {
    server_stop
}

setup() {
    stats_reset
}

teardown() {
    # A test that failed half-way must not leave its volley running.
    volley_bg_stop
}

# since T0: seconds from $EPOCHREALTIME value T0 to now.
since() {
    fsub "$EPOCHREALTIME" "$1"
}

# ndjson FILE: every line of FILE is one JSON object and FILE ends with a
# newline (or is empty).
ndjson() {
    jq -Rne '[inputs | fromjson | type] | all(. == "object")' <"$1"
    [[ ! -s $1 || -z $(tail -c 1 "$1") ]]
}

@test "SIGTERM mid-run: exit 143, in-flight requests are cancelled after --grace, one record per request read, valid NDJSON" {
    # 10 in flight at -c 10, 15 more queued behind them.
    urls 25 "$SERVER/delay/5000" >"$BATS_TEST_TMPDIR/in"
    volley_bg -c 10 --grace 0.3 -i "$BATS_TEST_TMPDIR/in"
    wait_inflight 10
    local t0=$EPOCHREALTIME
    kill -TERM "$bg_pid"
    volley_wait 143
    fless "$(since "$t0")" 3
    ndjson "$bg_out"
    # Requests read form a prefix 1..K of the input (K >= 10: the ten in
    # flight), each with exactly one record, all cancelled.
    jq -es '(map(.id) | sort) as $ids
            | ($ids | length) >= 10 and ($ids | length) <= 25
            and $ids == [range(1; ($ids | length) + 1)]
            and all((.ok | not) and .error.kind == "cancelled")' "$bg_out"
}

@test "SIGTERM with -o FILE: every record reaches FILE before volley exits 143" {
    local file=$BATS_TEST_TMPDIR/records.ndjson
    volley_bg -o "$file" --grace 0.2 "$SERVER/hang?i=1" "$SERVER/hang?i=2" \
        "$SERVER/hang?i=3" "$SERVER/status/200"
    wait_inflight 3
    kill -TERM "$bg_pid"
    volley_wait 143
    [ ! -s "$bg_out" ]
    ndjson "$file"
    jq -es 'length == 4 and (map(.id) | sort) == [1, 2, 3, 4]
            and ([.[] | select(.id == 4)][0].ok)
            and ([.[] | select(.id != 4)] | all(.error.kind == "cancelled"))' \
        "$file"
}

@test "SIGINT mid-run: exit 130, in-flight requests cancelled" {
    volley_bg --grace 0.2 "$SERVER/hang?i=1" "$SERVER/hang?i=2"
    wait_inflight 2
    kill -INT "$bg_pid"
    volley_wait 130
    ndjson "$bg_out"
    jq -es 'length == 2 and (map(.id) | sort) == [1, 2]
            and all(.error.kind == "cancelled")' "$bg_out"
}

@test "--grace 0 cancels the in-flight requests at once" {
    volley_bg --grace 0 "$SERVER/delay/5000?i=1" "$SERVER/delay/5000?i=2"
    wait_inflight 2
    local t0=$EPOCHREALTIME
    kill -TERM "$bg_pid"
    volley_wait 143
    fless "$(since "$t0")" 2
    jq -es 'length == 2 and all(.error.kind == "cancelled")' "$bg_out"
}

@test "SIGTERM while bodies wait for their extraction with --save: every kept file whole, no temporary file left" {
    # A pool of 2 runs one extraction at a time (a slow XPath, ~0.2 s a
    # page), so the pages after the first wait for a turn, each with its
    # --save file (60 KB: written by the extraction's job) still to
    # write: the signal cancels their extraction; the files are written.
    local dir=$BATS_TEST_TMPDIR/save i
    mkdir "$dir"
    for i in 1 2 3 4 5 6 7 8; do echo "$SERVER/bightml/60/$i"; done \
        >"$BATS_TEST_TMPDIR/in"
    UV_THREADPOOL_SIZE=2 volley_bg -v -c 8 --grace 0 --save "$dir" \
        -x 'n=count(//node()[count(following::node()) > count(preceding::node())])' \
        -i "$BATS_TEST_TMPDIR/in"
    volley_wait_stderr '^volley: done #'
    kill -TERM "$bg_pid"
    volley_wait 143
    ndjson "$bg_out"
    jq -es 'length == 8 and any(.error.kind == "cancelled")' "$bg_out"
    # Each record's saved file has its body's size; nothing else is there.
    jq -r 'select(.saved) | "\(.saved) \(.size)"' "$bg_out" | {
        n=0
        while read -r path size; do
            [ "$(stat -c %s "$path")" -eq "$size" ] || fail "$path is not whole"
            n=$((n + 1))
        done
        [ "$(find "$dir" -type f | wc -l)" -eq "$n" ] || fail "files other than the saved ones"
    }
    [ "$(find "$dir" -name '.volley-*' | wc -l)" -eq 0 ]
}

@test "requests that finish within --grace get ok records; volley exits 143 when they are done, not at the end of the grace" {
    volley_bg --grace 5 "$SERVER/delay/300?i=1" "$SERVER/delay/300?i=2" \
        "$SERVER/delay/300?i=3"
    wait_inflight 3
    local t0=$EPOCHREALTIME
    kill -TERM "$bg_pid"
    volley_wait 143
    fless "$(since "$t0")" 3
    jq -es 'length == 3 and all(.ok and .status == 200)' "$bg_out"
}

@test "a second signal cancels at once, with the same records" {
    volley_bg -v -c 5 --grace 30 "$SERVER/hang?i=1" "$SERVER/hang?i=2" \
        "$SERVER/hang?i=3" "$SERVER/hang?i=4" "$SERVER/hang?i=5"
    wait_inflight 5
    kill -TERM "$bg_pid"
    # Two kills in a row may reach volley as one signal: wait until -v says
    # it took the first.
    volley_wait_stderr 'SIGTERM|signal'
    local t0=$EPOCHREALTIME
    kill -TERM "$bg_pid"
    volley_wait 143
    fless "$(since "$t0")" 3
    ndjson "$bg_out"
    jq -es 'length == 5 and (map(.id) | sort) == [1, 2, 3, 4, 5]
            and all(.error.kind == "cancelled")' "$bg_out"
}

@test "a first signal during a retry's backoff cancels that retry at once" {
    # At -c 1 the /delay/1000 (another host, so not behind the Retry-After
    # pause) only starts once the first request's first attempt is over and
    # it waits 20 s for its retry, holding no slot. The signal comes while
    # /delay/1000 is in flight: it finishes within --grace 30, and the
    # retry must not wait for the grace to end, nor for its 20 s.
    volley_bg -c 1 --grace 30 --retry-max-delay 30 \
        "$SERVER/retry-after-once/backoff/20" \
        "http://localhost:$SERVER_PORT/delay/1000"
    wait_inflight 1
    local t0=$EPOCHREALTIME
    kill -TERM "$bg_pid"
    volley_wait 143
    fless "$(since "$t0")" 3
    jq -es 'length == 2
            and (.[] | select(.id == 1)
                 | .error.kind == "cancelled" and .attempts == 1
                   and .error.message ==
                       "cancelled by a signal, while waiting to retry")
            and (.[] | select(.id == 2) | .ok)' "$bg_out"
    [ "$(stats | jq '.hits["/retry-after-once/backoff/20"]')" -eq 1 ]
}

@test "--deadline: a request parked behind its host says it was cancelled before it started, and why" {
    # --per-host 1: the second and third wait for the host's one slot.
    run_volley 1 --per-host 1 --deadline 1 "$SERVER/hang?i=1" \
        "$SERVER/status/200?i=2" "$SERVER/status/200?i=3"
    jq -es 'length == 3 and (sort_by(.id) | map(.error.message) ==
        ["cancelled: --deadline passed",
         "cancelled: --deadline passed, before it started",
         "cancelled: --deadline passed, before it started"])' <<<"$output"
}

@test "lines not yet read get no record; every request read gets exactly one" {
    # 20,000 lines at -c 5: reading only as fast as admission needs, volley
    # has read a small prefix when the signal comes, and stops reading.
    urls 20000 "$SERVER/delay/5000" >"$BATS_TEST_TMPDIR/in"
    volley_bg -c 5 --grace 0.1 -i "$BATS_TEST_TMPDIR/in"
    wait_inflight 5
    kill -TERM "$bg_pid"
    volley_wait 143
    ndjson "$bg_out"
    jq -es '(map(.id) | sort) as $ids
            | ($ids | length) >= 5 and ($ids | length) < 20000
            and $ids == [range(1; ($ids | length) + 1)]
            and all(.error.kind == "cancelled")' "$bg_out"
}

@test "--deadline 1 with /hang requests: exit 1, the in-flight ones cancelled at about 1 s, no request starts after it" {
    # -c 2: two hang, the /status/200 lines wait for a slot that only frees
    # at the deadline, when no request may start any more.
    local t0=$EPOCHREALTIME
    run_volley 1 -c 2 --deadline 1 "$SERVER/hang?i=1" "$SERVER/hang?i=2" \
        "$SERVER/status/200?i=3" "$SERVER/status/200?i=4"
    local took
    took=$(since "$t0")
    fless 0.9 "$took"
    fless "$took" 3
    jq -es '(map(.id) | sort) as $ids
            | ($ids | length) >= 2 and $ids == [range(1; ($ids | length) + 1)]
            and all(.error.kind == "cancelled")' <<<"$output"
    [ "$(stats | jq '.hits["/status/200"] // 0')" -eq 0 ]
}

@test "--deadline with everything done early exits 0 at once" {
    local t0=$EPOCHREALTIME
    run_volley 0 --deadline 30 "$SERVER/status/200" "$SERVER/delay/100"
    jq -es 'length == 2 and all(.ok)' <<<"$output"
    fless "$(since "$t0")" 5
}

@test "-v logs the shutdown on stderr: how many finished during the grace and how many were cancelled" {
    volley_bg -v --grace 1 "$SERVER/delay/300" "$SERVER/hang?i=1" \
        "$SERVER/hang?i=2"
    wait_inflight 3
    kill -TERM "$bg_pid"
    volley_wait 143
    ndjson "$bg_out"
    jq -es 'length == 3
            and ([.[] | select(.ok)] | length) == 1
            and ([.[] | select(.error.kind == "cancelled")] | length) == 2' \
        "$bg_out"
    # The summary: a line that names no URL, mentions "cancel", and says 2
    # (cancelled) and 1 (finished during the grace).
    local summary
    summary=$(grep -i 'cancel' "$bg_err" | grep -vF "$SERVER" || true)
    [[ -n $summary ]]
    [[ $summary =~ (^|[^0-9.#])2([^0-9.]|$) ]]
    [[ $summary =~ (^|[^0-9.#])1([^0-9.]|$) ]]
}

@test "stdin held open by a writer: SIGTERM stops reading, cancels what is in flight and exits 143 promptly" {
    local fifo=$BATS_TEST_TMPDIR/stdin.fifo w
    mkfifo "$fifo"
    exec {w}<>"$fifo" # the writer: kept open, never closed before the end
    printf '%s\n' "$SERVER/hang?i=1" "$SERVER/hang?i=2" >&"$w"
    VOLLEY_STDIN=$fifo volley_bg --grace 0.2
    wait_inflight 2
    local t0=$EPOCHREALTIME
    kill -TERM "$bg_pid"
    volley_wait 143
    exec {w}>&-
    fless "$(since "$t0")" 3
    jq -es 'length == 2 and all(.error.kind == "cancelled")' "$bg_out"
}

@test "stdin held open, idle after its lines are done: SIGTERM exits 143 at once" {
    local fifo=$BATS_TEST_TMPDIR/stdin.fifo w ofifo=$BATS_TEST_TMPDIR/out.fifo
    local o hold line
    mkfifo "$fifo" "$ofifo"
    exec {w}<>"$fifo"
    exec {hold}<>"$ofifo"
    exec {o}<"$ofifo"
    printf '%s\n' "$SERVER/status/200" >&"$w"
    VOLLEY_STDOUT=$ofifo VOLLEY_STDIN=$fifo volley_bg
    exec {hold}>&-
    # Its record is the event: volley runs, has nothing in flight and waits
    # for more input on a stdin that stays open.
    IFS= read -r -t 10 -u "$o" line || fail "no record for the first line"
    jq -e '.ok and .id == 1' <<<"$line"
    local t0=$EPOCHREALTIME
    kill -TERM "$bg_pid"
    volley_wait 143
    exec {w}>&-
    fless "$(since "$t0")" 3
    # nothing more was written: no record for an unread line
    run cat <&"$o"
    [ -z "$output" ]
    exec {o}<&-
}

@test "invalid --grace and --deadline values exit 2 and name the option" {
    local a
    for a in "--grace=x" "--grace=-1" "--deadline=x" "--deadline=-1" \
        "--deadline=0"; do
        run_volley 2 "$a" "$SERVER/status/200"
        [ -z "$output" ]
        [[ $stderr == *"${a%%=*}"*"${a#*=}"* ]]
    done
}

@test "Ctrl-C: 'stopping: N in flight get up to Gs; Ctrl-C again cancels them now', then a countdown on the progress line, no ETA" {
    volley_bg --progress --grace 1.5 -c 3 "$SERVER/status/200?i=1" \
        "$SERVER/hang?i=2" "$SERVER/hang?i=3"
    wait_inflight 2
    kill -INT "$bg_pid"
    # A progress line (drawn with \r, no newline) may come first: the
    # message is what ends the line read. The first request may still be
    # in flight.
    volley_wait_stderr 'volley: stopping: [23] in flight get up to 1\.5s; Ctrl-C again cancels them now$'
    volley_wait 130
    jq -es 'length == 3 and (map(select(.error.kind == "cancelled")) | length) == 2' "$bg_out"
    # After the message, the progress line counts down to the
    # cancellation: "stopping: 2 in flight, cancelled in 1.4s | ...".
    local after left
    after=$(sed -n '/Ctrl-C again cancels/,$p' "$bg_err" | tr '\r' '\n' |
        sed 's/\x1b\[K//g' | grep '^stopping: ' || true)
    [[ -n $after ]] || fail "no countdown after the message"
    [[ $after != *ETA* ]] || fail "an ETA while stopping: $after"
    left=$(sed -nE 's/^stopping: [23] in flight, cancelled in ([0-9.]+)s \| .*/\1/p' <<<"$after")
    [ "$(wc -l <<<"$left")" -ge 3 ] || fail "fewer than 3 countdown lines: $after"
    # non-increasing, from at most 1.5 s
    sort -rn -c <<<"$left" || fail "the countdown goes up: $left"
    fless "$(head -n 1 <<<"$left")" 1.51
}

@test "SIGTERM and -q: no stopping message (scripts and daemons are not told about Ctrl-C)" {
    volley_bg --grace 0.5 "$SERVER/hang?i=1"
    wait_inflight 1
    kill -TERM "$bg_pid"
    volley_wait 143
    [ ! -s "$bg_err" ]
    volley_bg -q --grace 0.5 "$SERVER/hang?i=1"
    wait_inflight 1
    kill -INT "$bg_pid"
    volley_wait 130
    [ ! -s "$bg_err" ]
}
