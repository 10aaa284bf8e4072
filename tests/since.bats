#!/usr/bin/env bats
# Runs that know what changed (issue 15): validators and a body hash in
# the record (--hash), conditional requests against an earlier output
# (--since FILE), --only-changed, and how they compose with --resume,
# --crawl, --shard and --deadline. The test server's /cond/KEY pages
# answer If-None-Match and If-Modified-Since, /_change?key=KEY changes
# one, and /_stats counts the bytes sent per path.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

# peak_rss_kb CMD...: run CMD (output to /dev/null) and print the peak
# resident set of its process tree in KiB.
peak_rss_kb() {
    python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
}

@test "--hash: sha256 is the digest of the decoded body; etag and last_modified as sent" {
    run_volley 1 --hash --max-body 20M "$SERVER/cond/h1" "$SERVER/gzip" \
        "$SERVER/bytes/3000000" "$SERVER/status/404"
    local cond gz big nf
    cond=$(curl -s "$SERVER/cond/h1" | sha256sum | cut -c1-64)
    gz=$(curl -s --compressed "$SERVER/gzip" | sha256sum | cut -c1-64)
    big=$(curl -s "$SERVER/bytes/3000000" | sha256sum | cut -c1-64)
    nf=$(curl -s "$SERVER/status/404" | sha256sum | cut -c1-64)
    jq -es --arg cond "$cond" --arg gz "$gz" --arg big "$big" --arg nf "$nf" '
        length == 4 and
        (map({key: (.url | sub("^http://[^/]*"; "")), value: .}) | from_entries) as $r
        | $r["/cond/h1"].sha256 == $cond
        and $r["/gzip"].sha256 == $gz and $r["/gzip"].size == 1100
        and $r["/bytes/3000000"].sha256 == $big
        and $r["/status/404"].sha256 == $nf
        and $r["/cond/h1"].etag == "\"h1-v1\""
        and $r["/cond/h1"].last_modified == "Tue, 14 Nov 2023 23:13:20 GMT"
        and ($r["/gzip"] | has("etag") or has("last_modified") | not)
        and ($r | all(.[]; has("changed") | not))' <<<"$output"
    # Without --hash, no sha256; the validators are there anyway.
    run_volley 0 "$SERVER/cond/h1"
    jq -e '(has("sha256") | not) and .etag == "\"h1-v1\""' <<<"$output"
}

@test "--hash: a 60 MB body is hashed as it streams, not kept in memory" {
    local small big
    small=$(peak_rss_kb "$VOLLEY" --hash --max-body 100M "$SERVER/bytes/1000000")
    big=$(peak_rss_kb "$VOLLEY" --hash --max-body 100M "$SERVER/bytes/60000000")
    echo "# peak RSS: 1 MB body $small KiB, 60 MB body $big KiB"
    # A kept body would add 60 MB; allow 20 MB for noise (sanitizers).
    [ $((big - small)) -lt 20000 ]
    run_volley 0 --hash --max-body 100M "$SERVER/bytes/60000000"
    want=$(curl -s "$SERVER/bytes/60000000" | sha256sum | cut -c1-64)
    jq -e --arg w "$want" '.sha256 == $w and .size == 60000000' <<<"$output"
}

@test "--hash: no sha256 for a body cut short by --max-body" {
    run_volley 1 --hash --max-body 1000 "$SERVER/bytes/5000"
    jq -e '.error.kind == "too_large" and (has("sha256") | not)' <<<"$output"
}
