#!/usr/bin/env bats
# Crawling: --crawl DEPTH over a small site whose pages link in cycles,
# scope (--any-host, --include, --exclude, --max-urls), robots.txt (a
# server started with --robots-file) and --ignore-robots.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    server_start --robots-file "$BATS_TEST_DIRNAME/fixtures/robots.txt"
}
teardown_file() { server_stop; }

teardown() {
    volley_bg_stop
    blackhole_stop
}

@test "--crawl 3: each page once despite cycles, ids after the input's, parent and depth" {
    stats_reset
    run_volley 0 --crawl 3 "$SERVER/html/crawl-index"
    # index, a, b, c, d fetched; private denied by robots.txt.
    jq -es --arg s "$SERVER" '
        (map(select(.ok)) | map(.url) | sort) ==
          (["crawl-a","crawl-b","crawl-c","crawl-d","crawl-index"]
           | map("\($s)/html/\(.)"))
        and ([.[].id] | sort) == [1,2,3,4,5,6]
        and (map(select(.id == 1))[0] | .depth == 0 and .parent == null)
        and (map(select(.url | endswith("crawl-a")))[0]
             | .parent == 1 and .depth == 1)
        and (map(select(.url | endswith("crawl-d")))[0] | .depth == 3)' \
        <<<"$output"
    # Each page was fetched exactly once; robots.txt once for the host.
    stats | jq -e '.hits["/html/crawl-a"] == 1 and .hits["/html/crawl-b"] == 1
        and .hits["/html/crawl-index"] == 1 and .hits["/robots.txt"] == 1'
}

@test "--crawl 1: only one hop from the seed" {
    run_volley 0 --crawl 1 "$SERVER/html/crawl-index"
    jq -es 'map(select(.ok)) | map(.depth) | max == 1' <<<"$output"
    jq -es 'map(.url) | any(endswith("crawl-c")) | not' <<<"$output"
}

@test "robots.txt: a disallowed URL gets a record of kind robots and no fetch" {
    stats_reset
    run_volley 0 --crawl 1 "$SERVER/html/crawl-index"
    jq -es 'map(select(.url | endswith("crawl-private")))[0]
            | .error.kind == "robots" and .status == null and .parent == 1' \
        <<<"$output"
    stats | jq -e '.hits["/html/crawl-private"] == null'
}

@test "robots.txt: fetched once per origin, however its URLs spell it" {
    # Case, user information and a port with a leading zero: one origin,
    # one robots.txt, whose rules hold for every spelling.
    local h=ex.test:$SERVER_PORT
    stats_reset
    run_volley 0 --crawl 0 --resolve "$h:127.0.0.1" "http://$h/html/crawl-a" \
        "HTTP://EX.Test:$SERVER_PORT/html/crawl-b" \
        "http://u:p@$h/html/crawl-c" \
        "http://ex.test:0$SERVER_PORT/html/crawl-d" \
        "http://EX.TEST:$SERVER_PORT/html/crawl-private"
    jq -es 'length == 5 and (map(select(.ok)) | length) == 4
        and (map(select(.error.kind == "robots")) | length) == 1' \
        <<<"$output"
    stats | jq -e '.hits["/robots.txt"] == 1
        and .hits["/html/crawl-private"] == null'
}

@test "robots.txt: 300 origins, each fetched once and obeyed (the gate's table grows)" {
    # Origins differ by port here; the gate's table starts at 64 buckets
    # and doubles past 64, 128 and 256 origins.
    local ports=$BATS_TEST_TMPDIR/ports robots=$BATS_TEST_TMPDIR/robots.txt
    local in=$BATS_TEST_TMPDIR/seeds.txt p
    printf 'User-agent: *\nDisallow: /html/crawl-private\n' >"$robots"
    server_start_named MANY --robots-file "$robots" --extra-ports 299 \
        --extra-portfile "$ports"
    { echo "$MANY_PORT"; cat "$ports"; } | while read -r p; do
        echo "http://127.0.0.1:$p/html/crawl-private"
        echo "http://127.0.0.1:$p/status/200"
    done >"$in"
    run_volley 0 --crawl 0 -c 32 -i "$in"
    curl -s "$MANY_URL/_stats" >"$BATS_TEST_TMPDIR/stats.json"
    server_stop_named MANY
    jq -es 'length == 600
        and (map(select(.ok)) | length) == 300
        and (map(select(.ok) | .url | endswith("/status/200")) | all)
        and (map(select(.error.kind == "robots")) | length) == 300
        and (map(select(.error.kind == "robots") | .url
                 | endswith("/crawl-private")) | all)' <<<"$output"
    jq -e '.hits["/robots.txt"] == 300 and .hits["/html/crawl-private"] == null' \
        "$BATS_TEST_TMPDIR/stats.json"
}

@test "robots.txt of 2 MB, past --max-body: its first 500 KiB are fetched and obeyed" {
    # Only what the parser reads is fetched, and the cut file's rules
    # hold: before, the file met --max-body, the fetch failed, and a failed
    # fetch allows everything.
    local robots=$BATS_TEST_TMPDIR/robots.txt
    python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("User-agent: *\nDisallow: /html/crawl-private\n")
    f.write(("#" + "x" * 99 + "\n") * 20000)
' "$robots"
    server_start_named BIG --robots-file "$robots"
    run_volley 0 --crawl 0 --max-body 1M "$BIG_URL/html/crawl-private" \
        "$BIG_URL/status/200"
    curl -s "$BIG_URL/_stats" >"$BATS_TEST_TMPDIR/stats.json"
    server_stop_named BIG
    jq -es 'length == 2 and (sort_by(.id) | .[0].error.kind == "robots"
        and .[1].ok)' <<<"$output"
    jq -e '.hits["/robots.txt"] == 1 and .hits["/html/crawl-private"] == null' \
        "$BATS_TEST_TMPDIR/stats.json"
}

@test "robots.txt: Crawl-delay spaces the host's starts" {
    stats_reset
    run_volley 0 --crawl 1 "$SERVER/html/crawl-index"
    gap=$(stats | jq '[.starts[] | select(.path | startswith("/html/")) | .t]
        | sort | [., .[1:]] | transpose | map(select(.[1]) | .[1] - .[0]) | min')
    jq -en "$gap >= 0.15"
}

@test "--ignore-robots: robots.txt neither fetched nor obeyed" {
    stats_reset
    run_volley 0 --ignore-robots --crawl 1 "$SERVER/html/crawl-index"
    jq -es 'map(select(.url | endswith("crawl-private")))[0].ok' <<<"$output"
    stats | jq -e '.hits["/robots.txt"] == null'
}

@test "--crawl: another host is out of scope unless --any-host" {
    run_volley 0 --crawl 1 "$SERVER/html/crawl-index"
    jq -es 'map(.url) | any(test("other.invalid")) | not' <<<"$output"
    run_volley 1 --crawl 1 --any-host "$SERVER/html/crawl-index"
    jq -es 'map(select(.url | test("other.invalid")))[0].error.kind == "dns"' \
        <<<"$output"
}

@test "--include and --exclude filter the URLs followed" {
    run_volley 0 --crawl 3 --include 'crawl-[ab]$' "$SERVER/html/crawl-index"
    jq -es 'map(.url | sub(".*/"; "")) | sort == ["crawl-a","crawl-b","crawl-index"]' \
        <<<"$output"
    run_volley 0 --crawl 3 --exclude 'crawl-(b|private)' "$SERVER/html/crawl-index"
    jq -es 'map(.url | sub(".*/"; "")) | any(. == "crawl-b") | not' <<<"$output"
    run_volley 2 --crawl 1 --include '(' "$SERVER/html/crawl-index"
}

@test "--crawl: follows <a>, <frame> and <iframe>; not images, scripts or stylesheets" {
    stats_reset
    run_volley 0 --crawl 3 "$SERVER/page/req-index.html"
    jq -es --arg s "$SERVER" '(map(.url) | sort) ==
        (["req-frame.html","req-index.html","req-next.html"]
         | map("\($s)/page/\(.)"))' <<<"$output"
    stats | jq -e '.hits["/page/req.css"] == null and .hits["/page/req.png"] == null
        and .hits["/page/req.js"] == null'
    # A javadoc-style frameset: each frame, and the <noframes> links.
    run_volley 0 --crawl 1 "$SERVER/html/scan-frames"
    jq -es '[.[] | select(.depth == 1) | .url | sub(".*/"; "")] | sort ==
        ["crawl-a","crawl-b","crawl-c","crawl-d","site-a","site-b"]' <<<"$output"
}

@test "--crawl --page-requisites: also images, scripts, stylesheets and what stylesheets name" {
    stats_reset
    run_volley 0 --crawl 3 --page-requisites "$SERVER/page/req-index.html"
    jq -es --arg s "$SERVER" '(map(.url) | sort) ==
        (["req-bg.png","req-frame.html","req-index.html","req-more.css",
          "req-next.html","req.css","req.js","req.png"]
         | map("\($s)/page/\(.)"))
        and (map(select(.url | endswith("/req-bg.png")))[0] | .depth == 2)' \
        <<<"$output"
    # req.png is named by the page and by req-more.css: fetched once.
    stats | jq -e '.hits["/page/req.png"] == 1 and .hits["/page/req.css"] == 1'
}

@test "--max-urls: caps the URLs fetched, seeds included" {
    run_volley '?' --crawl 3 --max-urls 3 "$SERVER/html/crawl-index"
    jq -es 'length == 3' <<<"$output"
}

@test "--crawl with --ordered: seeds in input order, then discovery order" {
    run_volley 0 --ordered --crawl 2 "$SERVER/html/crawl-b" "$SERVER/html/crawl-d"
    jq -es '[.[].id] == ([.[].id] | sort) and .[0].id == 1 and .[1].id == 2' \
        <<<"$output"
}

@test "--crawl: SIGTERM leaves the frontier unfetched, every request read has its record" {
    list=$BATS_TEST_TMPDIR/list
    for i in 1 2 3 4; do echo "$SERVER/delay/3000?i=$i"; done >"$list"
    volley_bg -v --grace 0.2 --crawl 2 -c 4 -i "$list"
    wait_inflight 4
    kill -TERM "$bg_pid"
    volley_wait 143
    jq -es 'length == 4 and all(.error.kind == "cancelled")' <<<"$output"
}

@test "samples/crawl-demo.sh crawls the demo site: six records, one denied by robots.txt" {
    run --separate-stderr timeout 60 sh "$BATS_TEST_DIRNAME/../samples/crawl-demo.sh" "$VOLLEY"
    [ "$status" -eq 0 ]
    jq -es 'length == 6 and (map(select(.error == "robots")) | length) == 1
            and (map(.depth // 0) | max) == 3' <<<"$output"
}

@test "--crawl with --resume: pages FILE has are not fetched again, their links still followed" {
    out=$BATS_TEST_TMPDIR/out.ndjson
    # The first run stops after the seed and its first links (--max-urls).
    run_volley '?' --crawl 3 --max-urls 3 -o "$out" "$SERVER/html/crawl-index"
    jq -es 'length == 3' "$out"
    stats_reset
    # The second run, without the cap, finishes the crawl.
    run_volley '?' --crawl 3 -o "$out" --resume "$SERVER/html/crawl-index"
    # Every page once in FILE, ids unique, the full site covered.
    jq -es --arg s "$SERVER" '
        (map(.url) | sort) == (["crawl-a","crawl-b","crawl-c","crawl-d",
                                "crawl-index","crawl-private"]
                               | map("\($s)/html/\(.)"))
        and ([.[].id] | unique | length) == length' "$out"
    # The seed was not fetched again.
    stats | jq -e '.hits["/html/crawl-index"] == null'
}

@test "--crawl with --save: pages saved, robots.txt not, no temporary file left" {
    dir=$BATS_TEST_TMPDIR/save
    mkdir "$dir"
    run_volley 0 --crawl 3 --save "$dir" "$SERVER/html/crawl-index"
    [ "$(find "$dir" -type f | wc -l)" -eq 5 ]
    [ "$(find "$dir" -name '.volley-*' | wc -l)" -eq 0 ]
    ! grep -rq "Disallow" "$dir"
}

@test "valgrind: a crawl with extraction, --save and -w, no leak or memory error" {
    use_valgrind
    dir=$BATS_TEST_TMPDIR/save
    mkdir "$dir"
    run_volley 1 --crawl 3 --title -x 'h=//h1' -e 'w=(\w+)' --save "$dir" \
        --stats -w '%{id} %{status}' "$SERVER/html/crawl-index" \
        "$SERVER/html/extract" "$SERVER/gzip-bomb" --max-body 1M
}

@test "--crawl: cancelled while robots.txt is fetched: the held seed gets its record, robots.txt none" {
    # A port where connect() hangs: robots.txt never comes, the seed waits.
    blackhole_start
    run_volley 1 --crawl 1 --deadline 0.5 --connect-timeout 20 \
        "http://127.0.0.1:$BH_PORT/page"
    jq -es 'length == 1 and .[0].id == 1 and .[0].error.kind == "cancelled"
        and .[0].error.message ==
            "cancelled: --deadline passed, while waiting for robots.txt"' \
        <<<"$output"
}

@test "--crawl: a seed's record has depth 0, not null; without --crawl no depth" {
    run_volley 0 --crawl 1 "$SERVER/html/crawl-b" "$SERVER/html/crawl-d"
    jq -es 'map(select(.id <= 2)) | length == 2
        and all(.depth == 0 and (has("parent") | not))' <<<"$output"
    jq -es 'map(select(.id > 2)) | length > 0 and all(.depth == 1)' <<<"$output"
    run_volley 0 "$SERVER/html/crawl-b"
    jq -es '.[0] | has("depth") | not' <<<"$output"
}

@test "robots.txt: a disallowed URL is reported, not a failure: exit 0, --stats apart, --fail-fast goes on" {
    local sj=$BATS_TEST_TMPDIR/stats.json
    # crawl-index links crawl-private, which robots.txt disallows.
    run_volley 0 --stats --stats-json "$sj" --crawl 1 "$SERVER/html/crawl-index"
    jq -es 'map(select(.error.kind == "robots")) | length == 1' <<<"$output"
    jq -es 'map(select(.error.kind != "robots")) | all(.ok)' <<<"$output"
    [[ $stderr == *"requests: 4 (3 ok, 0 failed, 1 disallowed by robots.txt)"* ]] ||
        fail "--stats does not count the robots record apart: $stderr"
    jq -e '.requests == 4 and .ok == 3 and .failed == 0 and .robots == 1
        and .errors.robots == 1' "$sj"
    # --fail-fast reacts to failures, not to robots.txt's manners.
    run_volley 0 --fail-fast --crawl 1 -c 1 "$SERVER/html/crawl-index"
    jq -es 'length == 4 and all(.error.kind != "cancelled")' <<<"$output"
    # a real failure still fails the run
    run_volley 1 --crawl 1 "$SERVER/html/crawl-index" "$SERVER/status/404"
}

@test "--crawl: depth is the shortest distance from a seed: depth d waits for every URL of a smaller depth" {
    # bfs-seed links a (fast) and b (1 s); a links c; c links d; b links d.
    # In completion order c (depth 2) would run while b is slow, and find
    # d first at depth 3; d is at depth 2, by b.
    stats_reset
    run_volley 0 --ignore-robots --crawl 3 "$SERVER/html/bfs-seed"
    jq -es --arg s "$SERVER" '
        length == 5
        and (map(select(.url == "\($s)/html/bfs-d"))[0] as $d
             | map(select(.url == "\($s)/html/bfs-b?delay=1000"))[0] as $b
             | $d.depth == 2 and $d.parent == $b.id)
        and (map(select(.url == "\($s)/html/bfs-c"))[0].depth == 2)' \
        <<<"$output"
    # The server saw c start after b ended, so level 2 waited for level 1.
    stats | jq -e '[.starts[] | {(.path): .t}] | add
        | .["/html/bfs-c"] - .["/html/bfs-b?delay=1000"] >= 0.9'
}

@test "-u/--user in a crawl: sent to the seeds' hosts, not to another host reached with --any-host" {
    # localhost is another host name for the same server.
    local other=http://localhost:$SERVER_PORT/echo here=$SERVER/echo
    # The query is percent-encoded: "://" in it would make the server read
    # the target as a proxy's absolute form.
    run_volley 0 --ignore-robots --any-host --crawl 1 --body -u 'alice:s3cret' \
        "$SERVER/link-to?$(jq -rn --arg u "$other" '$u | @uri')" \
        "$SERVER/link-to?$(jq -rn --arg u "$here" '$u | @uri')"
    jq -es --arg o "$other" --arg h "$here" '
        (map(select(.url == $o))[0].body | fromjson | .headers.authorization) == null
        and (map(select(.url == $h))[0].body | fromjson
             | .headers.authorization) == "Basic YWxpY2U6czNjcmV0"' <<<"$output"
}
