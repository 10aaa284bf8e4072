#!/usr/bin/env bats
# Retries (issue 3): which failures are retried, for which methods, how long
# volley waits (backoff with full jitter, Retry-After, --retry-max-delay,
# --deadline), and that a request waiting for its retry holds no slot.
# The server's view (hits, start times) comes from /_stats; each test resets
# it, and with it the /flaky and /retry-after-once counters.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    # Tests read and reset one server's counters: never two at once.
    export BATS_NO_PARALLELIZE_WITHIN_FILE=true
    server_start
}

teardown_file() {
    server_stop
}

setup() {
    stats_reset
}

# starts PATH: the server's start times (monotonic s) of PATH, one a line.
starts() {
    stats | jq --arg p "$1" '.starts[] | select(.path == $p) | .t'
}

@test "-r 2 is the default: /flaky 503 twice then 200 is ok after 3 attempts, 3 hits at the server" {
    run_volley 0 "$SERVER/flaky/def/2"
    jq -es 'length == 1 and .[0].ok and .[0].status == 200
            and .[0].attempts == 3 and .[0].error == null' <<<"$output"
    [ "$(hits /flaky/def/2)" -eq 3 ]
}

@test "-r 1: 503 twice is not ok after 2 attempts; the record keeps the last status and error" {
    run_volley 1 -r 1 --retry-delay 0.01 "$SERVER/flaky/r1/2"
    jq -es 'length == 1 and (.[0].ok | not) and .[0].status == 503
            and .[0].attempts == 2 and .[0].error.kind == "http"' <<<"$output"
    [ "$(hits /flaky/r1/2)" -eq 2 ]
}

@test "-r 0: a transient 503 is not retried" {
    run_volley 1 -r 0 "$SERVER/flaky/r0/2"
    jq -es 'length == 1 and .[0].status == 503 and .[0].attempts == 1' \
        <<<"$output"
    [ "$(hits /flaky/r0/2)" -eq 1 ]
}

@test "default --retry-on is 408,429,500,502,503,504: those are retried, other statuses are not" {
    local code args=()
    for code in 400 404 408 429 500 501 502 503 504 505; do
        args+=("$SERVER/status/$code")
    done
    run_volley 1 -r 1 --retry-delay 0.01 "${args[@]}"
    jq -es 'length == 10 and all(
              .attempts == (if (.status | IN(408, 429, 500, 502, 503, 504))
                            then 2 else 1 end)
              and .error.kind == "http")' <<<"$output"
    for code in 400 404 501 505; do
        [ "$(hits "/status/$code")" -eq 1 ]
    done
    for code in 408 429 500 502 503 504; do
        [ "$(hits "/status/$code")" -eq 2 ]
    done
}

@test "POST (-d x) is not retried and the record says why; --retry-all-methods retries it" {
    run_volley 1 -d x --retry-delay 0.01 "$SERVER/flaky/post/2"
    record | jq -e '.attempts == 1 and .status == 503
                    and (.error.message | test("retry-all-methods|idempotent"))'
    [ "$(hits /flaky/post/2)" -eq 1 ]

    stats_reset
    run_volley 0 -d x --retry-all-methods --retry-delay 0.01 \
        "$SERVER/flaky/post/2"
    record | jq -e '.ok and .attempts == 3'
    [ "$(hits /flaky/post/2)" -eq 3 ]
}

@test "idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) are retried; POST and PATCH are not unless --retry-all-methods" {
    local in=$BATS_TEST_TMPDIR/in m
    for m in GET HEAD PUT DELETE OPTIONS POST PATCH; do
        jq -cn --arg u "$SERVER/flaky/m-$m/1" --arg m "$m" \
            '{url: $u, method: $m, id: $m}'
    done >"$in"

    run_volley 1 --retry-delay 0.01 -i "$in"
    jq -es 'length == 7 and all(
              if (.id | IN("POST", "PATCH"))
              then .attempts == 1 and .status == 503
              else .ok and .attempts == 2 end)' <<<"$output"

    stats_reset
    run_volley 0 --retry-delay 0.01 --retry-all-methods -i "$in"
    jq -es 'length == 7 and all(.ok and .attempts == 2)' <<<"$output"
}

@test "--retry-on 404 replaces the status list: a 404 is retried and a 503 then is not" {
    run_volley 1 --retry-on 404 --retry-delay 0.01 \
        "$SERVER/status/404" "$SERVER/status/503"
    jq -es 'length == 2 and all(
              if .status == 404 then .attempts == 3 else .attempts == 1 end)
            and (map(.status) | sort) == [404, 503]' <<<"$output"
    [ "$(hits /status/404)" -eq 3 ]
    [ "$(hits /status/503)" -eq 1 ]
}

@test "Retry-After: 1 on a 429 sets the wait: ok after 2 attempts >= 1 s apart, and time covers the wait" {
    run_volley 0 "$SERVER/retry-after-once/ra/1"
    record | jq -e '.ok and .status == 200 and .attempts == 2 and .time >= 0.95'
    local t
    mapfile -t t < <(starts /retry-after-once/ra/1)
    [ "${#t[@]}" -eq 2 ]
    fless 0.9 "$(fsub "${t[1]}" "${t[0]}")"
}

@test "Retry-After sets the wait instead of the backoff: with --retry-delay 20 five 429s with Retry-After: 1 are retried after about 1 s" {
    # The backoff would draw waits from [0, 20 s]: all five in [0.9, 2.5]
    # by chance has odds (1.6/20)^5.
    local i args=()
    for i in 1 2 3 4 5; do
        args+=("$SERVER/retry-after-once/ra$i/1")
    done
    run_volley 0 --retry-delay 20 --retry-max-delay 20 "${args[@]}"
    jq -es 'length == 5 and all(.ok and .attempts == 2
                                and .time >= 0.95 and .time < 2.5)' \
        <<<"$output"
    jq -e '[.starts | group_by(.path)[] | .[1].t - .[0].t] as $gaps
           | ($gaps | length) == 5
           and ($gaps | all(. >= 0.9 and . <= 2.5))' <<<"$(stats)"
}

@test "a Retry-After beyond --retry-max-delay (default 30) means no retry, and the record says why" {
    run_volley 1 "$SERVER/retry-after/120"
    record | jq -e '.attempts == 1 and .status == 429 and .error.kind == "http"
                    and (.error.message | test("Retry-After|retry-max-delay"))'
    [ "$(hits /retry-after/120)" -eq 1 ]
}

@test "--retry-max-delay caps a Retry-After too: Retry-After 1 with --retry-max-delay 0.5 is not retried" {
    run_volley 1 --retry-max-delay 0.5 "$SERVER/retry-after/1"
    record | jq -e '.attempts == 1 and .status == 429
                    and (.error.message | test("Retry-After|retry-max-delay"))'
    [ "$(hits /retry-after/1)" -eq 1 ]
}

@test "a retry wait that would pass --deadline is not made, and the record says why" {
    local t0=$EPOCHREALTIME
    run_volley 1 --deadline 3 "$SERVER/retry-after/10"
    record | jq -e '.attempts == 1 and .status == 429
                    and (.error.message | test("deadline"))'
    # no waiting for a retry that will not come
    fless "$(fsub "$EPOCHREALTIME" "$t0")" 2
}

@test "--retry-delay and --retry-max-delay bound the wait: -r 3 --retry-delay 0.01 --retry-max-delay 0.05 makes 4 quick attempts" {
    local t0=$EPOCHREALTIME
    run_volley 1 -r 3 --retry-delay 0.01 --retry-max-delay 0.05 \
        "$SERVER/status/503"
    record | jq -e '.attempts == 4 and .status == 503 and .time < 1'
    [ "$(hits /status/503)" -eq 4 ]
    fless "$(fsub "$EPOCHREALTIME" "$t0")" 2
}

@test "--retry-max-delay caps the exponential backoff: --retry-delay 10 --retry-max-delay 0.1" {
    run_volley 1 -r 2 --retry-delay 10 --retry-max-delay 0.1 \
        "$SERVER/status/503"
    record | jq -e '.attempts == 3 and .time < 1.5'
    [ "$(hits /status/503)" -eq 3 ]
}

@test "backoff has full jitter: first retries wait random(0, --retry-delay), spread out, never above it" {
    # 20 requests fail once, each waits uniform [0, 1 s] before its retry.
    # All 20 under 0.4 s has odds 0.4^20; a spread under 0.2 s is as rare.
    local i args=()
    for i in $(seq 1 20); do
        args+=("$SERVER/flaky/jit$i/1")
    done
    run_volley 0 -c 20 --retry-delay 1 --retry-max-delay 5 "${args[@]}"
    jq -es 'length == 20 and all(.ok and .attempts == 2)' <<<"$output"
    jq -e '[.starts | group_by(.path)[] | select(length == 2)
             | .[1].t - .[0].t] as $gaps
           | ($gaps | length) == 20
           and ($gaps | max) <= 1.25 and ($gaps | max) >= 0.4
           and (($gaps | max) - ($gaps | min)) >= 0.2' <<<"$(stats)"
}

@test "a request waiting for its retry holds no concurrency slot: at -c 1 the others finish during the wait" {
    # The others go to "localhost", another host for volley: a Retry-After
    # also pauses its own host (per-host backoff, tested below).
    local i args=("$SERVER/retry-after-once/slot/1")
    for i in 1 2 3 4 5; do
        args+=("http://localhost:$SERVER_PORT/delay/50?i=$i")
    done
    local t0=$EPOCHREALTIME
    run_volley 0 -c 1 "${args[@]}"
    fless "$(fsub "$EPOCHREALTIME" "$t0")" 1.8
    jq -es 'length == 6 and all(.ok)
            and .[-1].id == 1 and .[-1].attempts == 2
            and (.[:5] | all(.attempts == 1 and .time < 0.9))' <<<"$output"
}

@test "a 429 with Retry-After pauses new requests to that host, not to other hosts" {
    run_volley 0 -c 1 "$SERVER/retry-after-once/host/1" \
        "$SERVER/status/200?same=1" "$SERVER/status/200?same=2" \
        "http://localhost:$SERVER_PORT/status/200?other=1"
    jq -es 'length == 4 and all(.ok)' <<<"$output"
    jq -e '.starts as $s
           | ($s | map(select(.path == "/retry-after-once/host/1"))
                 | .[0].t) as $t0
           | ($s | map(select(.path | startswith("/status/200?same=")))) as $same
           | ($s | map(select(.path == "/status/200?other=1"))) as $other
           | ($same | length) == 2 and ($other | length) == 1
           and ($same | all(.t - $t0 >= 0.9))
           and ($other[0].t - $t0 < 0.5)' <<<"$(stats)"
}

@test "dns failures (a .invalid host) are retried" {
    run_volley 1 --retry-delay 0.01 "http://volley-retry-test.invalid/"
    record | jq -e '.error.kind == "dns" and .attempts == 3 and .status == null'
}

@test "connect failures (connection refused) are retried" {
    run_volley 1 --retry-delay 0.01 "http://127.0.0.1:1/"
    record | jq -e '.error.kind == "connect" and .attempts == 3'
}

@test "timeouts are retried, and time covers every attempt" {
    run_volley 1 -t 0.2 --retry-delay 0.01 "$SERVER/hang"
    record | jq -e '.error.kind == "timeout" and .attempts == 3
                    and .time >= 0.6'
    [ "$(hits /hang)" -eq 3 ]
}

@test "a connection reset before any response byte (/reset) is retried" {
    run_volley 1 --retry-delay 0.01 "$SERVER/reset"
    record | jq -e '(.ok | not) and .status == null and .attempts == 3'
    [ "$(hits /reset)" -eq 3 ]
}

@test "a reset after response bytes came (/reset-mid-body) is not retried" {
    run_volley 1 --retry-delay 0.01 "$SERVER/reset-mid-body"
    record | jq -e '(.ok | not) and .attempts == 1'
    [ "$(hits /reset-mid-body)" -eq 1 ]
}

@test "time covers all attempts and the backoff between them" {
    # /flaky/K/2 at --retry-delay 0.2 --retry-max-delay 0.2: two waits in
    # [0, 0.2]; time must reach from the first start to the last response.
    run_volley 0 --retry-delay 0.2 --retry-max-delay 0.2 "$SERVER/flaky/tm/2"
    local rec t
    rec=$(record)
    mapfile -t t < <(starts /flaky/tm/2)
    [ "${#t[@]}" -eq 3 ]
    jq -e --argjson span "$(fsub "${t[2]}" "${t[0]}")" \
        '.attempts == 3 and .time >= $span' <<<"$rec"
}

@test "invalid retry option values exit 2, name the option and print nothing on stdout" {
    local a
    for a in "--retry-on=99" "--retry-on=abc" "--retry-on=600" \
        "--retry-delay=x" "--retry-delay=-1" "--retry-max-delay=x" \
        "--retries=-1" "--retries=x"; do
        run_volley 2 "$a" "$SERVER/status/200"
        [ -z "$output" ]
        [[ $stderr == *"${a%%=*}"*"${a#*=}"* ]]
    done
    [ "$(stats | jq .total)" -eq 0 ]
}

@test "Retry-After as an HTTP date on a 503 sets the wait" {
    key=date$RANDOM$RANDOM
    run_volley 0 "$SERVER/retry-after-date-once/$key/2"
    # The date has whole seconds: the wait is 1 to 2 s, not the 0.5 s base.
    jq -es '.[0].ok and .[0].attempts == 2 and .[0].time >= 0.9 and .[0].time < 5' \
        <<<"$output"
}

@test "-v: a retry line names the request's id and the attempt, never 'retry #ID'" {
    run_volley 1 -v -r 2 --retry-delay 0.01 "$SERVER/status/200" "$SERVER/status/503"
    local lines
    lines=$(grep -c "^volley: retry of #2 $SERVER/status/503: attempt [23] of 3 in [0-9.]*s, after HTTP" <<<"$stderr")
    [ "$lines" -eq 2 ] || fail "want 2 retry lines naming #2 and the attempt: $stderr"
    [[ $stderr != *"retry #"* ]] || fail "'retry #' is back: $stderr"
}
