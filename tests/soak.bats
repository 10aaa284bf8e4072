#!/usr/bin/env bats
# Soak (issue 3): 20,000 requests at -c 200 against the test server with
# faults mixed in give exactly one record per request line, every id once,
# each record right for its line, and the server saw each request as often
# as the records say. The valgrind soaks (1,000 requests; a SIGTERM
# shutdown) run only with VOLLEY_VALGRIND=1.

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
    volley_bg_stop
}

# soak_input N SEED: writes $BATS_TEST_TMPDIR/in with N request lines in a
# fixed random mix (plus a blank or comment line every 250, which get no
# record), and $BATS_TEST_TMPDIR/expect.json, {"<line>": "<class>"} for
# each request line. Classes: ok (/status/200, /delay/50), 503, 404, reset,
# input (bad lines of four sorts).
soak_input() {
    local dir=$BATS_TEST_TMPDIR
    awk -v S="$SERVER" -v n="$1" -v seed="$2" -v infile="$dir/in" '
        BEGIN {
            srand(seed)
            line = 0
            for (i = 1; i <= n; i++) {
                if (i % 250 == 0) {
                    line++
                    print ((i / 250) % 2 ? "# comment " i : "") > infile
                }
                r = rand()
                if (r < 0.86)      { u = S "/status/200?i=" i; c = "ok" }
                else if (r < 0.90) { u = S "/delay/50?i=" i;   c = "ok" }
                else if (r < 0.93) { u = S "/status/503?i=" i; c = "503" }
                else if (r < 0.96) { u = S "/status/404?i=" i; c = "404" }
                else if (r < 0.98) { u = S "/reset?i=" i;      c = "reset" }
                else {
                    c = "input"
                    k = int(rand() * 4)
                    if (k == 0)      u = "ftp://127.0.0.1/" i
                    else if (k == 1) u = "{\"url\": " i "}"
                    else if (k == 2) u = "{\"url\": \"broken " i
                    else             u = "not a url " i
                }
                line++
                print u > infile
                printf "%d\t%s\n", line, c
            }
        }' | jq -Rn '[inputs | split("\t") | {(.[0]): .[1]}] | add' \
        >"$dir/expect.json"
}

# count CLASS: how many request lines are of CLASS.
count() {
    jq --arg c "$1" '[.[] | select(. == $c)] | length' \
        "$BATS_TEST_TMPDIR/expect.json"
}

# check_soak_records: $output holds exactly one record per request line of
# expect.json, each right for its class (-r 1 was given).
check_soak_records() {
    jq -es --slurpfile exp "$BATS_TEST_TMPDIR/expect.json" '
        $exp[0] as $e
        | length == ($e | length)
        and (map(.id) | sort) == ($e | keys | map(tonumber) | sort)
        and all(.[];
            $e[.id | tostring] as $c
            | if $c == "ok" then
                .ok and .status == 200 and .attempts == 1 and .error == null
              elif $c == "503" then
                (.ok | not) and .status == 503 and .attempts == 2
                and .error.kind == "http"
              elif $c == "404" then
                (.ok | not) and .status == 404 and .attempts == 1
                and .error.kind == "http"
              elif $c == "reset" then
                (.ok | not) and .status == null and .attempts == 2
                and .error.kind == "connect"
              elif $c == "input" then
                (.ok | not) and .error.kind == "input"
              else false end)' <<<"$output"
}

# bats test_tags=slow
@test "soak: 20,000 requests at -c 200 with faults mixed in: exactly 20,000 records, every id once, exit 1" {
    soak_input 20000 20240601
    [ "$(jq length "$BATS_TEST_TMPDIR/expect.json")" -eq 20000 ]
    [ "$(wc -l <"$BATS_TEST_TMPDIR/in")" -eq 20080 ]

    run_volley 1 -c 200 -r 1 --retry-delay 0.01 --retry-max-delay 0.05 \
        -i "$BATS_TEST_TMPDIR/in"
    [ "${#lines[@]}" -eq 20000 ]
    check_soak_records

    # The server's view: nothing lost, nothing fetched twice, -c held.
    # (/reset is left out: libcurl itself resends a request once when a
    # reused connection dies before any response byte.)
    local st
    st=$(stats)
    jq -e --argjson ok "$(jq '[to_entries[] | select(.value == "ok")]
                                | length' "$BATS_TEST_TMPDIR/expect.json")" \
        --argjson n503 "$(count 503)" --argjson n404 "$(count 404)" '
        (.hits["/status/200"] // 0) + (.hits["/delay/50"] // 0) == $ok
        and (.hits["/status/503"] // 0) == 2 * $n503
        and (.hits["/status/404"] // 0) == $n404
        and .max_inflight <= 200 and .inflight == 0' <<<"$st"
}

# bats test_tags=slow,valgrind
@test "valgrind soak: 1,000 requests with faults mixed in, no leak or memory error (exit 1, not 88)" {
    use_valgrind
    soak_input 1000 7
    run_volley 1 -c 50 -r 1 --retry-delay 0.01 --retry-max-delay 0.05 \
        -i "$BATS_TEST_TMPDIR/in"
    check_soak_records
}

# bats test_tags=slow,valgrind
@test "valgrind: a SIGTERM shutdown mid-run cancels cleanly, no leak or memory error (exit 143, not 88)" {
    use_valgrind
    urls 200 "$SERVER/delay/5000" >"$BATS_TEST_TMPDIR/in"
    volley_bg -c 20 --grace 0.2 -i "$BATS_TEST_TMPDIR/in"
    wait_inflight 20 30
    kill -TERM "$bg_pid"
    volley_wait 143
    jq -es '(map(.id) | sort) as $ids
            | ($ids | length) >= 20 and $ids == [range(1; ($ids | length) + 1)]
            and all(.error.kind == "cancelled")' <<<"$output"
}
