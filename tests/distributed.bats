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
