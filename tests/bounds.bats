#!/usr/bin/env bats
# Bounded whatever the pages (issue 11): memory held for extraction
# counts against -c, hostile headers and robots.txt files cost linear
# time, regexes have a budget per body, the crawl's own memory stays
# small, and the loop never stalls. Stalls are read from --stats-json's
# "loop" object, which counts them in ticks of the loop thread's own
# running time (not wall time, nor the CPU clock that a virtual machine's
# host inflates), so a busy shared machine does not make these tests fail.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    server_start
    # A slow disk, as an LD_PRELOAD library: without a C compiler, the
    # test that needs it skips.
    ${CC:-cc} -shared -fPIC -O2 -o "$BATS_FILE_TMPDIR/slowdisk.so" \
        "$BATS_TEST_DIRNAME/slowdisk.c" -ldl 2>/dev/null || true
}
teardown_file() { server_stop; }

# no_stalls FILE: the --stats-json FILE measured the loop and counted no
# iteration in which the loop thread ran more than 100 ms.
no_stalls() {
    jq -e '.loop.iterations > 0 and .loop.stalls == 0' "$1" ||
        fail "loop stalls: $(jq -c .loop "$1")"
}

@test "a stall is counted when the loop really works that long: a 60 MB --body record" {
    # Escaping 60 MB into a record is loop work linear in --max-body: more
    # than 100 ms on any machine. The control for the tests that count 0.
    local s=$BATS_TEST_TMPDIR/s.json
    run_volley 0 --body --max-body 64M --stats-json "$s" -o /dev/null \
        "$SERVER/text/60000000"
    jq -e '.loop.stalls >= 1' "$s"
}

@test "--headers: 44,000 header names cost no loop stall; 1000 kept, the rest counted; siblings keep their timeouts" {
    local s=$BATS_TEST_TMPDIR/s.json out=$BATS_TEST_TMPDIR/out.ndjson
    run_volley 0 -c 8 -t 5 --headers --stats-json "$s" -o "$out" \
        "$SERVER/manyheaders/44000?a" "$SERVER/manyheaders/44000?b" \
        "$SERVER/manyheaders/44000?c" "$SERVER/manyheaders/44000?d" \
        "$SERVER/delay/300?a" "$SERVER/delay/300?b" "$SERVER/delay/300?c"
    jq -es 'length == 7 and all(.ok)
        and (map(select(.url | test("manyheaders")))
             | length == 4
               and all((.headers | length) == 1000
                       and .headers_dropped == 43002
                       and .headers["0"] == "" and .headers["rp"] == ""))
        and (map(select(.url | test("delay")))
             | all(.headers_dropped == null))' "$out"
    no_stalls "$s"
}

# --- memory: a body keeps its slot until its record --------------------

@test "-c 1: a body under extraction keeps its slot: the next request starts after its record" {
    # The first body's regex runs out its budget (0.1 s or more); the second
    # request is quick. Were the slot freed when the transfer ended, the
    # second record would come first.
    run_volley 0 -c 1 -e 'r=(a+)+$' \
        "$SERVER/repeat/1000/aaaaaaaaaaaaaaaaaa%21" "$SERVER/status/200"
    jq -es 'map(.id) == [1, 2] and all(.ok)
        and .[0].extract_cut == {"r": "budget"}' <<<"$output"
}

# --- CPU per response: the regex budget, cancellation -------------------

@test "-e '(a+)+\$' over 1,000 x 'aaaaaaaaaaaaaaaaaa!': cut by the budget, the other pattern whole, -t and --deadline hold" {
    local s=$BATS_TEST_TMPDIR/s.json
    run_volley 0 -t 5 --deadline 10 --stats-json "$s" \
        -e 'r=(a+)+$' -e 'b=a(a!)$' \
        "$SERVER/repeat/1000/aaaaaaaaaaaaaaaaaa%21" "$SERVER/delay/300"
    jq -es 'length == 2 and all(.ok)
        and (map(select(.id == 1))[0]
             | .extract == {"r": [], "b": ["a!"]}
               and .extract_cut == {"r": "budget"})
        and (map(select(.id == 2))[0] | .extract_cut == null)' <<<"$output"
    no_stalls "$s"
}

@test "--deadline stops extraction running and waiting: cancelled records, extract_cut says so" {
    # Three 19 MB bodies, each with six patterns whose budgets add up to
    # 15 s or more on a fast machine; two bodies are parsed at once (half
    # the pool), the third waits. The deadline leaves the transfers time
    # to end even on a loaded machine.
    local body=aaaaaaaaaaaaaaaaaa%21 i pats=()
    for i in 1 2 3 4 5 6; do pats+=(-e "r$i=(a+)+\$"); done
    run_volley 1 -c 3 --max-body 64M --deadline 8 "${pats[@]}" \
        "$SERVER/repeat/1000000/$body?1" "$SERVER/repeat/1000000/$body?2" \
        "$SERVER/repeat/1000000/$body?3"
    jq -es 'length == 3
        and all(.error.kind == "cancelled"
                and .error.message == "cancelled: --deadline passed")
        and (map(select(.status == 200 and .size == 19000000))
             | length >= 1
               and all(.extract_cut | to_entries | length == 6
                       and any(.value == "cancelled")))' <<<"$output"
}

# --- the loop never stalls: the heavy cases ------------------------------

@test "2.5 MB pages with --title --links -x -e: no stall; siblings keep their timeouts" {
    local s=$BATS_TEST_TMPDIR/s.json out=$BATS_TEST_TMPDIR/out.ndjson i urls=()
    for i in 1 2 3 4; do urls+=("$SERVER/bightml/2560/$i"); done
    # -c 2: under ASan, taking in four 2.5 MB bodies in one loop turn
    # (a page fault per 4 KiB, each body copied as its buffer grows) is
    # itself more than 100 ms; parsing them is what must stay off.
    run_volley 0 -c 2 -t 5 --stats-json "$s" -o "$out" --title --links \
        -x 'n=count(//h2)' -e 'id=data-page="([0-9]+)"' "${urls[@]}" \
        "$SERVER/delay/300?a" "$SERVER/delay/300?b" "$SERVER/delay/300?c"
    jq -es 'length == 7 and all(.ok)
        and (map(select(.url | test("bightml")))
             | length == 4
               and all(.title == "Big page of 2560 KiB"
                       and (.links | length) == 50
                       and .extract.id == ["2560"]
                       and (.extract.n[0] | tonumber) > 10000))' "$out"
    no_stalls "$s"
}

@test "--save to a slow disk: no stall; bodies whole; siblings keep their timeouts" {
    [[ -f $BATS_FILE_TMPDIR/slowdisk.so ]] || skip "no C compiler for the slow disk"
    local s=$BATS_TEST_TMPDIR/s.json dir
    dir=$(realpath "$BATS_TEST_TMPDIR")/slow
    mkdir "$dir"
    # Every write into $dir and every rename into it takes 30 ms.
    LD_PRELOAD=$BATS_FILE_TMPDIR/slowdisk.so SLOWDISK_DIR=$dir SLOWDISK_MS=30 \
        ASAN_OPTIONS=$ASAN_OPTIONS:verify_asan_link_order=0 \
        run_volley 0 -c 4 -t 5 --stats-json "$s" --save "$dir" \
        "$SERVER/bytes/3000000?1" "$SERVER/bytes/3000000?2" \
        "$SERVER/bytes/3000000?3" "$SERVER/bytes/3000000?4" \
        "$SERVER/delay/300?a" "$SERVER/delay/300?b"
    jq -es 'length == 6 and all(.ok) and all(.saved != null)' <<<"$output"
    local f
    for f in 1 2 3 4; do
        [ "$(stat -c %s "$dir/$f.bin")" -eq 3000000 ]
    done
    no_stalls "$s"
}

@test "a slow reader of stdout: no stall and no timeouts" {
    local s=$BATS_TEST_TMPDIR/s.json in=$BATS_TEST_TMPDIR/in.txt i
    for ((i = 1; i <= 100; i++)); do
        echo "$SERVER/text/20000?i=$i"
    done >"$in"
    # 100 records of 20 KB read one per 20 ms: 2 s, longer than -t 1.
    run --separate-stderr bash -c '"$VOLLEY" -c 10 -t 1 -r 0 --body \
        --stats-json "$2" -i "$1" |
        python3 -c "
import sys, time
for line in sys.stdin:
    sys.stdout.write(line)
    sys.stdout.flush()
    time.sleep(0.02)
"; exit "${PIPESTATUS[0]}"' _ "$in" "$s"
    assert_success
    jq -es 'length == 100 and all(.ok)' <<<"$output"
    no_stalls "$s"
}

@test "-v -v on a busy run: no stall and no timeouts" {
    local s=$BATS_TEST_TMPDIR/s.json in=$BATS_TEST_TMPDIR/in.txt i
    for ((i = 1; i <= 3000; i++)); do
        echo "$SERVER/status/200?i=$i"
    done >"$in"
    run_volley 0 -c 50 -t 5 -v -v --stats-json "$s" -i "$in"
    jq -es 'length == 3000 and all(.ok)' <<<"$output"
    [ "${#stderr_lines[@]}" -gt 100 ]
    no_stalls "$s"
}

# --- robots.txt: linear matching, capped ---------------------------------

@test "robots.txt of 500 KiB of star rules against 20,000-byte paths: no stall; another host unharmed" {
    local s=$BATS_TEST_TMPDIR/s.json robots=$BATS_TEST_TMPDIR/robots.txt
    python3 -c '
import sys
rule = "Disallow: /" + "*a" * 40 + "*b\n"
with open(sys.argv[1], "w") as f:
    f.write("User-agent: *\n" + rule * (500 * 1024 // len(rule)))
' "$robots"
    server_start_named ROBOTS --robots-file "$robots"
    # Refusals by robots.txt are no failure: exit status 0.
    run_volley 0 --crawl 1 -c 4 -t 5 --stats-json "$s" \
        "$ROBOTS_URL/longlinks/5/20000" "$SERVER/delay/300"
    server_stop_named ROBOTS
    # The long paths cost more than a check may spend: disallowed.
    jq -es 'length == 7
        and (map(select(.depth == 1))
             | length == 5 and all(.error.kind == "robots"))
        and (map(select(.depth == 0)) | length == 2 and all(.ok))' \
        <<<"$output"
    no_stalls "$s"
}

@test "robots.txt of 60,000 rules on 40 origins: parsed off the loop; the gate keeps 32 MiB of them, drops the oldest, verdicts right" {
    # Each origin's file parses to about 3 MB: 40 would hold 120 MB.
    local s=$BATS_TEST_TMPDIR/s.json robots=$BATS_TEST_TMPDIR/robots.txt
    local ports=$BATS_TEST_TMPDIR/ports in=$BATS_TEST_TMPDIR/seeds.txt p kb
    python3 -c '
import sys
with open(sys.argv[1], "w") as f:
    f.write("User-agent: *\nDisallow: /html/crawl-private\n")
    f.write("Allow:/\n" * (500 * 1024 // 8 - 8))
' "$robots"
    server_start_named MANY --robots-file "$robots" --extra-ports 39 \
        --extra-portfile "$ports"
    # The first origin comes back at the end, long after it was dropped:
    # its robots.txt is fetched again, and obeyed again.
    {
        echo "http://127.0.0.1:$MANY_PORT/html/crawl-private"
        while read -r p; do
            echo "http://127.0.0.1:$p/html/crawl-private"
            echo "http://127.0.0.1:$p/status/200"
        done <"$ports"
        echo "http://127.0.0.1:$MANY_PORT/status/200"
        echo "http://127.0.0.1:$MANY_PORT/html/crawl-private"
    } >"$in"
    # -c 8: files parsed at once. Each takes tens of milliseconds (40 ms
    # here when quiet): in the thread pool, not the loop.
    run_volley 0 --crawl 0 -c 8 -t 20 --stats-json "$s" -i "$in"
    jq -es 'length == 81
        and (map(select(.ok)) | length == 40
             and all(.url | endswith("/status/200")))
        and (map(select(.error.kind == "robots")) | length == 41
             and all(.url | endswith("/crawl-private")))' <<<"$output"
    no_stalls "$s"
    # -c 1: the first origin's request is long gone when it comes back,
    # and an origin whose requests wait for the slot (which keeps it past
    # the budget) is one or two at a time, a sanitizer's slowness or not.
    curl -s "$MANY_URL/_stats?reset=1" >/dev/null
    run_volley 0 --crawl 0 -c 1 -t 20 --stats-json "$s" -i "$in"
    jq -es 'length == 81
        and (map(select(.error.kind == "robots")) | length == 41)' <<<"$output"
    curl -s "$MANY_URL/_stats" | jq -e '.hits["/robots.txt"] == 41
        and .hits["/html/crawl-private"] == null'
    cat "$s"
    jq -e '.crawl.robots_dropped >= 20
        and .crawl.robots_peak_bytes > 30 * 1048576
        and .crawl.robots_peak_bytes < 48 * 1048576' "$s"
    if grep -q __asan_init "$VOLLEY"; then
        server_stop_named MANY
        skip "a sanitizer's allocator: its peak RSS says nothing of volley's"
    fi
    kb=$(python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
        "$VOLLEY" --crawl 0 -c 2 -t 20 -i "$in")
    server_stop_named MANY
    # 82 to 88 MB measured (the pool threads' malloc arenas keep some of
    # what the loop frees), 155 MB and more without the budget.
    echo "# peak RSS $kb KiB"
    ((kb < 120 * 1024)) || fail "peak RSS $kb KiB: the budget did not hold"
}

# --- the crawl's own memory ----------------------------------------------

@test "--crawl --max-urls 0 over a generated site of 3,000 pages: each fetched once; visited set and frontier under 200 bytes a URL" {
    local s=$BATS_TEST_TMPDIR/s.json out=$BATS_TEST_TMPDIR/out.ndjson
    stats_reset
    run_volley 0 --crawl 30 --max-urls 0 -c 16 --stats-json "$s" -o "$out" \
        "$SERVER/site/7/3000/0"
    jq -es 'length == 3000 and all(.ok) and (map(.url) | unique | length) == 3000' \
        "$out"
    stats | jq -e '[.hits | to_entries[] | select(.key | startswith("/site/7/3000/"))]
        | length == 3000 and all(.value == 1)'
    # The table of 16-byte keys and the frontier's blocks (64 KiB each,
    # so a small crawl pays for their slack), per URL seen.
    jq -e '.crawl.seen == 3000 and .crawl.frontier_peak > 1000
        and (.crawl.seen_bytes + .crawl.frontier_peak_bytes) / .crawl.seen < 200' "$s"
}
