#!/bin/sh
# volley-cron.sh: fetch a URL list once a day from cron, in slices, so that
# a kill, a reboot or a list too long for one slot never loses or repeats a
# request. Each run works on today's file OUTDIR/YYYY-MM-DD.ndjson with
# `-o FILE --resume`: it fetches only what the file does not have yet, then
# stops at --deadline so that it ends before cron starts the next run.
#
#   volley-cron.sh LIST OUTDIR
#
# Environment:
#   VOLLEY       the volley program (default: volley, found in PATH)
#   VOLLEY_OPTS  more options, read by volley itself, which splits them as
#                a shell would, quotes included (default: -c 50 -t 20)
#   DEADLINE     seconds a run may take (default 840: cron every 15 minutes)
#
# Under cron's bare environment (PATH=/usr/bin:/bin, nothing else) it needs
# only what the crontab sets.
#
# Exit status: 0 when the run did its part (some requests may have failed:
# they are in the file); 2 for a usage or input error and 3 when the file
# cannot be written, so cron's mail or your monitoring notices those.
# POSIX sh; needs flock(1) (util-linux).

set -u

usage="usage: volley-cron.sh LIST OUTDIR"
list=${1:?$usage}
outdir=${2:?$usage}
volley=${VOLLEY:-volley}
# volley reads VOLLEY_OPTS itself: passing the words again would apply
# them twice (a header sent as "abc, abc"), and splitting them here on
# blanks would break a quoted value such as -A 'my bot/1.0'.
VOLLEY_OPTS=${VOLLEY_OPTS-"-c 50 -t 20"}
export VOLLEY_OPTS
deadline=${DEADLINE:-840}

log() {
    printf '%s volley-cron: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*"
}

mkdir -p "$outdir" || exit 3
out=$outdir/$(date +%Y-%m-%d).ndjson

# One run at a time: if the previous run is still going, this one stops
# here. volley inherits fd 9, so the lock is held as long as it runs.
exec 9>>"$outdir/.volley-cron.lock" || exit 3
if ! flock -n 9; then
    log "a run is still going; not starting another"
    exit 0
fi

# A request cancelled by --deadline (or by SIGTERM) has a record, so
# --resume would skip it: drop those records, and it is fetched again.
# After each run, so that no file keeps them when the next run starts a
# new day's file (a slice cut at midnight), and before, in case a run was
# killed before it could. Records are compact JSON written by volley, so
# the text below cannot occur inside a string (quotes there are escaped).
cancelled='"error":{"kind":"cancelled"'
drop_cancelled() {
    if [ -s "$out" ] && grep -qF "$cancelled" "$out"; then
        grep -vF "$cancelled" "$out" >"$out.tmp"
        if [ $? -gt 1 ] || ! mv "$out.tmp" "$out"; then
            log "cannot rewrite $out"
            rm -f "$out.tmp"
            exit 3
        fi
    fi
}

drop_cancelled
"$volley" -q --deadline "$deadline" -i "$list" -o "$out" --resume
rc=$?
drop_cancelled

# The requests of the list (lines that are neither blank nor comments, as
# volley reads them) less the records the file has: what the next run
# fetches. volley's status covers this run's requests only (those it
# skipped are not counted), so the tallies come from the files.
requests=$(grep -cvE '^[[:space:]]*(#|$)' "$list" 2>/dev/null)
records=$(grep -c '' "$out" 2>/dev/null)
failed=$(grep -cF '"ok":false' "$out" 2>/dev/null)
left=$((${requests:-0} - ${records:-0}))
if [ "$left" -lt 0 ]; then
    left=0 # a list edited since, or --crawl in VOLLEY_OPTS
fi
case $rc in
0 | 1)
    if [ "$left" -gt 0 ]; then
        log "$out: --deadline reached; $left requests left for the next run"
    else
        log "$out: complete, $records records, $failed not ok"
    fi
    ;;
2)
    log "usage or input error (volley's message is above); list: $list"
    exit 2
    ;;
3)
    log "cannot write $out (disk full?)"
    exit 3
    ;;
130 | 143)
    log "stopped by a signal; $left requests left for the next run"
    ;;
*)
    log "volley failed with status $rc"
    exit "$rc"
    ;;
esac
exit 0
