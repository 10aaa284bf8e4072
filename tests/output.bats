#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154 # bash -c scripts take $1..; run sets $status, $output, $stderr
# Output (issue 2, "Output" and "Never block the loop"): the record's keys,
# --headers and --body, valid JSON and UTF-8 whatever the server sends, -o,
# a reader that goes away, a slow reader.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
teardown() { volley_bg_stop; }

@test "every key always present: id url ok status attempts time error" {
    local port
    port=$(dead_port)
    run_volley 1 -r 0 "$SERVER/status/200" "$SERVER/status/404" \
        "http://127.0.0.1:$port/" "ftp://127.0.0.1/x"
    jq -es 'length == 4 and all(
        has("id") and has("url") and has("ok") and has("status") and
        has("attempts") and has("time") and has("error") and
        (.id | type == "number") and (.url | type == "string") and
        (.ok | type == "boolean") and
        (.status | type == "number" or type == "null") and
        (.attempts | type == "number") and
        (.time | type == "number" and . >= 0) and
        (if .ok then .error == null
         else (.error | type == "object" and (.kind | type == "string") and
               (.message | type == "string" and length > 0)) end))' <<<"$output"
    # and the values
    jq -es 'sort_by(.id) | map([.id, .ok, .status, .error.kind]) ==
        [[1, true, 200, null], [2, false, 404, "http"],
         [3, false, null, "connect"], [4, false, null, "input"]]' <<<"$output"
    jq -es 'map(select(.id <= 3) | .attempts) == [1, 1, 1]' <<<"$output"
}

@test "on success: final_url http_version content_type size redirects remote_ip" {
    run_volley 0 "$SERVER/text/123" "$SERVER/redirect/1"
    jq -es --arg s "$SERVER" 'length == 2 and all(.ok) and (sort_by(.id) | .[0] as $a | .[1] as $b |
        $a.final_url == "\($s)/text/123" and $a.http_version == "1.1" and
        $a.content_type == "text/plain; charset=utf-8" and $a.size == 123 and
        $a.redirects == 0 and $a.remote_ip == "127.0.0.1" and
        $b.final_url == "\($s)/redirect/0" and $b.redirects == 1 and
        $b.size == 4 and $b.status == 200)' <<<"$output"
}

@test "time: total seconds for the request" {
    local slow
    run_volley 0 "$SERVER/delay/300"
    jq -es 'length == 1 and .[0].time >= 0.29 and .[0].time < 3' <<<"$output"
    slow=$(jq -r .time <<<"$output")
    run_volley 0 "$SERVER/status/200"
    jq -es --argjson slow "$slow" 'length == 1 and .[0].time < $slow / 2' <<<"$output"
}

@test "time runs from the first start; queued is the wait before it (--per-host 1)" {
    local urls=() i
    for i in $(seq 10); do urls+=("$SERVER/delay/200?q=$i"); done
    run_volley 0 -c 10 --per-host 1 "${urls[@]}"
    # Each request's own 200 ms, not its place in the host's queue (that
    # gave up to 2 s). Wide margins: the machine may be loaded.
    jq -es 'length == 10 and all(.time >= 0.19 and .time < 1.0)' <<<"$output"
    # The queue shows in "queued", growing with each place in it.
    jq -es 'sort_by(.queued) | .[0].queued < 0.19 and .[9].queued >= 1.5' \
        <<<"$output"
    jq -es '[sort_by(.id)[].queued] | . == sort' <<<"$output"
}

@test "timing: the last attempt's phases, in order, none after the total" {
    run_volley 0 "$SERVER/delay/100" "$SERVER/redirect/1"
    jq -es 'length == 2 and all(
        (.timing | keys_unsorted) == ["dns", "connect", "tls", "ttfb", "total"]
        and (.timing | .dns <= .connect and .connect <= .tls
             and .tls <= .ttfb and .ttfb <= .total)
        and .timing.total <= .time + 0.001)' <<<"$output"
    jq -es 'map(select(.url | endswith("/delay/100")))[0].timing.ttfb >= 0.09' \
        <<<"$output"
    # Keys in the record: queued after time, timing after error.
    jq -es '.[0] | keys_unsorted[:9] == ["id", "url", "ok", "status",
        "attempts", "time", "queued", "error", "timing"]' <<<"$output"
}

@test "timing is the last attempt's; time holds the retries and their waits" {
    local key=tm$RANDOM$RANDOM
    # A 429 with Retry-After: 1, then a 200: the wait is 1 s, each attempt
    # a few ms.
    run_volley 0 --stats-json "$BATS_TEST_TMPDIR/s.json" \
        "$SERVER/retry-after-once/$key/1"
    jq -es '.[0] | .attempts == 2 and .time >= 0.9
        and .timing.total < .time - 0.4' <<<"$output"
    # --stats' latency is the last attempt's total, not the record's time.
    jq -e --argjson t "$(jq .time <<<"$output")" '.latency.max < $t - 0.4' \
        "$BATS_TEST_TMPDIR/s.json"
}

@test "without --headers and --body: no headers, body or body_base64 key" {
    run_volley 0 "$SERVER/text/10" "$SERVER/bytes/10"
    jq -es 'length == 2 and all(has("headers") or has("body") or has("body_base64") | not)' \
        <<<"$output"
}

@test "--headers: an object with lowercased names" {
    run_volley 0 --headers "$SERVER/headers/1"
    jq -es 'length == 1 and (.[0].headers | type == "object" and
        .["x-fill-00000"] == ("f" * 84) and .["x-fill-00009"] == ("f" * 84) and
        .["content-type"] == "text/plain; charset=utf-8" and
        .["content-length"] == "8" and
        (keys | all(. == ascii_downcase)))' <<<"$output"
}

@test "--headers: repeated headers are joined (X-Dup: a, b)" {
    run_volley 0 --headers "$SERVER/dupheaders"
    jq -es '.[0].headers["x-dup"] == "a, b"' <<<"$output"
}

@test "--headers: repeated headers joined as HTTP allows: Set-Cookie lines are not comma-joined" {
    # RFC 9110 5.3: Set-Cookie cannot be combined into one comma-separated
    # value ("a=1; Path=/, b=2; Path=/" is a different cookie list).  Both
    # lines must stay apart: as an array, or joined with a newline.
    run_volley 0 --headers "$SERVER/dupheaders"
    jq -es '.[0].headers["set-cookie"] as $c |
        ["a=1; Path=/", "b=2; Path=/"] as $want |
        ($c == $want) or ($c | type == "string" and split("\n") == $want)' <<<"$output"
}

@test "--body: a UTF-8 body is the text in body" {
    run_volley 0 --body "$SERVER/text/50" "$SERVER/empty"
    jq -es 'sort_by(.id) | .[0].body == ("a" * 50) and .[1].body == "" and
        (.[0] | has("body_base64") | not)' <<<"$output"
}

@test "--body: a binary body gives body_base64 of the very bytes the server sent" {
    run_volley 0 --body "$SERVER/bytes/300"
    jq -es 'length == 1 and .[0].size == 300 and (.[0].body_base64 | type == "string")' \
        <<<"$output"
    jq -r '.body_base64' <<<"$output" | base64 -d >"$BATS_TEST_TMPDIR/got.bin"
    curl -s -o "$BATS_TEST_TMPDIR/want.bin" "$SERVER/bytes/300"
    cmp "$BATS_TEST_TMPDIR/got.bin" "$BATS_TEST_TMPDIR/want.bin"
}

@test "invalid UTF-8 from the server: the output is still valid JSON and valid UTF-8" {
    local out=$BATS_TEST_TMPDIR/out.ndjson
    run_volley 0 --body --headers -o "$out" "$SERVER/badutf8" "$SERVER/bytes/2000"
    iconv -f UTF-8 -t UTF-8 "$out" >/dev/null
    jq -es 'length == 2 and all(.ok) and all(.body_base64 | type == "string")' "$out"
    jq -r 'select(.url | endswith("/badutf8")) | .body_base64' "$out" |
        base64 -d >"$BATS_TEST_TMPDIR/got.bin"
    printf 'caf\xe9 \xff\xfe ok \xc3\x28 end' >"$BATS_TEST_TMPDIR/want.bin"
    cmp "$BATS_TEST_TMPDIR/got.bin" "$BATS_TEST_TMPDIR/want.bin"
}

@test "input bytes that are not UTF-8 still give valid JSON and valid UTF-8" {
    local in=$BATS_TEST_TMPDIR/in.txt out=$BATS_TEST_TMPDIR/out.ndjson
    {
        printf '%s/status/200?x=\xff\xfe\n' "$SERVER"
        printf '{"url": "\xff"}\n'
        printf 'not\xc3(a url\n'
    } >"$in"
    run_volley 1 -r 0 -i "$in" -o "$out"
    iconv -f UTF-8 -t UTF-8 "$out" >/dev/null
    jq -es 'length == 3 and (sort_by(.id) | map([.id, .ok, .error.kind]) ==
        [[1, true, null], [2, false, "input"], [3, false, "input"]])' "$out"
}

@test "-o FILE: records are written to FILE, nothing on stdout" {
    local out=$BATS_TEST_TMPDIR/out.ndjson opt
    for opt in -o --output; do
        rm -f "$out"
        run_volley 0 "$opt" "$out" "$SERVER/status/200" "$SERVER/status/201" \
            "$SERVER/text/5"
        assert_equal "$output" ""
        jq -es 'length == 3 and all(.ok) and ([.[].id] | sort == [1, 2, 3])' "$out"
    done
}

@test "-o FILE: records are gathered into a write per 20 ms at most, none lost" {
    # Each write to a file is a trip to the thread pool, so records that
    # end close together share one: these 400 records took 181 writes in
    # 26 ms when each loop turn had its own.
    local out=$BATS_TEST_TMPDIR/out.ndjson s=$BATS_TEST_TMPDIR/stats.json
    local in=$BATS_TEST_TMPDIR/urls.txt
    seq 1 400 | sed "s|.*|$SERVER/status/200?i=&|" >"$in"
    run_volley 0 -c 16 -o "$out" --stats-json "$s" -i "$in"
    jq -es 'length == 400 and all(.ok) and
        ([.[].id] | sort == [range(1; 401)])' "$out"
    cat "$s"
    jq -e '.output.bytes > 0 and .output.writes >= 1 and
        .output.writes <= 2 + .elapsed / 0.020 + .output.bytes / 65536' "$s"
    jq -e --argjson n "$(wc -c <"$out")" '.output.bytes == $n' "$s"
}

@test "-o FILE: records are in FILE soon after their requests end, while others run" {
    # The first write begins at once; records that end within 20 ms of a
    # write wait for the next one, on a timer: they must not wait for the
    # run to end.
    local out=$BATS_TEST_TMPDIR/out.ndjson n
    volley_bg -o "$out" -t 60 "$SERVER/status/200" "$SERVER/delay/5" \
        "$SERVER/delay/10" "$SERVER/delay/15" "$SERVER/delay/30000"
    n=$(timeout 10 grep -m 4 -c '"ok":true' \
        < <(tail -n +1 -s 0.05 --pid="$bg_pid" -F "$out" 2>/dev/null 3>&-))
    [[ $n == 4 ]] || fail "$n of the first four records reached the file"
    kill -0 "$bg_pid" || fail "volley ended before the last request did"
    kill -TERM "$bg_pid"
    volley_wait 143
    jq -es 'length == 5 and (sort_by(.id) | (.[0:4] | all(.ok)) and
        .[4].error.kind == "cancelled")' "$out"
}

@test "-o FILE truncates an existing FILE" {
    local out=$BATS_TEST_TMPDIR/out.ndjson i
    for ((i = 0; i < 200; i++)); do
        echo '{"id": "old", "url": "stale record that must disappear", "ok": false}'
    done >"$out"
    run_volley 0 -o "$out" "$SERVER/status/200"
    assert_equal "$output" ""
    jq -es 'length == 1 and .[0].id == 1 and .[0].ok' "$out"
}

@test "-o FILE that cannot be written: exit 3" {
    run_volley 3 -o /dev/full "$SERVER/status/200"
    assert_equal "$output" ""
    [[ -n $stderr ]] || fail "no message on stderr"
}

@test "stdout closed: exit 3 (output could not be written)" {
    run --separate-stderr bash -c '"$VOLLEY" "$1" >&-' _ "$SERVER/status/200"
    assert_equal "$status" 3
}

@test "volley ... | head -n 3: exits quietly and does not fetch the whole list" {
    local in=$BATS_TEST_TMPDIR/long.txt
    seq 1 5000 | sed "s|.*|$SERVER/status/200?i=&|" >"$in"
    stats_reset
    run --separate-stderr bash -c \
        '"$VOLLEY" -c 10 -i "$1" | head -n 3; exit "${PIPESTATUS[0]}"' _ "$in"
    echo "# status=$status stderr=$stderr"
    [[ $status -eq 0 || $status -eq 1 ]] || fail "volley exited $status"
    assert_equal "$stderr" ""
    jq -es 'length == 3 and all(.ok)' <<<"$output"
    run stats
    jq -e '.total < 1000' <<<"$output"
}

@test "a slow reader of stdout causes no timeouts: admission pauses instead" {
    # 100 records of ~20 KB read one per 20 ms: 2 s of reading, more than
    # -t 1, and about twice what the writer's queue holds.
    local in=$BATS_TEST_TMPDIR/big.txt i
    for ((i = 1; i <= 100; i++)); do
        echo "$SERVER/text/20000?i=$i"
    done >"$in"
    stats_reset
    run --separate-stderr bash -c '"$VOLLEY" -c 10 -t 1 -r 0 --body -i "$1" |
        python3 -c "
import sys, time
for line in sys.stdin:
    sys.stdout.write(line)
    sys.stdout.flush()
    time.sleep(0.02)
"; exit "${PIPESTATUS[0]}"' _ "$in"
    assert_success
    assert_equal "$stderr" ""
    jq -es 'length == 100 and all(.ok) and all(.body == ("a" * 20000)) and
        ([.[].id] | sort == [range(1; 101)])' <<<"$output"
    # The pause happened at admission: the last request started long after
    # the first (all 100 would start within a fraction of a second).
    run stats
    jq -e '.total == 100 and ([.starts[].t] | max - min) > 0.5' <<<"$output"
}
