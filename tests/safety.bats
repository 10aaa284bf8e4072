#!/usr/bin/env bats
# Safe against hostile servers and bad input (issue 10): --save writes
# nothing outside its directory, follows no planted symlink, never
# overwrites a file of the same run and reports a failed save; a usage
# error writes nothing; option values cannot smuggle request lines; -w
# puts no control byte on the terminal.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

# ---- CR and LF in values that go on the wire ---------------------------

@test "-H, -A, -X, --proxy: a CR or LF in the value is a usage error naming the option, nothing sent" {
    local opt value name
    stats_reset
    while IFS='|' read -r opt value name; do
        value=${value//\\r/$'\r'}
        value=${value//\\n/$'\n'}
        run_volley 2 "$opt" "$value" "$SERVER/echo"
        [ -z "$output" ] || fail "$opt: records written"
        [[ $stderr == *"$name"*"CR or LF"* ]] || fail "$opt: stderr: $stderr"
    done <<'EOF'
-H|X-A: 1\r\nX-Smuggled: 2|--header
-H|X-A: 1\nX-Smuggled: 2|--header
-A|bot/1.0\r\nX-Smuggled: 2|--user-agent
-X|GET /x HTTP/1.1\r\nHost: a\r\n\r\nGET|--method
--proxy|http://127.0.0.1:9/\r\n|--proxy
EOF
    # Also from VOLLEY_OPTS, which is split like a shell would.
    VOLLEY_OPTS=$'-H \'X-A: 1\rX-B: 2\'' run_volley 2 "$SERVER/echo"
    [[ $stderr == *"--header"*"CR or LF"* ]]
    stats | jq -e '.total == 0'
}

@test "-H: a tab inside a header value is still sent" {
    run_volley 0 -H $'X-A: 1\t2' "$SERVER/echo"
    jq -e '.ok' <<<"$output"
}
