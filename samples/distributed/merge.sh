#!/bin/sh
# merge.sh: check the parts of a split run, then merge them into one file.
# The parts are PARTDIR/part-K-of-N.ndjson for K from 0 to N-1, as
# parallel.sh, slurm-array.sh and the Kubernetes Job write them.
#
#   merge.sh LIST PARTDIR N OUT.ndjson
#
# First `volley --check` reads LIST as the shards read it and the records
# of every part: unless each request of LIST has exactly one record, and
# that one not cancelled, nothing is written and the exit status is 1
# (the ids that are missing, cancelled or duplicated are listed on
# stderr), so a merge after a cancelled or lost shard fails instead of
# writing a short file. Then the parts are concatenated in shard order
# into OUT.ndjson (through OUT.ndjson.tmp and a rename, so OUT.ndjson is
# whole or absent). Parts of another N in PARTDIR are not read.
#
# Environment:
#   VOLLEY       the volley program (default: volley, in the PATH)
#   VOLLEY_OPTS  the options the shards were given; those that change
#                what a request is (-X, --data, --input-format,
#                --id-prefix) must be the same here, the others are
#                ignored (default: none)
#
# Exit status: 0 merged; 1 the parts are not complete; 2 usage, or LIST or
# a part cannot be read; 3 OUT.ndjson cannot be written.

set -u

if [ $# -ne 4 ]; then
    echo "usage: merge.sh LIST PARTDIR N OUT.ndjson" >&2
    exit 2
fi
list=$1
dir=$2
n=$3
out=$4
volley=${VOLLEY:-volley}
opts=${VOLLEY_OPTS:-}
# volley reads VOLLEY_OPTS too: the options go on its command line only,
# or they would count twice (a -H twice is two headers).
unset VOLLEY_OPTS

case $n in
'' | *[!0-9]* | 0*)
    echo "merge.sh: N must be a whole number from 1: '$n'" >&2
    exit 2
    ;;
esac

parts=
k=0
while [ "$k" -lt "$n" ]; do
    parts="$parts $dir/part-$k-of-$n.ndjson"
    k=$((k + 1))
done

# The summary is one JSON line on stdout; -v puts the ids wanting before
# it. They go to stderr, the summary last, for the log.
# shellcheck disable=SC2086 # $opts is a list of options, $parts of files
"$volley" $opts -v --check -i "$list" $parts >&2
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "merge.sh: the parts in $dir do not hold each request of $list once; nothing merged" >&2
    exit "$rc"
fi

# shellcheck disable=SC2086 # $parts is a list of files
if ! cat $parts >"$out.tmp" || ! mv "$out.tmp" "$out"; then
    echo "merge.sh: cannot write $out" >&2
    rm -f "$out.tmp"
    exit 3
fi
echo "merge.sh: $n parts, $(wc -l <"$out") records in $out" >&2
