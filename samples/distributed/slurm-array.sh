#!/bin/sh
# slurm-array.sh: fetch one URL list with a Slurm job array, one volley
# shard per task: task K of N runs `volley --shard K/N` and writes
# OUTDIR/part-K.ndjson. The shards partition the list, so the parts never
# overlap and their union is the whole list.
#
#   sbatch slurm-array.sh LIST OUTDIR
#   sbatch --dependency=afterany:JOBID --wrap 'cat OUTDIR/part-*.ndjson >all.ndjson'
#
# N is SHARDS (default 8), and --array below must be 0 to N-1 (0-7 for
# 8): #SBATCH lines cannot read variables. LIST and OUTDIR must be on a
# file system every node sees. A task that is requeued (a node failed) or
# submitted again alone (sbatch --array=3 slurm-array.sh ...) fetches only
# what its part lacks (--resume). Before the time limit, --deadline
# cancels what is left, so every request gets its record; submit again
# with VOLLEY_OPTS=--resume-failed to fetch the cancelled ones (and retry
# the failed ones).
#
# Environment: SHARDS (N, default 8), VOLLEY (default: volley, in the
# PATH), VOLLEY_OPTS (more options, split on blanks; default -c 50),
# DEADLINE (seconds; default 3300, under the hour of --time).
#
#SBATCH --job-name=volley
#SBATCH --array=0-7
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=01:00:00
#SBATCH --requeue
#SBATCH --output=volley-%A_%a.log

set -u

usage="usage: sbatch slurm-array.sh LIST OUTDIR"
list=${1:?$usage}
outdir=${2:?$usage}
volley=${VOLLEY:-volley}
opts=${VOLLEY_OPTS:-"-c 50"}
deadline=${DEADLINE:-3300}

n=${SHARDS:-8}
k=${SLURM_ARRAY_TASK_ID:?not in a Slurm job array}
if [ "$k" -ge "$n" ]; then
    echo "slurm-array.sh: task $k, but SHARDS is $n: --array must be 0-$((n - 1))" >&2
    exit 2
fi

mkdir -p "$outdir" || exit 3
# shellcheck disable=SC2086 # $opts is a list of options
"$volley" $opts -q --deadline "$deadline" --shard "$k/$n" -i "$list" \
    -o "$outdir/part-$k.ndjson" --resume
rc=$?
# Status 1: some requests failed, and their records say why; the task
# did its work. Above 1 (usage, output not written, a signal) it failed.
if [ "$rc" -le 1 ]; then
    exit 0
fi
exit "$rc"
