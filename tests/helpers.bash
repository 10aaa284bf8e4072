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
            fail "sanitizer text '$pat' in stderr"
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
