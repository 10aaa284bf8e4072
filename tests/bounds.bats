#!/usr/bin/env bats
# Bounded whatever the pages (issue 11): memory held for extraction
# counts against -c, hostile headers and robots.txt files cost linear
# time, regexes have a budget per body, the crawl's own memory stays
# small, and the loop never stalls. Stalls are read from --stats-json's
# "loop" object, which counts them on the loop thread's CPU time (not
# wall time), so a busy shared machine does not make these tests fail.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

# no_stalls FILE: the --stats-json FILE measured the loop and counted no
# iteration with more than 100 ms of the loop thread's CPU time.
no_stalls() {
    jq -e '.loop.iterations > 0 and .loop.stalls == 0' "$1" ||
        fail "loop stalls: $(jq -c .loop "$1")"
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
