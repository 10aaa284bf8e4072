#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154 # bash -c scripts take $1..; run sets $status, $output, $stderr
# Order (issue 2, "Order"): records stream out as requests complete;
# --ordered writes them in input order without buffering the whole run.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

@test "default order is completion order: after a /delay/600, a /delay/10's record comes first" {
    run_volley 0 "$SERVER/delay/600" "$SERVER/delay/10"
    jq -es 'map(.id) == [2, 1] and all(.ok)' <<<"$output"
}

@test "records stream out as requests complete: the first is written while the slow one still runs" {
    # When the first record arrives, ask the server what is in flight: the
    # /delay/1200 must still be there.  No timing involved.
    local st=$BATS_TEST_TMPDIR/stats.json
    run --separate-stderr bash -c '"$VOLLEY" "$1/delay/1200" "$1/status/200" |
        { IFS= read -r first; curl -s "$1/_stats" >"$2"; printf "%s\n" "$first"; cat; }' \
        _ "$SERVER" "$st"
    assert_success
    jq -es 'map(.id) == [2, 1] and all(.ok)' <<<"$output"
    jq -e '.inflight == 1' "$st"
}

@test "--ordered: input order (ids ascending) for a mix of delays" {
    stats_reset
    run_volley 1 -r 0 --ordered "$SERVER/delay/500" "$SERVER/delay/10" \
        "ftp://127.0.0.1/bad" "$SERVER/delay/300" "$SERVER/status/404" \
        "$SERVER/status/200" "$SERVER/delay/150" "$SERVER/delay/50"
    jq -es 'map(.id) == [1, 2, 3, 4, 5, 6, 7, 8] and
        map(.ok) == [true, true, false, true, false, true, true, true]' <<<"$output"
    # still concurrent
    run stats
    jq -e '.total == 7 and .max_inflight >= 2' <<<"$output"
}

@test "--ordered: JSON ids come out in line order, not sorted by id" {
    {
        echo "{\"url\": \"$SERVER/delay/400\", \"id\": \"c\"}"
        echo "{\"url\": \"$SERVER/delay/10\", \"id\": \"a\"}"
        echo "{\"url\": \"$SERVER/delay/200\", \"id\": \"b\"}"
        echo "{\"url\": \"$SERVER/status/200\", \"id\": 0}"
    } >"$BATS_TEST_TMPDIR/in.jsonl"
    run_volley 0 --ordered -i "$BATS_TEST_TMPDIR/in.jsonl"
    jq -es 'map(.id) == ["c", "a", "b", 0]' <<<"$output"
}

@test "--ordered: 200 requests at -c 10 with random delays keep input order, all records" {
    local in=$BATS_TEST_TMPDIR/in.txt i
    RANDOM=20240601
    for ((i = 1; i <= 200; i++)); do
        echo "$SERVER/delay/$((RANDOM % 60))?i=$i"
    done >"$in"
    stats_reset
    run_volley 0 --ordered -c 10 -i "$in"
    jq -es 'length == 200 and all(.ok) and map(.id) == [range(1; 201)] and
        all((.url | capture("[?]i=(?<n>[0-9]+)$").n | tonumber) == .id)' <<<"$output"
    run stats
    jq -e '.total == 200 and .max_inflight <= 10 and .max_inflight >= 5' <<<"$output"
}

@test "--ordered does not buffer the whole run: admission waits while the oldest is pending" {
    # The head takes 1 s; 400 fast requests follow at -c 5.  With a bounded
    # reorder window only a few dozen may start before the head is done;
    # without one, all 400 would (they take a fraction of a second).
    # --http1.1: a connection per request, so nothing waits for the head's.
    local in=$BATS_TEST_TMPDIR/in.txt i
    {
        echo "$SERVER/delay/1000?head"
        for ((i = 2; i <= 401; i++)); do echo "$SERVER/status/200?i=$i"; done
    } >"$in"
    stats_reset
    run_volley 0 --http1.1 --ordered -c 5 -i "$in"
    jq -es 'length == 401 and all(.ok) and map(.id) == [range(1; 402)]' <<<"$output"
    run stats
    jq -e '.starts[0].path == "/delay/1000?head" and
        (.starts[0].t as $t0 | [.starts[] | select(.t < $t0 + 0.8)] | length) as $n |
        $n > 1 and $n < 150' <<<"$output"
}
