#!/usr/bin/env bats
# Resumable runs: -o FILE --resume, --resume-failed, --append, and -o's
# truncation. The output file is the journal.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

teardown() { volley_bg_stop; }

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
    urls 20 "$SERVER/delay/50" >"$list"
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
    urls 5 "$SERVER/delay/50" >"$list"
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
    urls 3 "$SERVER/delay/50" >"$list"
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
    urls 400 "$SERVER/delay/50" >"$list"
    stats_reset
    volley_bg -c 8 -i "$list" -o "$out" --resume
    # Wait until records reached the file (fsync'ed or not, they are in the
    # page cache), then kill without warning.
    for ((i = 0; i < 200; i++)); do
        [ -s "$out" ] && [ "$(wc -l <"$out")" -ge 40 ] && break
        curl -s "$SERVER/_wait?inflight=8&timeout=1" >/dev/null
    done
    kill -KILL "$bg_pid"
    volley_wait 137
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

@test "--resume: cancelled records are removed from FILE and fetched again, each request once" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    for i in 1 2 3 4 5 6; do echo "$SERVER/delay/50?i=$i"; done >"$list"
    for i in 7 8 9; do echo "$SERVER/delay/2000?i=$i"; done >>"$list"
    # --deadline cancels the three slow ones: 6 ok, 3 cancelled.
    run_volley 1 -c 9 -r 0 -i "$list" -o "$out" --deadline 1
    jq -es 'length == 9 and (map(select(.error.kind == "cancelled") | .id) | sort) == [7,8,9]' "$out"
    stats_reset
    run_volley 0 -c 9 -r 0 -i "$list" -o "$out" --resume
    # One record per request, all ok: no cancelled record left.
    jq -es 'length == 9 and all(.ok) and ([.[].id] | sort) == [range(1; 10)]' "$out"
    # The server saw exactly the three that had been cancelled.
    stats | jq -e '.total == 3 and .hits == {"/delay/2000": 3}'
}

@test "--resume: a run without cancelled records leaves FILE's inode alone" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    urls 4 "$SERVER/delay/50" >"$list"
    run_volley 0 -i "$list" -o "$out"
    before=$(stat -c %i "$out")
    run_volley 0 -i "$list" -o "$out" --resume
    [ "$(stat -c %i "$out")" = "$before" ]
    jq -es 'length == 4' "$out"
}

@test "-o FILE is locked: a second volley on the same FILE exits 2 naming it and changes nothing" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    # 6 s for the three runs below to meet the lock: wide, for a loaded
    # machine.
    for i in 1 2 3; do echo "$SERVER/delay/6000?i=$i"; done >"$list"
    stats_reset
    volley_bg -c 3 -i "$list" -o "$out" --resume
    # The first holds the lock once its requests are at the server.
    wait_inflight 3
    run_volley 2 -c 3 -i "$list" -o "$out" --resume
    [[ $stderr == *"'$out'"* ]] || fail "the message does not name FILE"
    # Without --resume it would truncate: the lock comes first.
    run_volley 2 -i "$list" -o "$out"
    run_volley 2 -i "$list" -o "$out" --append
    volley_wait 0
    # Only the first run's records, each request once.
    jq -es 'length == 3 and all(.ok) and ([.[].id] | sort) == [1,2,3]' "$out"
    stats | jq -e '.total == 3'
    # The lock goes with the run: the next one may write.
    run_volley 0 -i "$list" -o "$out" --resume
}

@test "-o FILE: the lock holds across --resume's rewrite of FILE" {
    list=$BATS_TEST_TMPDIR/list
    out=$BATS_TEST_TMPDIR/out.ndjson
    for i in 1 2 3; do echo "$SERVER/delay/5000?i=$i"; done >"$list"
    # A FILE with a cancelled record: --resume renames a new file over it.
    printf '%s\n' "{\"id\":1,\"url\":\"$SERVER/delay/5000?i=1\",\"ok\":false,\"status\":null,\"attempts\":1,\"time\":0.1,\"error\":{\"kind\":\"cancelled\",\"message\":\"cancelled by a signal\"}}" >"$out"
    old=$(stat -c %i "$out")
    volley_bg -c 3 -i "$list" -o "$out" --resume
    wait_inflight 3
    # FILE is a new inode now, and still locked.
    [ "$(stat -c %i "$out")" != "$old" ]
    run_volley 2 -i "$list" -o "$out" --resume
    flock -n "$out" true && fail "flock(1) could take FILE's lock"
    volley_wait 0
    jq -es 'length == 3 and all(.ok)' "$out"
}

@test "-o /dev/null and other non-files are not locked: two runs at once both work" {
    volley_bg -c 2 -o /dev/null "$SERVER/delay/1000?a" "$SERVER/delay/1000?b"
    wait_inflight 2
    run_volley 0 -o /dev/null "$SERVER/status/200"
    volley_wait 0
}
