#!/bin/sh
# parallel.sh: fetch one URL list with N volley shards spread over several
# machines by GNU parallel over ssh, then check the parts and merge them.
# Job K copies the list to a scratch directory on its machine, runs
#   volley --shard K/N -i urls.txt -o part-K-of-N.ndjson
# there, and parallel brings the part back. No coordinator: the shards
# partition the list by a stable hash, so the parts never overlap.
#
#   parallel.sh LIST OUT.ndjson LOGIN...
#
# LOGIN is as parallel's --sshlogin: "host", "user@host", "8/host" (8 jobs
# at once there; the default is one per CPU) or ":" for this machine.
# Each machine needs volley in the PATH of its login shell (sh, bash or
# zsh: the job is a line of POSIX shell) and rsync, which parallel uses to
# move files; this one needs volley (for the check), GNU parallel and
# rsync.
#
# The parts and parallel's job log live in OUT.ndjson.parts/ beside
# OUT.ndjson. A job that fails (ssh dropped, a disk full, volley exited
# non-zero) is tried up to 3 times, maybe on another machine. If one
# still failed, the same command again runs only the shards that did not
# succeed (parallel --resume-failed with the job log) and keeps the
# others' parts. OUT.ndjson is written only when `volley --check` finds
# each request of LIST exactly once in the parts (merge.sh); then the
# parts are removed.
#
# Environment:
#   SHARDS       N (default: 4 per login, so fast machines take more); a
#                rerun must use the N of the parts it completes
#   VOLLEY       the volley program on the machines (default: volley)
#   VOLLEY_OPTS  more options, split on blanks (default: -c 50)
#
# Exit status: 0 when OUT.ndjson holds each request once (some may have
# failed: their records say why); 1 when a shard could not run or the
# parts are not complete (run the command again); 2 on a usage error, a
# list that changed since the parts were made, or parts of another N.

set -u

if [ $# -lt 3 ]; then
    echo "usage: parallel.sh LIST OUT.ndjson LOGIN..." >&2
    exit 2
fi
list=$1
out=$2
shift 2
n=${SHARDS:-$(($# * 4))}
volley=${VOLLEY:-volley}
opts=${VOLLEY_OPTS:-"-c 50"}
# volley reads VOLLEY_OPTS too: the options go on its command line only,
# or they would count twice (a -H twice is two headers).
unset VOLLEY_OPTS
here=$(cd "$(dirname "$0")" && pwd) || exit 2

for tool in parallel rsync; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "parallel.sh: $tool is not installed" >&2
        exit 2
    fi
done
if [ ! -r "$list" ]; then
    echo "parallel.sh: cannot read $list" >&2
    exit 2
fi
case $out in
/*) ;;
*) out=$PWD/$out ;;
esac
case $list in
/*) ;;
*) list=$PWD/$list ;;
esac
logins=$(printf '%s,' "$@")
logins=${logins%,}

parts=$out.parts
mkdir -p "$parts" || exit 1
# A rerun completes the parts of the first run: the same list, the same N.
if [ -f "$parts/urls.txt" ]; then
    if ! cmp -s "$list" "$parts/urls.txt"; then
        echo "parallel.sh: $list changed since the parts in $parts were made; restore it, or remove $parts" >&2
        exit 2
    fi
else
    cp "$list" "$parts/urls.txt" || exit 1
fi
for f in "$parts"/part-*-of-*.ndjson; do
    [ -e "$f" ] || continue
    other=${f##*-of-}
    other=${other%.ndjson}
    if [ "$other" != "$n" ]; then
        echo "parallel.sh: $parts holds parts of a split into $other, not $n; run with SHARDS=$other, or remove $parts" >&2
        exit 2
    fi
done
cd "$parts" || exit 1

# Each job runs in a scratch directory of its own name, relative to the
# login's home directory on another machine, so it never is $parts, not
# even when a login is this machine over ssh (user@127.0.0.1): there
# --cleanup would remove the parts just returned. Jobs on ":" run in
# $parts/$scratch, where parallel moves no file: the list is put there
# first and the parts are taken back after.
scratch=.volley-job-$$-$(date +%s)
mkdir -p "$scratch" && cp urls.txt "$scratch/urls.txt" || exit 1

# --failures-ok: failed requests are data, in their records; a non-zero
# status (a cancelled request, usage, output not written, a signal) fails
# the job, and parallel retries it.
seq 0 $((n - 1)) | parallel --sshlogin "$logins" --workdir "$scratch" \
    --basefile urls.txt --return "part-{}-of-$n.ndjson" --cleanup \
    --retries 3 --halt never --joblog "joblog-of-$n" --resume-failed \
    "$volley $opts --failures-ok -q --stats --shard {}/$n -i urls.txt -o part-{}-of-$n.ndjson"
failed=$?
for f in "$scratch"/part-*-of-"$n".ndjson; do
    [ -e "$f" ] && mv "$f" .
done
rm -rf "$scratch"

# A job can succeed and still leave no whole part (its part did not come
# back): check each shard's part, and take the shards that are not whole
# out of the job log, so that the next run does them again.
incomplete=
k=0
while [ "$k" -lt "$n" ]; do
    # shellcheck disable=SC2086 # $opts is a list of options
    if ! "$volley" $opts --check --shard "$k/$n" -i urls.txt \
        "part-$k-of-$n.ndjson" >/dev/null 2>&1; then
        incomplete="$incomplete $k"
    fi
    k=$((k + 1))
done
if [ -n "$incomplete" ]; then
    # Seq is K + 1 in the job log; its header line stays.
    awk -v bad="$incomplete " 'NR == 1 || index(bad, " " ($1 - 1) " ") == 0' \
        "joblog-of-$n" >"joblog-of-$n.tmp" && mv "joblog-of-$n.tmp" "joblog-of-$n"
    echo "parallel.sh: shards$incomplete of $n are not complete ($failed jobs failed); parts and joblog-of-$n are in $parts: run the same command again" >&2
    exit 1
fi

VOLLEY=$volley VOLLEY_OPTS=$opts sh "$here/merge.sh" urls.txt . "$n" "$out" ||
    exit $?
cd / && rm -rf "$parts"
