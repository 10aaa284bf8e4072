#!/usr/bin/env bats
# Resumable runs: -o FILE --resume, --resume-failed, --append, and -o's
# truncation. The output file is the journal.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

# make_list N PATH: N distinct /delay/50 URLs
make_list() {
    local i
    for ((i = 1; i <= $1; i++)); do
        echo "$SERVER/delay/50?i=$i"
    done >"$2"
}

@test "-o FILE: records go to FILE, none to stdout" {
    out=$BATS_TEST_TMPDIR/out.ndjson
    run_volley 0 -o "$out" "$SERVER/status/200" "$SERVER/status/200?x"
    [ -z "$output" ]
    jq -es 'length == 2 and all(.ok)' "$out"
}

@test "-o FILE without --resume truncates a non-empty FILE" {
    out=$BATS_TEST_TMPDIR/out.ndjson
    printf '%s\n' '{"old":1}' '{"old":2}' '{"old":3}' >"$out"
    run_volley 0 -o "$out" "$SERVER/status/200"
    jq -es 'length == 1 and .[0].id == 1' "$out"
}

@test "--append: appends to FILE without skipping" {
    out=$BATS_TEST_TMPDIR/out.ndjson
    run_volley 0 -o "$out" "$SERVER/status/200"
    run_volley 0 -o "$out" --append "$SERVER/status/200"
    jq -es 'length == 2 and all(.id == 1)' "$out"
}

@test "--resume and --append need -o" {
    run_volley 2 --resume "$SERVER/status/200"
    [ -z "$output" ]
    [[ $stderr == *"-o"* ]]
    run_volley 2 --append "$SERVER/status/200"
}

@test "--resume: requests FILE already has are skipped and get no new record" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    make_list 20 "$list"
    run_volley 0 -i "$list" -o "$out"
    stats_reset
    run_volley 0 -i "$list" -o "$out" --resume
    jq -es 'length == 20 and ([.[].id] | unique | length) == 20' "$out"
    # The server saw no request at all the second time.
    stats | jq -e '.total == 0'
}

@test "--resume: a torn last line (no newline) is cut off and refetched" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    make_list 5 "$list"
    run_volley 0 -i "$list" -o "$out"
    head -n 3 "$out" >"$out.tmp"
    # half of the 4th record, as a kill mid-write leaves it
    sed -n 4p "$out" | head -c 25 >>"$out.tmp"
    mv "$out.tmp" "$out"
    stats_reset
    run_volley 0 -i "$list" -o "$out" --resume
    jq -es 'length == 5 and ([.[].id] | sort) == [1,2,3,4,5]' "$out"
    stats | jq -e '.total == 2'
}

@test "--resume: a last line that is not JSON is cut off too" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    make_list 3 "$list"
    run_volley 0 -i "$list" -o "$out"
    head -n 2 "$out" >"$out.tmp"
    echo '{"id":3,"url":"trunc' >>"$out.tmp"
    mv "$out.tmp" "$out"
    run_volley 0 -i "$list" -o "$out" --resume
    jq -es 'length == 3 and ([.[].id] | sort) == [1,2,3]' "$out"
}

@test "--resume: matched by id and URL, JSON ids included" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    printf '%s\n' "{\"url\":\"$SERVER/status/200\",\"id\":\"a\"}" \
        "{\"url\":\"$SERVER/status/200\",\"id\":{\"k\":[1,2]}}" >"$list"
    run_volley 0 -i "$list" -o "$out"
    # Same ids, other URL for the second: only that one is fetched again.
    printf '%s\n' "{\"url\":\"$SERVER/status/200\",\"id\":\"a\"}" \
        "{\"url\":\"$SERVER/status/201\",\"id\":{\"k\":[1,2]}}" >"$list"
    run_volley 0 -i "$list" -o "$out" --resume
    jq -es 'length == 3 and (map(select(.status == 201)) | length) == 1' "$out"
}

@test "--resume-failed: failed records are redone and FILE keeps one record each" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    key=rf$RANDOM$RANDOM
    printf '%s\n' "$SERVER/status/200" "$SERVER/flaky/$key/1" >"$list"
    run_volley 1 -r 0 -i "$list" -o "$out"
    jq -es 'length == 2 and (map(select(.ok)) | length) == 1' "$out"
    # No stats_reset here: it would reset the flaky counter too.
    before=$(stats | jq '.total')
    run_volley 0 -r 0 -i "$list" -o "$out" --resume-failed
    jq -es 'length == 2 and all(.ok) and ([.[].id] | sort) == [1,2]' "$out"
    after=$(stats | jq '.total')
    [ $((after - before)) -eq 1 ]
}

@test "--resume: SIGKILL mid-run, then the same command: every id exactly once" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    make_list 400 "$list"
    stats_reset
    "$VOLLEY" -c 8 -i "$list" -o "$out" --resume 2>/dev/null &
    pid=$!
    # Wait until records reached the file (fsync'ed or not, they are in the
    # page cache), then kill without warning.
    for ((i = 0; i < 200; i++)); do
        [ -s "$out" ] && [ "$(wc -l <"$out")" -ge 40 ] && break
        curl -s "$SERVER/_wait?inflight=8&timeout=1" >/dev/null
    done
    kill -KILL "$pid"
    wait "$pid" || true
    first=$(jq -s 'length' <(head -n "$(wc -l <"$out")" "$out"))
    [ "$first" -ge 40 ]
    [ "$first" -lt 400 ]
    stats_reset
    run_volley 0 -c 50 -i "$list" -o "$out" --resume
    jq -es 'length == 400 and ([.[].id] | unique | length) == 400' "$out"
    # The second run fetched only what the first had not recorded.
    total=$(stats | jq '.total')
    [ "$total" -le $((400 - first + 1)) ]
}

@test "--resume with a missing FILE starts from nothing" {
    out=$BATS_TEST_TMPDIR/new.ndjson
    run_volley 0 -o "$out" --resume "$SERVER/status/200"
    jq -es 'length == 1' "$out"
}
