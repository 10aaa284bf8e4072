#!/usr/bin/env bats
# volley --check -i LIST FILE...: whether record files hold each request
# of LIST exactly once, LIST read as a run reads it (--shard,
# --input-format, --id-prefix). It fetches nothing.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

# make_parts N: LIST of 40 URLs and a bad line, fetched in N shards into
# part-K.ndjson
make_parts() {
    local i k
    list=$BATS_TEST_TMPDIR/list
    for ((i = 1; i <= 40; i++)); do echo "$SERVER/status/200?i=$i"; done >"$list"
    echo "not a url" >>"$list"
    for ((k = 0; k < $1; k++)); do
        "$VOLLEY" -q -c 8 --shard "$k/$1" -i "$list" \
            -o "$BATS_TEST_TMPDIR/part-$k.ndjson" || [ $? -eq 1 ]
    done
}

# summary: the last line of $output, the summary object
summary() {
    tail -n 1 <<<"$output"
}

@test "--check: the parts of every shard are complete: one summary line, exit 0, no request made" {
    make_parts 4
    stats_reset
    run_volley 0 --check -i "$list" "$BATS_TEST_TMPDIR"/part-{0,1,2,3}.ndjson
    [ "${#lines[@]}" -eq 1 ]
    summary | jq -e '.requests == 41 and .once == 41 and .missing == 0 and
        .cancelled == 0 and .duplicated == 0 and .other_records == 0 and
        .complete == true and (has("shard") | not)'
    stats | jq -e '.total == 0'
}

@test "--check: a part missing is incomplete, exit 1; -v lists the missing ids" {
    make_parts 4
    run_volley 1 --check -i "$list" "$BATS_TEST_TMPDIR"/part-{0,1,3}.ndjson
    [ "${#lines[@]}" -eq 1 ]
    want=$(jq -s 'length' "$BATS_TEST_TMPDIR/part-2.ndjson")
    summary | jq -e --argjson n "$want" '.missing == $n and .once == 41 - $n and
        .complete == false'
    run_volley 1 -v --check -i "$list" "$BATS_TEST_TMPDIR"/part-{0,1,3}.ndjson
    # The listed ids are exactly those of the missing part.
    diff <(head -n -1 <<<"$output" | jq -r 'select(.state == "missing") | .id' | sort) \
        <(jq -r .id "$BATS_TEST_TMPDIR/part-2.ndjson" | sort)
}

@test "--check: a part given twice is duplicated; a FILE that does not exist holds no record" {
    make_parts 2
    p0=$BATS_TEST_TMPDIR/part-0.ndjson p1=$BATS_TEST_TMPDIR/part-1.ndjson
    n0=$(jq -s length "$p0")
    run_volley 1 -v --check -i "$list" "$p0" "$p1" "$p1"
    summary | jq -e --argjson n0 "$n0" '.duplicated == 41 - $n0 and .once == $n0'
    head -n -1 <<<"$output" | jq -es 'all(.state == "duplicated")'
    run_volley 1 --check -i "$list" "$p0" "$BATS_TEST_TMPDIR/nothing-here"
    [[ $stderr == *nothing-here* ]]
    summary | jq -e --argjson n0 "$n0" '.missing == 41 - $n0'
}

@test "--check: cancelled records do not count; --resume completes the part, then the check passes" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/part.ndjson
    for i in 1 2 3; do echo "$SERVER/status/200?i=$i"; done >"$list"
    for i in 4 5; do echo "$SERVER/delay/2000?i=$i"; done >>"$list"
    run_volley 1 -c 5 -r 0 --deadline 1 -i "$list" -o "$out"
    run_volley 1 -v --check -i "$list" "$out"
    summary | jq -e '.cancelled == 2 and .once == 3 and .complete == false'
    head -n -1 <<<"$output" | jq -es 'map(select(.state == "cancelled") | .id) | sort == [4,5]'
    run_volley 0 -c 5 -r 0 -i "$list" -o "$out" --resume
    run_volley 0 --check -i "$list" "$out"
    summary | jq -e '.once == 5 and .complete'
}

@test "--check --shard K/N: only that shard's requests; other shards' records are counted apart" {
    make_parts 4
    p1=$BATS_TEST_TMPDIR/part-1.ndjson
    n1=$(jq -s length "$p1")
    run_volley 0 --check --shard 1/4 -i "$list" "$p1"
    summary | jq -e --argjson n "$n1" '.shard == "1/4" and .requests == $n and
        .once == $n and .complete'
    # Another shard's part beside it: counted, and no failure.
    run_volley 0 --check --shard 1/4 -i "$list" "$p1" "$BATS_TEST_TMPDIR/part-2.ndjson"
    summary | jq -e '.other_records > 0 and .complete'
    # The wrong part for the shard: all missing.
    run_volley 1 --check --shard 1/4 -i "$list" "$BATS_TEST_TMPDIR/part-2.ndjson"
    summary | jq -e --argjson n "$n1" '.missing == $n'
}

@test "--check --input-format: lines are read as the run read them" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    printf '%s\n' "$SERVER/status/200" "{\"url\":\"$SERVER/status/200?j\",\"id\":\"j\"}" >"$list"
    # Read as lines, the JSON line is a bad URL: an input record with id 2.
    run_volley 1 --input-format lines -i "$list" -o "$out"
    run_volley 0 --check --input-format lines -i "$list" "$out"
    summary | jq -e '.requests == 2 and .once == 2'
    # Read as auto, it is request "j", which FILE does not have.
    run_volley 1 -v --check -i "$list" "$out"
    summary | jq -e '.missing == 1 and .other_records == 1'
    head -n -1 <<<"$output" | jq -es '. == [{"id":"j","state":"missing"}]'
}

@test "--check: the input from stdin, a torn last line counted apart, bad usage exits 2" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    for i in 1 2; do echo "$SERVER/status/200?i=$i"; done >"$list"
    run_volley 0 -i "$list" -o "$out"
    printf '{"id":3,"url":"x' >>"$out"
    run_volley_stdin "$list" 0 --check "$out"
    summary | jq -e '.once == 2 and .other_lines == 1'
    run_volley 2 --check -i "$list"
    run_volley 2 --check -i "$list" -o "$out" "$out"
    run_volley 2 --check -i "$BATS_TEST_TMPDIR/no-list" "$out"
    run_volley 2 --check -i "$list" "$BATS_TEST_TMPDIR"
    [ -z "$output" ]
}
