#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154 # bash -c scripts take $1..; run sets $status, $output, $stderr
# Input (issue 2, "Synopsis" and "Input"): where requests come from, plain
# and JSON lines, ids, bad lines, streaming.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

@test "no URL arguments and no -i: requests are read from stdin" {
    printf '%s\n' "$SERVER/status/200?in=1" "$SERVER/status/201?in=2" \
        >"$BATS_TEST_TMPDIR/urls.txt"
    run_volley 0 <"$BATS_TEST_TMPDIR/urls.txt"
    jq -es --arg s "$SERVER" 'length == 2 and all(.ok) and
        (sort_by(.id) | map([.id, .url, .status]) ==
            [[1, "\($s)/status/200?in=1", 200], [2, "\($s)/status/201?in=2", 201]])' \
        <<<"$output"
}

@test "-i FILE: requests are read from FILE (and not from stdin)" {
    printf '%s\n' "$SERVER/status/202?from=file" >"$BATS_TEST_TMPDIR/urls.txt"
    printf '%s\n' "$SERVER/status/203?from=stdin" >"$BATS_TEST_TMPDIR/stdin.txt"
    local opt
    for opt in -i --input; do
        stats_reset
        run_volley 0 "$opt" "$BATS_TEST_TMPDIR/urls.txt" <"$BATS_TEST_TMPDIR/stdin.txt"
        jq -es 'length == 1 and .[0].ok and .[0].status == 202 and .[0].id == 1' \
            <<<"$output"
        run stats
        jq -e '.total == 1 and .hits["/status/203"] == null' <<<"$output"
    done
}

@test "-i -: requests are read from stdin" {
    printf '%s\n' "$SERVER/status/204?dash=1" "$SERVER/status/200?dash=2" \
        >"$BATS_TEST_TMPDIR/urls.txt"
    run_volley 0 -i - <"$BATS_TEST_TMPDIR/urls.txt"
    jq -es 'length == 2 and all(.ok) and ([.[].id] | sort == [1, 2]) and
        ([.[].status] | sort == [200, 204])' <<<"$output"
}

@test "URL arguments: one request each, ids 1..N in argument order, stdin unread" {
    printf '%s\n' "$SERVER/status/203?from=stdin" >"$BATS_TEST_TMPDIR/stdin.txt"
    stats_reset
    run_volley 0 "$SERVER/status/200?a=1" "$SERVER/status/201?a=2" \
        "$SERVER/status/202?a=3" <"$BATS_TEST_TMPDIR/stdin.txt"
    jq -es 'length == 3 and all(.ok) and
        (sort_by(.id) | map([.id, .status]) == [[1, 200], [2, 201], [3, 202]])' \
        <<<"$output"
    run stats
    jq -e '.total == 3 and .hits["/status/203"] == null' <<<"$output"
}

@test "input is a stream: the first request starts before the input ends" {
    stats_reset
    # The second line is written only once the server has seen the first
    # request in flight; a volley that read all input first would never
    # start it, and /_wait would answer 504 after 5 s.
    run_volley 0 < <(
        echo "$SERVER/delay/300?stream=1"
        curl -s -o /dev/null -w '%{http_code}' \
            "$SERVER/_wait?inflight=1&timeout=5" >"$BATS_TEST_TMPDIR/wait.code"
        echo "$SERVER/status/200?stream=2"
    )
    assert_equal "$(cat "$BATS_TEST_TMPDIR/wait.code")" 200
    jq -es 'length == 2 and all(.ok) and ([.[].id] | sort == [1, 2])' <<<"$output"
}

@test "blank lines and # lines are skipped but counted in ids; blanks trimmed" {
    {
        echo
        echo "# a comment"
        echo "   $SERVER/status/200?line=3   "
        echo "   "
        printf '\t# indented comment\n'
        echo "$SERVER/status/201?line=6"
        echo
        printf '%s\r\n' "$SERVER/status/202?line=8"
    } >"$BATS_TEST_TMPDIR/in.txt"
    stats_reset
    run_volley 0 -i "$BATS_TEST_TMPDIR/in.txt"
    jq -es --arg s "$SERVER" 'length == 3 and all(.ok) and
        (sort_by(.id) | map([.id, .url]) ==
            [[3, "\($s)/status/200?line=3"], [6, "\($s)/status/201?line=6"],
             [8, "\($s)/status/202?line=8"]])' <<<"$output"
    run stats
    jq -e '.total == 3' <<<"$output"
}

@test "JSON line: url, method, headers and body are used" {
    printf '%s\n' "{\"url\": \"$SERVER/echo?j=1\", \"method\": \"PATCH\", \"headers\": {\"X-Json\": \"yes\", \"X-Other\": \"2\"}, \"body\": \"json body \\u00e9\"}" \
        >"$BATS_TEST_TMPDIR/in.jsonl"
    run_volley 0 --body -i "$BATS_TEST_TMPDIR/in.jsonl"
    jq -es --arg u "$SERVER/echo?j=1" 'length == 1 and .[0].ok and .[0].id == 1 and
        .[0].url == $u and
        (.[0].body | fromjson | .method == "PATCH" and .path == "/echo?j=1" and
            .headers["x-json"] == "yes" and .headers["x-other"] == "2" and
            .body == "json body é")' <<<"$output"
}

@test "JSON line: only url is required (GET), unknown keys are ignored" {
    printf '%s\n' "{\"url\": \"$SERVER/echo\", \"colour\": [1, {\"x\": null}], \"priority\": 3}" \
        >"$BATS_TEST_TMPDIR/in.jsonl"
    run_volley 0 --body -i "$BATS_TEST_TMPDIR/in.jsonl"
    jq -es 'length == 1 and .[0].ok and .[0].id == 1 and
        (.[0].body | fromjson | .method == "GET" and .body == "")' <<<"$output"
}

@test "JSON line: any JSON id is kept as is; without one, the line number" {
    local u=$SERVER/status/200
    {
        echo "{\"url\": \"$u?k=1\", \"id\": \"abc\"}"
        echo "{\"url\": \"$u?k=2\", \"id\": 42}"
        echo "{\"url\": \"$u?k=3\", \"id\": 1.5}"
        echo "{\"url\": \"$u?k=4\", \"id\": {\"a\": [1, \"b\"]}}"
        echo "{\"url\": \"$u?k=5\", \"id\": [3, 2, 1]}"
        echo "{\"url\": \"$u?k=6\", \"id\": true}"
        echo "{\"url\": \"$u?k=7\"}"
        echo "{\"url\": \"$u?k=8\", \"id\": \"\"}"
    } >"$BATS_TEST_TMPDIR/in.jsonl"
    run_volley 0 -i "$BATS_TEST_TMPDIR/in.jsonl"
    jq -es 'length == 8 and all(.ok) and
        (map({key: (.url | sub(".*k="; "")), value: .id}) | from_entries ==
            {"1": "abc", "2": 42, "3": 1.5, "4": {"a": [1, "b"]}, "5": [3, 2, 1],
             "6": true, "7": 7, "8": ""})' <<<"$output"
}

@test "bad lines (ftp://, mailto:, bad URL, invalid JSON, JSON without url) give ok false, kind input, and the run goes on" {
    {
        echo "$SERVER/status/200?good=1"
        echo "ftp://127.0.0.1/file"
        echo "mailto:someone@example.invalid"
        echo "http://[bad-url/"
        echo "{\"url\": \"$SERVER/status/200?x\", oops"
        echo "{\"method\": \"GET\"}"
        echo "file:///etc/passwd"
        echo "$SERVER/status/200?good=8"
    } >"$BATS_TEST_TMPDIR/in.txt"
    stats_reset
    run_volley 1 -i "$BATS_TEST_TMPDIR/in.txt"
    jq -es 'length == 8 and
        ([.[] | select(.ok) | .id] | sort == [1, 8]) and
        ([.[] | select(.ok | not) | .id] | sort == [2, 3, 4, 5, 6, 7]) and
        all(.[] | select(.ok | not);
            .error.kind == "input" and .status == null and
            (.error.message | type == "string" and length > 0))' <<<"$output"
    # bad lines are never fetched
    run stats
    jq -e '.total == 2' <<<"$output"
}

@test "-i FILE that cannot be opened exits 2, names it, nothing on stdout" {
    stats_reset
    run_volley 2 -i "$BATS_TEST_TMPDIR/no-such-file.txt"
    assert_equal "$output" ""
    [[ $stderr == *no-such-file.txt* ]] || fail "stderr does not name the file"
    run stats
    jq -e '.total == 0' <<<"$output"
}

@test "a mixed list of 50 lines gives exactly one record per request line, with the right ids" {
    local i in=$BATS_TEST_TMPDIR/mixed.txt exp=$BATS_TEST_TMPDIR/expected.jsonl
    local bad=("ftp://127.0.0.1/x" "mailto:x@y.invalid" "{not json" '{"method": "GET"}')
    : >"$in"
    : >"$exp"
    for ((i = 1; i <= 50; i++)); do
        case $((i % 10)) in
        0) echo >>"$in" ;;
        3) echo "# comment $i" >>"$in" ;;
        5)
            echo "{\"url\": \"$SERVER/status/200?i=$i\", \"id\": \"j-$i\"}" >>"$in"
            echo "{\"id\": \"j-$i\", \"ok\": true, \"kind\": null}" >>"$exp"
            ;;
        7)
            echo "${bad[i / 10 % 4]}" >>"$in"
            echo "{\"id\": $i, \"ok\": false, \"kind\": \"input\"}" >>"$exp"
            ;;
        9)
            echo "$SERVER/status/404?i=$i" >>"$in"
            echo "{\"id\": $i, \"ok\": false, \"kind\": \"http\"}" >>"$exp"
            ;;
        1)
            echo "  $SERVER/delay/20?i=$i " >>"$in"
            echo "{\"id\": $i, \"ok\": true, \"kind\": null}" >>"$exp"
            ;;
        2 | 6)
            echo "{\"url\": \"$SERVER/text/$i?i=$i\"}" >>"$in"
            echo "{\"id\": $i, \"ok\": true, \"kind\": null}" >>"$exp"
            ;;
        *)
            echo "$SERVER/status/200?i=$i" >>"$in"
            echo "{\"id\": $i, \"ok\": true, \"kind\": null}" >>"$exp"
            ;;
        esac
    done
    run_volley 1 -r 0 -c 8 -i "$in"
    jq -es --slurpfile exp "$exp" '
        (map({id, ok, kind: .error.kind}) | sort_by(.id)) == ($exp | sort_by(.id))' \
        <<<"$output"
}

# bats test_tags=slow
@test "a long input: 20,000 URLs at -c 50 give 20,000 records, each id once" {
    local in=$BATS_TEST_TMPDIR/long.txt
    seq 1 20000 | sed "s|.*|$SERVER/status/200?i=&|" >"$in"
    stats_reset
    run_volley 0 -c 50 -i "$in"
    jq -es 'length == 20000 and all(.ok) and
        ([.[].id] | sort == [range(1; 20001)])' <<<"$output"
    run stats
    jq -e '.total == 20000 and .max_inflight <= 50' <<<"$output"
}

@test "-i given twice: the files are read in turn, line numbers run on" {
    printf '%s\n' "$SERVER/status/200?f=1" "# comment" >"$BATS_TEST_TMPDIR/one"
    printf '%s\n' "$SERVER/status/200?f=2" "$SERVER/status/200?f=3" \
        >"$BATS_TEST_TMPDIR/two"
    run_volley 0 --ordered -i "$BATS_TEST_TMPDIR/one" -i "$BATS_TEST_TMPDIR/two"
    jq -es 'map([.id, (.url | sub(".*f="; ""))]) == [[1,"1"],[3,"2"],[4,"3"]]' \
        <<<"$output"
}

@test "-i FILE and stdin together: -i - reads stdin in its turn" {
    printf '%s\n' "$SERVER/status/200?f=1" >"$BATS_TEST_TMPDIR/one"
    run_volley 0 --ordered -i "$BATS_TEST_TMPDIR/one" -i - \
        < <(printf '%s\n' "$SERVER/status/200?f=2")
    jq -es 'map(.id) == [1,2]' <<<"$output"
}

@test "a UTF-8 byte order mark on the first line is skipped, not a bad URL" {
    printf '\xef\xbb\xbf%s\r\n%s\r\n' "$SERVER/status/200?bom=1" \
        "$SERVER/status/200?bom=2" >"$BATS_TEST_TMPDIR/bom.txt"
    run_volley 0 -i "$BATS_TEST_TMPDIR/bom.txt"
    jq -es --arg s "$SERVER" 'length == 2 and all(.ok)
        and (map(.url) | sort == ["\($s)/status/200?bom=1", "\($s)/status/200?bom=2"])' \
        <<<"$output"
    # and before a JSON request
    printf '\xef\xbb\xbf{"url": "%s/status/200?bom=j", "id": "j"}\n' "$SERVER" \
        >"$BATS_TEST_TMPDIR/bom.jsonl"
    run_volley 0 -i "$BATS_TEST_TMPDIR/bom.jsonl"
    jq -e '.id == "j" and .ok' <<<"$output"
}

@test "a positional - is standard input, as -i - is" {
    printf '%s\n' "$SERVER/status/200?dash=p1" "$SERVER/status/201?dash=p2" \
        >"$BATS_TEST_TMPDIR/urls.txt"
    run_volley 0 -c 2 - <"$BATS_TEST_TMPDIR/urls.txt"
    jq -es 'length == 2 and all(.ok) and ([.[].status] | sort == [200, 201])' \
        <<<"$output"
    # mixed with URL arguments it is refused, like -i
    run_volley 2 "$SERVER/status/200" - </dev/null
    [[ $stderr == *"not both"* ]] || fail "$stderr"
}

@test "--proto-default: a URL without a scheme gets http (curl's default) or the one given" {
    local hostport=${SERVER#http://}
    stats_reset
    printf '%s\n' "$hostport/status/200?s=1" "{\"url\": \"$hostport/status/201?s=2\"}" \
        >"$BATS_TEST_TMPDIR/in.txt"
    run_volley 0 --ordered -i "$BATS_TEST_TMPDIR/in.txt"
    jq -es --arg s "$SERVER" 'map([.url, .status]) ==
        [["\($s)/status/200?s=1", 200], ["\($s)/status/201?s=2", 201]]' \
        <<<"$output"
    run_volley 0 "$hostport/status/202?s=3"
    jq -e '.status == 202' <<<"$output"
    # https: the plain server does not speak TLS, so the fetch fails, but
    # the URL was taken as https, as asked.
    run_volley 1 -r 0 --proto-default https "$hostport/status/200?s=4"
    jq -e --arg h "$hostport" '.url == "https://\($h)/status/200?s=4"
        and .error.kind != "input"' <<<"$output"
    # another scheme stays a bad line; a bad --proto-default a usage error
    run_volley 1 "mailto:someone@example.invalid"
    jq -e '.error.kind == "input"' <<<"$output"
    run_volley 2 --proto-default ftp "$hostport/status/200"
    [[ $stderr == *"--proto-default: 'ftp' is not http or https"* ]]
}
