#!/usr/bin/env bats
# Beyond one machine: --failures-ok and --id-prefix, for the engines that
# run volley on parts of a list, and the samples of samples/distributed/
# run for real: parallel.sh with local jobs and over ssh to 127.0.0.1 (an
# sshd started here, when it can be), slurm-array.sh's choice of N without
# Slurm (the real cluster is in slurm.bats), merge.sh, and the Kubernetes
# manifests validated against the API schema, their container run as
# PID 1.

bats_require_minimum_version 1.5.0
load helpers

SRCDIR=${VOLLEY_SRCDIR:-$BATS_TEST_DIRNAME/..}
SAMPLES=$SRCDIR/samples/distributed

setup_file() { server_start; }
teardown_file() { server_stop; }

@test "--failures-ok: failed requests exit 0; a cancelled one still exits 1" {
    run_volley 0 --failures-ok -r 0 "$SERVER/status/200" "$SERVER/status/503" \
        "$SERVER/reset"
    jq -es 'length == 3 and (map(select(.ok)) | length) == 1' <<<"$output"
    # Without it, the same run exits 1.
    run_volley 1 -r 0 "$SERVER/status/200" "$SERVER/status/503"
    # A request cancelled by --deadline was not done: 1.
    run_volley 1 --failures-ok -r 0 --deadline 0.5 "$SERVER/status/404" \
        "$SERVER/delay/5000"
    jq -es 'map(.error.kind) | sort == ["cancelled", "http"]' <<<"$output"
}

@test "--failures-ok: 2, 3 and 143 keep their meaning" {
    run_volley 2 --failures-ok --shard 9/4 "$SERVER/status/200"
    run_volley 3 --failures-ok -o /dev/full "$SERVER/status/200"
    volley_bg --failures-ok --grace 0 -o /dev/null "$SERVER/delay/10000"
    wait_inflight 1
    kill -TERM "$bg_pid"
    volley_wait 143
}

@test "--id-prefix STR: ids are STR and the line number, as strings; a line's own id is kept" {
    list=$BATS_TEST_TMPDIR/list
    printf '%s\n' "$SERVER/status/200" "# a comment" \
        "{\"url\":\"$SERVER/status/201\",\"id\":7}" "not a url" \
        "{\"url\":\"$SERVER/status/202\"}" >"$list"
    run_volley 1 --id-prefix 'chunk "b":' -i "$list"
    jq -es 'map(.id) | sort_by(tostring) ==
        [7, "chunk \"b\":1", "chunk \"b\":4", "chunk \"b\":5"]' <<<"$output"
    # Positional URLs are numbered the same way.
    run_volley 0 --id-prefix x- "$SERVER/status/200" "$SERVER/status/200?2"
    jq -es 'map(.id) | sort == ["x-1", "x-2"]' <<<"$output"
    run_volley 2 --id-prefix x- --crawl 1 "$SERVER/status/200"
    run_volley 2 --id-prefix $'\xff' "$SERVER/status/200"
}

@test "--id-prefix: two chunks of a list merge with unique ids; --resume and --check match them" {
    local i
    for ((i = 1; i <= 10; i++)); do echo "$SERVER/status/200?i=$i"; done >"$BATS_TEST_TMPDIR/all"
    split -l 5 -d "$BATS_TEST_TMPDIR/all" "$BATS_TEST_TMPDIR/chunk-"
    for c in 00 01; do
        run_volley 0 --id-prefix "$c:" -i "$BATS_TEST_TMPDIR/chunk-$c" \
            -o "$BATS_TEST_TMPDIR/out-$c.ndjson"
    done
    cat "$BATS_TEST_TMPDIR"/out-*.ndjson >"$BATS_TEST_TMPDIR/merged"
    jq -es 'length == 10 and (map(.id) | unique | length) == 10' "$BATS_TEST_TMPDIR/merged"
    stats_reset
    run_volley 0 --id-prefix 01: -i "$BATS_TEST_TMPDIR/chunk-01" \
        -o "$BATS_TEST_TMPDIR/out-01.ndjson" --resume
    stats | jq -e '.total == 0'
    run_volley 0 --check --id-prefix 01: -i "$BATS_TEST_TMPDIR/chunk-01" \
        "$BATS_TEST_TMPDIR/out-01.ndjson"
    run_volley 1 --check -i "$BATS_TEST_TMPDIR/chunk-01" "$BATS_TEST_TMPDIR/out-01.ndjson"
}

# make_list N FILE: N URLs of the test server, then a line that is not one
make_list() {
    {
        urls "$1" "$SERVER/status/200"
        echo "not a url"
    } >"$2"
}

# shard_size K N LIST: how many requests of LIST shard K of N has
shard_size() {
    "$VOLLEY" --check --shard "$1/$2" -i "$3" /dev/null | jq .requests
}

@test "samples/distributed/*.sh are shellcheck-clean" {
    command -v shellcheck >/dev/null || skip "shellcheck is not installed"
    run shellcheck -s sh "$SAMPLES"/*.sh
    [ "$status" -eq 0 ] || fail "shellcheck: $output"
}

@test "parallel.sh with local jobs: checked and merged, each request once; the parts go" {
    command -v parallel >/dev/null || skip "GNU parallel is not installed"
    command -v rsync >/dev/null || skip "rsync is not installed"
    local d=$BATS_TEST_TMPDIR
    make_list 200 "$d/urls.txt"
    run -0 env VOLLEY="$VOLLEY" VOLLEY_OPTS="-c 8" SHARDS=4 \
        sh "$SAMPLES/parallel.sh" "$d/urls.txt" "$d/all.ndjson" :
    printf '# %s\n' "${lines[@]}"
    jq -es 'length == 201 and (map(.id) | sort) == [range(1; 202)] and
        (map(select(.error.kind == "input")) | length) == 1' "$d/all.ndjson"
    [[ ! -e $d/all.ndjson.parts ]] || fail "the parts directory is left"
    # One --stats summary per shard.
    [ "$(grep -c '^requests: ' <<<"$output")" -eq 4 ]
}

@test "parallel.sh: after a shard failed, the same command runs only that shard; another N or list is refused" {
    command -v parallel >/dev/null || skip "GNU parallel is not installed"
    command -v rsync >/dev/null || skip "rsync is not installed"
    local d=$BATS_TEST_TMPDIR
    make_list 100 "$d/urls.txt"
    # A volley that fails shard 2 of 4 while $d/broken exists.
    printf '%s\n' '#!/bin/sh' \
        "case \" \$* \" in *\" --shard 2/4 \"*) [ -e '$d/broken' ] && exit 3 ;; esac" \
        "exec '$VOLLEY' \"\$@\"" >"$d/volley"
    chmod +x "$d/volley"
    touch "$d/broken"
    run -1 env VOLLEY="$d/volley" SHARDS=4 sh "$SAMPLES/parallel.sh" \
        "$d/urls.txt" "$d/all.ndjson" :
    [[ $output == *"shards 2 of 4"* ]]
    [[ ! -e $d/all.ndjson ]]
    [[ -f $d/all.ndjson.parts/part-0-of-4.ndjson ]]
    # Another N, or an edited list, would not complete these parts.
    run -2 env VOLLEY="$d/volley" SHARDS=8 sh "$SAMPLES/parallel.sh" \
        "$d/urls.txt" "$d/all.ndjson" :
    cp "$d/urls.txt" "$d/edited.txt"
    echo "$SERVER/status/200?new" >>"$d/edited.txt"
    run -2 env VOLLEY="$d/volley" SHARDS=4 sh "$SAMPLES/parallel.sh" \
        "$d/edited.txt" "$d/all.ndjson" :
    rm "$d/broken"
    stats_reset
    run -0 env VOLLEY="$d/volley" SHARDS=4 sh "$SAMPLES/parallel.sh" \
        "$d/urls.txt" "$d/all.ndjson" :
    jq -es 'length == 101 and (map(.id) | sort) == [range(1; 102)]' "$d/all.ndjson"
    # Only shard 2's requests were made this time (its bad line makes none).
    want=$(shard_size 2 4 "$d/urls.txt")
    stats | jq -e --argjson n "$want" '.total == $n or .total == $n - 1'
}

# sshd_start: an sshd on 127.0.0.1 that lets in root with a key made here,
# bounded by timeout; PARALLEL_SSH makes parallel (and its rsync) use the
# client configuration for it. Returns 1 with the reason in $why.
sshd_start() {
    local d=$BATS_TEST_TMPDIR/ssh i
    why=
    if [[ $(id -u) -ne 0 ]]; then
        why="logging in over ssh needs root here"
        return 1
    fi
    if [[ ! -x /usr/sbin/sshd ]] || ! command -v ssh >/dev/null; then
        why="sshd or ssh is not installed (Debian: openssh-server)"
        return 1
    fi
    mkdir -p "$d" /run/sshd
    ssh-keygen -q -t ed25519 -N '' -f "$d/host_key" || return 1
    ssh-keygen -q -t ed25519 -N '' -f "$d/user_key" || return 1
    cp "$d/user_key.pub" "$d/authorized_keys"
    SSHD_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf '%s\n' "ListenAddress 127.0.0.1" "Port $SSHD_PORT" \
        "HostKey $d/host_key" "AuthorizedKeysFile $d/authorized_keys" \
        "PidFile $d/sshd.pid" "StrictModes no" "PasswordAuthentication no" \
        "KbdInteractiveAuthentication no" \
        "PermitRootLogin prohibit-password" "UsePAM no" >"$d/sshd_config"
    printf '%s\n' "Host 127.0.0.1" "  Port $SSHD_PORT" \
        "  IdentityFile $d/user_key" "  IdentitiesOnly yes" "  BatchMode yes" \
        "  StrictHostKeyChecking no" "  UserKnownHostsFile /dev/null" \
        "  LogLevel ERROR" >"$d/ssh_config"
    timeout 600 /usr/sbin/sshd -D -e -f "$d/sshd_config" 3>&- 2>"$d/sshd.log" &
    SSHD_PID=$!
    # Until the port opens, at most 10 s.
    for ((i = 0; i < 100; i++)); do
        if (exec 4<>"/dev/tcp/127.0.0.1/$SSHD_PORT") 2>/dev/null; then
            export PARALLEL_SSH="ssh -F $d/ssh_config"
            ssh -F "$d/ssh_config" root@127.0.0.1 true && return 0
            why="sshd runs, but the login fails: $(tail -n 3 "$d/sshd.log")"
            return 1
        fi
        kill -0 "$SSHD_PID" 2>/dev/null || break
        sleep 0.1
    done
    why="sshd did not start: $(tail -n 3 "$d/sshd.log")"
    return 1
}

teardown() {
    volley_bg_stop
    if [[ -n ${SSHD_PID:-} ]]; then
        kill -TERM "$SSHD_PID" 2>/dev/null || true
        wait "$SSHD_PID" 2>/dev/null || true
        unset SSHD_PID
    fi
}

@test "parallel.sh over ssh: root@127.0.0.1, this very machine, beside local jobs: no part lost" {
    command -v parallel >/dev/null || skip "GNU parallel is not installed"
    command -v rsync >/dev/null || skip "rsync is not installed"
    sshd_start || skip "$why"
    local d=$BATS_TEST_TMPDIR
    make_list 120 "$d/urls.txt"
    # A volley that notes where each fetching job ran.
    printf '%s\n' '#!/bin/sh' \
        "case \" \$* \" in *\" --shard \"*) echo \"\${PARALLEL_SSHLOGIN:-:}\" >>'$d/where' ;; esac" \
        "exec '$VOLLEY' \"\$@\"" >"$d/volley"
    chmod +x "$d/volley"
    # Three job slots at the start: one here, two over ssh.
    run -0 env VOLLEY="$d/volley" VOLLEY_OPTS="-c 8" SHARDS=4 \
        sh "$SAMPLES/parallel.sh" "$d/urls.txt" "$d/all.ndjson" 1/: 2/root@127.0.0.1
    jq -es 'length == 121 and (map(.id) | sort) == [range(1; 122)]' "$d/all.ndjson"
    grep -qx 'root@127.0.0.1' "$d/where" || fail "no job ran over ssh: $(cat "$d/where")"
    # The jobs' scratch directories in the login's home are gone.
    [[ -z $(compgen -G "$HOME/.volley-job-*") ]] || fail "left: $(compgen -G "$HOME/.volley-job-*")"
}

@test "slurm-array.sh: N is the array's size; a partial array needs SHARDS; parts of another N stop it" {
    local d=$BATS_TEST_TMPDIR
    make_list 20 "$d/urls.txt"
    # The variables Slurm sets for task 1 of --array=0-3.
    run -0 env VOLLEY="$VOLLEY" SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=0 \
        SLURM_ARRAY_TASK_MAX=3 SLURM_ARRAY_TASK_COUNT=4 \
        sh "$SAMPLES/slurm-array.sh" "$d/urls.txt" "$d/out"
    run_volley 0 --check --shard 1/4 -i "$d/urls.txt" "$d/out/part-1-of-4.ndjson"
    # --array=1 submitted again: which N? Not guessed.
    run -2 env VOLLEY="$VOLLEY" SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_MIN=1 \
        SLURM_ARRAY_TASK_MAX=1 SLURM_ARRAY_TASK_COUNT=1 \
        sh "$SAMPLES/slurm-array.sh" "$d/urls.txt" "$d/out"
    [[ $output == *SHARDS* ]]
    stats_reset
    run -0 env VOLLEY="$VOLLEY" SHARDS=4 SLURM_ARRAY_TASK_ID=1 \
        SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_MAX=1 SLURM_ARRAY_TASK_COUNT=1 \
        sh "$SAMPLES/slurm-array.sh" "$d/urls.txt" "$d/out"
    stats | jq -e '.total == 0'
    # An OUTDIR with parts of 4, and an array of 8.
    run -2 env VOLLEY="$VOLLEY" SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_MIN=0 \
        SLURM_ARRAY_TASK_MAX=7 SLURM_ARRAY_TASK_COUNT=8 \
        sh "$SAMPLES/slurm-array.sh" "$d/urls.txt" "$d/out"
    [[ ! -e $d/out/part-0-of-8.ndjson ]]
}

@test "merge.sh: merges only parts that hold each request once" {
    local d=$BATS_TEST_TMPDIR k
    make_list 40 "$d/urls.txt"
    mkdir "$d/parts"
    for k in 0 1 2; do
        "$VOLLEY" -q --failures-ok --shard "$k/3" -i "$d/urls.txt" \
            -o "$d/parts/part-$k-of-3.ndjson"
    done
    cp "$d/parts/part-1-of-3.ndjson" "$d/keep"
    # Part 1 lost: nothing merged, the missing ids named.
    rm "$d/parts/part-1-of-3.ndjson"
    run -1 env VOLLEY="$VOLLEY" sh "$SAMPLES/merge.sh" "$d/urls.txt" "$d/parts" 3 "$d/all.ndjson"
    [[ ! -e $d/all.ndjson ]]
    [[ $output == *'"state":"missing"'* ]]
    mv "$d/keep" "$d/parts/part-1-of-3.ndjson"
    run -0 env VOLLEY="$VOLLEY" sh "$SAMPLES/merge.sh" "$d/urls.txt" "$d/parts" 3 "$d/all.ndjson"
    jq -es 'length == 41 and (map(.id) | sort) == [range(1; 42)]' "$d/all.ndjson"
    run -2 sh "$SAMPLES/merge.sh" "$d/urls.txt" "$d/parts" 0 "$d/all.ndjson"
}

# k8s_node_path: NODE_PATH to kubernetes-models and yaml, as pinned in
# tests/k8s/package.json, installed by npm once into a cache directory
# (never into the source tree). Returns 1 with the reason in $why.
k8s_node_path() {
    local pkg=$SRCDIR/tests/k8s/package.json cache sum
    why=
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        why="node and npm are not installed (Debian: nodejs npm)"
        return 1
    fi
    sum=$(sha256sum "$pkg" | cut -c1-16)
    cache=${VOLLEY_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/volley-tests}/k8s-$sum
    if [[ ! -f $cache/node_modules/kubernetes-models/package.json ]]; then
        mkdir -p "$cache" && cp "$pkg" "$cache/package.json" || return 1
        if ! (cd "$cache" && timeout 300 npm install --no-audit --no-fund \
            --no-package-lock --loglevel=error) >"$BATS_TEST_TMPDIR/npm.log" 2>&1; then
            why="npm install failed: $(tail -n 3 "$BATS_TEST_TMPDIR/npm.log")"
            return 1
        fi
    fi
    export NODE_PATH=$cache/node_modules
}

# k8s_docs: every document of the Kubernetes samples as one JSON array,
# after validating them (tests/k8s/validate.js)
k8s_docs() {
    node "$SRCDIR/tests/k8s/validate.js" "$SAMPLES"/k8s-*.yaml
}

@test "the Kubernetes manifests are valid against the API schema, and agree with each other" {
    k8s_node_path || skip "$why"
    run --separate-stderr k8s_docs
    [ "$status" -eq 0 ] || fail "not valid: $stderr"
    docs=$output
    jq -e 'map(.kind) | sort == ["ConfigMap", "Job", "Job"]' <<<"$docs"
    # The fetch Job: N = completions = SHARDS; volley is exec'ed; its
    # --deadline and --grace fit in the Job's and the pod's time.
    jq -e '
        (.[] | select(.metadata.name == "volley-fetch")) as $j |
        ($j.spec.template.spec.containers[0]) as $c |
        ($c.env | map({(.name): .value}) | add) as $env |
        $j.spec.completionMode == "Indexed" and
        ($env.SHARDS | tonumber) == $j.spec.completions and
        $j.spec.backoffLimitPerIndex > 0 and
        ($env.DEADLINE | tonumber) + ($env.GRACE | tonumber) + 60 <=
            $j.spec.activeDeadlineSeconds and
        ($env.GRACE | tonumber) + 10 <=
            $j.spec.template.spec.terminationGracePeriodSeconds and
        ($c.args[0] | test("^exec volley ")) and
        ($c.args[0] | test("--failures-ok")) and
        ($c.args[0] | test("--resume")) and
        ($j.spec.podFailurePolicy.rules | map(select(.action == "FailJob") |
            .onExitCodes.values) | flatten) == [2] and
        $c.securityContext.readOnlyRootFilesystem == true and
        $j.spec.template.spec.securityContext.runAsNonRoot == true' <<<"$docs"
    # The list is an immutable ConfigMap, and both Jobs read that one; the
    # merge Job checks the N the fetch Job cut.
    jq -e '
        (.[] | select(.kind == "ConfigMap")) as $cm |
        (.[] | select(.metadata.name == "volley-fetch")) as $f |
        (.[] | select(.metadata.name == "volley-merge")) as $m |
        $cm.immutable == true and
        ([$f, $m] | map(.spec.template.spec.volumes[] |
            select(.configMap) | .configMap.name) | unique) == [$cm.metadata.name] and
        $m.spec.template.spec.containers[0].command[3] ==
            ($f.spec.completions | tostring)' <<<"$docs"
}

@test "the fetch Job's container, run as PID 1 of its own PID namespace, ends on SIGTERM; run again it completes its part" {
    k8s_node_path || skip "$why"
    command -v unshare >/dev/null || skip "unshare is not installed"
    unshare --pid --fork --mount-proc true 2>/dev/null ||
        skip "cannot make a PID namespace here (needs root)"
    local d=$BATS_TEST_TMPDIR i pid child rc docs
    docs=$(k8s_docs)
    # The container's command line and environment, as the kubelet runs
    # them; the list and the output in this test's directory.
    mapfile -t argv < <(jq -r '.[] | select(.metadata.name == "volley-fetch") |
        .spec.template.spec.containers[0] | (.command + .args)[]' <<<"$docs")
    mapfile -t envs < <(jq -r '.[] | select(.metadata.name == "volley-fetch") |
        .spec.template.spec.containers[0].env[] | "\(.name)=\(.value)"' <<<"$docs")
    mkdir -p "$d/bin" "$d/out"
    ln -s "$VOLLEY" "$d/bin/volley"
    for ((i = 1; i <= 160; i++)); do echo "$SERVER/delay/2000?i=$i"; done >"$d/urls.txt"
    envs+=("LIST=$d/urls.txt" "OUTDIR=$d/out" JOB_COMPLETION_INDEX=0
        "PATH=$d/bin:$PATH" "ASAN_OPTIONS=$ASAN_OPTIONS"
        "UBSAN_OPTIONS=$UBSAN_OPTIONS")
    echo "# ${argv[*]}"
    unshare --pid --fork --mount-proc env -i "${envs[@]}" "${argv[@]}" \
        2>"$d/stderr" &
    pid=$!
    wait_inflight 1
    # The namespace's PID 1 is unshare's child: the container's process.
    child=$(ps -o pid= --ppid "$pid" | tr -d ' ')
    [ -n "$child" ]
    kill -TERM "$child"
    rc=0
    wait "$pid" || rc=$?
    cat "$d/stderr"
    [ "$rc" -eq 143 ] || fail "exit status $rc after SIGTERM, not 143"
    part=$d/out/part-0-of-8.ndjson
    jq -es 'length > 0' "$part"
    # The pod started again: the same command completes the part.
    env -i "${envs[@]}" "${argv[@]}"
    run_volley 0 --check --shard 0/8 -i "$d/urls.txt" "$part"
}

@test "the Dockerfile builds with the README's packages and runs on their libraries" {
    local readme build runtime p dev found
    readme=$(grep -o 'apt-get install -y --no-install-recommends [^&]*' "$SRCDIR/README.md" |
        head -n 1 | tr ' ' '\n' | grep -v '^-' | sort -u)
    # The packages of each stage's apt-get install, continuation lines joined.
    mapfile -t stages < <(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$SAMPLES/Dockerfile" |
        grep -o 'apt-get install -y --no-install-recommends [^&]*' |
        sed 's/apt-get install -y --no-install-recommends //')
    [ "${#stages[@]}" -eq 2 ] || fail "not two apt-get install lines"
    build=$(tr -s ' ' '\n' <<<"${stages[0]}" | sed '/^$/d' | sort -u)
    runtime=$(tr -s ' ' '\n' <<<"${stages[1]}" | sed '/^$/d' | sort -u)
    # The build stage installs the README's packages that configure needs.
    for p in $build; do
        grep -qx "$p" <<<"$readme" || fail "$p is not in the README's apt-get line"
    done
    for p in $(grep -A1 PKG_CHECK_MODULES "$SRCDIR/configure.ac" |
        grep -o 'apt-get install [a-z0-9.+-]*' | cut -d' ' -f3); do
        grep -qx "$p" <<<"$build" || fail "the build stage lacks $p (configure.ac)"
    done
    # Each library it builds against has its runtime package in the final
    # stage (the -dev package depends on it, as dpkg says here).
    for dev in $(grep -- '-dev$' <<<"$build"); do
        dpkg-query -W "$dev" >/dev/null 2>&1 || skip "$dev is not installed here"
        found=
        for p in $runtime; do
            dpkg-query -W -f='${Depends}' "$dev" | grep -qE "(^|, )$p( |,|$)" && found=$p
        done
        [ -n "$found" ] || fail "no runtime package of $dev in the final stage"
    done
}
