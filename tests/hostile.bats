#!/usr/bin/env bats
# shellcheck disable=SC2154 # run sets $status, $output, $stderr
# Hostile servers, pages and input (issue 10, points 7 to 14): every error
# told truly, nothing lost. Each test failed on the code before the fix.
# -r 0 where a failure is expected and retries do not matter.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    server_start
    # A robots.txt whose Crawl-delay no double-to-integer conversion holds.
    local robots=$BATS_FILE_TMPDIR/robots-huge.txt
    printf 'User-agent: *\nCrawl-delay: 99999999999999999999999\n' >"$robots"
    server_start_named HUGE --robots-file "$robots"
}

teardown_file() {
    server_stop_named HUGE
    server_stop
}

# long_url N: a URL of exactly N bytes to the test server
long_url() {
    python3 -c 'import sys; h = sys.argv[1] + "/status/200?"; print(h + "a" * (int(sys.argv[2]) - len(h)))' \
        "$SERVER" "$1"
}

# --- 7: kinds ---------------------------------------------------------

@test "kind: a bad chunk size after the status line is protocol, not connect" {
    run_volley 1 -r 0 "$SERVER/bad-chunk"
    record | jq -e '.status == 200 and .error.kind == "protocol"
        and (.error.message | test("chunk"))'
}

@test "kind: one response header line of 1 MiB is too_large, not other 'Out of memory'" {
    run_volley 1 -r 0 "$SERVER/big-header/1024"
    record | jq -e '.error.kind == "too_large"
        and (.error.message | test("header") and (test("memory") | not))'
    # just under libcurl's 100 KiB a line is fine
    run_volley 0 "$SERVER/big-header/99"
    record | jq -e '.ok'
}

@test "kind: 400 KiB of response headers (libcurl's 'Too large response headers') is too_large" {
    run_volley 1 -r 0 "$SERVER/headers/400"
    record | jq -e '.error.kind == "too_large"
        and (.error.message | test("Too large response headers"))'
    run_volley 0 "$SERVER/headers/290"
    record | jq -e '.ok'
}

@test "input: a URL of 65536 bytes is sent; 65537, 1 MiB and 9 MiB are kind input with attempts 0" {
    local f=$BATS_TEST_TMPDIR/urls.txt
    stats_reset
    long_url 65536 >"$f"
    run_volley '?' -r 0 -i "$f"
    record | jq -e '.attempts == 1 and .error.kind != "input"'
    for n in 65537 1048576 9437184; do
        long_url "$n" >"$f"
        run_volley 1 -r 0 -i "$f"
        record | jq -e '.attempts == 0 and .status == null
            and .error.kind == "input" and (.error.message | test("65536"))'
    done
    # a JSON request and a positional URL too
    printf '{"id":"j","url":"%s"}\n' "$(long_url 65537)" >"$f"
    run_volley 1 -r 0 -i "$f"
    record | jq -e '.id == "j" and .attempts == 0 and .error.kind == "input"'
    run_volley 1 -r 0 "$(long_url 65537)"
    record | jq -e '.attempts == 0 and .error.kind == "input"'
    [ "$(stats | jq '.total')" -eq 1 ]
}

# --- 8 and 12: Retry-After of any size --------------------------------

@test "Retry-After: 99999999999999999999 (and 300 digits) means no retry, and the record says why" {
    local v
    for v in 99999999999999999999 "$(printf '9%.0s' {1..300})"; do
        run_volley 1 --retry-delay 0.01 --retry-max-delay 31622400 \
            "$SERVER/retry-after-value?$v"
        record | jq -e '.attempts == 1 and .status == 429
            and (.error.message | test("not retried: Retry-After"))'
    done
}

@test "Retry-After: a date in year 2147483647 or 'd2Oct999999999' means no retry, UBSan silent" {
    local v
    for v in 'Fri,%2031%20Dec%202147483647%2023:59:59%20GMT' d2Oct999999999; do
        run_volley 1 --retry-delay 0.01 "$SERVER/retry-after-value?$v"
        record | jq -e '.attempts == 1 and .status == 429
            and (.error.message | test("not retried: Retry-After"))'
    done
}

# --- 9: refused redirects ---------------------------------------------

@test "a redirect to file:///etc/passwd: final_url is the last URL fetched, the message names the target" {
    local url="$SERVER/redirect-to?file%3A%2F%2F%2Fetc%2Fpasswd"
    run_volley 1 -r 0 "$url"
    record | jq -e --arg u "$url" '.status == 302 and .error.kind == "protocol"
        and .final_url == $u and .redirects == 0
        and (.error.message | test("file:///etc/passwd"))'
}

# --- 10: IDN whatever the locale --------------------------------------

@test "IDN: http://bücher.localhost:PORT/ goes out as xn--bcher-kva.localhost under LC_ALL=C, C.UTF-8 and none" {
    local url="http://bücher.localhost:$SERVER_PORT/status/200"
    local saved=${VOLLEY_WRAPPER:-} w
    for w in "env LC_ALL=C" "env LC_ALL=C.UTF-8" \
        "env -u LC_ALL -u LC_CTYPE -u LANG"; do
        stats_reset
        VOLLEY_WRAPPER="$w $saved"
        run_volley 0 "$url"
        record | jq -e '.ok and .status == 200'
        stats | jq -e --arg h "xn--bcher-kva.localhost:$SERVER_PORT" \
            '[.starts[].host] == [$h]'
    done
    VOLLEY_WRAPPER=$saved
}

# --- 11: durations from outside are clamped ---------------------------

@test "Crawl-delay 99999999999999999999999: a crawl still writes one record per URL" {
    run_volley 1 --crawl 1 --deadline 2 "$HUGE_URL/html/crawl-index"
    # index fetched; a, b and private waited for the delay, then --deadline
    jq -es --arg s "$HUGE_URL" '
        (map(.url) | sort) == (["crawl-a", "crawl-b", "crawl-index",
                                "crawl-private"] | map("\($s)/html/\(.)"))
        and (map(select(.ok)) | map(.url)) == ["\($s)/html/crawl-index"]
        and all(.ok or .error.kind == "cancelled")' <<<"$output"
}

@test "--rate 1e-300: the spacing is clamped (no undefined conversion), the request is made" {
    run_volley '?' --rate 1e-300 --deadline 1 "$SERVER/status/200"
    record | jq -e '.ok'
}

# --- 13: hosts libcurl decoded ----------------------------------------

@test "--links: hosts that decode to DEL or invalid UTF-8 are dropped, http:/5%2e2 is 5.0.0.2 at once" {
    run_volley 0 --links "$SERVER/html/hostile-links"
    record | jq -e --arg s "$SERVER" \
        '.links == ["http://5.0.0.2/", "\($s)/html/crawl-a"]'
}

@test "--crawl --any-host --exclude evil: http://evil%FF.invalid/x is neither followed nor recorded" {
    run_volley '?' --crawl 1 --any-host --exclude 'evil|5\.0\.0\.2' \
        --ignore-robots -t 2 --connect-timeout 1 "$SERVER/html/hostile-links"
    jq -es --arg s "$SERVER" '(map(.url) | sort) ==
        ["\($s)/html/crawl-a", "\($s)/html/hostile-links"] and all(.ok)' \
        <<<"$output"
}

# --- 14: ids with \u0000 ----------------------------------------------

@test "--resume reads back an id holding \\u0000: nothing fetched twice" {
    local in=$BATS_TEST_TMPDIR/in.jsonl out=$BATS_TEST_TMPDIR/out.ndjson
    {
        printf '{"id":"\\u0000","url":"%s/status/200?nul"}\n' "$SERVER"
        printf '{"id":"a\\u0000b","url":"%s/status/200?nul2"}\n' "$SERVER"
        printf '{"id":"c","url":"%s/status/200?c"}\n' "$SERVER"
    } >"$in"
    run_volley 0 --ordered -i "$in" -o "$out"
    jq -es 'length == 3' "$out"
    stats_reset
    run_volley 0 --resume -i "$in" -o "$out"
    [ "$(stats | jq '.total')" -eq 0 ]
    jq -es 'length == 3 and (map(.id) == ["\u0000", "a\u0000b", "c"])' "$out"
}
