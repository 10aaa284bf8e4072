#!/usr/bin/env bats
# samples/distributed/slurm-array.sh on a real Slurm: a one-node cluster
# (Debian's slurm-wlm and munge, no systemd) started here on 127.0.0.1
# with its own munge key, socket, ports and state directory, and stopped
# by pid. A task cancelled with scancel and submitted again completes its
# part; merge.sh refuses the parts before and merges them after.

bats_require_minimum_version 1.5.0
load helpers

SRCDIR=${VOLLEY_SRCDIR:-$BATS_TEST_DIRNAME/..}
SAMPLES=$SRCDIR/samples/distributed

# free_port: a port of 127.0.0.1 that nothing listens on now
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# slurm_start: munged, slurmctld and slurmd for one node of 2 CPUs, each
# under `timeout` (bounded even if the teardown never runs); exports
# SLURM_CONF and SLURM_DIR, and the pids in SLURM_PIDS. Returns 1 with a
# reason on fd 3 when the cluster does not come up.
slurm_start() {
    local d=$BATS_FILE_TMPDIR/slurm host i state
    host=$(hostname -s)
    mkdir -p "$d/state" "$d/spool" "$d/munge" "$d/log"
    chmod 700 "$d/munge"
    head -c 128 /dev/urandom >"$d/munge/munge.key"
    chmod 600 "$d/munge/munge.key"
    # munged refuses root without --force; the socket is ours alone.
    timeout 900 munged -F --force --socket="$d/munge/sock" \
        --key-file="$d/munge/munge.key" --pid-file="$d/munge/pid" \
        --log-file="$d/munge/log" --seed-file="$d/munge/seed" \
        3>&- >"$d/log/munged.out" 2>&1 &
    SLURM_PIDS=$!
    for ((i = 0; i < 100; i++)); do
        [[ -S $d/munge/sock ]] && break
        sleep 0.1
    done
    cat >"$d/slurm.conf" <<EOF
ClusterName=volleytest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge/sock
CredType=cred/munge
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/log/slurmctld.log
SlurmdLogFile=$d/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
KillWait=5
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=1024 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
    export SLURM_CONF=$d/slurm.conf SLURM_DIR=$d
    timeout 900 slurmctld -D -i -f "$SLURM_CONF" 3>&- >"$d/log/slurmctld.out" 2>&1 &
    SLURM_PIDS="$SLURM_PIDS $!"
    timeout 900 slurmd -D -f "$SLURM_CONF" 3>&- >"$d/log/slurmd.out" 2>&1 &
    SLURM_PIDS="$SLURM_PIDS $!"
    export SLURM_PIDS
    # No event tells that the node is up: ask, for at most 30 s.
    for ((i = 0; i < 150; i++)); do
        state=$(sinfo -h -o %T 2>/dev/null)
        [[ $state == idle ]] && return 0
        sleep 0.2
    done
    echo "# the Slurm node is '$state' after 30 s; logs:" >&3
    tail -n 5 "$d"/log/* | sed 's/^/#   /' >&3
    return 1
}

slurm_stop() {
    local pid
    for pid in ${SLURM_PIDS:-}; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in ${SLURM_PIDS:-}; do
        wait "$pid" 2>/dev/null || true
    done
    unset SLURM_PIDS
}

# slurm_wait JOBID: until the job (every task of an array) has left the
# queue, at most 120 s.
slurm_wait() {
    local i
    for ((i = 0; i < 600; i++)); do
        [[ -z $(squeue -h -j "$1" 2>/dev/null) ]] && return 0
        sleep 0.2
    done
    fail "job $1 still in the queue after 120 s: $(squeue -j "$1")"
}

setup_file() {
    local tool
    [[ $(id -u) -eq 0 ]] || skip "a one-node Slurm needs root here"
    for tool in munged slurmctld slurmd sbatch; do
        command -v "$tool" >/dev/null ||
            skip "$tool is not installed (Debian: slurm-wlm, munge)"
    done
    server_start
    slurm_start || skip "the Slurm cluster did not come up"
}

teardown_file() {
    slurm_stop
    server_stop
}

# bats test_tags=slow
@test "slurm-array.sh: scancel of a task, then submitted again alone: each request once, and merge.sh checks it" {
    local d=$BATS_TEST_TMPDIR list job job2 i k
    list=$d/urls.txt
    for ((i = 1; i <= 32; i++)); do echo "$SERVER/delay/1000?i=$i"; done >"$list"
    export VOLLEY VOLLEY_OPTS="-c 2 --grace 0"
    # --array and --mem on the command line win over the script's #SBATCH.
    job=$(sbatch --parsable --array=0-3 --mem=64M --chdir="$d" \
        --output="$d/log-%A_%a.txt" "$SAMPLES/slurm-array.sh" "$list" "$d/out")
    # Cancel task 1 once it has written records, in the middle of its part.
    for ((i = 0; i < 600; i++)); do
        [[ -s $d/out/part-1-of-4.ndjson ]] && break
        sleep 0.1
    done
    scancel "${job}_1"
    slurm_wait "$job"
    scontrol show job "${job}_1" | grep -q 'JobState=CANCELLED'
    # N came from the array; each task logged its --stats summary.
    for k in 0 1 2 3; do
        [[ -f $d/out/part-$k-of-4.ndjson ]]
        grep -q '^requests: ' "$d/log-${job}_$k.txt"
    done
    # Task 1's part is short, or ends with cancelled records: no merge.
    run_volley 1 --check --shard 1/4 -i "$list" "$d/out/part-1-of-4.ndjson"
    run -1 env VOLLEY="$VOLLEY" sh "$SAMPLES/merge.sh" "$list" "$d/out" 4 "$d/all.ndjson"
    [[ ! -e $d/all.ndjson ]]

    # Task 1 again, alone: SHARDS gives N, --resume completes the part.
    job2=$(SHARDS=4 sbatch --parsable --array=1 --mem=64M --chdir="$d" \
        --output="$d/log-%A_%a.txt" "$SAMPLES/slurm-array.sh" "$list" "$d/out")
    slurm_wait "$job2"
    scontrol show job "$job2" | grep -q 'JobState=COMPLETED'
    run_volley 0 --check -i "$list" "$d"/out/part-{0,1,2,3}-of-4.ndjson
    run -0 env VOLLEY="$VOLLEY" sh "$SAMPLES/merge.sh" "$list" "$d/out" 4 "$d/all.ndjson"
    jq -es 'length == 32 and all(.ok) and (map(.id) | sort) == [range(1; 33)]' \
        "$d/all.ndjson"
}
