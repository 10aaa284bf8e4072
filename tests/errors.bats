#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154 # bash -c scripts take $1..; run sets $status, $output, $stderr
# Errors (issue 2, "Output": error kinds, and "Exit status"): each kind is
# reachable, a failure never spoils its siblings, exit 0 / 1.
# -r 0 everywhere a failure is expected: retries exist (default 2).

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    server_start
    tls_make_cert
    server_start_named TLS --tls-cert "$TLS_CERT" --tls-key "$TLS_KEY"
}

teardown_file() {
    server_stop_named TLS
    server_stop
}

# one_failure KIND: $output holds one failed record of that kind, with a
# message
one_failure() {
    jq -es --arg k "$1" 'length == 1 and (.[0].ok | not) and
        .[0].error.kind == $k and
        (.[0].error.message | type == "string" and length > 0)' <<<"$output"
}

@test "dns: a host that does not resolve gives kind dns, status null" {
    run_volley 1 -r 0 http://nonexistent.invalid/
    one_failure dns
    jq -es '.[0].status == null and .[0].attempts == 1' <<<"$output"
}

@test "connect: a port with nothing listening gives kind connect, status null" {
    local port
    port=$(dead_port)
    run_volley 1 -r 0 "http://127.0.0.1:$port/"
    one_failure connect
    jq -es '.[0].status == null' <<<"$output"
}

@test "timeout: /hang with -t 0.5 gives kind timeout, status null" {
    run_volley 1 -r 0 -t 0.5 "$SERVER/hang"
    one_failure timeout
    jq -es '.[0].status == null and .[0].time >= 0.4 and .[0].time < 3' <<<"$output"
}

@test "tls: a certificate that does not verify gives kind tls, status null" {
    run_volley 1 -r 0 "$TLS_URL/status/200"
    one_failure tls
    jq -es '.[0].status == null' <<<"$output"
}

@test "http: a final status >= 400 gives kind http and the status" {
    run_volley 1 -r 0 "$SERVER/status/404"
    one_failure http
    jq -es '.[0].status == 404' <<<"$output"
    run_volley 1 -r 0 "$SERVER/status/500"
    one_failure http
    jq -es '.[0].status == 500' <<<"$output"
    run_volley 1 -r 0 "$SERVER/status/400"
    one_failure http
    jq -es '.[0].status == 400' <<<"$output"
}

@test "ok is true when the final status is < 400" {
    run_volley 0 "$SERVER/status/399" "$SERVER/status/204" "$SERVER/status/200"
    jq -es 'length == 3 and all(.ok and .error == null) and
        ([.[].status] | sort == [200, 204, 399])' <<<"$output"
}

@test "too_large: a body over --max-body (/text/5000 with 1K)" {
    run_volley 1 -r 0 --max-body 1K "$SERVER/text/5000"
    one_failure too_large
}

@test "--max-body: K means 1024 bytes, and a body of exactly the limit is ok" {
    run_volley 1 -r 0 --max-body 1K "$SERVER/text/1024" "$SERVER/text/1025"
    jq -es 'sort_by(.id) | map([.ok, .error.kind]) ==
        [[true, null], [false, "too_large"]]' <<<"$output"
    run_volley 1 -r 0 --max-body 2k "$SERVER/text/2048" "$SERVER/text/2049"
    jq -es 'sort_by(.id) | map([.ok, .error.kind]) ==
        [[true, null], [false, "too_large"]]' <<<"$output"
}

@test "--max-body defaults to 10 MiB: 10 MiB is ok, one byte more is too_large" {
    run_volley 1 -r 0 "$SERVER/text/10485760" "$SERVER/text/10485761"
    jq -es 'sort_by(.id) | map([.ok, .error.kind]) ==
        [[true, null], [false, "too_large"]] and .[0].size == 10485760' <<<"$output"
}

@test "too_large: the decoded size counts (/gzip-bomb with --max-body 1M)" {
    run_volley 1 -r 0 --max-body 1M "$SERVER/gzip-bomb"
    one_failure too_large
    # it stops near the limit instead of inflating 64 MiB
    jq -es '.[0].time < 10 and ((.[0].size // 0) < 16 * 1048576)' <<<"$output"
}

@test "protocol: a redirect loop beyond --max-redirs 3" {
    stats_reset
    run_volley 1 -r 0 --max-redirs 3 "$SERVER/loop"
    one_failure protocol
    run stats
    jq -e '.hits["/loop"] == 4' <<<"$output"
}

@test "protocol: a malformed status line (/bad-status)" {
    run_volley 1 -r 0 "$SERVER/bad-status"
    one_failure protocol
    jq -es '.[0].status == null' <<<"$output"
}

@test "input: a bad input line gives kind input" {
    run_volley 1 -r 0 "ftp://127.0.0.1/x"
    one_failure input
    jq -es '.[0].status == null' <<<"$output"
}

@test "reset: a connection reset before the response gives a failed record, kind connect" {
    run_volley 1 -r 0 "$SERVER/reset"
    one_failure connect
    jq -es '.[0].status == null' <<<"$output"
}

@test "reset-mid-body: a reset in the middle of the body gives a failed record, kind protocol" {
    # After the status line a broken connection is a broken response.
    run_volley 1 -r 0 "$SERVER/reset-mid-body"
    one_failure protocol
    jq -es '.[0].status == 200' <<<"$output"
}

@test "timeout over https: a /hang times out while 10 /delay/50 siblings succeed" {
    {
        echo "$TLS_URL/hang"
        for ((i = 1; i <= 10; i++)); do echo "$TLS_URL/delay/50?i=$i"; done
    } >"$BATS_TEST_TMPDIR/in.txt"
    run_volley 1 -r 0 -k -t 1 -i "$BATS_TEST_TMPDIR/in.txt"
    jq -es 'length == 11 and
        ([.[] | select(.id == 1) | .error.kind] == ["timeout"]) and
        all(.[] | select(.id != 1); .ok and .time < 1)' <<<"$output"
}

@test "every failure leaves its siblings ok in the same run" {
    local port
    port=$(dead_port)
    {
        for i in 1 2 3 4 5; do echo "$SERVER/status/200?before=$i"; done
        echo "http://nonexistent.invalid/"
        echo "http://127.0.0.1:$port/"
        echo "$SERVER/hang"
        echo "$TLS_URL/status/200"
        echo "$SERVER/status/404"
        echo "$SERVER/text/300000"
        echo "$SERVER/loop"
        echo "ftp://127.0.0.1/x"
        echo "$SERVER/reset"
        echo "$SERVER/reset-mid-body"
        for i in 1 2 3 4 5; do echo "$SERVER/delay/50?after=$i"; done
    } >"$BATS_TEST_TMPDIR/in.txt"
    run_volley 1 -r 0 -t 1 --max-body 200K --max-redirs 3 -i "$BATS_TEST_TMPDIR/in.txt"
    jq -es 'length == 20 and
        (sort_by(.id) | map(.error.kind) ==
            [null, null, null, null, null,
             "dns", "connect", "timeout", "tls", "http", "too_large",
             "protocol", "input", "connect", "protocol",
             null, null, null, null, null]) and
        all(.ok == (.error == null))' <<<"$output"
}

@test "exit status 0 when every request is ok" {
    run_volley 0 "$SERVER/status/200" "$SERVER/redirect/1" "$SERVER/text/3"
    jq -es 'length == 3 and all(.ok)' <<<"$output"
}

@test "exit status 1 when any request failed" {
    run_volley 1 -r 0 "$SERVER/status/200" "$SERVER/status/503" "$SERVER/text/3"
    jq -es 'length == 3 and ([.[] | select(.ok | not) | .status] == [503])' <<<"$output"
}

@test "exit status 1 when only an input line is bad" {
    run_volley 1 "$SERVER/status/200" "not a url"
    jq -es 'length == 2 and ([.[] | select(.ok | not) | .error.kind] == ["input"])' \
        <<<"$output"
}
