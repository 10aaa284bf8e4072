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

teardown() { volley_bg_stop; }

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

# ---- --save: no planted symbolic link is followed -----------------------

# save_in_background DIR URL: start volley --save DIR URL in the
# background (volley_bg: records in $bg_out, pid in $bg_pid), and wait
# until the server holds the request.
save_in_background() {
    volley_bg -r 0 --save "$1" "$2"
    wait_inflight 1
}

@test "--save: a symlink planted at the old predictable temporary name is not followed" {
    local dir=$BATS_TEST_TMPDIR/save victim=$BATS_TEST_TMPDIR/victim a
    mkdir "$dir"
    echo precious >"$victim"
    # /delay: no body byte, so no file, until the links are in place.
    save_in_background "$dir" "$SERVER/delay/1500"
    # What the temporary name used to be: .volley-PID-SEQ-ATTEMPT.part.
    for a in 1 2 3; do ln -s "$victim" "$dir/.volley-$bg_pid-0-$a.part"; done
    volley_wait 0
    [ "$(cat "$victim")" = precious ] || fail "the body went through the link"
    [ -f "$dir/1.txt" ] && [ ! -L "$dir/1.txt" ] || fail "1.txt is not a plain file"
    [ "$(cat "$dir/1.txt")" = ok ]
    jq -e --arg f "$dir/1.txt" '.ok and .saved == $f' <<<"$output"
}

@test "--save: the temporary name is random, hidden, and not the process id" {
    local dir=$BATS_TEST_TMPDIR/save i part=
    mkdir "$dir"
    # 80 KiB at once (past the 64 KiB that --save gathers before its
    # first write), then a trickle: the file appears with those bytes
    # (bounded wait: 10 s) and stays temporary while the trickle lasts.
    save_in_background "$dir" "$SERVER/drip/40/50/81920"
    for ((i = 0; i < 200; i++)); do
        part=$(cd "$dir" && ls -A)
        [[ -n $part ]] && break
        sleep 0.05
    done
    local pid=$bg_pid
    volley_wait 0
    [[ $part =~ ^\.volley-[0-9a-f]{16}\.part$ ]] || fail "temporary name: '$part'"
    [[ $part != *"$pid"* ]] || fail "the name holds the pid"
    [ "$(cd "$dir" && ls -A)" = 1.bin ]
}

@test "--save: a symlink at the final name is replaced, never followed" {
    local dir=$BATS_TEST_TMPDIR/save victim=$BATS_TEST_TMPDIR/victim
    mkdir "$dir"
    echo precious >"$victim"
    ln -s "$victim" "$dir/1.txt"
    run_volley 0 --save "$dir" "$SERVER/text/5"
    [ "$(cat "$victim")" = precious ]
    [ -f "$dir/1.txt" ] && [ ! -L "$dir/1.txt" ]
    [ "$(cat "$dir/1.txt")" = aaaaa ]
}

@test "--save: the directory swapped for a symlink mid-run: files still go to the directory checked at start" {
    local dir=$BATS_TEST_TMPDIR/save other=$BATS_TEST_TMPDIR/other
    mkdir "$dir" "$other"
    save_in_background "$dir" "$SERVER/delay/1500"
    mv "$dir" "$dir.orig"
    ln -s "$other" "$dir"
    volley_wait 0
    [ -z "$(ls -A "$other")" ] || fail "files went to the new target: $(ls -A "$other")"
    [ "$(cat "$dir.orig/1.txt")" = ok ]
}

# ---- --save: a failed save is told ---------------------------------------

# in_mount_ns SCRIPT ARGS...: run bash SCRIPT in a private mount namespace
# (so a tmpfs mounted there vanishes with it); skips the test where mounts
# are not allowed.
in_mount_ns() {
    if ! unshare -m true 2>/dev/null ||
        ! unshare -m sh -c 'mount -t tmpfs -o size=4k tmpfs "$1"' _ \
            "$BATS_TEST_TMPDIR" 2>/dev/null; then
        skip "cannot mount a tmpfs in a private mount namespace here"
    fi
    run --separate-stderr unshare -m bash -c "$@"
    printf '# %s\n' "${lines[@]}" "${stderr_lines[@]}"
}

@test "--save: a rename that fails (a directory at the final name): kind save, status kept, exit 1, no temporary file" {
    local dir=$BATS_TEST_TMPDIR/save
    mkdir -p "$dir/1.txt" "$dir/2.txt/sub"
    run_volley 1 --save "$dir" "$SERVER/text/5" "$SERVER/status/200" "$SERVER/text/6"
    jq -es 'sort_by(.id) | length == 3
        and (.[0:2] | all(.ok == false and .status == 200 and .saved == null
             and .error.kind == "save"
             and (.error.message | startswith("rename to")))) and .[2].ok
        and .[2].saved != null' <<<"$output"
    [ "$(cd "$dir" && ls -A | sort | tr '\n' ' ')" = "1.txt 2.txt 3.txt " ]
    [ -d "$dir/1.txt" ] && [ -z "$(ls -A "$dir/1.txt")" ]
}

@test "--save: a write that fails (file size limit, EFBIG): kind save naming write, exit 1, no file left" {
    local dir=$BATS_TEST_TMPDIR/save
    mkdir "$dir"
    # SIGXFSZ ignored, so the write fails instead of killing volley.
    run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 16
        exec timeout 60 "$VOLLEY" -r 0 --save "$1" "$2" "$3"' _ "$dir" \
        "$SERVER/bytes/200000" "$SERVER/text/10"
    printf '# %s\n' "${lines[@]}" "${stderr_lines[@]}"
    [ "$status" -eq 1 ] || fail "exit status $status"
    jq -es 'sort_by(.id) | length == 2
        and .[0].ok == false and .[0].status == 200 and .[0].saved == null
        and .[0].error == {"kind": "save", "message": "write: file too large"}
        and .[1].ok' <<<"$output"
    [ "$(cd "$dir" && ls -A)" = 2.txt ]
}

@test "--save: a full disk (a small tmpfs): kind save, no space left, no file left" {
    local dir=$BATS_TEST_TMPDIR/save
    mkdir "$dir"
    in_mount_ns 'mount -t tmpfs -o size=64k tmpfs "$1" || exit 99
        timeout 60 "$VOLLEY" -r 0 --save "$1" "$2"; echo "status $?"
        ls -A "$1"' _ "$dir" "$SERVER/bytes/300000"
    [ "$status" -eq 0 ] || fail "the namespace's script failed: $status"
    # The record, the status, and an empty directory.
    [ ${#lines[@]} -eq 2 ] && [ "${lines[1]}" = "status 1" ] ||
        fail "status or directory listing"
    jq -e '.ok == false and .status == 200 and .saved == null
        and .error == {"kind": "save", "message": "write: no space left on device"}' \
        <<<"${lines[0]}"
}

@test "--save: a read-only directory (a read-only tmpfs): kind save naming open, exit 1" {
    local dir=$BATS_TEST_TMPDIR/save
    mkdir "$dir"
    in_mount_ns 'mount -t tmpfs -o ro,size=64k tmpfs "$1" || exit 99
        timeout 60 "$VOLLEY" -r 0 --save "$1" "$2" "$3"; echo "status $?"' \
        _ "$dir" "$SERVER/text/10" "$SERVER/empty"
    [ "$status" -eq 0 ] || fail "the namespace's script failed: $status"
    [ "${lines[2]}" = "status 1" ]
    printf '%s\n' "${lines[@]:0:2}" | jq -es 'length == 2 and all(.ok == false
        and .status == 200 and .saved == null
        and .error == {"kind": "save", "message": "open: read-only file system"})'
}

# ---- --save: one run never overwrites its own files ---------------------

@test "--save: ids that map to one name (a/b and a_b, duplicates, cut at 127 bytes) get -2, -3 before the extension" {
    local dir=$BATS_TEST_TMPDIR/save in=$BATS_TEST_TMPDIR/in.jsonl long
    mkdir "$dir"
    long=$(printf 'L%.0s' {1..130})
    {
        for id in a/b a_b a_b x x x "${long}1" "${long}2" a_b-2; do
            printf '{"id":"%s","url":"%s/echo?id=%s"}\n' "$id" "$SERVER" "$id"
        done
    } >"$in"
    run_volley 0 --save "$dir" -i "$in"
    # Nine records, nine different files, each holding its own body.
    jq -es 'length == 9 and (map(.saved) | unique | length) == 9' <<<"$output"
    jq -r '[.url, .saved] | @tsv' <<<"$output" | while IFS=$'\t' read -r url saved; do
        [ -f "$saved" ] || fail "no file $saved"
        jq -e --arg u "$url" '$u | endswith(input.path)' -n "$saved" >/dev/null ||
            fail "$saved does not hold the body of $url"
    done
    [ "$(ls -A "$dir" | wc -l)" -eq 9 ] || fail "$(ls -A "$dir")"
    # The names: the template's, then -2, -3 before the extension.
    jq -es --arg d "$dir/" --arg l "$(printf 'L%.0s' {1..127})" '
        map(.saved | ltrimstr($d)) as $n
        | ($n | map(select(startswith("x"))) | sort)
            == ["x-2.json", "x-3.json", "x.json"]
        and ($n | map(select(startswith("L"))) | sort)
            == ["\($l)-2.json", "\($l).json"]
        and ($n | map(select(startswith("a_b"))) | length == 4
             and all(test("^a_b(-2)?(-[0-9])?[.]json$")))' <<<"$output"
}

@test "--save: a second run reuses the names (it overwrites the first run's files)" {
    local dir=$BATS_TEST_TMPDIR/save
    mkdir "$dir"
    run_volley 0 --save "$dir" "$SERVER/text/3"
    run_volley 0 --save "$dir" "$SERVER/text/4"
    jq -e --arg f "$dir/1.txt" '.saved == $f' <<<"$output"
    [ "$(cat "$dir/1.txt")" = aaaa ] && [ "$(ls -A "$dir")" = 1.txt ]
}
