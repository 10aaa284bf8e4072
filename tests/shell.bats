#!/usr/bin/env bats
# At home in the shell: the progress line (through a pseudo-terminal),
# --fail-fast, --shard with GNU parallel, --input-format, VOLLEY_OPTS,
# NO_COLOR and the proxy environment.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

# in_pty OUT CMD...: run CMD with stdin, stdout and stderr on a
# pseudo-terminal, the terminal's bytes into OUT.
in_pty() {
    local out=$1
    shift
    python3 - "$out" "$@" <<'PY'
import os, pty, sys
out = open(sys.argv[1], "wb")
def read(fd):
    data = os.read(fd, 65536)
    out.write(data)
    return data
status = pty.spawn(sys.argv[2:], read)
out.close()
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)
PY
}

# type_in_pty OUT LINE CMD...: run CMD on a pseudo-terminal and type at
# it as a person would: once CMD has written "end with Ctrl-D", LINE and a
# newline; once a record came back ('{"id":'), Ctrl-D. Everything the
# terminal shows goes into OUT. Each wait is bounded (20 s).
type_in_pty() {
    local out=$1 line=$2
    shift 2
    python3 - "$out" "$line" "$@" <<'PY'
import os, pty, select, sys, time
out_path, line, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
seen = b""
def wait_for(pattern):
    global seen
    end = time.monotonic() + 20
    while pattern not in seen:
        left = end - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return False
        try:
            data = os.read(fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        seen += data
    return True
ok = wait_for(b"end with Ctrl-D")
if ok:
    os.write(fd, line.encode() + b"\n")
    ok = wait_for(b'{"id":')
    os.write(fd, b"\x04")
if not ok:
    os.kill(pid, 15)
wait_for(b"\0never")  # the rest, until the terminal closes
_, status = os.waitpid(pid, 0)
open(out_path, "wb").write(seen)
sys.exit(0 if ok and os.WIFEXITED(status) else 1)
PY
}

@test "progress line: shown on a terminal, erased at exit, stdout untouched" {
    list=$BATS_TEST_TMPDIR/list
    urls 60 "$SERVER/delay/100" >"$list"
    in_pty "$BATS_TEST_TMPDIR/tty" "$VOLLEY" -c 10 -i "$list" \
        -o "$BATS_TEST_TMPDIR/out"
    jq -es 'length == 60 and all(.ok)' "$BATS_TEST_TMPDIR/out"
    tty=$(tr '\r' '\n' <"$BATS_TEST_TMPDIR/tty")
    [[ $tty == *"done |"*"in flight"*"ok "*"failed "*"retries "* ]]
    # The last thing written is the erase sequence.
    [[ $(tail -c 4 "$BATS_TEST_TMPDIR/tty" | od -An -c | tr -d ' ') == '\r033[K' ]]
}

@test "progress line: coloured, and not with NO_COLOR" {
    list=$BATS_TEST_TMPDIR/list
    urls 30 "$SERVER/delay/100" >"$list"
    in_pty "$BATS_TEST_TMPDIR/tty" "$VOLLEY" -c 5 -i "$list" -o /dev/null
    grep -q $'\033\\[32m' "$BATS_TEST_TMPDIR/tty"
    NO_COLOR=1 in_pty "$BATS_TEST_TMPDIR/tty2" "$VOLLEY" -c 5 -i "$list" \
        -o /dev/null
    grep -q 'in flight' "$BATS_TEST_TMPDIR/tty2"
    ! grep -q $'\033\\[32m' "$BATS_TEST_TMPDIR/tty2"
}

@test "--no-progress and -q: no progress line on a terminal" {
    list=$BATS_TEST_TMPDIR/list
    urls 30 "$SERVER/delay/100" >"$list"
    in_pty "$BATS_TEST_TMPDIR/tty" "$VOLLEY" --no-progress -c 5 -i "$list" \
        -o /dev/null
    ! grep -q 'in flight' "$BATS_TEST_TMPDIR/tty"
    in_pty "$BATS_TEST_TMPDIR/tty" "$VOLLEY" -q -c 5 -i "$list" -o /dev/null
    ! grep -q 'in flight' "$BATS_TEST_TMPDIR/tty"
}

@test "--progress: forced on when stderr is not a terminal, total known for URL arguments" {
    run_volley 0 --progress -c 2 "$SERVER/delay/300?a" "$SERVER/delay/300?b" \
        "$SERVER/delay/300?c"
    jq -es 'length == 3' <<<"$output"
    [[ $stderr == *"/3 done"* ]]
}

@test "no URL and a terminal on stdin: one hint line, no progress line ticking over 0 done" {
    local tty=$BATS_TEST_TMPDIR/tty
    # /delay/400: the progress timer (100 ms) would tick while it runs.
    type_in_pty "$tty" "$SERVER/delay/400" "$VOLLEY"
    text=$(tr '\r' '\n' <"$tty")
    [ "$(grep -c '^volley: reading URLs from standard input; end with Ctrl-D' <<<"$text")" -eq 1 ] ||
        fail "no single hint line: $text"
    [[ $text != *"done |"* ]] || fail "a progress line: $text"
    grep '^{"id":1' <<<"$text" | jq -e '.ok and .status == 200'
    # --progress still forces the line
    type_in_pty "$tty" "$SERVER/delay/400" "$VOLLEY" --progress
    [[ $(tr '\r' '\n' <"$tty") == *"done |"*"in flight"* ]]
}

@test "--progress with -i FILE: a total estimated from the bytes read, and an ETA" {
    local list=$BATS_TEST_TMPDIR/list i
    # 30 lines of one length: the estimate is the count itself.
    for ((i = 10; i < 40; i++)); do echo "$SERVER/delay/100?i=$i"; done >"$list"
    run_volley 0 --progress -c 3 -i "$list"
    jq -es 'length == 30' <<<"$output"
    lines=$(tr '\r' '\n' <<<"$stderr" | sed 's/\x1b\[K//g' | grep ' done |')
    grep -qE '^[0-9]+/~?30 done \|.*\| ETA [0-9:]+$' <<<"$lines" ||
        fail "no total and ETA: $lines"
    # never a total that is not 30 here
    ! grep -E '^[0-9]+/' <<<"$lines" | grep -vqE '^[0-9]+/~?30 done' ||
        fail "a wrong total: $lines"
    # stdin as a pipe: no size, so no estimate (the count once all is read)
    run_volley 0 --progress -c 3 < <(cat "$list")
    ! tr '\r' '\n' <<<"$stderr" | grep -qE '^[0-9]+/~' ||
        fail "an estimate without a size: $stderr"
}

@test "--fail-fast: the first failure cancels the rest, each with a record, exit 1" {
    run_volley 1 -r 0 --fail-fast -c 3 "$SERVER/delay/5000?a" \
        "$SERVER/status/500" "$SERVER/delay/5000?b" "$SERVER/status/200?late"
    jq -es 'length == 3' <<<"$output"
    jq -es 'map(select(.status == 500)) | length == 1' <<<"$output"
    jq -es 'map(select(.error.kind == "cancelled")) | length == 2' <<<"$output"
    # Cancelled at once, not after the 5 s delays.
    jq -es 'all(.time < 3)' <<<"$output"
}

@test "--shard K/N: GNU parallel runs 4 shards whose union is the input, each request once" {
    command -v parallel >/dev/null || skip "GNU parallel is not installed"
    list=$BATS_TEST_TMPDIR/list
    for ((i = 1; i <= 200; i++)); do echo "$SERVER/status/200?i=$i"; done >"$list"
    echo "not a url" >>"$list"
    parallel -j 4 "$VOLLEY" -c 10 --shard {}/4 -i "$list" \
        -o "$BATS_TEST_TMPDIR/part-{}.ndjson" ::: 0 1 2 3 || true
    cat "$BATS_TEST_TMPDIR"/part-*.ndjson >"$BATS_TEST_TMPDIR/all"
    # Complete and disjoint: 201 records, ids 1..201 once each.
    jq -es 'length == 201 and ([.[].id] | sort) == [range(1; 202)]' \
        "$BATS_TEST_TMPDIR/all"
    # Every shard got a share, and ids are input line numbers.
    for k in 0 1 2 3; do
        jq -es 'length > 20' "$BATS_TEST_TMPDIR/part-$k.ndjson"
    done
    jq -es 'all(.id as $i | .url == null or (.url | endswith("i=\($i)")) or .error.kind == "input")' \
        "$BATS_TEST_TMPDIR/all"
}

@test "--shard: a bad value is a usage error" {
    run_volley 2 --shard 4/4 "$SERVER/status/200"
    [[ $stderr == *"--shard: '4/4'"* ]]
    run_volley 2 --shard x "$SERVER/status/200"
}

@test "--input-format lines|jsonl: no auto-detection" {
    printf '%s\n' "{\"url\":\"$SERVER/status/200\"}" "$SERVER/status/200" \
        >"$BATS_TEST_TMPDIR/in"
    run_volley 1 --input-format lines -i "$BATS_TEST_TMPDIR/in"
    jq -es '(.[] | select(.id == 1) | .error.kind) == "input"
            and (.[] | select(.id == 2) | .ok)' <<<"$output"
    run_volley 1 --input-format jsonl -i "$BATS_TEST_TMPDIR/in"
    jq -es '(.[] | select(.id == 1) | .ok)
            and (.[] | select(.id == 2) | .error.kind) == "input"' <<<"$output"
    run_volley 2 --input-format csv -i "$BATS_TEST_TMPDIR/in"
}

@test "VOLLEY_OPTS: default options, quotes kept, the command line wins" {
    VOLLEY_OPTS="-X PUT -A 'my bot/1.0' --body" run_volley 0 "$SERVER/echo"
    jq -es '.[0].body | fromjson | .method == "PUT"
            and .headers["user-agent"] == "my bot/1.0"' <<<"$output"
    VOLLEY_OPTS="-X PUT --body" run_volley 0 -X DELETE "$SERVER/echo"
    jq -es '.[0].body | fromjson | .method == "DELETE"' <<<"$output"
    VOLLEY_OPTS="-c 0" run_volley 2 "$SERVER/echo"
    VOLLEY_OPTS="-A 'unclosed" run_volley 2 "$SERVER/echo"
}

@test "http_proxy: honoured as curl does (the test server proxies absolute URLs)" {
    # A host that does not resolve reaches the server only through the proxy.
    http_proxy=$SERVER run_volley 0 -r 0 "http://proxied.invalid/status/200"
    jq -es '.[0].ok and .[0].status == 200' <<<"$output"
    no_proxy=proxied.invalid http_proxy=$SERVER run_volley 1 -r 0 \
        "http://proxied.invalid/status/200"
    jq -es '.[0].error.kind == "dns"' <<<"$output"
}

@test "-w/--write-out: one line per record from the template, no JSON" {
    run_volley 1 -r 0 --ordered -w '%{id}\t%{status}\t%{error}\t%{ok}\t%{url}' \
        "$SERVER/status/200" "$SERVER/status/404"
    [ "${lines[0]}" = "1	200		true	$SERVER/status/200" ]
    [ "${lines[1]}" = "2	404	http	false	$SERVER/status/404" ]
    [ "${#lines[@]}" -eq 2 ]
}

@test "-w: an unknown variable is a usage error naming it and listing the valid ones; -w with --resume too" {
    run_volley 2 -w '%{nope}' "$SERVER/status/200"
    [[ $stderr == *"--write-out"*"%{nope}"* ]]
    [[ $stderr == *"the variables are id url ok status"*" saved "*"json"*"http_code"* ]]
    [ -z "$output" ]
    run_volley 2 -w '%{url}' -o "$BATS_TEST_TMPDIR/o" --resume "$SERVER/status/200"
}

@test "--stats: a summary on stderr with counts, status classes and latency quantiles" {
    run_volley 1 -r 0 --stats "$SERVER/status/200" "$SERVER/status/200?b" \
        "$SERVER/status/503"
    jq -es 'length == 3' <<<"$output"
    [[ $stderr == *"requests: 3 (2 ok, 1 failed)"* ]]
    [[ $stderr == *"5xx 1"* ]]
    [[ $stderr == *"p50"*"p90"*"p99"*"max"* ]]
}

@test "--stats: latency figures of a second or more are printed in seconds" {
    run_volley 0 --stats "$SERVER/delay/1100" "$SERVER/status/200"
    # "max 1.1xx s", not "max 11xx.xxx ms"; the fast one stays in ms.
    [[ $stderr =~ latency:\ min\ [0-9]+\.[0-9]{3}\ ms, ]]
    [[ $stderr =~ max\ [1-9]\.[0-9]{3}\ s, ]]
    [[ ! $stderr =~ [0-9]{4}\.[0-9]{3}\ ms ]]
}

@test "-w: every record field is a variable: title, saved, parent, depth, timing" {
    run_volley 0 --crawl 1 --title --save "$BATS_TEST_TMPDIR/m" --ordered \
        -w '%{id}|%{depth}|%{parent}|%{title}|%{saved}|%{queued}|%{timing}' \
        "$SERVER/html/crawl-index"
    [ "${#lines[@]}" -ge 2 ]
    IFS='|' read -r id depth parent title saved queued timing <<<"${lines[0]}"
    [ "$id" = 1 ] && [ "$depth" = 0 ] && [ -z "$parent" ]
    [ -n "$title" ] && [ -f "$saved" ] && [[ $queued =~ ^[0-9]+\.[0-9]{6}$ ]]
    jq -e '.total >= .ttfb' <<<"$timing"
    IFS='|' read -r id depth parent title saved queued timing <<<"${lines[1]}"
    [ "$depth" = 1 ] && [ "$parent" = 1 ] && [ -f "$saved" ]
}

@test "-w: curl's names are aliases; %{json} is the record" {
    run_volley 0 -w '%{http_code} %{response_code} %{url_effective} %{size_download} %{num_redirects}' \
        "$SERVER/redirect/1"
    [ "$output" = "200 200 $SERVER/redirect/0 4 1" ]
    run_volley 0 -w '%{time_total} %{time}' "$SERVER/status/200"
    read -r a b <<<"$output"
    [ "$a" = "$b" ]
    run_volley 0 -w '%{json}' "$SERVER/status/200"
    jq -e '.id == 1 and .ok and .status == 200 and (.timing | type) == "object"' \
        <<<"$output"
}

@test "--stats-json FILE: the same summary as one JSON object" {
    run_volley 1 -r 0 --stats-json "$BATS_TEST_TMPDIR/s.json" \
        "$SERVER/status/200" "$SERVER/status/200?b" "$SERVER/status/503" \
        "http://x.invalid/"
    jq -e '.requests == 4 and .ok == 2 and .failed == 2
           and .errors.http == 1 and .errors.dns == 1
           and .status["2xx"] == 2 and .status.none == 1
           and (.latency.p50 | type) == "number" and .rate > 0' \
        "$BATS_TEST_TMPDIR/s.json"
    run_volley 3 --stats-json /nonexistent/dir/s.json "$SERVER/status/200"
}

@test "make install: the binary, the man page and both completions under the prefix" {
    builddir=$(dirname "$(dirname "$VOLLEY")")
    [ -f "$builddir/Makefile" ] || skip "not run from a build tree"
    dest=$BATS_TEST_TMPDIR/dest
    run make -s -C "$builddir" install DESTDIR="$dest" prefix=/opt/v
    [ "$status" -eq 0 ] || fail "$output"
    [ -x "$dest/opt/v/bin/volley" ]
    [ -f "$dest/opt/v/share/man/man1/volley.1" ]
    [ -f "$dest/opt/v/share/bash-completion/completions/volley" ]
    [ -f "$dest/opt/v/share/zsh/site-functions/_volley" ]
    "$dest/opt/v/bin/volley" --version | grep -q '^volley '
}
