#!/usr/bin/env bats
# Runs that know what changed (issue 15): validators and a body hash in
# the record (--hash), conditional requests against an earlier output
# (--since FILE), --only-changed, and how they compose with --resume,
# --crawl, --shard and --deadline. The test server's /cond/KEY pages
# answer If-None-Match and If-Modified-Since, /_change?key=KEY changes
# one, and /_stats counts the bytes sent per path.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

# peak_rss_kb CMD...: run CMD (output to /dev/null) and print the peak
# resident set of its process tree in KiB.
peak_rss_kb() {
    python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}

@test "--hash: sha256 is the digest of the decoded body; etag and last_modified as sent" {
    run_volley 1 --hash --max-body 20M "$SERVER/cond/h1" "$SERVER/gzip" \
        "$SERVER/bytes/3000000" "$SERVER/status/404"
    local cond gz big nf
    cond=$(curl -s "$SERVER/cond/h1" | sha256sum | cut -c1-64)
    gz=$(curl -s --compressed "$SERVER/gzip" | sha256sum | cut -c1-64)
    big=$(curl -s "$SERVER/bytes/3000000" | sha256sum | cut -c1-64)
    nf=$(curl -s "$SERVER/status/404" | sha256sum | cut -c1-64)
    jq -es --arg cond "$cond" --arg gz "$gz" --arg big "$big" --arg nf "$nf" '
        length == 4 and
        (map({key: (.url | sub("^http://[^/]*"; "")), value: .}) | from_entries) as $r
        | $r["/cond/h1"].sha256 == $cond
        and $r["/gzip"].sha256 == $gz and $r["/gzip"].size == 1100
        and $r["/bytes/3000000"].sha256 == $big
        and $r["/status/404"].sha256 == $nf
        and $r["/cond/h1"].etag == "\"h1-v1\""
        and $r["/cond/h1"].last_modified == "Tue, 14 Nov 2023 23:13:20 GMT"
        and ($r["/gzip"] | has("etag") or has("last_modified") | not)
        and ($r | all(.[]; has("changed") | not))' <<<"$output"
    # Without --hash, no sha256; the validators are there anyway.
    run_volley 0 "$SERVER/cond/h1"
    jq -e '(has("sha256") | not) and .etag == "\"h1-v1\""' <<<"$output"
}

@test "--hash: a 60 MB body is hashed as it streams, not kept in memory" {
    local small big
    small=$(peak_rss_kb "$VOLLEY" --hash --max-body 100M "$SERVER/bytes/1000000")
    big=$(peak_rss_kb "$VOLLEY" --hash --max-body 100M "$SERVER/bytes/60000000")
    echo "# peak RSS: 1 MB body $small KiB, 60 MB body $big KiB"
    # A kept body would add 60 MB; allow 20 MB for noise (sanitizers).
    [ $((big - small)) -lt 20000 ]
    run_volley 0 --hash --max-body 100M "$SERVER/bytes/60000000"
    want=$(curl -s "$SERVER/bytes/60000000" | sha256sum | cut -c1-64)
    jq -e --arg w "$want" '.sha256 == $w and .size == 60000000' <<<"$output"
}

@test "--hash: no sha256 for a body cut short by --max-body" {
    run_volley 1 --hash --max-body 1000 "$SERVER/bytes/5000"
    jq -e '.error.kind == "too_large" and (has("sha256") | not)' <<<"$output"
}

# cond_urls KEY: the list of the main --since test, one kind of URL a line:
# both validators, Last-Modified only, ETag only, one that changes, one
# that starts failing, one that fails both times.
cond_urls() {
    printf '%s\n' "$SERVER/cond/$1-both" "$SERVER/cond/$1-lm?etag=0" \
        "$SERVER/cond/$1-etag?lm=0" "$SERVER/cond/$1-chg" \
        "$SERVER/cond/$1-fail" "$SERVER/status/404?$1"
}

@test "--since: validators sent, 304s, no unchanged body sent again; changed for changed, unchanged, new and failing URLs" {
    local k=s$RANDOM$RANDOM list=$BATS_TEST_TMPDIR/list
    local first=$BATS_TEST_TMPDIR/first.ndjson
    cond_urls "$k" >"$list"
    run_volley 1 -i "$list" --title -o "$first"
    jq -es 'length == 6 and (map(select(.ok)) | length) == 5' "$first"
    curl -sf "$SERVER/_change?key=$k-chg" >/dev/null
    curl -sf "$SERVER/_change?key=$k-fail&status=500" >/dev/null
    echo "$SERVER/cond/$k-new" >>"$list"
    stats_reset
    run_volley 1 -i "$list" --title --since "$first"
    jq -es --slurpfile old "$first" --arg k "$k" '
        ($old | map({key: .url, value: .}) | from_entries) as $o
        | (map({key: (.url | sub("^http://[^/]*/[a-z]+/"; "")), value: .})
           | from_entries) as $r
        | length == 7
        # 304s: the earlier record refreshed, its fields carried over
        and all($r["\($k)-both", "\($k)-lm?etag=0", "\($k)-etag?lm=0"];
            .unchanged == true and .changed == false and .ok
            and .status == 200 and .size == 2000
            and .title == $o[.url].title
            and .content_type == $o[.url].content_type)
        and $r["\($k)-chg"].changed == true
        and $r["\($k)-chg"].title == "\($k)-chg v2"
        and ($r["\($k)-chg"] | has("unchanged") | not)
        and ($r["\($k)-fail"] | .changed == true and .ok == false
             and .status == 500)
        and ($r["404?\($k)"] | .changed == false and .ok == false)
        and ($r["\($k)-new"] | has("changed") and .changed == null)' \
        <<<"$output"
    # The server answered three 304s and sent no body for them: a body
    # is 2000 bytes, a 304 a head of some 100.
    stats | jq -e --arg k "$k" '
        .not_modified == 3 and
        .sent_by_path["/cond/\($k)-both"] < 300 and
        .sent_by_path["/cond/\($k)-lm"] < 300 and
        .sent_by_path["/cond/\($k)-etag"] < 300 and
        .sent_by_path["/cond/\($k)-chg"] > 2000'
}

@test "--since: a record with \"unchanged\" is an earlier record like any other" {
    local k=u$RANDOM$RANDOM out=$BATS_TEST_TMPDIR
    run_volley 0 --hash "$SERVER/cond/$k" -o "$out/1.ndjson"
    run_volley 0 --hash "$SERVER/cond/$k" --since "$out/1.ndjson" -o "$out/2.ndjson"
    run_volley 0 --hash "$SERVER/cond/$k" --since "$out/2.ndjson" -o "$out/3.ndjson"
    jq -es '.[0].unchanged and .[0].changed == false and .[0].status == 200' \
        "$out/3.ndjson"
    jq -es --slurpfile a "$out/1.ndjson" '.[0].sha256 == $a[0].sha256' \
        "$out/3.ndjson"
    curl -sf "$SERVER/_change?key=$k" >/dev/null
    run_volley 0 --hash "$SERVER/cond/$k" --since "$out/3.ndjson"
    jq -e '.changed == true and (has("unchanged") | not)' <<<"$output"
}

@test "--since --hash: without validators, the sha256 decides" {
    local k=h$RANDOM$RANDOM first=$BATS_TEST_TMPDIR/first.ndjson
    local url="$SERVER/cond/$k?etag=0&lm=0"
    run_volley 0 --hash "$url" -o "$first"
    stats_reset
    run_volley 0 --hash "$url" --since "$first"
    jq -e --slurpfile o "$first" '
        .changed == false and (has("unchanged") | not)
        and .sha256 == $o[0].sha256' <<<"$output"
    stats | jq -e '.not_modified == 0 and .hits["/cond/'"$k"'"] == 1'
    curl -sf "$SERVER/_change?key=$k" >/dev/null
    run_volley 0 --hash "$url" --since "$first"
    jq -e --slurpfile o "$first" '.changed == true and .sha256 != $o[0].sha256' \
        <<<"$output"
}

@test "--since: a 304 carries over title, links, extract, sha256, size, and the validators it lacks" {
    local k=c$RANDOM$RANDOM first=$BATS_TEST_TMPDIR/first.ndjson
    local url="$SERVER/cond/$k?bare304=1&link=/a&link=/b"
    local opts=(--hash --title --links -x 'h=//title' -e 'v=v([0-9]+)')
    run_volley 0 "${opts[@]}" "$url" -o "$first"
    run_volley 0 "${opts[@]}" "$url" --since "$first"
    jq -e --slurpfile o "$first" '
        $o[0] as $e | .unchanged == true and .status == 200
        and .title == $e.title and .links == $e.links and (.links | length) == 2
        and .extract == $e.extract and .extract.v == ["1"]
        and .sha256 == $e.sha256 and .size == $e.size
        and .etag == $e.etag and .last_modified == $e.last_modified
        and .content_type == $e.content_type' <<<"$output"
}

@test "--since: no validators when FILE's record cannot carry what this run needs (--title, --body)" {
    local k=n$RANDOM$RANDOM first=$BATS_TEST_TMPDIR/first.ndjson
    run_volley 0 "$SERVER/cond/$k" -o "$first"
    stats_reset
    # The earlier record has no title: a 304 could not give one.
    run_volley 0 --title "$SERVER/cond/$k" --since "$first"
    jq -e '.title == "'"$k"' v1" and (has("unchanged") | not) and .changed == false' \
        <<<"$output"
    # --body: bodies are never carried over.
    run_volley 0 --body "$SERVER/cond/$k" --since "$first"
    jq -e '(.body | length) == 2000 and (has("unchanged") | not)' <<<"$output"
    stats | jq -e '.not_modified == 0 and .hits["/cond/'"$k"'"] == 2'
    # A POST sends none either.
    run_volley 0 -X POST "$SERVER/cond/$k" --since "$first"
    jq -e 'has("unchanged") | not' <<<"$output"
}

@test "--since --save: a file whose body is unchanged is not written again" {
    local k=v$RANDOM$RANDOM dir=$BATS_TEST_TMPDIR/m list=$BATS_TEST_TMPDIR/list
    mkdir -p "$dir"
    printf '%s\n' "$SERVER/cond/$k-304" "$SERVER/cond/$k-hash?etag=0&lm=0" \
        "$SERVER/cond/$k-chg" >"$list"
    run_volley 0 -i "$list" --hash --save "$dir" -o "$BATS_TEST_TMPDIR/1.ndjson"
    # A rewrite renames a new file over the name: a new inode.
    ino() { stat -c %i "$dir/$1.html"; }
    local i1 i2 i3
    i1=$(ino 1) i2=$(ino 2) i3=$(ino 3)
    curl -sf "$SERVER/_change?key=$k-chg" >/dev/null
    run_volley 0 -i "$list" --hash --save "$dir" --since "$BATS_TEST_TMPDIR/1.ndjson"
    jq -es --arg d "$dir" '
        (map({key: (.id | tostring), value: .}) | from_entries) as $r
        | $r["1"].unchanged and $r["1"].saved == "\($d)/1.html"
        and $r["2"].changed == false and $r["2"].saved == "\($d)/2.html"
        and $r["3"].changed and $r["3"].saved == "\($d)/3.html"' <<<"$output"
    [ "$(ino 1)" = "$i1" ] && [ "$(ino 2)" = "$i2" ]
    [ "$(ino 3)" != "$i3" ]
    grep -q "$k-chg v2" "$dir/3.html"
    # No temporary file is left behind.
    [ "$(find "$dir" -type f | wc -l)" -eq 3 ]
}

@test "--since: a missing FILE means no earlier records: changed is null" {
    run_volley 0 --since "$BATS_TEST_TMPDIR/none.ndjson" "$SERVER/cond/m$RANDOM"
    jq -e 'has("changed") and .changed == null' <<<"$output"
}

@test "--since and --only-changed: usage errors" {
    run_volley 2 --only-changed "$SERVER/status/200"
    [[ $stderr == *"--only-changed needs --since"* ]]
    mkdir -p "$BATS_TEST_TMPDIR/d"
    run_volley 2 --since "$BATS_TEST_TMPDIR/d" "$SERVER/status/200"
    [[ $stderr == *"it is a directory"* ]]
    echo x >"$BATS_TEST_TMPDIR/list"
    run_volley 2 --check --since "$BATS_TEST_TMPDIR/list" -i "$BATS_TEST_TMPDIR/list" \
        "$BATS_TEST_TMPDIR/list"
    # A pipe reads once: its records could not be read back after a 304.
    printf '{"id":1,"url":"%s","ok":true,"status":200,"etag":"\\"x\\""}\n' \
        "$SERVER/status/200" >"$BATS_TEST_TMPDIR/f"
    run_volley 2 --since <(cat "$BATS_TEST_TMPDIR/f") "$SERVER/status/200"
    [[ $stderr == *"not a regular file"* ]]
    # /dev/null is fine: no records.
    run_volley 0 --since /dev/null "$SERVER/status/200"
    jq -e '.changed == null' <<<"$output"
}

@test "--since: an ETag with CR LF in FILE (edited by hand) is not sent" {
    local f=$BATS_TEST_TMPDIR/evil.ndjson
    # The record has an (empty) extract, so -e may get validators.
    printf '{"id":1,"url":"%s","ok":true,"status":200,"etag":"\\"x\\"\\r\\nX-Evil: 1","last_modified":"Tue, 14 Nov 2023 22:13:20 GMT","extract":{}}\n' \
        "$SERVER/echo" >"$f"
    run_volley 0 --since "$f" -H 'X-Probe: 1' -e 'h=.+' "$SERVER/echo"
    # /echo answers with the request's headers: If-Modified-Since went,
    # the ETag did not, and no header line was added.
    jq -e '.extract.h[0] | fromjson | .headers
        | (has("x-evil") | not) and (has("if-none-match") | not)
        and .["if-modified-since"] == "Tue, 14 Nov 2023 22:13:20 GMT"
        and .["x-probe"] == "1"' <<<"$output"
}

# bats test_tags=slow
@test "--since memory: 100,000 earlier records are indexed in 40 to 160 bytes each" {
    local json
    if grep -q __asan_init "$VOLLEY"; then
        skip "a sanitizer's allocator: its peak RSS says nothing of volley's"
    fi
    json=$(TMPDIR=$BATS_TEST_TMPDIR bash "$BATS_TEST_DIRNAME/bench/since-memory" \
        VOLLEY="$VOLLEY" N=100000 RUN=0 | tail -n 1)
    echo "# $json"
    [ -n "$json" ] || fail "tests/bench/since-memory failed"
    jq -e '.bytes_per_record > 40 and .bytes_per_record < 160' <<<"$json"
}

@test "--only-changed: exactly the records that differ from FILE's, and new ones; the exit status counts all" {
    local k=o$RANDOM$RANDOM list=$BATS_TEST_TMPDIR/list
    local first=$BATS_TEST_TMPDIR/first.ndjson full=$BATS_TEST_TMPDIR/full.ndjson
    cond_urls "$k" >"$list"
    echo 'not a url' >>"$list"
    run_volley 1 -i "$list" --hash -o "$first"
    curl -sf "$SERVER/_change?key=$k-chg" >/dev/null
    curl -sf "$SERVER/_change?key=$k-fail&status=503" >/dev/null
    echo "$SERVER/cond/$k-new" >>"$list"
    # The full run says what changed; --only-changed must write exactly
    # those records (the same run twice: the server changes no more).
    run_volley 1 -r 0 -i "$list" --hash --since "$first" -o "$full"
    run_volley 1 -r 0 -i "$list" --hash --since "$first" --only-changed --ordered
    jq -es --slurpfile full "$full" '
        ($full | map(select(.changed != false)) | map(.id) | sort) as $want
        | map(.id) == $want and ($want | length) == 3
        and all(.changed != false)' <<<"$output"
    # Unchanged: the 304s, the 404 that failed both times, the bad line.
    jq -es 'map(select(.changed == false)) | length == 5' "$full"
    # Nothing changed at all: nothing written, yet the 404 makes it 1.
    # (Comment lines keep the 404 on line 6: its id.)
    printf '%s\n' "$SERVER/cond/$k-both" '#' '#' '#' '#' \
        "$SERVER/status/404?$k" >"$list"
    run_volley 1 -i "$list" --since "$first" --only-changed
    [ -z "$output" ]
    run_volley 1 -i "$list" --since "$first" --only-changed --ordered -w '%{id}\n'
    [ -z "$output" ]
}

@test "--since with -o FILE --resume: a run cut by --deadline, resumed, keeps comparing with the same FILE" {
    local k=r$RANDOM$RANDOM list=$BATS_TEST_TMPDIR/list
    local old=$BATS_TEST_TMPDIR/old.ndjson new=$BATS_TEST_TMPDIR/new.ndjson
    printf '%s\n' "$SERVER/cond/$k-1" "$SERVER/cond/$k-2" "$SERVER/cond/$k-3" \
        "$SERVER/delay/2500?$k" >"$list"
    run_volley 0 -i "$list" -o "$old"
    stats_reset
    # The slow one is cancelled at the deadline: changed null, it says
    # nothing of the page.
    run_volley 1 -i "$list" --since "$old" -o "$new" --deadline 1
    jq -es '
        length == 4 and
        (map(select(.error.kind == "cancelled")) | length == 1
         and .[0].changed == null) and
        (map(select(.unchanged)) | length) == 3' "$new"
    run_volley 0 -i "$list" --since "$old" -o "$new" --resume
    jq -es --slurpfile o "$old" '
        length == 4 and (map(.id) | sort) == [1,2,3,4]
        and all(.changed == false)
        and (map(select(.unchanged)) | length) == 3' "$new"
    # The resumed run fetched only the cancelled request.
    stats | jq -e --arg k "$k" '.not_modified == 3 and .total == 5'
}

@test "--since FILE -o FILE: --resume-failed redoes the failures and compares them with FILE's records" {
    local k=f$RANDOM$RANDOM f=$BATS_TEST_TMPDIR/f.ndjson
    curl -sf "$SERVER/_change?key=$k-b&status=500" >/dev/null
    printf '%s\n' "$SERVER/cond/$k-a" "$SERVER/cond/$k-b" >"$BATS_TEST_TMPDIR/list"
    run_volley 1 -r 0 -i "$BATS_TEST_TMPDIR/list" -o "$f"
    curl -sf "$SERVER/_change?key=$k-b&status=200" >/dev/null
    run_volley 0 -r 0 -i "$BATS_TEST_TMPDIR/list" --since "$f" -o "$f" \
        --resume-failed
    jq -es '
        length == 2 and (map(.id) | sort) == [1,2] and all(.ok)
        and (map(select(.id == 2))[0] | .changed == true)
        and (map(select(.id == 1))[0] | has("changed") | not)' "$f"
}

@test "--since FILE -o FILE: FILE is read before -o truncates it; --only-changed would lose records" {
    local k=t$RANDOM$RANDOM f=$BATS_TEST_TMPDIR/f.ndjson
    run_volley 0 --title "$SERVER/cond/$k-1" "$SERVER/cond/$k-2" -o "$f"
    run_volley 0 --title "$SERVER/cond/$k-1" "$SERVER/cond/$k-2" --since "$f" -o "$f"
    jq -es --arg k "$k" '
        length == 2 and all(.unchanged and .changed == false)
        and (map(.title) | sort) == ["\($k)-1 v1", "\($k)-2 v1"]' "$f"
    # No copy is left beside FILE.
    [ "$(find "$BATS_TEST_TMPDIR" -name 'f.ndjson.volley-*' | wc -l)" -eq 0 ]
    run_volley 2 "$SERVER/cond/$k-1" --since "$f" -o "$f" --only-changed
    [[ $stderr == *"unchanged records would be lost"* ]]
    jq -es 'length == 2' "$f"
}

@test "--since --crawl: a page unchanged since last time still yields its links, and the crawl goes on" {
    local k=w$RANDOM$RANDOM first=$BATS_TEST_TMPDIR/first.ndjson
    local seed="$SERVER/cond/$k?link=/cond/$k-a&link=/cond/$k-b"
    run_volley 0 --ignore-robots --crawl 2 "$seed" -o "$first"
    jq -es 'length == 3' "$first"
    curl -sf "$SERVER/_change?key=$k-b" >/dev/null
    stats_reset
    run_volley 0 --ignore-robots --crawl 2 "$seed" --since "$first"
    jq -es --arg s "$SERVER" --arg k "$k" '
        (map({key: (.url | sub("^http://[^/]*/cond/"; "")), value: .})
         | from_entries) as $r
        | length == 3
        and ($r[$k + "?link=/cond/\($k)-a&link=/cond/\($k)-b"]
             | .unchanged and (.links | length) == 2)
        and ($r["\($k)-a"] | .unchanged and .parent == 1 and .depth == 1)
        and ($r["\($k)-b"] | .changed == true and .parent == 1
             and (has("unchanged") | not))' <<<"$output"
    stats | jq -e '.not_modified == 2 and .total == 3'
}

@test "--since --shard: the shards of a list, each against the whole earlier output" {
    local k=d$RANDOM$RANDOM list=$BATS_TEST_TMPDIR/list i
    local first=$BATS_TEST_TMPDIR/first.ndjson
    for i in 1 2 3 4 5 6 7 8; do echo "$SERVER/cond/$k-$i"; done >"$list"
    run_volley 0 -i "$list" -o "$first"
    curl -sf "$SERVER/_change?key=$k-2" >/dev/null
    curl -sf "$SERVER/_change?key=$k-7" >/dev/null
    stats_reset
    run_volley 0 -i "$list" --since "$first" --shard 0/2 -o "$BATS_TEST_TMPDIR/p0"
    run_volley 0 -i "$list" --since "$first" --shard 1/2 -o "$BATS_TEST_TMPDIR/p1"
    cat "$BATS_TEST_TMPDIR/p0" "$BATS_TEST_TMPDIR/p1" | jq -es '
        length == 8 and (map(.id) | sort) == [1,2,3,4,5,6,7,8]
        and (map(select(.changed)) | map(.id) | sort) == [2,7]
        and (map(select(.unchanged)) | length) == 6'
    # Both shards had records.
    [ "$(wc -l <"$BATS_TEST_TMPDIR/p0")" -gt 0 ] && [ "$(wc -l <"$BATS_TEST_TMPDIR/p1")" -gt 0 ]
    stats | jq -e '.not_modified == 6'
}

@test "the test server: /cond/KEY answers If-None-Match and If-Modified-Since with 304 and counts the bytes it sent" {
    local k=q$RANDOM$RANDOM h
    stats_reset
    h=$(curl -s -D - -o /dev/null "$SERVER/cond/$k")
    [[ $h == *"ETag: \"$k-v1\""* ]]
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: \"$k-v1\"" "$SERVER/cond/$k")" = 304 ]
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'If-Modified-Since: Tue, 14 Nov 2023 23:13:20 GMT' "$SERVER/cond/$k")" = 304 ]
    curl -sf "$SERVER/_change?key=$k" >/dev/null
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: \"$k-v1\"" "$SERVER/cond/$k")" = 200 ]
    stats | jq -e --arg k "$k" '.not_modified == 2 and
        .sent_by_path["/cond/\($k)"] > 4000 and .sent == .sent_by_path["/cond/\($k)"]'
}

# watch ARGS...: samples/cron/volley-watch.sh under env -i, as cron runs
# it (the sanitizers' settings passed on, so their errors still show).
watch() {
    run --separate-stderr env -i VOLLEY="$VOLLEY" \
        ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} \
        ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} \
        "$@" sh "$BATS_TEST_DIRNAME/../samples/cron/volley-watch.sh" \
        "$BATS_TEST_TMPDIR/list" "$BATS_TEST_TMPDIR/state"
    printf '# %s\n' "${lines[@]}" "${stderr_lines[@]}"
    echo "# status=$status"
}

@test "samples/cron/volley-watch.sh under env -i: prints only the changes, new URLs and new failures" {
    local k=x$RANDOM$RANDOM
    printf '%s\n' "$SERVER/cond/$k-1" "$SERVER/cond/$k-2" "$SERVER/cond/$k-3" \
        "$SERVER/status/404?$k" >"$BATS_TEST_TMPDIR/list"
    watch
    [ "$status" -eq 0 ] && [ -z "$stderr" ]
    [ "${lines[0]}" = "volley-watch: first run of $BATS_TEST_TMPDIR/list: 4 records, 1 not ok" ]
    [ "${#lines[@]}" -eq 2 ] && [[ ${lines[1]} == failing*"/status/404?$k"* ]]
    curl -sf "$SERVER/_change?key=$k-2" >/dev/null
    curl -sf "$SERVER/_change?key=$k-3&status=500" >/dev/null
    echo "$SERVER/cond/$k-new" >>"$BATS_TEST_TMPDIR/list"
    stats_reset
    watch
    [ "$status" -eq 0 ] && [ -z "$stderr" ]
    [ "${lines[0]}" = "volley-watch: 3 of 5 changed since the last run of $BATS_TEST_TMPDIR/list:" ]
    [ "${#lines[@]}" -eq 4 ]
    printf '%s\n' "${lines[@]:1}" | sort >"$BATS_TEST_TMPDIR/got"
    printf 'changed\t%s\t200\nfailing\t%s\thttp: HTTP 500\nnew\t%s\t200\n' \
        "$SERVER/cond/$k-2" "$SERVER/cond/$k-3" "$SERVER/cond/$k-new" >"$BATS_TEST_TMPDIR/want"
    diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
    # The unchanged page came as a 304, without its body.
    stats | jq -e --arg k "$k" '.not_modified == 1 and .sent_by_path["/cond/\($k)-1"] < 300'
    # Nothing changed: nothing printed, one more log line.
    watch
    [ "$status" -eq 0 ] && [ -z "$output$stderr" ]
    [ "$(grep -c '' "$BATS_TEST_TMPDIR/state/watch.log")" -eq 3 ]
    jq -es 'length == 5' "$BATS_TEST_TMPDIR/state/last.ndjson"
}

@test "samples/cron/volley-watch.sh: a run cut by DEADLINE reports nothing; the next completes it and reports" {
    local k=y$RANDOM$RANDOM
    printf '%s\n' "$SERVER/cond/$k" >"$BATS_TEST_TMPDIR/list"
    watch
    [ "$status" -eq 0 ]
    curl -sf "$SERVER/_change?key=$k" >/dev/null
    echo "$SERVER/delay/3000?$k" >>"$BATS_TEST_TMPDIR/list"
    watch DEADLINE=1
    [ "$status" -eq 0 ] && [ -z "$output" ]
    grep -q "1 requests left for the next run" "$BATS_TEST_TMPDIR/state/watch.log"
    jq -es 'length == 1' "$BATS_TEST_TMPDIR/state/last.ndjson"
    watch DEADLINE=30
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "volley-watch: 2 of 2 changed since the last run of $BATS_TEST_TMPDIR/list:" ]
    [[ ${lines[1]} == changed*"/cond/$k"* || ${lines[2]} == changed*"/cond/$k"* ]]
    [ ! -e "$BATS_TEST_TMPDIR/state/current.ndjson" ]
}

@test "samples/cron/volley-watch.sh is shellcheck-clean" {
    command -v shellcheck >/dev/null || skip "shellcheck is not installed"
    run shellcheck -s sh "$BATS_TEST_DIRNAME/../samples/cron/volley-watch.sh"
    [ "$status" -eq 0 ] || fail "shellcheck: $output"
}
