#!/usr/bin/env bats
# The fault matrix (issue 3): each fault gives the right record and never
# stops or corrupts its siblings. Every case runs in one volley run with
# five ok siblings behind it (the fault is line 1, so it is admitted first
# and its siblings run while it fails): the run gives exactly one record per
# line, and the siblings stay ok at their first attempt. Sanitizer builds
# are checked by run_volley (ASan/UBSan exit codes and stderr text).

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

teardown() {
    server_stop_named TLS
}

# matrix RC FAULT_URL [ARGS...]: run volley with ARGS on FAULT_URL and five
# ok siblings; expect exit RC, one record per line (ids 1..6), the siblings
# ok at their first attempt. Sets $fault to the fault's record.
matrix() {
    local rc=$1 url=$2 in=$BATS_TEST_TMPDIR/in
    shift 2
    {
        printf '%s\n' "$url"
        printf '%s\n' "$SERVER/status/200?sib=2" "$SERVER/bytes/4096?sib=3" \
            "$SERVER/gzip?sib=4" "$SERVER/delay/100?sib=5" \
            "$SERVER/text/1000?sib=6"
    } >"$in"
    run_volley "$rc" "$@" -i "$in"
    jq -es '(map(.id) | sort) == [1, 2, 3, 4, 5, 6]
            and ([.[] | select(.id != 1)]
                 | all(.ok and .status == 200 and .attempts == 1
                       and .error == null))
            and ([.[] | select(.id == 3)][0].size == 4096)
            and ([.[] | select(.id == 6)][0].size == 1000)' <<<"$output"
    # slurped: jq 1.6's -e judges only the last input
    fault=$(jq -esc 'map(select(.id == 1)) | .[0]' <<<"$output")
    echo "# fault record: $fault"
}

# is JQ: the fault record satisfies the jq condition JQ.
is() {
    jq -e "$1" <<<"$fault" >/dev/null || fail "fault record fails: $1"
}

@test "connection refused: kind connect, siblings ok" {
    matrix 1 "http://127.0.0.1:1/" --retry-delay 0.01
    is '(.ok | not) and .status == null and .error.kind == "connect"'
}

@test "DNS failure (a .invalid host): kind dns, siblings ok" {
    matrix 1 "http://volley-fault-test.invalid/" --retry-delay 0.01
    is '(.ok | not) and .status == null and .error.kind == "dns"'
}

@test "TLS handshake failure (https:// to the plain server): kind tls, siblings ok" {
    matrix 1 "https://127.0.0.1:$SERVER_PORT/status/200" \
        -r 0 --connect-timeout 3
    is '(.ok | not) and .status == null and .error.kind == "tls"'
}

@test "untrusted certificate (self-signed TLS server): kind tls without -k; -k accepts it" {
    tls_make_cert
    server_start_named TLS --tls-cert "$TLS_CERT" --tls-key "$TLS_KEY"
    matrix 1 "$TLS_URL/status/200"
    is '(.ok | not) and .status == null and .error.kind == "tls"
        and .attempts == 1'
    matrix 0 "$TLS_URL/status/200" -k
    is '.ok and .status == 200'
}

@test "reset before headers (/reset): kind connect, siblings ok" {
    matrix 1 "$SERVER/reset" --retry-delay 0.01
    is '(.ok | not) and .status == null and .error.kind == "connect"
        and .attempts == 3'
}

@test "reset mid-body (/reset-mid-body): not ok, not retried, siblings ok" {
    matrix 1 "$SERVER/reset-mid-body"
    is '(.ok | not) and .attempts == 1
        and (.error.kind | IN("connect", "protocol"))'
}

@test "a server that hangs (/hang, -t 0.5): kind timeout, siblings ok" {
    matrix 1 "$SERVER/hang" -t 0.5 -r 0
    is '(.ok | not) and .status == null and .error.kind == "timeout"
        and .time >= 0.45'
}

@test "a body that trickles slower than the timeout (/drip/1000/20, -t 0.5): kind timeout, siblings ok" {
    matrix 1 "$SERVER/drip/1000/20" -t 0.5 -r 0
    is '(.ok | not) and .status == 200 and .error.kind == "timeout"'
}

@test "429 with Retry-After: 1 (/retry-after-once): ok after one retry, siblings ok" {
    matrix 0 "$SERVER/retry-after-once/fm/1"
    is '.ok and .status == 200 and .attempts == 2 and .time >= 0.95'
    [ "$(hits /retry-after-once/fm/1)" -eq 2 ]
}

@test "503 twice then 200 (/flaky): ok at the third attempt, siblings ok" {
    matrix 0 "$SERVER/flaky/fm/2" --retry-delay 0.01
    is '.ok and .status == 200 and .attempts == 3'
    [ "$(hits /flaky/fm/2)" -eq 3 ]
}

@test "redirect loop (/loop, --max-redirs 5): kind protocol, --max-redirs respected, siblings ok" {
    matrix 1 "$SERVER/loop" --max-redirs 5
    is '(.ok | not) and .error.kind == "protocol" and .attempts == 1
        and .redirects == 5'
    # the first request and five redirects
    [ "$(hits /loop)" -eq 6 ]
}

@test "gzip bomb (--max-body 1M): kind too_large, siblings ok" {
    matrix 1 "$SERVER/gzip-bomb" --max-body 1M
    is '(.ok | not) and .error.kind == "too_large" and .attempts == 1'
}

@test "200 KiB of response headers (/headers/200): one record, siblings ok" {
    # curl decides whether that is acceptable; either way one record.
    matrix '?' "$SERVER/headers/200" --headers
    [[ $status -eq 0 || $status -eq 1 ]]
    is 'if .ok then .status == 200 and (.headers | type) == "object"
        else (.error.kind | type) == "string" end'
}

@test "malformed status line (/bad-status): kind protocol (not input), siblings ok" {
    matrix 1 "$SERVER/bad-status"
    is '(.ok | not) and .status == null and .attempts == 1
        and (.error.kind | IN("protocol", "other"))'
}

@test "the whole fault matrix in one run: one record per line, ok lines stay ok" {
    tls_make_cert
    server_start_named TLS --tls-cert "$TLS_CERT" --tls-key "$TLS_KEY"
    local in=$BATS_TEST_TMPDIR/in i
    {
        for i in $(seq 1 10); do
            printf '%s\n' "$SERVER/status/200?ok=$i"
        done
        printf '%s\n' "http://127.0.0.1:1/" \
            "http://volley-fault-test.invalid/" \
            "$TLS_URL/status/200" "$SERVER/reset" "$SERVER/reset-mid-body" \
            "$SERVER/hang" "$SERVER/drip/1000/20" \
            "$SERVER/retry-after-once/all/1" "$SERVER/flaky/all/2" \
            "$SERVER/loop" "$SERVER/gzip-bomb" "$SERVER/headers/200" \
            "$SERVER/bad-status"
        for i in $(seq 11 20); do
            printf '%s\n' "$SERVER/delay/50?ok=$i"
        done
    } >"$in"
    run_volley 1 -c 8 -t 1.5 --retry-delay 0.01 --max-redirs 5 \
        --max-body 1M -i "$in"
    jq -es '(map(.id) | sort) == [range(1; 34)]
            and ([.[] | select(.url | test("[?]ok="))]
                 | length == 20 and all(.ok and .attempts == 1))
            and ([.[] | select(.url | test("retry-after-once|flaky"))]
                 | all(.ok))' <<<"$output"
}
