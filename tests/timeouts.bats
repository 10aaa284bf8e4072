#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154 # bash -c scripts take $1..; run sets $status, $output, $stderr
# Timeouts and concurrency (issue 2, -t and -c; "Tests": concurrency is
# really bounded and really concurrent, a hang times out while its siblings
# succeed).  The server's /_stats says what it saw in flight.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

@test "-t per attempt: a /hang times out while 20 /delay/50 siblings succeed" {
    { echo "$SERVER/hang"; urls 20 "$SERVER/delay/50"; } >"$BATS_TEST_TMPDIR/in.txt"
    run_volley 1 -r 0 -t 1 -i "$BATS_TEST_TMPDIR/in.txt"
    jq -es 'length == 21 and
        ([.[] | select(.id == 1) | .error.kind] == ["timeout"]) and
        all(.[] | select(.id != 1); .ok and .time < 1)' <<<"$output"
}

@test "-t 0.3: a fractional timeout works (time in the record < 2 s)" {
    run_volley 1 -r 0 -t 0.3 "$SERVER/hang"
    jq -es 'length == 1 and .[0].error.kind == "timeout" and
        .[0].time >= 0.25 and .[0].time < 2' <<<"$output"
    # and a request that fits in it is ok
    run_volley 0 -t 0.3 "$SERVER/delay/50"
    jq -es 'length == 1 and .[0].ok' <<<"$output"
}

@test "-t SECS applies to the whole transfer: a body dripping past it times out" {
    # 30 bytes, one per 50 ms: 1.5 s in all, the first byte at once
    run_volley 1 -r 0 -t 0.5 "$SERVER/drip/30/50"
    jq -es 'length == 1 and .[0].error.kind == "timeout" and .[0].time < 1.4' \
        <<<"$output"
}

@test "-t 0: no limit (a 300 ms request is ok)" {
    run_volley 0 -t 0 "$SERVER/delay/300"
    jq -es 'length == 1 and .[0].ok' <<<"$output"
}

@test "-c 3: never more than 3 in flight at the server" {
    urls 9 "$SERVER/delay/150" >"$BATS_TEST_TMPDIR/in.txt"
    stats_reset
    run_volley 0 -c 3 -i "$BATS_TEST_TMPDIR/in.txt"
    jq -es 'length == 9 and all(.ok)' <<<"$output"
    run stats
    jq -e '.total == 9 and .max_inflight == 3' <<<"$output"
}

@test "-c 1 serialises: one in flight at a time" {
    urls 6 "$SERVER/delay/50" >"$BATS_TEST_TMPDIR/in.txt"
    stats_reset
    run_volley 0 --concurrency 1 -i "$BATS_TEST_TMPDIR/in.txt"
    jq -es 'length == 6 and all(.ok)' <<<"$output"
    run stats
    jq -e '.total == 6 and .max_inflight == 1' <<<"$output"
}

@test "-c 40: 40 x /delay/300 finish in well under 40 x 300 ms" {
    urls 40 "$SERVER/delay/300" >"$BATS_TEST_TMPDIR/in.txt"
    local t0 t1
    t0=$(date +%s%N)
    run_volley 0 -c 40 -i "$BATS_TEST_TMPDIR/in.txt"
    t1=$(date +%s%N)
    jq -es 'length == 40 and all(.ok)' <<<"$output"
    # 12 s if serial; 0.3 s if all at once
    (((t1 - t0) / 1000000 < 4000)) || fail "took $(((t1 - t0) / 1000000)) ms"
}

@test "-c 40: the server's in-flight maximum equals -c (all 40 at once)" {
    urls 40 "$SERVER/delay/300" >"$BATS_TEST_TMPDIR/in.txt"
    stats_reset
    run_volley 0 -c 40 -i "$BATS_TEST_TMPDIR/in.txt"
    jq -es 'length == 40 and all(.ok)' <<<"$output"
    run stats
    jq -e '.total == 40 and .max_inflight == 40' <<<"$output"
}

@test "-c defaults to 50: 60 x /delay/300 reach 50 in flight, never more" {
    urls 60 "$SERVER/delay/300" >"$BATS_TEST_TMPDIR/in.txt"
    stats_reset
    run_volley 0 -i "$BATS_TEST_TMPDIR/in.txt"
    jq -es 'length == 60 and all(.ok)' <<<"$output"
    run stats
    jq -e '.total == 60 and .max_inflight == 50' <<<"$output"
}

@test "-m/--max-time caps a request's whole time: attempts and waits included, the last attempt cut" {
    # Without -m: 1 s per attempt, 3 attempts (the worst case, -r 2).
    # With -m 1.5 the second attempt gets only what is left, and no third
    # one is made.
    run_volley 1 -t 1 -r 5 --retry-delay 0.05 -m 1.5 "$SERVER/hang"
    jq -es 'length == 1 and .[0].error.kind == "timeout"
        and .[0].attempts == 2 and .[0].time >= 1.4 and .[0].time < 2.5
        and (.[0].error.message | test("--max-time 1.5s is spent"))' <<<"$output"
    # -t 0 (no limit per attempt): -m alone ends the attempt
    run_volley 1 -t 0 --max-time 0.5 "$SERVER/hang"
    jq -es '.[0].error.kind == "timeout" and .[0].attempts == 1
        and .[0].time < 1.5' <<<"$output"
    # a request that fits is ok
    run_volley 0 -m 5 "$SERVER/delay/50"
    jq -es '.[0].ok' <<<"$output"
}

@test "-m: a retry whose wait would pass --max-time is not made, and the record says why" {
    # /retry-after/2 answers 429 with Retry-After: 2, past -m 1.
    run_volley 1 -m 1 "$SERVER/retry-after/2"
    jq -es '.[0].attempts == 1 and .[0].status == 429 and (.[0].error.message |
        test("not retried: the wait of 2.0s would pass --max-time 1.0s"))' \
        <<<"$output"
}

@test "-m counts from the first attempt's start: time queued behind -c does not count" {
    # -c 1: the second /delay/600 waits 0.6 s for a slot, then takes 0.6 s
    # itself; -m 1 caps each from its own start, so both are ok.
    run_volley 0 -c 1 -m 1 "$SERVER/delay/600?i=1" "$SERVER/delay/600?i=2"
    jq -es 'length == 2 and all(.ok)' <<<"$output"
}

@test "--help and the man page state the worst case of a request without -m" {
    local man=${VOLLEY_MAN:-$BATS_TEST_DIRNAME/../man/volley.1} text
    text=$("$VOLLEY" --help | tr -s ' \n' '  ')
    [[ $text == *"without it a request may take (-r + 1) x -t plus the waits"* ]] ||
        fail "--help does not state the worst case"
    command -v groff >/dev/null || skip "groff is not installed"
    text=$(groff -man -Tutf8 "$man" 2>/dev/null | col -b | tr -s ' \n\t' '   ')
    [[ $text == *"(-r + 1) × -t plus the waits"* ]] ||
        fail "the man page does not state the worst case"
}
