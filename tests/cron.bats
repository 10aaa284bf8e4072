#!/usr/bin/env bats
# samples/cron/volley-cron.sh run as cron runs it: under `env -i` with only
# what cron and the sample crontab set (PATH=/usr/bin:/bin, HOME, SHELL,
# LOGNAME, DEADLINE, VOLLEY_OPTS). VOLLEY_OPTS reaches volley once, split
# by volley with its quotes; the log's "N requests left" counts what the
# day's file lacks; no cancelled record stays in a file after a run.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

SCRIPT=${VOLLEY_SRCDIR:-$BATS_TEST_DIRNAME/..}/samples/cron/volley-cron.sh

# cron_run OPTS DEADLINE LIST OUTDIR: the script under cron's environment.
cron_run() {
    local opts=$1 deadline=$2
    shift 2
    run --separate-stderr env -i PATH=/usr/bin:/bin HOME="$BATS_TEST_TMPDIR" \
        SHELL=/bin/sh LOGNAME=volley VOLLEY="$VOLLEY" VOLLEY_OPTS="$opts" \
        DEADLINE="$deadline" /bin/sh "$SCRIPT" "$@"
    printf '# log: %s\n' "$output"
    [[ -z $stderr ]] || printf '# stderr: %s\n' "$stderr"
}

@test "volley-cron.sh under env -i: VOLLEY_OPTS applied once, its quotes kept (-H 'X-Token: abc' -A 'my bot/1.0')" {
    local list=$BATS_TEST_TMPDIR/urls.txt out=$BATS_TEST_TMPDIR/out
    echo "$SERVER/echo" >"$list"
    cron_run "--body -H 'X-Token: abc' -A 'my bot/1.0'" 30 "$list" "$out"
    [ "$status" -eq 0 ]
    [[ $output == *"complete, 1 records, 0 not ok"* ]] || fail "$output"
    cat "$out"/*.ndjson | jq -es '.[0].body | fromjson | .headers
        | .["x-token"] == "abc" and .["user-agent"] == "my bot/1.0"'
}

@test "volley-cron.sh: 'N requests left' counts what the file lacks; no cancelled record stays after the run" {
    local list=$BATS_TEST_TMPDIR/urls.txt out=$BATS_TEST_TMPDIR/out i
    {
        echo "# a comment and a blank line are not requests"
        echo
        for i in $(seq 1 20); do echo "$SERVER/delay/400?i=$i"; done
    } >"$list"
    # -c 1 and 1.5 s: a few done, one cancelled in flight, the rest unread.
    cron_run "-c 1" 1.5 "$list" "$out"
    [ "$status" -eq 0 ]
    local records left
    records=$(cat "$out"/*.ndjson | wc -l)
    [ "$records" -ge 1 ] && [ "$records" -lt 20 ]
    # A file at rest has no cancelled record: a run that starts a new
    # day's file after midnight leaves none behind in this one.
    cat "$out"/*.ndjson | jq -es 'all(.error.kind != "cancelled")'
    left=$(sed -nE 's/.*--deadline reached; ([0-9]+) requests left for the next run$/\1/p' <<<"$output")
    [ "$left" = $((20 - records)) ] || fail "left '$left', want $((20 - records))"
    # The next run completes the file, each request once.
    cron_run "-c 8" 30 "$list" "$out"
    [ "$status" -eq 0 ]
    [[ $output == *"complete, 20 records, 0 not ok"* ]] || fail "$output"
    cat "$out"/*.ndjson | jq -es 'length == 20 and (map(.id) | unique | length) == 20'
}

@test "volley-cron.sh: without VOLLEY_OPTS the defaults -c 50 -t 20 apply; an empty one is no options" {
    local list=$BATS_TEST_TMPDIR/urls.txt out=$BATS_TEST_TMPDIR/out
    echo "$SERVER/status/200" >"$list"
    run --separate-stderr env -i PATH=/usr/bin:/bin HOME="$BATS_TEST_TMPDIR" \
        VOLLEY="$VOLLEY" DEADLINE=30 /bin/sh "$SCRIPT" "$list" "$out"
    [ "$status" -eq 0 ]
    [[ $output == *"complete, 1 records, 0 not ok"* ]]
    cron_run "" 30 "$list" "$out"
    [ "$status" -eq 0 ]
    [[ $output == *"complete, 1 records, 0 not ok"* ]]
}
