#!/usr/bin/env bats
# The documentation stays in step with the program (STYLE.md section 8):
# --help and the man page name the same long options, in the same order;
# every option is exercised by some other test file; the man page is
# groff-clean and its error kinds and exit statuses are the code's; the
# README quick start is two commands; the man page's EXAMPLES, `make demo`'s
# script and the cron sample run as shown; src/, tests/check-deps.sh's layer
# table and the README's source layout name the same modules; the README
# names every bats file and fuzz harness, and tests/server.py's docstring
# every route.

bats_require_minimum_version 1.5.0
load helpers

MAN=${VOLLEY_MAN:-$BATS_TEST_DIRNAME/../man/volley.1}
SRCDIR=${VOLLEY_SRCDIR:-$BATS_TEST_DIRNAME/..}

# The address the man page's EXAMPLES use for the test server.
MAN_SERVER=http://127.0.0.1:8765

setup_file() { server_start; }
teardown_file() { server_stop; }

# long_opts: the long options named on stdin, one per line, sorted; a
# trailing '.' or '-' (end of a sentence) is not part of the name.
long_opts() {
    grep -oE -- '--[a-z][a-z0-9.-]+' | sed -E 's/[.-]+$//' | sort -u
}

# man_text: the man page source without comment lines, with "\-" as "-",
# and without the lines that run tests/server.py (its options are not
# volley's).
man_text() {
    grep -v '^\.\\"' "$MAN" | grep -v 'server\.py' | sed 's/\\-/-/g'
}

# man_section NAME: the source lines of one .SH section of the man page.
man_section() {
    awk -v name="$1" '
        /^\.SH / { s = $0; sub(/^\.SH +/, "", s); gsub(/"/, "", s)
                   on = (s == name); next }
        on' "$MAN"
}

# man_example_lines: the source lines inside .EX/.EE in EXAMPLES.
man_example_lines() {
    man_section EXAMPLES | awk '/^\.EX/ { on = 1; next } /^\.EE/ { on = 0 } on'
}

# man_sessions: the EXAMPLES blocks that are shell sessions (they start
# with "$ "), unescaped as man(1) shows them: "$ command" lines, each
# followed by its output.
man_sessions() {
    man_section EXAMPLES |
        awk '/^\.EX/ { on = 1; first = 1; next }
             /^\.EE/ { on = 0; next }
             on { if (first && $0 !~ /^\$ /) on = 0; else print; first = 0 }' |
        sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\&//g' \
            -e 's/\\e/\\/g'
}

@test "--help and the man page name the same long options" {
    local help man only_help only_man
    help=$("$VOLLEY" --help | long_opts)
    man=$(man_text | long_opts)
    [ -n "$help" ] || fail "no long options in --help"
    only_help=$(comm -23 <(echo "$help") <(echo "$man"))
    only_man=$(comm -13 <(echo "$help") <(echo "$man"))
    if [[ -n $only_help || -n $only_man ]]; then
        fail "$(printf 'only in --help:\n%s\nonly in the man page:\n%s' \
            "$only_help" "$only_man")"
    fi
}

@test "the man page's OPTIONS come in --help's order" {
    local help man
    help=$("$VOLLEY" --help |
        sed -nE 's/^ {2,}(-[A-Za-z0-9], )?(--[a-z][a-z0-9.-]*[a-z0-9]).*/\2/p')
    man=$(man_section OPTIONS | awk 'prev == ".TP" { print } { prev = $0 }' |
        sed 's/\\-/-/g' | grep -oE -- '--[a-z][a-z0-9.-]*[a-z0-9]')
    [ -n "$help" ] || fail "no options in --help"
    diff -u <(echo "$help") <(echo "$man") ||
        fail "OPTIONS order differs (- --help, + man page)"
}

@test "every long option of --help occurs in some tests/*.bats but docs.bats" {
    local f opt re missing=() files=()
    for f in "$BATS_TEST_DIRNAME"/*.bats; do
        [[ ${f##*/} == docs.bats ]] || files+=("$f")
    done
    [ ${#files[@]} -gt 0 ] || fail "no tests/*.bats besides docs.bats"
    while read -r opt; do
        # --header must not count as --headers, nor --resume as
        # --resume-failed.
        re='(^|[^a-z0-9-])'${opt//./\\.}'([^a-z0-9.-]|\.[^a-z0-9]|\.?$)'
        grep -qE -- "$re" "${files[@]}" || missing+=("$opt")
    done < <("$VOLLEY" --help | long_opts)
    if [ ${#missing[@]} -gt 0 ]; then
        fail "no test file names these options: ${missing[*]}"
    fi
}

@test "groff -man -ww -z prints nothing for the man page" {
    command -v groff >/dev/null ||
        skip "groff is not installed (Debian: groff-base)"
    run --separate-stderr groff -man -ww -z "$MAN"
    [ "$status" -eq 0 ] || fail "groff exited with $status: $stderr"
    [ -z "$output$stderr" ] || fail "groff says: $output$stderr"
}

@test "the man page's error kinds are those of src/errkind.c" {
    local code man
    code=$(sed -nE 's/^ *\[ERRKIND_[A-Z_]+\] *= *"([a-z_]+)",?$/\1/p' \
        "$SRCDIR/src/errkind.c" | sort)
    man=$(awk '/^\.SS "?Error kinds"?$/ { on = 1; next }
               /^\.S[SH] / { on = 0 }
               on && prev == ".TP" && /^\.B / { print $2 }
               { prev = $0 }' "$MAN" | sort)
    [ -n "$code" ] || fail "no error kinds found in src/errkind.c"
    diff -u <(echo "$code") <(echo "$man") ||
        fail "error kinds differ (- src/errkind.c, + man page)"
}

@test "the man page's and --help's exit statuses are those of src/run.h" {
    local code man help
    code=$(grep -oE 'RUN_EXIT_[A-Z_]+ *= *[0-9]+' "$SRCDIR/src/run.h" |
        grep -oE '[0-9]+$' | sort -n)
    man=$(man_section "EXIT STATUS" |
        awk 'prev == ".TP" && /^\.B [0-9]+$/ { print $2 } { prev = $0 }' |
        sort -n)
    help=$("$VOLLEY" --help | tr '\n' ' ' |
        sed -n 's/.*Exit status: \(.*\)See volley.*/\1/p' |
        grep -oE '[0-9]+' | sort -n)
    [ -n "$code" ] || fail "no exit statuses found in src/run.h"
    diff -u <(echo "$code") <(echo "$man") ||
        fail "exit statuses differ (- src/run.h, + man page)"
    diff -u <(echo "$code") <(echo "$help") ||
        fail "exit statuses differ (- src/run.h, + --help)"
}

@test "README: the quick start is exactly two commands, ending in make demo and make check" {
    local readme=$SRCDIR/README.md cmds
    [ -f "$readme" ] || fail "no README.md in $SRCDIR"
    # Commands are the lines of the fenced blocks under "## Quick start",
    # a trailing backslash joining a line to the next.
    mapfile -t cmds < <(awk '
        /^## / { on = ($0 ~ /^## Quick start/); next }
        on && /^```/ { fence = !fence; next }
        on && fence {
            if (cont == "" && $0 ~ /^[[:space:]]*(#.*)?$/) next
            line = cont $0
            if (line ~ /\\$/) { cont = substr(line, 1, length(line) - 1); next }
            cont = ""; print line
        }' "$readme")
    printf '# command: %s\n' "${cmds[@]}"
    [ ${#cmds[@]} -eq 2 ] || fail "${#cmds[@]} commands in the quick start, not 2"
    [[ ${cmds[0]} == *"apt-get install"*"make demo" ]] ||
        fail "the first command does not install and end with make demo"
    [[ ${cmds[1]} == "make check" ]] || fail "the second command is not make check"
}

@test "man page EXAMPLES write - as \\- and ' as \\(aq, so they paste into a shell" {
    local bad
    bad=$(man_example_lines | grep -nE -e '(^|[^\\])-' -e "'" || true)
    [ -z "$bad" ] || fail "$(printf 'unescaped - or '"'"' in EXAMPLES:\n%s' "$bad")"
}

@test "man page EXAMPLES run as shown against the test server" {
    local dir=$BATS_TEST_TMPDIR/examples want got line
    mkdir -p "$dir"
    want=$(man_sessions)
    [ -n "$want" ] || fail "no shell sessions (\"\$ \" lines) in EXAMPLES"
    grep -qF "$MAN_SERVER" <<<"$want" ||
        fail "EXAMPLES do not use the test server at $MAN_SERVER"
    # One bash session: print each "$ command" line, then run it, with
    # the man page's server address replaced by this test's server.
    {
        # shellcheck disable=SC2016 # expanded in the session
        echo 'volley() { timeout 60 $VOLLEY_WRAPPER "$VOLLEY" "$@"; }'
        while IFS= read -r line; do
            printf 'printf "%%s\\n" %q\n' "$line"
            printf '%s\n' "${line#\$ }"
        done < <(grep '^\$ ' <<<"$want" | sed "s|$MAN_SERVER|$SERVER|g")
    } >"$dir/session.sh"
    got=$(cd "$dir" && bash "$dir/session.sh" </dev/null 2>"$dir/stderr" |
        sed "s|$SERVER|$MAN_SERVER|g")
    if ! diff -u <(echo "$want") <(echo "$got"); then
        sed 's/^/# stderr: /' "$dir/stderr"
        fail "EXAMPLES output differs (- man page, + actual)"
    fi
}

# bats test_tags=slow
@test "make demo: samples/demo.sh runs under sh, shows records and exits 0" {
    local shell=sh
    if command -v dash >/dev/null; then shell=dash; fi
    run --separate-stderr timeout 60 "$shell" "$SRCDIR/samples/demo.sh" "$VOLLEY"
    printf '# %s\n' "${lines[@]}"
    [ -z "$stderr" ] || printf '# stderr: %s\n' "${stderr_lines[@]}"
    [ "$status" -eq 0 ] || fail "demo.sh exited with $status"
    # One shown record per request line, each id once, some ok, some not.
    grep '^{' <<<"$output" | jq -es '
        length >= 15 and (map(.id) | unique | length) == length and
        any(.ok) and any(.ok | not) and
        (map(.error) | map(select(. != null)) | unique | length) >= 3'
    [[ $output =~ demo:\ [0-9]+\ records: ]] || fail "no summary line"
}

@test "samples/demo.sh and samples/cron/volley-cron.sh are shellcheck-clean" {
    command -v shellcheck >/dev/null || skip "shellcheck is not installed"
    run shellcheck -s sh "$SRCDIR/samples/demo.sh" \
        "$SRCDIR/samples/cron/volley-cron.sh"
    [ "$status" -eq 0 ] || fail "shellcheck: $output"
}

@test "samples/cron/volley-cron.sh: the next run completes a run cut by --deadline, each request once" {
    local list=$BATS_TEST_TMPDIR/urls.txt out=$BATS_TEST_TMPDIR/cron i
    for i in 1 2 3 4 5 6; do echo "$SERVER/delay/1000?i=$i"; done >"$list"
    echo "$SERVER/status/404" >>"$list"
    run -0 env VOLLEY="$VOLLEY" VOLLEY_OPTS="-c 2" DEADLINE=1.5 \
        sh "$SRCDIR/samples/cron/volley-cron.sh" "$list" "$out"
    echo "# $output"
    [[ $output == *"left for the next run"* ]] || fail "first run: $output"
    run -0 env VOLLEY="$VOLLEY" VOLLEY_OPTS="-c 8" DEADLINE=30 \
        sh "$SRCDIR/samples/cron/volley-cron.sh" "$list" "$out"
    echo "# $output"
    [[ $output == *"complete, 7 records, 1 not ok"* ]] || fail "second run: $output"
    cat "$out"/*.ndjson | jq -es '
        length == 7 and (map(.id) | unique | length) == 7 and
        (map(select(.ok)) | length) == 6'
}

@test "the man page's VOLLEY_OPTS example works when pasted into a shell" {
    local line
    # The example line of ENVIRONMENT's .EX block, as man(1) shows it.
    line=$(man_section ENVIRONMENT |
        awk '/^\.EX/ { on = 1; next } /^\.EE/ { on = 0 } on' |
        grep 'VOLLEY_OPTS=' |
        sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g')
    [ -n "$line" ] || fail "no VOLLEY_OPTS example in ENVIRONMENT"
    echo "# pasted: $line"
    run --separate-stderr bash -c "$line"'
        "$1" --body "$2/echo"' _ "$VOLLEY" "$SERVER"
    [ "$status" -eq 0 ] || fail "status $status: $stderr"
    jq -e '.body | fromjson | .headers["user-agent"] == "my bot/1.0"' <<<"$output"
}

@test "README: the error kinds are those of src/errkind.c" {
    local code readme
    code=$(sed -nE 's/^ *\[ERRKIND_[A-Z_]+\] *= *"([a-z_]+)",?$/\1/p' \
        "$SRCDIR/src/errkind.c" | sort)
    readme=$(tr '\n' ' ' <"$SRCDIR/README.md" |
        sed -nE 's/.*Error kinds: `([a-z_ ]+)`.*/\1/p' | tr -s ' ' '\n' | sort)
    [ -n "$readme" ] || fail "no 'Error kinds: `...`' in README.md"
    diff -u <(echo "$code") <(echo "$readme") ||
        fail "error kinds differ (- src/errkind.c, + README.md)"
}

# readme_list LEAD: the list in parentheses after LEAD in README.md
# (LEAD (a, `b`, c)), one item a line, sorted; nothing if there is none.
readme_list() {
    tr '\n' ' ' <"$SRCDIR/README.md" |
        sed -nE "s/.*$1 \\(([^)]*)\\).*/\\1/p" |
        tr -d '` ' | tr ',' '\n' | sort
}

@test "README: the test list names every tests/*.bats" {
    local files readme
    files=$(cd "$SRCDIR/tests" && ls ./*.bats | sed 's|^\./||; s/\.bats$//' | sort)
    readme=$(readme_list 'one file per topic')
    [ -n "$readme" ] || fail "no 'one file per topic (...)' in README.md"
    diff -u <(echo "$files") <(echo "$readme") ||
        fail "bats files differ (- tests/*.bats, + README.md)"
}

@test "README: samples/crawl-demo.sh is shown with the volley path it takes" {
    grep -qE '`sh samples/crawl-demo.sh [^`]*volley`' "$SRCDIR/README.md" ||
        fail "README shows samples/crawl-demo.sh without volley's path"
}

@test "the bash and zsh completions know exactly the options of --list-options" {
    run sh "$SRCDIR/completions/check.sh" "$VOLLEY"
    [ "$status" -eq 0 ] || fail "$output"
}

# layer_modules: the modules of tests/check-deps.sh's layer table, one a
# line, sorted. That table is the one list of modules: the tests below
# hold src/ and the README's source layout to it.
layer_modules() {
    sed -n '/^layer() {/,/^}/p' "$SRCDIR/tests/check-deps.sh" |
        sed -e ':a' -e '/\\$/N; s/\\\n//; ta' |
        sed -nE 's/^ *([a-z0-9_ |]+)\).*/\1/p' | tr '|' '\n' | tr -d ' ' |
        sort
}

@test "tests/check-deps.sh's layer table names exactly the modules of src/ (each .c, and each .h without one)" {
    local table files
    table=$(layer_modules)
    [ -n "$table" ] || fail "no layer table in tests/check-deps.sh"
    files=$(cd "$SRCDIR/src" && ls ./*.c ./*.h | sed 's|^\./||; s/\.[ch]$//' |
        sort -u)
    diff -u <(echo "$files") <(echo "$table") ||
        fail "modules differ (- src/*.c, + tests/check-deps.sh's table)"
}

@test "tests/check-deps.sh fails on a module of src/ that its layer table lacks" {
    local d=$BATS_TEST_TMPDIR/tree
    mkdir -p "$d/src"
    cp "$SRCDIR"/src/*.[ch] "$d/src/"
    run env VOLLEY_SRCDIR="$d" sh "$SRCDIR/tests/check-deps.sh"
    [ "$status" -eq 0 ] || fail "check-deps fails on src/ as it is: $output"
    printf '#include "config.h"\n#include "util.h"\n' >"$d/src/newmod.c"
    run env VOLLEY_SRCDIR="$d" sh "$SRCDIR/tests/check-deps.sh"
    [ "$status" -eq 1 ]
    [[ $output == *"not ok "*" - newmod.c:"*"module 'newmod' is not in the layer table"* ]]
}

@test "README: the source layout names every module of tests/check-deps.sh's layer table, and no other" {
    local table readme
    table=$(layer_modules)
    readme=$(awk '/^## Source layout/ { on = 1; next } /^## / { on = 0 } on' \
        "$SRCDIR/README.md" | grep -oE '\*\*`[a-z0-9_]+\.[ch]`\*\*' |
        sed -E 's/.*`([a-z0-9_]+)\.[ch]`.*/\1/' | sort -u)
    [ -n "$readme" ] || fail "no **\`module.c\`** in README.md's Source layout"
    diff -u <(echo "$table") <(echo "$readme") ||
        fail "modules differ (- tests/check-deps.sh's table, + README.md)"
}

@test "tests/server.py's docstring names every route it serves" {
    local routes doc r missing=
    routes=$(sed -nE 's/^    async def r_([a-z0-9_]+)\(.*/\1/p' \
        "$SRCDIR/tests/server.py" | tr _ -)
    [ -n "$routes" ] || fail "no r_ methods in tests/server.py"
    doc=$(python3 -c 'import ast, sys; print(ast.get_docstring(ast.parse(open(sys.argv[1]).read())))' \
        "$SRCDIR/tests/server.py")
    for r in $routes; do
        [[ $doc =~ /$r([^a-z0-9-]|$) ]] || missing+=" /$r"
    done
    [ -z "$missing" ] || fail "not in the docstring:$missing"
}

@test "tests/fuzz/run runs every harness of tests/fuzz/, and the README names each" {
    local files run readme
    files=$(cd "$SRCDIR/tests/fuzz" && ls fuzz-*.c | sed 's/^fuzz-//; s/\.c$//' | sort)
    run=$(sed -n '/^all=(/,/)/p' "$SRCDIR/tests/fuzz/run" |
        sed 's/^all=(//; s/)$//' | tr -s ' ' '\n' | grep . | sort)
    diff -u <(echo "$files") <(echo "$run") ||
        fail "harnesses differ (- tests/fuzz/fuzz-*.c, + tests/fuzz/run's list)"
    readme=$(readme_list 'libFuzzer harness for each module that reads outside data')
    [ -n "$readme" ] || fail "no list of harnesses in README.md"
    diff -u <(echo "$files") <(echo "$readme") ||
        fail "harnesses differ (- tests/fuzz/fuzz-*.c, + README.md)"
}

@test "completions/check.sh: a short letter or an option's value drifting from the table fails" {
    local d=$BATS_TEST_TMPDIR/completions
    mkdir -p "$d"
    cp "$SRCDIR/completions/check.sh" "$SRCDIR/completions/volley" \
        "$SRCDIR/completions/_volley" "$d/"
    # bash: --grace no longer completes a value; a letter volley lacks
    sed -i -e 's/--deadline | --grace |/--deadline |/' \
        -e "s/-v -h -V'/-v -h -V -z'/" "$d/volley"
    # zsh: --deadline written as taking no value
    sed -i "s/'--deadline=\\[/'--deadline[/" "$d/_volley"
    run sh "$d/check.sh" "$VOLLEY"
    [ "$status" -eq 1 ] || fail "status $status: $output"
    [[ $output == *"not ok 1"*"extra short options: -z"*"missing options with a value: --grace"*"not ok 2"*"missing options with a value: --deadline"* ]] ||
        fail "$output"
}
