#!/usr/bin/env bats
# The engine (src/engine.c): sockets and connections as libcurl hands them
# to libuv. Poll handles of connections libcurl opened live as long as the
# socket and keep watching an idle keep-alive connection, so these tests
# check reuse, fd numbers reused after a close, and an idle connection the
# server closes. Its 120 extra ports are 120 hosts to libcurl's caches:
# connections kept for reuse across many hosts, within the open files limit.
# (All of them are 127.0.0.1 to the engine, which shards by host name: one
# shard keeps at least 128 idle connections.)

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    # Tests read and reset one server's counters: never two at once.
    export BATS_NO_PARALLELIZE_WITHIN_FILE=true
    export PORTS=$BATS_FILE_TMPDIR/ports
    server_start --extra-ports 120 --extra-portfile "$PORTS"
}

teardown_file() {
    server_stop
}

setup() {
    stats_reset
}

# all_ok N: $output holds N records, ids 1..N, all ok at their first attempt.
all_ok() {
    jq -es --argjson n "$1" 'length == $n
        and (map(.id) | sort) == [range(1; $n + 1)]
        and all(.ok and .status == 200 and .attempts == 1)' <<<"$output" \
        >/dev/null || fail "expected $1 ok records"
}

# conns_are N: volley made N connections since the last reset (the server
# counts the /_stats query's own connection too).
conns_are() {
    local n
    n=$(($(stats | jq .connections) - 1))
    [ "$n" -eq "$1" ] || fail "the server accepted $n connections, expected $1"
}

# many_hosts R: R requests to each extra port of the server, in a fixed
# shuffled order, one URL a line.
many_hosts() {
    local r=$1
    awk -v r="$r" '{ for (i = 0; i < r; i++)
        printf "http://127.0.0.1:%d/status/200?i=%d\n", $1, NR * 10 + i }' \
        "$PORTS" | shuf --random-source=<(yes)
}

@test "keep-alive: 200 requests at -c 4 use 4 connections" {
    local in=$BATS_TEST_TMPDIR/in i
    for i in $(seq 200); do
        printf '%s/status/200?i=%d\n' "$SERVER" "$i"
    done >"$in"
    run_volley -c 4 -i "$in"
    all_ok 200
    conns_are 4
}

@test "Connection: close on every response: 300 requests, 300 connections, fd numbers reused" {
    local in=$BATS_TEST_TMPDIR/in i
    for i in $(seq 300); do
        printf '%s/status/200?i=%d\n' "$SERVER" "$i"
    done >"$in"
    run_volley -c 8 -H 'Connection: close' -i "$in"
    all_ok 300
    conns_are 300
}

@test "an idle connection the server closes is not polled in a spin, and the next request reconnects" {
    local in=$BATS_TEST_TMPDIR/in out=$BATS_TEST_TMPDIR/out cpu
    # --rate 2 leaves each connection idle for 500 ms; the server closes
    # it after 20 ms, while it sits in libcurl's cache.
    printf '%s/idle-close/20?i=%d\n' "$SERVER" 1 "$SERVER" 2 "$SERVER" 3 \
        "$SERVER" 4 >"$in"
    # `times` prints the CPU time of the shell's children: volley's.
    cpu=$(bash -c '"$0" --rate 2 -c 1 -i "$1" >"$2"; times' \
        "$VOLLEY" "$in" "$out" | tail -n 1)
    echo "# volley CPU (user, sys): $cpu"
    output=$(cat "$out")
    all_ok 4
    conns_are 4
    # 1.5 s idle in all: a loop woken by the closed socket would spend
    # about that in CPU; an idle one spends a few ms.
    awk '{ gsub(/[ms]/, " "); split($0, t, " ");
           exit !(t[1] * 60 + t[2] + t[3] * 60 + t[4] < 0.5) }' <<<"$cpu" ||
        fail "volley used $cpu of CPU over 1.5 s of idle connections"
}

@test "a reused easy handle carries nothing of the request before it: method, headers, body" {
    local in=$BATS_TEST_TMPDIR/in
    # -c 1: every request takes the handle the one before it left.
    {
        printf '%s/echo?n=1\n' "$SERVER"
        printf '{"url": "%s/echo?n=2", "method": "PUT", "headers": {"X-Own": "2"}, "body": "two"}\n' "$SERVER"
        printf '%s/echo?n=3\n' "$SERVER"
        printf '{"url": "%s/echo?n=4", "method": "HEAD"}\n' "$SERVER"
        printf '%s/echo?n=5\n' "$SERVER"
        printf '{"url": "%s/echo?n=6", "headers": {"X-Own": "6"}}\n' "$SERVER"
        printf '%s/echo?n=7\n' "$SERVER"
    } >"$in"
    run_volley -c 1 --body -i "$in"
    jq -es 'length == 7 and all(.ok) and
        (sort_by(.id) | map(select(.id != 4) | {id, e: (.body | fromjson)})
         | map({id, m: .e.method, own: .e.headers["x-own"], b: .e.body})
         == [{id: 1, m: "GET", own: null, b: ""},
             {id: 2, m: "PUT", own: "2", b: "two"},
             {id: 3, m: "GET", own: null, b: ""},
             {id: 5, m: "GET", own: null, b: ""},
             {id: 6, m: "GET", own: "6", b: ""},
             {id: 7, m: "GET", own: null, b: ""}])' <<<"$output" >/dev/null ||
        fail "a request inherited something from the one before it"
    # the HEAD got no body, and the GET after it got one
    jq -es '(map(select(.id == 4))[0].size == 0)
            and (map(select(.id == 5))[0].size > 0)' <<<"$output" >/dev/null ||
        fail "the HEAD got a body, or the GET after it none"
}

@test "many hosts: 4 requests to each of 120 hosts, shuffled, --per-host 1: one connection per host" {
    local in=$BATS_TEST_TMPDIR/in
    many_hosts 4 >"$in"
    run_volley -c 16 --per-host 1 -i "$in"
    all_ok 480
    conns_are 120
}

@test "a soft open files limit of 128 is raised to the hard one: 120 hosts keep their connections" {
    local in=$BATS_TEST_TMPDIR/in
    [ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -ge 1024 ] ||
        skip "the hard open files limit is under 1024"
    ulimit -Sn 128
    many_hosts 4 >"$in"
    run_volley -c 16 --per-host 1 -i "$in"
    all_ok 480
    conns_are 120
}

@test "idle connections stay within the open files limit: hard limit 140, -c 16, 120 hosts" {
    local in=$BATS_TEST_TMPDIR/in n
    ulimit -n 140
    many_hosts 2 >"$in"
    run_volley -c 16 --per-host 1 -i "$in"
    all_ok 240
    # Room for 140 - 3 x 16 - 64 = 28 idle connections: some are closed and
    # made again, and none fails for want of a descriptor.
    n=$(($(stats | jq .connections) - 1))
    [ "$n" -gt 120 ] || fail "only $n connections: 120 cannot stay open in 140 fds"
}
