# -*- bash -*-
# Loaded by every tests/*.bats with `load helpers` (STYLE.md section 7).
#
#   server_start [SERVER.PY ARGS...]        exports SERVER SERVER_PORT SERVER_PID
#   server_start_named NAME [ARGS...]       exports NAME_URL NAME_PORT NAME_PID
#   server_stop                             stops $SERVER_PID
#   server_stop_named NAME                  stops $NAME_PID
#   stats / stats_reset                     GET $SERVER/_stats[?reset=1]
#   tls_make_cert                           exports TLS_CERT TLS_KEY (self-signed,
#                                           CN and SAN 127.0.0.1, made once per file)
#   tls_make_ca                             exports TLS_CA_CERT TLS_CA_KEY (a test
#                                           CA, made once per file)
#   tls_issue NAME SAN [DAYS]               exports NAME_CERT NAME_KEY: a server
#                                           certificate from the test CA for SAN
#                                           (openssl's form: IP:127.0.0.1,DNS:x),
#                                           valid DAYS (default 2; -1: expired)
#   run_volley [RC|'?'] ARGS...             run $VOLLEY, check status and stderr
#   run_volley_stdin FILE [RC|'?'] ARGS...  same, with stdin from FILE
#   volley_bg ARGS...                       $VOLLEY in the background, as
#                                           run_volley runs it; sets bg_pid
#                                           bg_out bg_err
#   volley_wait [RC|'?']                    wait for it, then run_volley's
#                                           checks and variables
#   volley_wait_stderr REGEX                until its stderr has a line
#                                           matching REGEX (at most 10 s)
#   volley_bg_stop                          kill it, if running (teardown)
#   wait_inflight N [SECS]                  until the server has N requests
#                                           in flight (at most SECS, 20)
#   use_valgrind                            skip unless VOLLEY_VALGRIND=1;
#                                           run volley under valgrind
#   fless A B / fsub A B                    A < B / A - B, as decimals
#   hits PATH                               the server's hits for PATH
#   urls N URL                              N lines URL?i=1 .. URL?i=N
#   record                                  the one record of $output
#   dead_port                               a port nothing listens on
#   blackhole_start / blackhole_stop        BH_PORT: connect() hangs there

# shellcheck disable=SC2154 # status, output, lines, stderr... come from bats run
bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

# Requests go to the test servers on 127.0.0.1 only: a proxy of the
# environment would take them elsewhere (tests that test proxies set one).
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY \
    no_proxy NO_PROXY
# Nor may the CA variables volley reads as curl does change what a run
# trusts (tests that test them set them).
unset CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR

VOLLEY=${VOLLEY:-$BATS_TEST_DIRNAME/../src/volley}
if [[ $VOLLEY == */* ]]; then
    VOLLEY=$(realpath -ms -- "$VOLLEY")
fi
export VOLLEY

: "${ASAN_OPTIONS:=exitcode=86:detect_leaks=1}"
: "${UBSAN_OPTIONS:=exitcode=87:print_stacktrace=1}"
export ASAN_OPTIONS UBSAN_OPTIONS

_helpers_tmpdir() {
    local d=${BATS_FILE_TMPDIR:-${BATS_SUITE_TMPDIR:-${BATS_RUN_TMPDIR:-}}}
    if [[ -z $d ]]; then
        d=$(mktemp -d)
    fi
    printf '%s\n' "$d"
}

# _server_launch NAME ARGS... -> sets _srv_pid, _srv_port, _srv_stderr
# The FIFO is opened read-write by us, so neither side's open() blocks and
# `read -t 10` really times out if the server dies before writing its port.
_server_launch() {
    local name=$1
    shift
    local dir fifo fd
    dir=$(_helpers_tmpdir)
    fifo=$(mktemp -u "$dir/server-$name-XXXXXX.fifo")
    _srv_stderr=${fifo%.fifo}.stderr
    mkfifo "$fifo" || return 1
    python3 "$BATS_TEST_DIRNAME/server.py" --portfile "$fifo" \
        --max-seconds 600 "$@" 3>&- </dev/null >"$_srv_stderr" 2>&1 &
    _srv_pid=$!
    exec {fd}<>"$fifo"
    # up to 10 s, but give up at once if the server has died
    local i
    # A read that times out mid-line still stores what it took: keep it,
    # or the port comes out cut short.
    local part
    _srv_port=
    for ((i = 0; i < 100; i++)); do
        part=
        if read -r -t 0.1 -u "$fd" part; then
            _srv_port+=$part
            break
        fi
        _srv_port+=$part
        if ! kill -0 "$_srv_pid" 2>/dev/null; then
            part=
            read -r -t 0.1 -u "$fd" part || true
            _srv_port+=$part
            break
        fi
    done
    exec {fd}<&-
    rm -f "$fifo"
    if [[ ! $_srv_port =~ ^[0-9]+$ ]]; then
        kill -TERM "$_srv_pid" 2>/dev/null
        echo "# server.py $* (pid $_srv_pid) wrote no port (died, or 10 s passed); its stderr:" >&2
        sed 's/^/#   /' "$_srv_stderr" >&2
        return 1
    fi
}

server_start() {
    _server_launch SERVER "$@" || return 1
    export SERVER_PID=$_srv_pid SERVER_PORT=$_srv_port
    export SERVER_STDERR=$_srv_stderr
    export SERVER="http://127.0.0.1:$_srv_port"
}

# server_start_named NAME [ARGS...]: a second instance, e.g.
#   tls_make_cert; server_start_named TLS --tls-cert "$TLS_CERT" --tls-key "$TLS_KEY"
# exports TLS_URL (https:// when --tls-cert is given), TLS_PORT, TLS_PID.
server_start_named() {
    local name=$1
    shift
    [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || {
        echo "server_start_named: bad NAME '$name'" >&2
        return 1
    }
    _server_launch "$name" "$@" || return 1
    local scheme=http a
    for a in "$@"; do
        if [[ $a == --tls-cert ]]; then scheme=https; fi
    done
    export "${name}_PID=$_srv_pid" "${name}_PORT=$_srv_port"
    export "${name}_URL=$scheme://127.0.0.1:$_srv_port"
}

_server_kill() {
    local pid=$1 i rc=0
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    wait "$pid" 2>/dev/null || rc=$?
    if [[ $rc -eq 127 ]]; then
        # not our child (started in another shell): poll, at most ~10 s
        for ((i = 0; i < 200; i++)); do
            kill -0 "$pid" 2>/dev/null || return 0
            sleep 0.05
        done
        kill -KILL "$pid" 2>/dev/null
    fi
    return 0
}

server_stop() {
    _server_kill "${SERVER_PID:-}"
    unset SERVER_PID
}

server_stop_named() {
    local var="${1}_PID"
    _server_kill "${!var:-}"
    unset "$var"
}

stats() {
    curl -s "$SERVER/_stats"
}

stats_reset() {
    curl -s "$SERVER/_stats?reset=1" >/dev/null
}

tls_make_cert() {
    local dir
    dir=$(_helpers_tmpdir)
    export TLS_CERT="$dir/tls-cert.pem" TLS_KEY="$dir/tls-key.pem"
    if [[ -s $TLS_CERT && -s $TLS_KEY ]]; then return 0; fi
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
        -keyout "$TLS_KEY" -out "$TLS_CERT" -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1,DNS:localhost >/dev/null 2>&1 || {
        echo "tls_make_cert: openssl failed" >&2
        return 1
    }
}

tls_make_ca() {
    local dir
    dir=$(_helpers_tmpdir)
    export TLS_CA_CERT="$dir/ca-cert.pem" TLS_CA_KEY="$dir/ca-key.pem"
    if [[ -s $TLS_CA_CERT && -s $TLS_CA_KEY ]]; then return 0; fi
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
        -nodes -days 2 -keyout "$TLS_CA_KEY" -out "$TLS_CA_CERT" \
        -subj "/CN=volley test CA" \
        -addext basicConstraints=critical,CA:TRUE \
        -addext keyUsage=critical,keyCertSign,cRLSign >/dev/null 2>&1 || {
        echo "tls_make_ca: openssl failed" >&2
        return 1
    }
}

# tls_issue NAME SAN [DAYS]: a negative DAYS gives a certificate whose
# notAfter is that many days before now, which no client accepts.
tls_issue() {
    local name=$1 san=$2 days=${3:-2} dir
    [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || {
        echo "tls_issue: bad NAME '$name'" >&2
        return 1
    }
    tls_make_ca || return 1
    dir=$(_helpers_tmpdir)
    local cert=$dir/$name-cert.pem key=$dir/$name-key.pem
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
        "$san" >"$dir/$name.ext"
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
        -nodes -keyout "$key" -out "$dir/$name.csr" -subj "/CN=$name" \
        >/dev/null 2>&1 &&
        openssl x509 -req -in "$dir/$name.csr" -CA "$TLS_CA_CERT" \
            -CAkey "$TLS_CA_KEY" -set_serial "0x$(openssl rand -hex 8)" \
            -days "$days" -extfile "$dir/$name.ext" -out "$cert" \
            >/dev/null 2>&1 || {
        echo "tls_issue: openssl failed for $name" >&2
        return 1
    }
    export "${name}_CERT=$cert" "${name}_KEY=$key"
}

# run_volley [RC|'?'] ARGS...  (after podman's run_podman)
# RC: expected exit status, default 0; '?' does not check it.  Sets $status,
# $output (stdout), $stderr, $lines, $stderr_lines.  Keeps the caller's stdin,
# so `run_volley 0 -c 3 <urls.txt` feeds volley; a terminal stdin becomes
# /dev/null.  Fails on sanitizer text in stderr whatever the status.
# NUL bytes cannot survive in $output (bash drops them): for binary output
# use -o FILE or a shell redirect inside `bash -c`.
run_volley() {
    local expect=0
    if [[ $# -gt 0 && ( $1 =~ ^[0-9]+$ || $1 == '?' ) ]]; then
        expect=$1
        shift
    fi

    local cmd
    printf -v cmd ' %q' "$@"
    echo "# ${VOLLEY_WRAPPER:+$VOLLEY_WRAPPER }volley$cmd"

    if [[ -t 0 ]]; then
        # shellcheck disable=SC2086
        run --separate-stderr timeout 60 $VOLLEY_WRAPPER "$VOLLEY" "$@" </dev/null
    else
        # shellcheck disable=SC2086
        run --separate-stderr timeout 60 $VOLLEY_WRAPPER "$VOLLEY" "$@"
    fi
    _volley_check "$expect" "$cmd"
}

# _volley_check EXPECT CMD: what run_volley and volley_wait check once
# volley is done, $status, $output, $lines, $stderr and $stderr_lines set:
# prints them, then fails on a timeout (124), a status other than EXPECT
# ('?': any), naming the sanitizers' and valgrind's own statuses, and on
# sanitizer text or volley's "internal error" in stderr whatever the
# status.
_volley_check() {
    local expect=$1 cmd=$2
    local n=${#lines[@]}
    if [[ $n -gt 0 ]]; then
        printf '%s\n' "${lines[@]:0:100}"
        [[ $n -le 100 ]] || echo "# ... ($n stdout lines in all)"
    fi
    if [[ -n $stderr ]]; then
        printf '# stderr: %s\n' "${stderr_lines[@]}"
    fi
    echo "# status=$status"

    if [[ $status -eq 124 && $expect != 124 ]]; then
        fail "volley timed out (60 s):$cmd"
        return
    fi
    if [[ $expect != '?' && $status -ne $expect ]]; then
        case $status in
        86) fail "AddressSanitizer/LeakSanitizer error (exit 86), expected $expect" ;;
        87) fail "UndefinedBehaviorSanitizer error (exit 87), expected $expect" ;;
        88) fail "valgrind error (exit 88), expected $expect" ;;
        *) fail "exit status $status, expected $expect" ;;
        esac
        return
    fi
    local pat
    for pat in AddressSanitizer LeakSanitizer 'runtime error:' 'ERROR: ' \
        'internal error'; do
        if [[ $stderr == *"$pat"* ]]; then
            fail "'$pat' in stderr (a sanitizer's report or volley's own)"
            return
        fi
    done
}

# run_volley_stdin FILE [RC|'?'] ARGS...
run_volley_stdin() {
    local file=$1
    shift
    run_volley "$@" <"$file"
}

# volley_bg ARGS...: $VOLLEY ARGS in the background, as run_volley runs it
# ($VOLLEY_WRAPPER, a 60 s bound), for tests that signal it or act while
# it runs. Stdin from $VOLLEY_STDIN (default /dev/null), stdout to
# $VOLLEY_STDOUT (default $BATS_TEST_TMPDIR/volley.out), stderr to
# $VOLLEY_STDERR (default $BATS_TEST_TMPDIR/volley.err; keep it a regular
# file: volley_wait checks it). Sets bg_pid (the pid to signal: the
# wrapper execs volley or, as valgrind, is it), bg_out and bg_err (the
# two paths). One at a time; volley_wait or volley_bg_stop ends it.
volley_bg() {
    if [[ -n ${bg_pid:-} ]]; then
        fail "volley_bg: volley $bg_pid is still running"
        return
    fi
    bg_out=${VOLLEY_STDOUT:-$BATS_TEST_TMPDIR/volley.out}
    bg_err=${VOLLEY_STDERR:-$BATS_TEST_TMPDIR/volley.err}
    printf -v _bg_cmd ' %q' "$@"
    echo "# (background) ${VOLLEY_WRAPPER:+$VOLLEY_WRAPPER }volley$_bg_cmd"
    _bg_timedout=$(mktemp -u "$BATS_TEST_TMPDIR/volley-timedout.XXXXXX")
    # shellcheck disable=SC2086
    $VOLLEY_WRAPPER "$VOLLEY" "$@" <"${VOLLEY_STDIN:-/dev/null}" \
        >"$bg_out" 2>"$bg_err" 3>&- &
    bg_pid=$!
    # The bound, without `timeout` in between: that would take the pid
    # the tests signal, and it sends a signal on to the whole process
    # group too, so volley would get two. The watchdog ends when volley
    # does (tail --pid); after 60 s it notes it and stops volley.
    _bg_watchdog "$bg_pid" 60 "$_bg_timedout" 3>&- </dev/null >/dev/null 2>&1 &
    _bg_dog=$!
}

_bg_watchdog() {
    local pid=$1 secs=$2 note=$3
    timeout "$secs" tail -s 0.2 --pid="$pid" -f /dev/null && return 0
    : >"$note"
    kill -TERM "$pid" 2>/dev/null
    timeout 10 tail -s 0.2 --pid="$pid" -f /dev/null || kill -KILL "$pid" 2>/dev/null
    return 0
}

# volley_wait [RC|'?']: wait for the volley of volley_bg, then what
# run_volley does after its run: $status, $output and $lines (stdout,
# when it went to a regular file), $stderr and $stderr_lines, printed,
# and the same checks (RC default 0).
volley_wait() {
    local expect=0
    if [[ $# -gt 0 && ( $1 =~ ^[0-9]+$ || $1 == '?' ) ]]; then
        expect=$1
        shift
    fi
    if [[ -z ${bg_pid:-} ]]; then
        fail "volley_wait: no volley_bg running"
        return
    fi
    status=0
    wait "$bg_pid" || status=$?
    bg_pid=
    wait "$_bg_dog" 2>/dev/null || true
    if [[ -e $_bg_timedout ]]; then
        status=124
    fi
    output=
    stderr=
    lines=() stderr_lines=()
    if [[ -f $bg_out ]]; then
        output=$(cat "$bg_out")
        mapfile -t lines <"$bg_out"
    fi
    if [[ -f $bg_err ]]; then
        stderr=$(cat "$bg_err")
        mapfile -t stderr_lines <"$bg_err"
    fi
    _volley_check "$expect" "$_bg_cmd"
}

# volley_wait_stderr REGEX: until a line of the background volley's
# stderr matches REGEX (grep -E), at most 10 s; fails if none does.
volley_wait_stderr() {
    timeout 10 grep -m 1 -qE -- "$1" \
        < <(tail -n +1 -s 0.1 --pid="$bg_pid" -f "$bg_err" 3>&-) ||
        fail "volley's stderr never matched '$1'"
}

# wait_inflight N [SECS]: until the server has N requests in flight, at
# most SECS seconds (default 20: it returns as soon as they are); fails
# when they never are.
wait_inflight() {
    local got
    got=$(curl -s -w ' %{http_code}' "$SERVER/_wait?inflight=$1&timeout=${2:-20}")
    if [[ $got != *" 200" ]]; then
        fail "the server never had $1 requests in flight: $got"
    fi
}

# volley_bg_stop: kill the volley of volley_bg if it still runs, so that
# a failed test leaves nothing behind; for teardown().
volley_bg_stop() {
    if [[ -n ${bg_pid:-} ]]; then
        kill -KILL "$bg_pid" 2>/dev/null || true
        wait "$bg_pid" 2>/dev/null || true
        wait "$_bg_dog" 2>/dev/null || true
        bg_pid=
    fi
}

# use_valgrind: skip the test unless VOLLEY_VALGRIND=1; then, unless
# $VOLLEY_WRAPPER runs valgrind already (CI's does), run volley under
# valgrind as CI does, for the rest of the test.
use_valgrind() {
    [[ ${VOLLEY_VALGRIND:-} == 1 ]] || skip "set VOLLEY_VALGRIND=1 to run valgrind"
    if [[ ${VOLLEY_WRAPPER:-} != *valgrind* ]]; then
        VOLLEY_WRAPPER="valgrind -q --error-exitcode=88 --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions=$BATS_TEST_DIRNAME/valgrind.supp"
    fi
}

# fless A B: A < B, as decimal numbers.
fless() {
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'
}

# fsub A B: A - B, as decimal numbers.
fsub() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f\n", a - b }'
}

# hits PATH: requests the server saw for PATH (query excluded).
hits() {
    stats | jq --arg p "$1" '.hits[$p] // 0'
}

# urls N URL: N numbered copies of URL (URL?i=1 .. URL?i=N), one a line.
urls() {
    local i
    for ((i = 1; i <= $1; i++)); do
        printf '%s?i=%d\n' "$2" "$i"
    done
}

# record: the one record of $output, compact; fails unless $output holds
# exactly one. (Slurped: jq 1.6's -e judges only the last input.)
record() {
    jq -esc 'if length == 1 then .[0] else false end' <<<"$output"
}

# dead_port: a port with nothing listening: bound by the kernel, then
# closed.
dead_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# blackhole_start: BH_PORT, a port where connect() hangs
# (fixtures/blackhole.py, for 60 s at most), BH_PID its process;
# blackhole_stop ends it.
blackhole_start() {
    local fifo fd
    fifo=$(mktemp -u "$BATS_TEST_TMPDIR/blackhole-XXXXXX.fifo")
    mkfifo "$fifo"
    python3 "$BATS_TEST_DIRNAME/fixtures/blackhole.py" "$fifo" 60 \
        3>&- </dev/null >/dev/null 2>&1 &
    BH_PID=$!
    exec {fd}<>"$fifo"
    BH_PORT=
    read -r -t 10 -u "$fd" BH_PORT || true
    exec {fd}<&-
    rm -f "$fifo"
    [[ $BH_PORT =~ ^[0-9]+$ ]] || fail "blackhole.py wrote no port"
}

blackhole_stop() {
    if [[ -n ${BH_PID:-} ]]; then
        kill -TERM "$BH_PID" 2>/dev/null || true
        wait "$BH_PID" 2>/dev/null || true
        BH_PID=
    fi
}
