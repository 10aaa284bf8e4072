#!/usr/bin/env bats
# shellcheck disable=SC2016,SC2154 # bash -c scripts take $1..; run sets $status, $output, $stderr
# The command line (issue 2, "Options" and "Exit status"): every option is
# accepted and has its effect, bad usage exits 2 and names the option and
# the value.  What the server received is checked through /echo and /_stats.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    server_start
    tls_make_cert
    server_start_named TLS --tls-cert "$TLS_CERT" --tls-key "$TLS_KEY"
}

teardown_file() {
    server_stop_named TLS
    server_stop
}

teardown() {
    blackhole_stop
}

# echo_request: the request /echo saw, from the single record in $output
echo_request() {
    jq -ec '.body | fromjson' <<<"$output"
}

# usage_error OPTION_REGEX VALUE ARGS...: exit 2, nothing on stdout, no
# request made, stderr names the option and the value
usage_error() {
    local opt_re=$1 val=$2
    shift 2
    stats_reset
    run_volley 2 "$@" "$SERVER/status/200"
    assert_equal "$output" ""
    [[ $stderr =~ $opt_re ]] || fail "stderr does not name the option /$opt_re/"
    [[ $stderr == *"$val"* ]] || fail "stderr does not name the value '$val'"
    run stats
    jq -e '.total == 0' <<<"$output"
}

# ---- --help and --version ----------------------------------------------

@test "-h/--help: usage on stdout, exit 0, lists every option" {
    local opt o
    for opt in --help -h; do
        run_volley 0 "$opt"
        assert_equal "$stderr" ""
        [[ $output == *Usage:* ]] || fail "$opt: no 'Usage:' line"
        for o in -i --input -c --concurrency -t --timeout --connect-timeout \
            -X --method -H --header -d --data -A --user-agent -L --location \
            --no-location --max-redirs -k --insecure --proxy --http1.1 \
            --http2 --compressed --no-compressed --max-body --body --headers \
            -o --output --ordered -q --quiet -v --verbose -h --help \
            -V --version; do
            [[ $output =~ (^|[[:space:],])"$o"([[:space:],=]|$) ]] ||
                fail "$opt does not list $o"
        done
    done
}

@test "-V/--version: volley's version and the libcurl/libuv/jansson versions" {
    local opt curlver
    curlver=$(curl --version | sed -n '1s|.* libcurl/\([0-9.]*\).*|\1|p')
    for opt in --version -V; do
        run_volley 0 "$opt"
        assert_equal "$stderr" ""
        assert_line --regexp '^volley [0-9]+\.[0-9]+\.[0-9]+'
        assert_line --regexp '^libcurl [0-9]+\.[0-9]+\.[0-9]+'
        assert_line --regexp '^libuv [0-9]+\.[0-9]+\.[0-9]+'
        assert_line --regexp '^jansson [0-9]+\.[0-9]+'
        if [[ -n $curlver ]]; then
            assert_line --regexp "^libcurl $curlver( |\$)"
        fi
    done
}

# ---- usage errors: exit 2, option and value named, nothing on stdout -----

@test "usage error: an unknown option exits 2 and names it" {
    usage_error '--bogus-option' '--bogus-option' --bogus-option
}

@test "exact long names only: --user-ag and --fail are refused, never taken for --user-agent and --fail-fast" {
    # getopt_long took any unambiguous prefix: "--fail" ran --fail-fast.
    usage_error "did you mean --user-agent\\?" "'--user-ag'" --user-ag 'x'
    stats_reset
    run_volley 2 --fail "$SERVER/status/404" "$SERVER/status/200"
    assert_equal "$output" ""
    [[ $stderr == *"unknown option '--fail': HTTP errors are already \"ok\":false"*"--fail-fast stops the run at the first failure"* ]] ||
        fail "no volley way for --fail: $stderr"
    run stats
    jq -e '.total == 0' <<<"$output"
    # a prefix that getopt found ambiguous is named with its candidates
    usage_error "did you mean --retries, --retry-on" "'--re'" --re 1
}

@test "unknown options: did you mean, and curl's and wget's names get volley's way in one line" {
    local args want
    while IFS='|' read -r args want; do
        # shellcheck disable=SC2086 # $args holds the words of one case
        run_volley 2 $args "$SERVER/status/200"
        assert_equal "$output" ""
        [[ ${#stderr_lines[@]} -eq 2 && ${stderr_lines[0]} == *"$want"* ]] ||
            fail "'$args': want '$want' in the first of 2 lines: $stderr"
    done <<'EOF'
--concurency 3|did you mean --concurrency?
--tmeout 3|did you mean --timeout?
--output-dir d|--save DIR writes each body to a file in DIR
-O|--save DIR
--remote-name|--save DIR
-f|HTTP errors are already "ok":false
--retry-connrefused|refused connections are retried already
-N|records are written as each request completes
--recursive|--crawl DEPTH
-l 2|--crawl DEPTH
--tries=3|--tries=3 is --retry 2
--wait=1|--rate-per-host
--limit-rate 1k|volley does not cap bandwidth
-np|--include REGEX keeps a crawl under a path
-r 2 -np|--include REGEX
EOF
}

@test "curl's names: --retry N is -r, -s/--silent is -q, -I/--head sends HEAD" {
    run_volley 1 --retry 1 --retry-delay 0.01 "$SERVER/status/503"
    jq -e '.attempts == 2' <<<"$output"
    run_volley 1 -s --retry 0 "$SERVER/status/503"
    jq -e '.attempts == 1' <<<"$output"
    local opt
    for opt in -I --head; do
        run_volley 0 --headers "$opt" "$SERVER/echo"
        # /echo answers HEAD with its headers only: no body came.
        jq -e '.ok and .status == 200 and .size == 0
            and .headers["content-type"] == "application/json"' <<<"$output"
    done
    usage_error '(-I|--head)' '--data' -I -d x
}

@test "-u/--user USER:PASSWORD: basic auth sent, never echoed in records, -v or errors" {
    local opt
    for opt in -u --user; do
        run_volley 0 -vv --body "$opt" 'alice:s3cret' "$SERVER/echo"
        echo_request | jq -e '.headers.authorization == "Basic YWxpY2U6czNjcmV0"'
        [[ $stderr != *s3cret* && $stderr != *YWxpY2U6czNjcmV0* ]] ||
            fail "the password shows on stderr"
        jq -e '[.. | strings | select(test("s3cret"))] | length == 0' <<<"$output"
    done
    # a bad value is refused without echoing it; CR/LF refused like -H
    run_volley 2 -u 's3cret' "$SERVER/status/200"
    [[ $stderr == *"--user: the value must be USER:PASSWORD"* && $stderr != *s3cret* ]] ||
        fail "$stderr"
    run_volley 2 -u $'alice:s3cret\r\nX-Evil: 1' "$SERVER/status/200"
    [[ $stderr == *"--user"*"CR or LF"* && $stderr != *s3cret* ]] || fail "$stderr"
}

@test "-4/--ipv4 and -6/--ipv6: the address family of the connection" {
    run_volley 0 -4 "http://localhost:$SERVER_PORT/status/200"
    jq -e '.remote_ip == "127.0.0.1"' <<<"$output"
    run_volley 0 --ipv4 "$SERVER/status/200"
    # the test server listens on 127.0.0.1 only: over IPv6 nothing answers
    run_volley 1 -r 0 -6 "http://localhost:$SERVER_PORT/status/200"
    jq -e '.ok == false and (.error.kind == "connect" or .error.kind == "dns")' <<<"$output"
    run_volley 1 -r 0 --ipv6 "$SERVER/status/200"
    jq -e '.ok == false' <<<"$output"
}

@test "usage error: -c 0 exits 2 naming the option and the value" {
    usage_error '(-c|--concurrency)' "'0'" -c 0
}

@test "usage error: -c abc exits 2 naming the option and the value" {
    usage_error '(-c|--concurrency)' abc -c abc
}

@test "usage error: -t abc exits 2 naming the option and the value" {
    usage_error '(-t|--timeout)' abc -t abc
}

@test "usage error: --max-body 12Q exits 2 naming the option and the value" {
    usage_error '--max-body' 12Q --max-body 12Q
}

@test "usage error: --max-redirs -1 exits 2 naming the option and the value" {
    usage_error '--max-redirs' -1 --max-redirs -1
}

@test "usage error: -H without a colon exits 2 naming the option and the value" {
    usage_error '(-H|--header)' 'NoColonHere' -H 'NoColonHere'
}

@test "usage error: --connect-timeout abc exits 2 naming the option and the value" {
    usage_error '--connect-timeout' abc --connect-timeout abc
}

@test "usage error: bad -w, -x, -e, --save-name, --include and --exclude exit 2 with the --help hint, before any request" {
    local opt val
    stats_reset
    while read -r opt val; do
        run_volley 2 "$opt" "$val" "$SERVER/status/200"
        assert_equal "$output" ""
        [[ ${#stderr_lines[@]} -eq 2 && ${stderr_lines[0]} == *"$opt"*"$val"* &&
            ${stderr_lines[1]} == "Try 'volley --help' for more information." ]] ||
            fail "$opt $val: not a usage error with the --help hint: $stderr"
    done <<'EOF'
--write-out %{nope}
--xpath bad=//[
--regex bad=(
--save-name {nope}
--include (
--exclude [
EOF
    # a bad --save-name is refused before --save creates DIR
    run_volley 2 --save "$BATS_TEST_TMPDIR/new" --save-name fixed "$SERVER/status/200"
    [ ! -e "$BATS_TEST_TMPDIR/new" ]
    run stats
    jq -e '.total == 0' <<<"$output"
}

@test "--list-options (hidden): a line per long name of --help, four tab-separated fields" {
    local help list
    run_volley 0 --list-options
    assert_equal "$stderr" ""
    list=$output
    help=$("$VOLLEY" --help)
    [[ $help != *list-options* && $list != *list-options* ]] ||
        fail "--list-options shows itself"
    # the same long names, in the same order
    diff -u <(grep -oE -- '^ {2,}(-[A-Za-z0-9], )?--[a-z][a-z0-9.-]*' <<<"$help" |
        sed -E 's/.*(--[a-z0-9.-]+)$/\1/') <(cut -f1 <<<"$list")
    awk -F'\t' 'NF != 4 || $1 !~ /^--[a-z]/ || ($2 != "" && $2 !~ /^-[A-Za-z0-9]$/) ||
        $4 == "" { print "bad line: " $0; bad = 1 } END { exit bad }' <<<"$list"
    awk -F'\t' '$1 == "--concurrency" && $2 == "-c" && $3 == "N" &&
        $4 ~ /\(default 50\)$/ { n++ } $1 == "--no-location" && $3 == "" { n++ }
        $1 == "--silent" && $2 == "-s" { n++ } END { exit n != 3 }' <<<"$list"
}

@test "usage error: an option missing its value exits 2 and names it" {
    stats_reset
    run_volley 2 -c
    assert_equal "$output" ""
    [[ $stderr =~ (-c|--concurrency) ]] || fail "stderr does not name -c"
}

@test "usage error: -d @FILE that cannot be read exits 2, nothing on stdout" {
    usage_error '(-d|--data)' "$BATS_TEST_TMPDIR/missing.txt" \
        -d "@$BATS_TEST_TMPDIR/missing.txt"
}

# ---- request shaping, seen through /echo ------------------------------

@test "-X/--method METHOD: the request uses METHOD" {
    run_volley 0 --body -X PUT "$SERVER/echo"
    echo_request | jq -e '.method == "PUT"'
    run_volley 0 --body --method DELETE "$SERVER/echo"
    echo_request | jq -e '.method == "DELETE"'
    # with -d, METHOD still wins over the default POST
    run_volley 0 --body -X PUT -d x "$SERVER/echo"
    echo_request | jq -e '.method == "PUT" and .body == "x"'
}

@test "-H/--header 'K: V': repeatable, and added to a JSON line's headers" {
    run_volley 0 --body -H 'X-One: 1' --header 'X-Two: two words' "$SERVER/echo"
    echo_request | jq -e '.headers["x-one"] == "1" and .headers["x-two"] == "two words"'

    printf '{"url": "%s/echo", "headers": {"X-Json": "j"}}\n' "$SERVER" \
        >"$BATS_TEST_TMPDIR/in.jsonl"
    run_volley 0 --body -H 'X-One: 1' -H 'X-Two: 2' -i "$BATS_TEST_TMPDIR/in.jsonl"
    echo_request | jq -e '.headers["x-json"] == "j" and .headers["x-one"] == "1"
        and .headers["x-two"] == "2"'
}

@test "-d/--data DATA: DATA is the body and the method defaults to POST" {
    run_volley 0 --body -d 'hello=world' "$SERVER/echo"
    echo_request | jq -e '.method == "POST" and .body == "hello=world"'
    run_volley 0 --body --data 'x' "$SERVER/echo"
    echo_request | jq -e '.method == "POST" and .body == "x"'
}

@test "-d @FILE: the body is read from FILE" {
    printf 'line one\nline two: caf\xc3\xa9\n' >"$BATS_TEST_TMPDIR/body.txt"
    run_volley 0 --body -d "@$BATS_TEST_TMPDIR/body.txt" "$SERVER/echo"
    echo_request | jq -e '.method == "POST" and .body == "line one\nline two: café\n"'
}

@test "-A/--user-agent sets User-Agent; the default is volley/VERSION" {
    local version
    version=$("$VOLLEY" --version | sed -n '1s/^volley //p')
    [[ -n $version ]]
    run_volley 0 --body "$SERVER/echo"
    echo_request | jq -e --arg ua "volley/$version" '.headers["user-agent"] == $ua'
    run_volley 0 --body -A 'tester/9 (x)' "$SERVER/echo"
    echo_request | jq -e '.headers["user-agent"] == "tester/9 (x)"'
    run_volley 0 --body --user-agent 'other/1' "$SERVER/echo"
    echo_request | jq -e '.headers["user-agent"] == "other/1"'
}

# ---- redirects ---------------------------------------------------------

@test "-L/--location: redirects are followed by default" {
    local opt
    for opt in "" -L --location; do
        # after --no-location, -L turns following back on
        run_volley 0 ${opt:+--no-location "$opt"} "$SERVER/redirect/3"
        jq -es --arg u "$SERVER/redirect/0" 'length == 1 and .[0].ok and
            .[0].status == 200 and .[0].redirects == 3 and
            .[0].final_url == $u' <<<"$output"
    done
}

@test "--no-location: a 302 is the record's status and is not followed" {
    stats_reset
    run_volley 0 --no-location "$SERVER/redirect/3"
    jq -es --arg u "$SERVER/redirect/3" 'length == 1 and .[0].ok and
        .[0].status == 302 and .[0].redirects == 0 and
        .[0].final_url == $u' <<<"$output"
    run stats
    jq -e '.total == 1 and .hits["/redirect/2"] == null' <<<"$output"
}

@test "--max-redirs N: at most N redirects are followed" {
    run_volley 0 --max-redirs 2 "$SERVER/redirect/2"
    jq -es 'length == 1 and .[0].ok and .[0].redirects == 2' <<<"$output"

    stats_reset
    run_volley 1 -r 0 --max-redirs 2 "$SERVER/redirect/3"
    jq -es 'length == 1 and (.[0].ok | not) and
        .[0].error.kind == "protocol"' <<<"$output"
    run stats
    jq -e '.total == 3 and .hits["/redirect/0"] == null' <<<"$output"
}

# ---- TLS, proxy, HTTP versions, compression ----------------------------

@test "-k/--insecure: a self-signed certificate fails as tls without it, ok with it" {
    run_volley 1 -r 0 "$TLS_URL/status/200"
    jq -es 'length == 1 and (.[0].ok | not) and .[0].status == null and
        .[0].error.kind == "tls"' <<<"$output"
    local opt
    for opt in -k --insecure; do
        run_volley 0 "$opt" "$TLS_URL/status/200"
        jq -es 'length == 1 and .[0].ok and .[0].status == 200' <<<"$output"
    done
}

@test "--proxy URL: requests go through the proxy" {
    # The test server takes absolute-form request lines, so it can act as
    # the proxy for a host that does not exist.
    stats_reset
    run_volley 0 --proxy "$SERVER" http://volley-proxy-test.invalid/status/201
    jq -es 'length == 1 and .[0].ok and .[0].status == 201 and
        .[0].url == "http://volley-proxy-test.invalid/status/201"' <<<"$output"
    run stats
    jq -e '.total == 1 and .hits["/status/201"] == 1 and
        .max_inflight_by_host["volley-proxy-test.invalid"] == 1' <<<"$output"
}

@test "--proxy URL: a proxy where nothing listens gives a connect error" {
    local port
    port=$(dead_port)
    run_volley 1 -r 0 --proxy "http://127.0.0.1:$port" "$SERVER/status/200"
    jq -es 'length == 1 and (.[0].ok | not) and .[0].status == null and
        .[0].error.kind == "connect"' <<<"$output"
}

@test "--http1.1: HTTP/1.1 only (no h2c upgrade asked), http_version \"1.1\"" {
    run_volley 0 --http1.1 --body "$SERVER/echo"
    jq -es 'length == 1 and .[0].ok and .[0].http_version == "1.1"' <<<"$output"
    echo_request | jq -e '.headers.upgrade == null'
    # it overrides an earlier --http2 (which would ask for h2c)
    run_volley 0 --http2 --http1.1 --body "$SERVER/echo"
    echo_request | jq -e '.headers.upgrade == null'
}

@test "--http2: on plain http it asks for the h2c upgrade" {
    run_volley 0 --http2 --body "$SERVER/echo"
    jq -es 'length == 1 and .[0].ok' <<<"$output"
    echo_request | jq -e '.headers.upgrade == "h2c"'
}

@test "--http2 over TLS: accepted, and ok against an HTTP/1.1-only server" {
    run_volley 0 --http2 -k "$TLS_URL/status/200"
    jq -es 'length == 1 and .[0].ok and .[0].http_version == "1.1"' <<<"$output"
}

@test "--compressed is the default: gzip is asked for and decoded" {
    local opt
    for opt in "" --compressed; do
        # after --no-compressed, --compressed turns it back on
        run_volley 0 ${opt:+--no-compressed "$opt"} --headers --body "$SERVER/gzip"
        jq -es '(.[0].headers["x-was-gzipped"] == "1") and
            (.[0].body == ("hello gzip " * 100)) and
            .[0].size == 1100' <<<"$output"
    done
}

@test "--no-compressed: no Accept-Encoding, the body arrives plain" {
    run_volley 0 --no-compressed --headers --body "$SERVER/gzip"
    jq -es '(.[0].headers["x-was-gzipped"] == "0") and
        (.[0].body == ("hello gzip " * 100))' <<<"$output"
    run_volley 0 --no-compressed --body "$SERVER/echo"
    echo_request | jq -e '.headers["accept-encoding"] == null'
}

@test "--connect-timeout SECS: a connect that hangs fails as timeout after SECS" {
    blackhole_start
    run_volley 1 -r 0 -t 20 --connect-timeout 0.5 "http://127.0.0.1:$BH_PORT/"
    jq -es 'length == 1 and (.[0].ok | not) and .[0].status == null and
        .[0].error.kind == "timeout" and
        .[0].time >= 0.4 and .[0].time < 5' <<<"$output"
    # and a value is accepted where connecting works
    run_volley 0 --connect-timeout 2.5 "$SERVER/status/200"
    jq -es 'length == 1 and .[0].ok' <<<"$output"
}

# ---- messages ------------------------------------------------------------

@test "-q/--quiet: no messages on stderr (a warning is silenced)" {
    # With a hard open-files limit below what -c 1000 needs, volley warns.
    run --separate-stderr bash -c 'ulimit -n 256 && exec "$VOLLEY" -c 1000 "$@"' \
        _ "$SERVER/status/200"
    assert_success
    [[ -n $stderr ]] || fail "no warning without -q: the test cannot show -q works"
    jq -es 'length == 1 and .[0].ok' <<<"$output"
    local opt
    for opt in -q --quiet -s --silent; do
        run --separate-stderr bash -c 'ulimit -n 256 && exec "$VOLLEY" "$@"' \
            _ "$opt" -v -c 1000 "$SERVER/status/200"
        assert_success
        assert_equal "$stderr" ""
        jq -es 'length == 1 and .[0].ok' <<<"$output"
    done
}

@test "-v/--verbose: lines on stderr per event, stdout stays pure NDJSON" {
    local opt
    for opt in -v --verbose; do
        run_volley 1 -r 0 "$opt" "$SERVER/status/200" "$SERVER/status/404" \
            "$SERVER/text/10"
        [[ ${#stderr_lines[@]} -ge 3 ]] || fail "fewer than 3 stderr lines"
        [[ $stderr == *"$SERVER/status/404"* ]] || fail "no line about the 404"
        jq -enR '[inputs | fromjson | type] | length == 3 and all(. == "object")' \
            <<<"$output"
    done
    # without -v there is nothing on stderr
    run_volley 1 -r 0 "$SERVER/status/200" "$SERVER/status/404"
    assert_equal "$stderr" ""
}
