#!/usr/bin/env bats
# Beyond one machine: --failures-ok and --id-prefix, for the engines that
# run volley on parts of a list.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

@test "--failures-ok: failed requests exit 0; a cancelled one still exits 1" {
    run_volley 0 --failures-ok -r 0 "$SERVER/status/200" "$SERVER/status/503" \
        "$SERVER/reset"
    jq -es 'length == 3 and (map(select(.ok)) | length) == 1' <<<"$output"
    # Without it, the same run exits 1.
    run_volley 1 -r 0 "$SERVER/status/200" "$SERVER/status/503"
    # A request cancelled by --deadline was not done: 1.
    run_volley 1 --failures-ok -r 0 --deadline 0.5 "$SERVER/status/404" \
        "$SERVER/delay/5000"
    jq -es 'map(.error.kind) | sort == ["cancelled", "http"]' <<<"$output"
}

@test "--failures-ok: 2, 3 and 143 keep their meaning" {
    run_volley 2 --failures-ok --shard 9/4 "$SERVER/status/200"
    run_volley 3 --failures-ok -o /dev/full "$SERVER/status/200"
    "$VOLLEY" --failures-ok --grace 0 -o /dev/null "$SERVER/delay/10000" &
    pid=$!
    curl -sf "$SERVER/_wait?inflight=1&timeout=20" >/dev/null
    kill -TERM "$pid"
    rc=0
    wait "$pid" || rc=$?
    [ "$rc" -eq 143 ]
}

@test "--id-prefix STR: ids are STR and the line number, as strings; a line's own id is kept" {
    list=$BATS_TEST_TMPDIR/list
    printf '%s\n' "$SERVER/status/200" "# a comment" \
        "{\"url\":\"$SERVER/status/201\",\"id\":7}" "not a url" \
        "{\"url\":\"$SERVER/status/202\"}" >"$list"
    run_volley 1 --id-prefix 'chunk "b":' -i "$list"
    jq -es 'map(.id) | sort_by(tostring) ==
        [7, "chunk \"b\":1", "chunk \"b\":4", "chunk \"b\":5"]' <<<"$output"
    # Positional URLs are numbered the same way.
    run_volley 0 --id-prefix x- "$SERVER/status/200" "$SERVER/status/200?2"
    jq -es 'map(.id) | sort == ["x-1", "x-2"]' <<<"$output"
    run_volley 2 --id-prefix x- --crawl 1 "$SERVER/status/200"
    run_volley 2 --id-prefix $'\xff' "$SERVER/status/200"
}

@test "--id-prefix: two chunks of a list merge with unique ids; --resume and --check match them" {
    local i
    for ((i = 1; i <= 10; i++)); do echo "$SERVER/status/200?i=$i"; done >"$BATS_TEST_TMPDIR/all"
    split -l 5 -d "$BATS_TEST_TMPDIR/all" "$BATS_TEST_TMPDIR/chunk-"
    for c in 00 01; do
        run_volley 0 --id-prefix "$c:" -i "$BATS_TEST_TMPDIR/chunk-$c" \
            -o "$BATS_TEST_TMPDIR/out-$c.ndjson"
    done
    cat "$BATS_TEST_TMPDIR"/out-*.ndjson >"$BATS_TEST_TMPDIR/merged"
    jq -es 'length == 10 and (map(.id) | unique | length) == 10' "$BATS_TEST_TMPDIR/merged"
    stats_reset
    run_volley 0 --id-prefix 01: -i "$BATS_TEST_TMPDIR/chunk-01" \
        -o "$BATS_TEST_TMPDIR/out-01.ndjson" --resume
    stats | jq -e '.total == 0'
    run_volley 0 --check --id-prefix 01: -i "$BATS_TEST_TMPDIR/chunk-01" \
        "$BATS_TEST_TMPDIR/out-01.ndjson"
    run_volley 1 --check -i "$BATS_TEST_TMPDIR/chunk-01" "$BATS_TEST_TMPDIR/out-01.ndjson"
}
