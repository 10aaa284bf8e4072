#!/bin/sh
# parallel.sh: fetch one URL list with N volley shards spread over several
# machines by GNU parallel over ssh, then merge the parts into one file.
# Each job copies the list to a scratch directory on its machine, runs
#   volley --shard K/N -i urls.txt -o part-K.ndjson
# and parallel brings part-K.ndjson back; a job that fails (ssh dropped,
# disk full) is retried, maybe on another machine. No coordinator: the
# shards partition the list by a stable hash, so the parts never overlap.
#
#   parallel.sh LIST OUT.ndjson LOGIN...
#
# LOGIN is as parallel's --sshlogin: "host", "user@host", "8/host" (8 jobs
# at once there; the default is one per CPU) or ":" for this machine.
# volley must be in the PATH of each machine's login shell (sh, bash or
# zsh: the job is a line of POSIX shell).
#
# Environment:
#   SHARDS       N (default: 4 per login, so fast machines take more)
#   VOLLEY       the volley program on the machines (default: volley)
#   VOLLEY_OPTS  more options, split on blanks (default: -c 50)
#
# Exit status: 0 when every shard ran (some requests may have failed:
# their records say why); 1 when a shard could not run, its parts kept in
# the scratch directory named on stderr; 2 on a usage error.

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

if ! command -v parallel >/dev/null 2>&1; then
    echo "parallel.sh: GNU parallel is not installed" >&2
    exit 2
fi
if [ ! -r "$list" ]; then
    echo "parallel.sh: cannot read $list" >&2
    exit 2
fi
case $out in
/*) ;;
*) out=$PWD/$out ;;
esac
logins=$(printf '%s,' "$@")
logins=${logins%,}

work=$(mktemp -d "${TMPDIR:-/tmp}/volley-parallel.XXXXXX") || exit 1
cp "$list" "$work/urls.txt" || exit 1
cd "$work" || exit 1

# --workdir . runs each job in a directory of the same name as $work on
# its machine: the copy of the list goes there, the part comes back from
# there, and --cleanup removes both; on ":" it is $work itself. So $work
# must not be on a file system the machines share (NFS), or the cleanup
# would remove the returned parts: mktemp puts it under $TMPDIR. volley's
# status 1 means some requests failed, which their records tell: only a
# higher status (usage, output not written, a signal) fails the job.
# shellcheck disable=SC2016 # $? and $rc belong to the job's shell
seq 0 $((n - 1)) | parallel --sshlogin "$logins" --workdir . \
    --basefile urls.txt --return 'part-{}.ndjson' --cleanup \
    --retries 3 --halt never --joblog joblog \
    "$volley $opts -q --shard {}/$n -i urls.txt -o part-{}.ndjson;"' rc=$?; [ "$rc" -le 1 ]'
failed=$?

missing=0
k=0
while [ "$k" -lt "$n" ]; do
    [ -f "part-$k.ndjson" ] || missing=$((missing + 1))
    k=$((k + 1))
done
if [ "$failed" -ne 0 ] || [ "$missing" -ne 0 ]; then
    echo "parallel.sh: $missing of $n shards missing; parts and joblog are in $work" >&2
    exit 1
fi

# Shard order, not input order: ids are input line numbers, so
# `jq -s 'sort_by(.id)[]'` restores the input order when it matters.
k=0
while [ "$k" -lt "$n" ]; do
    cat "part-$k.ndjson" || exit 1
    k=$((k + 1))
done >"$out.tmp"
merged=$?
if [ "$merged" -ne 0 ] || ! mv "$out.tmp" "$out"; then
    echo "parallel.sh: cannot write $out; parts are in $work" >&2
    exit 1
fi
echo "parallel.sh: $n shards, $(wc -l <"$out") records in $out" >&2
cd / && rm -rf "$work"
