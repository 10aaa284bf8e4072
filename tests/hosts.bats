#!/usr/bin/env bats
# Per-host admission: --per-host caps and the pause a Retry-After puts on
# a whole host. The test server is reached as 127.0.0.1 and as localhost,
# two hosts to volley. A TLS server on 20 more ports is 20 hosts to
# libcurl's session cache.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    server_start
    tls_make_cert
    export TLS_PORTS=$BATS_FILE_TMPDIR/tls-ports
    server_start_named TLS --tls-cert "$TLS_CERT" --tls-key "$TLS_KEY" \
        --extra-ports 20 --extra-portfile "$TLS_PORTS"
}
teardown_file() {
    server_stop_named TLS
    server_stop
}

@test "--per-host 2: never more than 2 in flight per host, other hosts go on" {
    local list=$BATS_TEST_TMPDIR/list i
    other=${SERVER/127.0.0.1/localhost}
    for ((i = 1; i <= 8; i++)); do
        echo "$SERVER/delay/200?i=$i"
        echo "$other/delay/200?i=$i"
    done >"$list"
    stats_reset
    run_volley 0 -c 10 --per-host 2 -i "$list"
    jq -es 'length == 16 and all(.ok)' <<<"$output"
    stats | jq -e '.max_inflight_by_host["127.0.0.1:'"$SERVER_PORT"'"] == 2'
    stats | jq -e '.max_inflight_by_host["localhost:'"$SERVER_PORT"'"] == 2'
    stats | jq -e '.max_inflight == 4'
}

@test "--per-host: a bad value is a usage error" {
    run_volley 2 --per-host x "$SERVER/status/200"
    [[ $stderr == *"--per-host: 'x'"* ]]
    [ -z "$output" ]
}

@test "Retry-After on 429 pauses new requests to that host, not to others" {
    key=ra$RANDOM$RANDOM
    other=${SERVER/127.0.0.1/localhost}
    stats_reset
    run_volley 0 -c 1 "$SERVER/retry-after-once/$key/1" \
        "$SERVER/delay/10?a" "$other/delay/10?b" "$SERVER/delay/10?c"
    # The other host's request finished first, long before the pause ended.
    jq -es '.[0].id == 3 and .[0].time < 0.5' <<<"$output"
    # The same host's requests waited for the pause (about 1 s) before
    # their first start: queued, not part of their time.
    jq -es 'map(select(.id == 2 or .id == 4)) | all(.queued >= 0.9 and .time < 0.9)' \
        <<<"$output"
    jq -es 'map(select(.id == 1)) | .[0].attempts == 2 and .[0].ok' \
        <<<"$output"
}

@test "a host pause is capped by --retry-max-delay" {
    key=cap$RANDOM$RANDOM
    # Retry-After: 60 is beyond the cap of 0.3 s: no retry, the record says
    # why, and the host pause lasts the cap, not 60 s.
    run_volley 1 -c 1 --retry-max-delay 0.3 "$SERVER/retry-after-once/$key/60" \
        "$SERVER/delay/10?a"
    jq -es 'map(select(.id == 1))[0] | .status == 429 and .attempts == 1
            and (.error.message | test("retry-max-delay"))' <<<"$output"
    jq -es 'map(select(.id == 2))[0] | .ok and .queued >= 0.25 and .queued < 5' \
        <<<"$output"
}

# mean_gap HOSTPORT: the mean gap in seconds between the starts the
# server saw for that host (first to last, over the gaps between).
mean_gap() {
    stats | jq --arg h "$1" '[.starts[] | select(.host == $h) | .t] | sort
        | (.[-1] - .[0]) / (length - 1)'
}

# min_gap HOSTPORT: the least gap in seconds between two starts the server
# saw for that host.
min_gap() {
    stats | jq --arg h "$1" '[.starts[] | select(.host == $h) | .t] | sort
        | [., .[1:]] | transpose | map(select(.[1]) | .[1] - .[0]) | min'
}

@test "--rate 20: starts spaced by 50 ms at the server, whatever -c" {
    stats_reset
    run_volley 0 -c 10 --rate 20 $(for i in 1 2 3 4 5 6 7 8; do echo "$SERVER/status/200?i=$i"; done)
    jq -es 'length == 8 and all(.ok)' <<<"$output"
    # 50 ms apart on average (the server's clock): a single gap may shrink
    # by the arrival jitter of a loaded machine, so no gap is checked
    # alone; a burst makes the mean about 0.
    jq -en "$(mean_gap "127.0.0.1:$SERVER_PORT") >= 0.045"
}

@test "--rate 0.1: the end of the input is seen at once, not one interval (10 s) later" {
    local t0=$EPOCHREALTIME
    run_volley 0 --rate 0.1 "$SERVER/status/200"
    record | jq -e '.ok'
    # Before, the run waited for the next start's turn to find no line.
    fless "$(fsub "$EPOCHREALTIME" "$t0")" 5
}

@test "--rate-per-host 300/m: each host spaced by 200 ms, hosts in parallel" {
    other=${SERVER/127.0.0.1/localhost}
    stats_reset
    run_volley 0 -c 10 --rate-per-host 300/m \
        $(for i in 1 2 3 4; do echo "$SERVER/status/200?i=$i" "$other/status/200?i=$i"; done)
    jq -es 'length == 8 and all(.ok)' <<<"$output"
    jq -en "$(mean_gap "127.0.0.1:$SERVER_PORT") >= 0.18"
    jq -en "$(mean_gap "localhost:$SERVER_PORT") >= 0.18"
    jq -en "$(min_gap "127.0.0.1:$SERVER_PORT") >= 0.1"
    jq -en "$(min_gap "localhost:$SERVER_PORT") >= 0.1"
    # Both hosts went at once: the server saw all eight starts within
    # about 0.6 s, not 1.4 s (measured at the server, so the time volley
    # and bats take to start on a loaded machine does not count).
    stats | jq -e '[.starts[] | .t] | max - min < 1.1'
}

@test "--rate: a bad value is a usage error" {
    run_volley 2 --rate 0 "$SERVER/status/200"
    [[ $stderr == *"--rate: '0'"* ]]
    run_volley 2 --rate 5/h "$SERVER/status/200"
    run_volley 2 --rate-per-host abc "$SERVER/status/200"
}

@test "TLS sessions are resumed across connections to a host: 20 hosts, 3 rounds, a connection each" {
    local in=$BATS_TEST_TMPDIR/in r n
    for r in 1 2 3; do
        awk -v r="$r" '{ printf "https://127.0.0.1:%d/status/200?i=%d\n", $1, r * 100 + NR }' \
            "$TLS_PORTS"
    done >"$in"
    curl -sk "$TLS_URL/_stats?reset=1" >/dev/null
    # One easy handle (-c 1) goes to every host in turn; libcurl keeps 5
    # sessions in an easy handle and 8 in a share, so only a cache per
    # host resumes the second and third rounds.
    run_volley -k -c 1 -H 'Connection: close' -i "$in"
    jq -es 'length == 60 and all(.ok)' <<<"$output" >/dev/null
    # (the /_stats query is one more full handshake)
    n=$(curl -sk "$TLS_URL/_stats" | jq -c '[.tls_handshakes - 1, .tls_resumed]')
    [ "$n" = '[60,40]' ] || fail "handshakes and resumed: $n, expected [60,40]"
}
