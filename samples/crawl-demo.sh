#!/bin/sh
# Crawl the bundled demo site: start volley's test server on 127.0.0.1
# with a robots.txt, crawl three hops from its index page, show each
# record's id, parent, depth, title and outcome, then stop the server.
#
#   sh samples/crawl-demo.sh /abs/path/to/volley
#
# The site's pages link to each other in cycles: each is fetched once.
# robots.txt keeps /html/crawl-private out (a record of kind "robots") and
# asks for 0.2 s between requests (Crawl-delay). POSIX sh (dash).

volley=${1:?usage: sh samples/crawl-demo.sh /path/to/volley}
here=$(cd "$(dirname "$0")" && pwd) || exit 1
tests=$here/../tests

for tool in python3 jq timeout; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "crawl-demo: $tool is needed" >&2
        exit 1
    fi
done

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

mkfifo "$tmp/port" || exit 1
python3 "$tests/server.py" --portfile "$tmp/port" --max-seconds 60 \
    --robots-file "$tests/fixtures/robots.txt" \
    </dev/null >"$tmp/server.log" 2>&1 3>&- &
server_pid=$!
port=$(timeout 10 head -n 1 "$tmp/port")
case $port in
'' | *[!0-9]*)
    echo "crawl-demo: the test server did not start" >&2
    cat "$tmp/server.log" >&2
    exit 1
    ;;
esac

# volley exits 1 here (the robots.txt record is a failure): the jq at
# the end of the pipe sets the demo's status.
"$volley" --crawl 3 --title --per-host 2 \
    "http://127.0.0.1:$port/html/crawl-index" |
    jq -c '{id, parent, depth, url, title, ok, error: .error.kind}'
