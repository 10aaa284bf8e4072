#!/bin/sh
# slurm-array.sh: fetch one URL list with a Slurm job array, one volley
# shard per task: task K of an array of N runs `volley --shard K/N` and
# writes OUTDIR/part-K-of-N.ndjson. The shards partition the list, so the
# parts never overlap and their union is the whole list.
#
#   sbatch slurm-array.sh LIST OUTDIR                  # N from --array
#   sbatch --array=0-15 slurm-array.sh LIST OUTDIR     # another N
#   SHARDS=8 sbatch --array=3 slurm-array.sh LIST OUTDIR  # task 3 again
#   sbatch --dependency=afterany:JOBID --wrap 'sh merge.sh LIST OUTDIR 8 all.ndjson'
#
# N is the size of the array, which must then be 0 to N-1: the default
# below, or --array on the command line. Submitting some tasks again
# (--array=3, --array=1,5) needs SHARDS=N, the N of the first submission.
# LIST and OUTDIR must be on a file system every node sees. A task that
# runs again (requeued after a node failure or `scontrol requeue`,
# submitted again) continues its part with --resume: it fetches what the
# part lacks, the requests a signal or --deadline cancelled included. If
# the task is still running, the new one stops at once (exit 2: the part
# is locked). Before the time limit, --deadline cancels what is left, so
# every request gets its record and the task exits 1: submit it again.
# merge.sh (beside this file) writes the merged file only when `volley
# --check` finds each request of LIST exactly once in the parts.
#
# Environment: SHARDS (N, when the array is not 0 to N-1), VOLLEY
# (default: volley, in the PATH), VOLLEY_OPTS (more options, split on
# blanks; default -c 50), DEADLINE (seconds; default 3300, under the hour
# of --time).
#
#SBATCH --job-name=volley
#SBATCH --array=0-7
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --requeue
#SBATCH --open-mode=append
#SBATCH --output=volley-%A_%a.log

set -u

usage="usage: sbatch slurm-array.sh LIST OUTDIR"
list=${1:?$usage}
outdir=${2:?$usage}
volley=${VOLLEY:-volley}
opts=${VOLLEY_OPTS:-"-c 50"}
# volley reads VOLLEY_OPTS too: the options go on its command line only,
# or they would count twice (a -H twice is two headers).
unset VOLLEY_OPTS
deadline=${DEADLINE:-3300}

k=${SLURM_ARRAY_TASK_ID:?not in a Slurm job array}
if [ -n "${SHARDS:-}" ]; then
    n=$SHARDS
elif [ "${SLURM_ARRAY_TASK_MIN:-}" = 0 ] &&
    [ "${SLURM_ARRAY_TASK_MAX:-}" = $((${SLURM_ARRAY_TASK_COUNT:-0} - 1)) ]; then
    n=$SLURM_ARRAY_TASK_COUNT
else
    echo "slurm-array.sh: the array is not 0 to N-1 (${SLURM_ARRAY_TASK_MIN:-?} to ${SLURM_ARRAY_TASK_MAX:-?}, ${SLURM_ARRAY_TASK_COUNT:-?} tasks): give SHARDS=N, the N of the first submission" >&2
    exit 2
fi
if [ "$k" -ge "$n" ]; then
    echo "slurm-array.sh: task $k, but N is $n: the array must be 0 to $((n - 1))" >&2
    exit 2
fi

mkdir -p "$outdir" || exit 3
# Parts of another N are another cut of the list: mixed with these they
# overlap and leave holes. Stop rather than add to them.
for f in "$outdir"/part-*-of-*.ndjson; do
    [ -e "$f" ] || continue
    other=${f##*-of-}
    other=${other%.ndjson}
    if [ "$other" != "$n" ]; then
        echo "slurm-array.sh: $outdir holds parts of a split into $other, not $n: use another OUTDIR, or SHARDS=$other" >&2
        exit 2
    fi
done

echo "slurm-array.sh: task $k of $n on $(hostname), job ${SLURM_JOB_ID:-?}, restart ${SLURM_RESTART_COUNT:-0}" >&2
# --failures-ok: failed requests are data, in their records; the task
# fails (a status above 0) only when its work is not done: 1 a request
# was cancelled (--deadline), 2 usage, 3 output not written, 143 SIGTERM.
# --stats puts one summary per task in its log.
# shellcheck disable=SC2086 # $opts is a list of options
exec "$volley" $opts --failures-ok -q --stats --deadline "$deadline" \
    --shard "$k/$n" -i "$list" -o "$outdir/part-$k-of-$n.ndjson" --resume
