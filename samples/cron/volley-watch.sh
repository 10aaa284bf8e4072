#!/bin/sh
# volley-watch.sh: watch a URL list from cron and report only what changed
# since the last complete run: pages whose body or outcome changed, URLs
# new in the list, and requests that fail now where they did not, or fail
# differently. An unchanged page costs a 304 and no body.
#
#   volley-watch.sh LIST STATEDIR
#
# STATEDIR keeps last.ndjson, the last complete output (volley's records,
# one per request of LIST), and current.ndjson, the run under way. Each run
# fetches LIST with `--since last.ndjson --hash` into current.ndjson with
# `-o --resume`, so that a run cut by DEADLINE, a kill or a reboot is
# completed by the next one. Once current.ndjson is complete, its records
# that changed (field "changed" not false) are printed on stdout, a line
# each: "changed", "new" or "failing", the URL, the status or the error;
# then it becomes last.ndjson. Nothing is printed when nothing changed, so
# cron mails the output (to MAILTO) only when there is news. The first run
# prints a count and the requests that fail.
# Each run also appends one line to STATEDIR/watch.log.
#
# Environment:
#   VOLLEY       the volley program (default: volley, found in PATH)
#   VOLLEY_OPTS  options volley reads itself (say "-c 20 -t 20 --title");
#                this script does not pass them again
#   DEADLINE     seconds a run may take (default 3300: cron every hour)
#
# crontab (every hour; MAILTO gets the changes):
#   MAILTO=ops@example.com
#   0 * * * * /usr/local/bin/volley-watch.sh /srv/watch/urls.txt /srv/watch/state
#
# Exit status: 0 when the run did its part (changes or not, complete or
# cut); 2 for a usage or input error, 3 when STATEDIR cannot be written.
# POSIX sh; needs jq and flock(1) (util-linux).

set -u
# cron's PATH is short, env -i's empty.
PATH=${PATH:-/usr/local/bin:/usr/bin:/bin}
export PATH

usage="usage: volley-watch.sh LIST STATEDIR"
list=${1:?$usage}
state=${2:?$usage}
volley=${VOLLEY:-volley}
deadline=${DEADLINE:-3300}
last=$state/last.ndjson
current=$state/current.ndjson

log() {
    printf '%s volley-watch: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*" \
        >>"$state/watch.log"
}

mkdir -p "$state" || exit 3
# One run at a time: volley inherits fd 9, so the lock lasts as it runs.
exec 9>>"$state/.lock" || exit 3
if ! flock -n 9; then
    log "a run is still going; not starting another"
    exit 0
fi

# Without last.ndjson (the first run) --since has nothing to compare
# with: every record says "changed": null.
"$volley" -q --hash --deadline "$deadline" -i "$list" --since "$last" \
    -o "$current" --resume
rc=$?
case $rc in
0 | 1 | 130 | 143) ;;
2)
    echo "volley-watch: usage or input error (volley's message is above); list: $list" >&2
    exit 2
    ;;
3)
    echo "volley-watch: cannot write $current" >&2
    exit 3
    ;;
*)
    echo "volley-watch: volley failed with status $rc" >&2
    exit "$rc"
    ;;
esac

# A cancelled request (--deadline, a signal) is left for the next run:
# --resume fetches it again, still against last.ndjson.
left=$(jq -c 'select(.error.kind == "cancelled")' "$current" | grep -c '')
if [ "$rc" -gt 1 ] || [ "$left" -gt 0 ]; then
    log "run cut short; $left requests left for the next run"
    exit 0
fi

total=$(grep -c '' "$current")
if [ -s "$last" ]; then
    report=$(jq -r 'select(.changed != false)
        | [ (if .ok | not then "failing"
             elif .changed == null then "new"
             else "changed" end),
            .url,
            (if .ok then (.status | tostring)
             else "\(.error.kind): \(.error.message)" end) ]
        | @tsv' "$current") || exit 3
    n=$(printf '%s' "$report" | grep -c '')
    if [ "$n" -gt 0 ]; then
        echo "volley-watch: $n of $total changed since the last run of $list:"
        printf '%s\n' "$report"
    fi
    log "$list: $total records, $n changed"
else
    # The first run: every URL is new; the failing ones are news.
    report=$(jq -r 'select(.ok | not)
        | ["failing", .url, "\(.error.kind): \(.error.message)"]
        | @tsv' "$current") || exit 3
    n=$(printf '%s' "$report" | grep -c '')
    echo "volley-watch: first run of $list: $total records, $n not ok"
    [ "$n" -eq 0 ] || printf '%s\n' "$report"
    log "$list: first run, $total records, $n not ok"
fi
mv "$current" "$last" || exit 3
exit 0
