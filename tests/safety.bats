#!/usr/bin/env bats
# Safe against hostile servers and bad input (issue 10): --save writes
# nothing outside its directory, follows no planted symlink, never
# overwrites a file of the same run and reports a failed save; a usage
# error writes nothing; option values cannot smuggle request lines; -w
# puts no control byte on the terminal.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

# ---- CR and LF in values that go on the wire ---------------------------

@test "-H, -A, -X, --proxy: a CR or LF in the value is a usage error naming the option, nothing sent" {
    local opt value name
    stats_reset
    while IFS='|' read -r opt value name; do
        value=${value//\\r/$'\r'}
        value=${value//\\n/$'\n'}
        run_volley 2 "$opt" "$value" "$SERVER/echo"
        [ -z "$output" ] || fail "$opt: records written"
        [[ $stderr == *"$name"*"CR or LF"* ]] || fail "$opt: stderr: $stderr"
    done <<'EOF'
-H|X-A: 1\r\nX-Smuggled: 2|--header
-H|X-A: 1\nX-Smuggled: 2|--header
-A|bot/1.0\r\nX-Smuggled: 2|--user-agent
-X|GET /x HTTP/1.1\r\nHost: a\r\n\r\nGET|--method
--proxy|http://127.0.0.1:9/\r\n|--proxy
EOF
    # Also from VOLLEY_OPTS, which is split like a shell would.
    VOLLEY_OPTS=$'-H \'X-A: 1\rX-B: 2\'' run_volley 2 "$SERVER/echo"
    [[ $stderr == *"--header"*"CR or LF"* ]]
    stats | jq -e '.total == 0'
}

@test "-H: a tab inside a header value is still sent" {
    run_volley 0 -H $'X-A: 1\t2' "$SERVER/echo"
    jq -e '.ok' <<<"$output"
}

# ---- a usage error writes nothing --------------------------------------

@test "-i DIR -o FILE: a usage error, FILE keeps its records, no --stats summary" {
    local keep=$BATS_TEST_TMPDIR/keep.ndjson
    echo '{"id":1,"ok":true}' >"$keep"
    cp "$keep" "$BATS_TEST_TMPDIR/before"
    run_volley 2 --stats --stats-json "$BATS_TEST_TMPDIR/stats.json" \
        -i "$BATS_TEST_TMPDIR" -o "$keep"
    cmp "$keep" "$BATS_TEST_TMPDIR/before" || fail "-o FILE was changed"
    [[ $stderr == *"-i:"*"is a directory"* ]] || fail "stderr: $stderr"
    [[ $stderr != *requests* ]] || fail "a --stats summary on exit 2"
    [ ! -e "$BATS_TEST_TMPDIR/stats.json" ] || fail "--stats-json written"
    # The same for standard input.
    run_volley 2 --stats -o "$keep" <"$BATS_TEST_TMPDIR"
    cmp "$keep" "$BATS_TEST_TMPDIR/before"
}

@test "-o FILE that is also an input (-i or stdin): a usage error, FILE unchanged" {
    local list=$BATS_TEST_TMPDIR/list.txt
    printf '%s\n' "$SERVER/status/200" "$SERVER/status/201" >"$list"
    cp "$list" "$BATS_TEST_TMPDIR/before"
    run_volley 2 -i "$list" -o "$list"
    [[ $stderr == *"-o:"*"also an input"* ]] || fail "stderr: $stderr"
    cmp "$list" "$BATS_TEST_TMPDIR/before"
    run_volley 2 --resume-failed -i "$list" -o "$list"
    cmp "$list" "$BATS_TEST_TMPDIR/before"
    run_volley 2 --append -i - -o "$list" <"$list"
    [[ $stderr == *"-o:"*"standard input"* ]] || fail "stderr: $stderr"
    run_volley 2 -o "$list" <"$list"
    cmp "$list" "$BATS_TEST_TMPDIR/before"
    # A different file is fine.
    run_volley 0 -i "$list" -o "$BATS_TEST_TMPDIR/out.ndjson"
    jq -es 'length == 2 and all(.ok)' "$BATS_TEST_TMPDIR/out.ndjson"
}

# ---- -w puts no control byte on the terminal ---------------------------

@test "-w: control characters from the server are written as \\xHH, tab as a space" {
    # ESC ] 0 ; title BEL, ESC [ 2 J, DEL, C1 CSI, and a tab.
    run_volley 0 -w '%{content_type}|%{status}' \
        "$SERVER/ctype/a%1B%5D0%3Bpwned%07%1B%5B2J%7Fb%C2%9B31m%09c"
    [ "$output" = 'a\x1b]0;pwned\x07\x1b[2J\x7fb\xc2\x9b31m c|200' ] ||
        fail "got: $(printf '%q' "$output")"
    # No byte below 0x20 but the newline, and no DEL, reached stdout.
    run bash -c '"$VOLLEY" -w "%{content_type}" "$1" | LC_ALL=C tr -d "\n" |
        LC_ALL=C grep -c "[[:cntrl:]]"' _ \
        "$SERVER/ctype/x%1B%5B31m%00y"
    [ "$output" = 0 ]
}
