#!/bin/sh
# The demo behind `make demo`: start volley's test server on 127.0.0.1,
# fetch a sample list of about twenty URLs (some fail on purpose), show the
# records through jq, print a one-line summary and stop the server.
#
#   sh samples/demo.sh /abs/path/to/volley
#
# POSIX sh (dash). Exits 0 when volley ran as it should, even though some
# requests fail: that is the point of the demo. Takes about 7 seconds: the
# /hang request times out after 2 s, three times (two retries).

volley=${1:?usage: sh samples/demo.sh /path/to/volley}
here=$(cd "$(dirname "$0")" && pwd) || exit 1
server_py=$here/../tests/server.py

for tool in python3 jq timeout; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "demo: $tool is needed (apt-get install python3 jq coreutils)" >&2
        exit 1
    fi
done
if [ ! -x "$volley" ]; then
    echo "demo: no volley at '$volley' (run make first)" >&2
    exit 1
fi
if [ ! -f "$server_py" ]; then
    echo "demo: no test server at $server_py" >&2
    exit 1
fi

tmp=$(mktemp -d) || exit 1
server_pid=
# shellcheck disable=SC2317 # run by the EXIT trap, not unreachable
cleanup() {
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null
        wait "$server_pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The server writes its port (chosen by the kernel) into a FIFO. `timeout`
# bounds the wait if it dies first: no sleep, no race for a port.
mkfifo "$tmp/port" || exit 1
python3 "$server_py" --portfile "$tmp/port" --max-seconds 120 \
    </dev/null >"$tmp/server.log" 2>&1 3>&- &
server_pid=$!
port=$(timeout 10 head -n 1 "$tmp/port")
case $port in
'' | *[!0-9]*)
    echo "demo: the test server did not start; its log:" >&2
    cat "$tmp/server.log" >&2
    exit 1
    ;;
esac
s=http://127.0.0.1:$port

# The sample list. Line numbers are the records' ids: the comment and blank
# lines are counted, the bad lines get records of kind "input".
cat >"$tmp/urls.txt" <<EOF
# volley demo: one request per line; blank lines and # lines are skipped
$s/status/200
$s/status/200?page=2
$s/delay/200
$s/delay/200?again
$s/status/404
$s/status/410
$s/redirect/2
$s/gzip
$s/text/5000

$s/hang
$s/status/503
ftp://example.invalid/not-http
not a URL at all
{"url": "$s/echo", "method": "PUT", "body": "hello", "id": "json-1"}
{"url": "$s/status/201", "id": "json-2"}
$s/bytes/1000
$s/delay/300
$s/redirect/1
$s/status/200?last
EOF

echo "demo: test server on $s; volley -c 8 -t 2 on a list of $(wc -l <"$tmp/urls.txt") lines"
echo "demo: records as they complete (jq -c '{id,url,ok,status,error:.error.kind}'):"
# dash has no pipefail: volley's status goes through a file.
{
    "$volley" -c 8 -t 2 -i "$tmp/urls.txt"
    echo $? >"$tmp/status"
} | tee "$tmp/records.ndjson" | jq -c '{id,url,ok,status,error:.error.kind}'
rc=$(cat "$tmp/status")

jq -rs '"demo: \(length) records: \(map(select(.ok)) | length) ok, " +
    "\(map(select(.ok | not)) | length) failed (" +
    (map(.error.kind // empty) | group_by(.) |
     map("\(.[0]) \(length)") | join(", ")) + ")"' "$tmp/records.ndjson"

case $rc in
0 | 1)
    echo "demo: volley exited with status $rc (1: some requests failed, as intended)"
    exit 0
    ;;
*)
    echo "demo: volley exited with status $rc: something is wrong" >&2
    exit "$rc"
    ;;
esac
