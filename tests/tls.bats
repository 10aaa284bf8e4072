#!/usr/bin/env bats
# TLS trust a user can set (issue 10.15): --cacert, --capath and curl's
# CURL_CA_BUNDLE, SSL_CERT_DIR and SSL_CERT_FILE, against servers whose
# certificates come from a test CA made with openssl at test time; and
# --resolve, which pins a name to an address.

bats_require_minimum_version 1.5.0
load helpers

setup_file() {
    server_start
    tls_make_ca
    tls_issue GOOD IP:127.0.0.1,DNS:localhost,DNS:volley.test
    tls_issue EXPIRED IP:127.0.0.1,DNS:localhost -1
    tls_issue WRONGHOST DNS:wrong.example
    server_start_named GOOD --tls-cert "$GOOD_CERT" --tls-key "$GOOD_KEY"
    server_start_named EXPIRED --tls-cert "$EXPIRED_CERT" --tls-key "$EXPIRED_KEY"
    server_start_named WRONGHOST --tls-cert "$WRONGHOST_CERT" --tls-key "$WRONGHOST_KEY"
    # A hashed directory holding the CA, for --capath and SSL_CERT_DIR.
    export CA_DIR=$BATS_FILE_TMPDIR/cadir
    mkdir -p "$CA_DIR"
    cp "$TLS_CA_CERT" "$CA_DIR/volley-test-ca.pem"
    openssl rehash "$CA_DIR"
}

teardown_file() {
    server_stop_named GOOD
    server_stop_named EXPIRED
    server_stop_named WRONGHOST
    server_stop
}

# one_kind KIND: one record, not ok with KIND, or ok when KIND is "ok".
one_kind() {
    if [[ $1 == ok ]]; then
        jq -es 'length == 1 and .[0].ok and .[0].status == 200' <<<"$output"
    else
        jq -es --arg k "$1" 'length == 1 and (.[0].ok | not)
            and .[0].status == null and .[0].error.kind == $k' <<<"$output"
    fi
}

@test "a certificate from an unknown CA: kind tls by default, ok with --cacert" {
    run_volley 1 -r 0 "$GOOD_URL/status/200"
    one_kind tls
    run_volley 0 --cacert "$TLS_CA_CERT" "$GOOD_URL/status/200"
    one_kind ok
}

@test "--cacert: an expired certificate and one for another host are still kind tls" {
    run_volley 1 -r 0 --cacert "$TLS_CA_CERT" "$EXPIRED_URL/status/200"
    one_kind tls
    [[ $(jq -r .error.message <<<"$output") == *expired* ]] || fail "message"
    run_volley 1 -r 0 --cacert "$TLS_CA_CERT" "$WRONGHOST_URL/status/200"
    one_kind tls
}

@test "--capath: a hashed directory holding the CA is trusted" {
    run_volley 0 --capath "$CA_DIR" "$GOOD_URL/status/200"
    one_kind ok
    run_volley 1 -r 0 --capath "$CA_DIR" "$EXPIRED_URL/status/200"
    one_kind tls
}

@test "--cacert and --capath: a missing file or a wrong kind of file is a usage error, nothing sent" {
    local keep=$BATS_TEST_TMPDIR/keep.ndjson
    echo '{"kept":true}' >"$keep"
    run_volley 2 --cacert "$BATS_TEST_TMPDIR/nope.pem" -o "$keep" "$GOOD_URL/status/200"
    [[ $stderr == *"--cacert"*"nope.pem"* ]] || fail "stderr: $stderr"
    run_volley 2 --cacert "$CA_DIR" "$GOOD_URL/status/200"
    [[ $stderr == *"--cacert"* ]]
    run_volley 2 --capath "$TLS_CA_CERT" "$GOOD_URL/status/200"
    [[ $stderr == *"--capath"* ]]
    run_volley 2 --capath "$BATS_TEST_TMPDIR/nodir" "$GOOD_URL/status/200"
    [[ $stderr == *"--capath"* ]]
    jq -e '.kept' "$keep"
}

@test "CURL_CA_BUNDLE, SSL_CERT_FILE and SSL_CERT_DIR are trusted, as curl does" {
    CURL_CA_BUNDLE=$TLS_CA_CERT run_volley 0 "$GOOD_URL/status/200"
    one_kind ok
    SSL_CERT_FILE=$TLS_CA_CERT run_volley 0 "$GOOD_URL/status/200"
    one_kind ok
    SSL_CERT_DIR=$CA_DIR run_volley 0 "$GOOD_URL/status/200"
    one_kind ok
    SSL_CERT_FILE=$TLS_CA_CERT run_volley 1 -r 0 "$EXPIRED_URL/status/200"
    one_kind tls
}

@test "the trust variables: curl's order, and --cacert, --capath and -k ignore them" {
    local bad=$BATS_TEST_TMPDIR/nope.pem
    # CURL_CA_BUNDLE comes first, then SSL_CERT_DIR, then SSL_CERT_FILE.
    CURL_CA_BUNDLE=$bad SSL_CERT_FILE=$TLS_CA_CERT run_volley 1 -r 0 "$GOOD_URL/status/200"
    one_kind tls
    CURL_CA_BUNDLE=$TLS_CA_CERT SSL_CERT_DIR=$BATS_TEST_TMPDIR run_volley 0 "$GOOD_URL/status/200"
    SSL_CERT_DIR=$BATS_TEST_TMPDIR SSL_CERT_FILE=$TLS_CA_CERT run_volley 1 -r 0 "$GOOD_URL/status/200"
    one_kind tls
    # An option wins over every variable; -k reads none of them.
    CURL_CA_BUNDLE=$bad run_volley 0 --cacert "$TLS_CA_CERT" "$GOOD_URL/status/200"
    CURL_CA_BUNDLE=$bad run_volley 0 --capath "$CA_DIR" "$GOOD_URL/status/200"
    CURL_CA_BUNDLE=$bad run_volley 0 -k "$GOOD_URL/status/200"
    # An empty variable counts as unset.
    CURL_CA_BUNDLE= SSL_CERT_FILE=$TLS_CA_CERT run_volley 0 "$GOOD_URL/status/200"
}

@test "--resolve: a made-up name pinned to 127.0.0.1, over http and https (SNI and the name checked)" {
    run_volley 1 -r 0 "http://made-up.invalid:$SERVER_PORT/status/200"
    one_kind dns
    run_volley 0 --resolve "made-up.invalid:$SERVER_PORT:127.0.0.1" \
        "http://made-up.invalid:$SERVER_PORT/status/200"
    jq -e '.ok and .remote_ip == "127.0.0.1"' <<<"$output"
    # The certificate names volley.test: verified against the URL's name.
    run_volley 0 --cacert "$TLS_CA_CERT" \
        --resolve "volley.test:$GOOD_PORT:127.0.0.1" "https://volley.test:$GOOD_PORT/status/200"
    one_kind ok
    run_volley 1 -r 0 --cacert "$TLS_CA_CERT" \
        --resolve "other.test:$GOOD_PORT:127.0.0.1" "https://other.test:$GOOD_PORT/status/200"
    one_kind tls
}

@test "--resolve: repeatable; several addresses, IPv6 and a + prefix accepted" {
    run_volley 0 --resolve "a.invalid:$SERVER_PORT:127.0.0.1" \
        --resolve "+b.invalid:$SERVER_PORT:[::1],127.0.0.1" \
        "http://a.invalid:$SERVER_PORT/status/200" "http://b.invalid:$SERVER_PORT/status/200"
    jq -es 'length == 2 and all(.ok)' <<<"$output"
}

@test "--resolve: a malformed entry is a usage error naming it" {
    local bad
    for bad in "host:80" "host:0:127.0.0.1" "host:80:" ":80:127.0.0.1" \
        "host:x:127.0.0.1" "host:80:not-an-ip" "host:80:127.0.0.1," \
        $'host:80:127.0.0.1\r\nX: 1'; do
        run_volley 2 --resolve "$bad" "$SERVER/status/200"
        [[ $stderr == *"--resolve: "* ]] || fail "$bad: stderr: $stderr"
    done
}
