#!/usr/bin/env bats
# Scraping: --title, --links, -x/--xpath, -e/--regex, --save and
# --save-name, against pages the test server serves from fixtures/.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }

@test "--title: entities decoded, whitespace collapsed, non-ASCII kept" {
    run_volley 0 --title "$SERVER/html/extract"
    jq -es '.[0].title == "Café & Crème — ünïcödé title"' <<<"$output"
}

@test "--title: null for a page without one and for a body that is not HTML" {
    run_volley 0 --title "$SERVER/html/crawl-d" "$SERVER/text/10"
    jq -es 'map(select(.id == 1))[0].title == "D"
            and map(select(.id == 2))[0].title == null' <<<"$output"
}

@test "--links: the links to other pages, resolved against <base>, fragments dropped, http(s) only, once each, in order" {
    run_volley 0 --links "$SERVER/html/extract"
    jq -es --arg s "$SERVER" '.[0].links == [
        "\($s)/html/sub/page.html", "\($s)/abs",
        "https://example.org/x?y=1"]' <<<"$output"
}

@test "--page-requisites: also <link href>, <script src> and <img src>, in document order" {
    run_volley 0 --page-requisites "$SERVER/html/extract"
    jq -es --arg s "$SERVER" '.[0].links == [
        "\($s)/html/sub/style.css", "\($s)/html/app.js",
        "\($s)/html/sub/page.html", "\($s)/abs",
        "https://example.org/x?y=1", "\($s)/html/sub/img/p.png"]' <<<"$output"
}

@test "--links: <frame> and <iframe> src and <area> href are links" {
    run_volley 0 --title --links "$SERVER/html/scan-frames"
    jq -es --arg s "$SERVER" '.[0].title == "Frames & more" and .[0].links ==
        (["crawl-a","crawl-b","crawl-c","crawl-d","site-a","site-b"]
         | map("\($s)/html/\(.)"))' <<<"$output"
    run_volley 0 --page-requisites "$SERVER/html/scan-frames"
    jq -es --arg s "$SERVER" '.[0].links ==
        (["crawl-a","crawl-b","crawl-c","crawl-d","map.png","site-a","site-b"]
         | map("\($s)/html/\(.)"))' <<<"$output"
}

@test "--page-requisites: url() and @import of <style> and style attributes, not in comments or strings" {
    run_volley 0 --links "$SERVER/html/scan-css"
    jq -es --arg s "$SERVER" '.[0].links == ["\($s)/html/crawl-a"]' <<<"$output"
    run_volley 0 --page-requisites "$SERVER/html/scan-css"
    jq -es --arg s "$SERVER" '.[0].links == [
        "\($s)/static/base.css", "\($s)/html/print.css",
        "\($s)/html/img/bg.png", "\($s)/html/img/q.png",
        "\($s)/static/app.js", "\($s)/html/crawl-a",
        "\($s)/html/img/inline.png", "\($s)/html/img/logo.png"]' <<<"$output"
}

@test "--page-requisites: a stylesheet's url() and @import targets, against its own URL" {
    run_volley 0 --page-requisites --title "$SERVER/page/req.css" \
        "$SERVER/page/req-more.css"
    jq -es --arg s "$SERVER" '(map({(.url): .links}) | add) == {
        "\($s)/page/req.css": ["\($s)/page/req-more.css", "\($s)/page/req-bg.png"],
        "\($s)/page/req-more.css": ["\($s)/page/req.png"]}
        and all(.title == null)' <<<"$output"
    run_volley 0 --links "$SERVER/page/req.css"
    jq -es '.[0].links == []' <<<"$output"
}

@test "--title and --links: the page's <meta> charset (Latin-1, windows-1252) when the header has none" {
    run_volley 0 --title --links "$SERVER/page/scan-latin1.html" \
        "$SERVER/page/scan-cp1252.html"
    jq -es --arg s "$SERVER" '(map({(.url | sub(".*/"; "")): .}) | add) as $r
        | $r["scan-latin1.html"].title == "Caf\u00e9 cr\u00e8me"
        and $r["scan-latin1.html"].links == ["\($s)/page/caf%C3%A9.html"]
        and $r["scan-cp1252.html"].title ==
            "\u201cQuoted\u201d \u20ac 5 \u2013 ok"' <<<"$output"
}

@test "--title: the first <title> outside <svg>" {
    run_volley 0 --title --links "$SERVER/html/scan-svg"
    jq -es --arg s "$SERVER" '.[0].title == "The page"
        and .[0].links == ["\($s)/html/crawl-a"]' <<<"$output"
}

@test "--title and --links: a page read as libxml2 reads it, where one pass cannot (bytes not UTF-8)" {
    # No charset anywhere and a byte that is no UTF-8: libxml2 reads the
    # rest as Latin-1; volley then builds libxml2's tree. 300 nested <div>s:
    # libxml2's tree stops at 256 open elements, links inside and after
    # them are lost, and volley says what the tree says.
    run_volley 0 --title --links "$SERVER/page/scan-invalid.html" \
        "$SERVER/page/scan-deep.html"
    jq -es --arg s "$SERVER" '(map({(.url | sub(".*/"; "")): .}) | add) as $r
        | $r["scan-invalid.html"].title == "Bad \u00ff byte"
        and $r["scan-invalid.html"].links == ["\($s)/page/crawl-a"]
        and $r["scan-deep.html"].title == "Deep"
        and $r["scan-deep.html"].links == []' \
        <<<"$output"
}

@test "--links: relative links resolve against the final URL after a redirect" {
    run_volley 0 --links "$SERVER/redirect/1"
    # /redirect/0 answers text, not HTML: no links, but no error either.
    jq -es '.[0].ok and .[0].links == []' <<<"$output"
}

@test "-x: XPath on text, on attributes, and a number result" {
    run_volley 0 -x 'h=//h1' -x 'cls=//h1/@class' -x 'n=count(//a)' \
        -x 'alt=string(//img/@alt)' "$SERVER/html/extract"
    jq -es '.[0].extract == {"h":["First heading","Second heading"],
            "cls":["headline","headline"],"n":["5"],"alt":["picture"]}' \
        <<<"$output"
}

@test "-e: the first capture group, or the whole match without one" {
    run_volley 0 -e 'price=([0-9]+\.[0-9]+) EUR' -e 'ref=ref-[0-9]+' \
        "$SERVER/html/extract"
    jq -es '.[0].extract == {"price":["12.50","8.00"],
            "ref":["ref-1234","ref-5678"]}' <<<"$output"
}

@test "-e runs on text bodies too; -x on a body that is not HTML is empty" {
    run_volley 0 -e 'a=(a{3})' -x 'p=//p' "$SERVER/text/7"
    jq -es '.[0].extract == {"a":["aaa","aaa"],"p":[]}' <<<"$output"
}

@test "broken HTML still extracts what the parser recovers" {
    run_volley 0 --title --links -x 'h=//h1' "$SERVER/html/broken-page"
    jq -es --arg s "$SERVER" '.[0].ok and .[0].title == "Broken & unclosed"
        and .[0].links == ["\($s)/html/x.html"]
        and (.[0].extract.h[0] | startswith("still here"))' <<<"$output"
}

@test "bad XPath or regex: a usage error before any request" {
    stats_reset
    run_volley 2 -x 'bad=//[' "$SERVER/status/200"
    [[ $stderr == *"--xpath"*"bad=//["* ]]
    run_volley 2 -e 'bad=(' "$SERVER/status/200"
    [[ $stderr == *"--regex"* ]]
    run_volley 2 -x 'no-equals-sign' "$SERVER/status/200"
    [ -z "$output" ]
    stats | jq -e '.total == 0'
}

@test "extraction of a 2 MiB page leaves siblings' timeouts alone" {
    # The parse runs in the thread pool: a short -t on the siblings holds.
    run_volley 0 -c 4 -t 2 --links --title "$SERVER/html/extract" \
        "$SERVER/delay/100?a" "$SERVER/delay/100?b" "$SERVER/delay/100?c"
    jq -es 'length == 4 and all(.ok)' <<<"$output"
}

@test "--save: bodies byte-identical to what the server sends, path in the record" {
    dir=$BATS_TEST_TMPDIR/save
    mkdir "$dir"
    run_volley 0 --save "$dir" "$SERVER/bytes/5000" "$SERVER/html/extract" \
        "$SERVER/empty"
    jq -es --arg d "$dir" 'map(.saved) | sort ==
        ["\($d)/1.bin", "\($d)/2.html", "\($d)/3.txt"]' <<<"$output"
    curl -s "$SERVER/bytes/5000" | cmp - "$dir/1.bin"
    curl -s "$SERVER/html/extract" | cmp - "$dir/2.html"
    [ ! -s "$dir/3.txt" ]
    # No temporary file is left behind.
    [ "$(find "$dir" -name '.volley-*' | wc -l)" -eq 0 ]
}

@test "--save: a failed transfer leaves no file and saved is null" {
    dir=$BATS_TEST_TMPDIR/save
    mkdir "$dir"
    run_volley 1 -r 0 -t 0.5 --save "$dir" "$SERVER/reset-mid-body" \
        "$SERVER/drip/100/50"
    jq -es 'all(.saved == null)' <<<"$output"
    [ "$(find "$dir" -type f | wc -l)" -eq 0 ]
}

@test "--save-name: {host} {sha256} {ext} and {id}, sanitised, no escape through the template" {
    dir=$BATS_TEST_TMPDIR/save
    mkdir "$dir"
    printf '%s\n' "{\"url\":\"$SERVER/html/extract\",\"id\":\"../../etc/x\"}" \
        >"$BATS_TEST_TMPDIR/in"
    run_volley 0 --save "$dir" --save-name '../{id}-{host}{ext}' \
        -i "$BATS_TEST_TMPDIR/in"
    saved=$(jq -r '.saved' <<<"$output")
    # The template's '/' makes a directory, its ".." a plain "_."; the
    # id's '/' are '_'.
    [ "$saved" = "$dir/_./_._.._etc_x-127.0.0.1.html" ]
    [ -f "$saved" ]
    [ "$(find "$dir" -type f)" = "$saved" ]
    run_volley 0 --save "$dir" --save-name '{sha256}' "$SERVER/status/200"
    want=$(printf %s "$SERVER/status/200" | sha256sum | cut -d' ' -f1)
    [ -f "$dir/$want" ]
}

@test "--save and --save-name: bad values are usage errors" {
    # Missing directories are created (mkdir -p), but not below a file.
    : >"$BATS_TEST_TMPDIR/file"
    run_volley 2 --save "$BATS_TEST_TMPDIR/file/dir" "$SERVER/status/200"
    [[ $stderr == *"--save"*"not a directory"* ]]
    run_volley 2 --save "$BATS_TEST_TMPDIR" --save-name '{nope}' "$SERVER/status/200"
    run_volley 2 --save "$BATS_TEST_TMPDIR" --save-name 'fixed.txt' "$SERVER/status/200"
}

@test "--save DIR: created with its parents (mkdir -p); saved has no doubled '/'" {
    local dir=$BATS_TEST_TMPDIR/new/mirror
    run_volley 0 --save "$dir/" "$SERVER/text/5"
    jq -e --arg d "$dir" '.saved == "\($d)/1.txt"' <<<"$output"
    [ -f "$dir/1.txt" ]
    # an existing directory is fine too
    run_volley 0 --save "$dir" "$SERVER/text/6"
    jq -e --arg d "$dir" '.saved == "\($d)/1.txt"' <<<"$output"
}

@test "--save-name '{host}/{path}': a browsable tree as wget's, a directory URL as index.html" {
    local dir=$BATS_TEST_TMPDIR/mirror
    run_volley 0 --save "$dir" --save-name '{host}/{path}' --crawl 1 \
        --ignore-robots "$SERVER/html/crawl-index" "$SERVER/status/200/" \
        "$SERVER/text/5?a=1"
    jq -es --arg d "$dir/127.0.0.1" '(map(.saved) | sort) == ([
        "html/crawl-a", "html/crawl-b", "html/crawl-index",
        "html/crawl-private", "status/200/index.html", "text/5_a_1"]
        | map("\($d)/\(.)"))' <<<"$output"
    curl -s "$SERVER/html/crawl-a" | cmp - "$dir/127.0.0.1/html/crawl-a"
    [ "$(find "$dir" -name '.volley-*' | wc -l)" -eq 0 ]
}

@test "--save-name with {path}: nothing outside DIR, a symlink on the way is never followed" {
    local dir=$BATS_TEST_TMPDIR/mirror outside=$BATS_TEST_TMPDIR/outside
    mkdir -p "$dir" "$outside"
    # Dot segments resolve inside; a planted link to elsewhere fails the
    # save (kind save) instead of writing there.
    ln -s "$outside" "$dir/html"
    run_volley 1 --save "$dir" --save-name '{path}' "$SERVER/html/title" \
        "$SERVER/status/200/../../text/3"
    jq -es --arg d "$dir" 'sort_by(.id)
        | (.[0] | .ok == false and .status == 200 and .saved == null
           and .error.kind == "save"
           and (.error.message | startswith("mkdir for \u0027html/title\u0027")))
        and (.[1] | .ok and .saved == "\($d)/text/3")' <<<"$output"
    [ -z "$(ls -A "$outside")" ]
    [ "$(find "$dir" -name '.volley-*' | wc -l)" -eq 0 ]
}

@test "--save: a non-2xx body is not saved unless --save-errors" {
    local dir=$BATS_TEST_TMPDIR/save
    run_volley 1 -r 0 --save "$dir" "$SERVER/status/404" "$SERVER/status/503" \
        "$SERVER/status/200"
    jq -es --arg d "$dir" 'sort_by(.id) | map(.saved)
        == [null, null, "\($d)/3.txt"]' <<<"$output"
    [ "$(find "$dir" -type f | wc -l)" -eq 1 ]
    run_volley 1 -r 0 --save "$dir" --save-errors "$SERVER/status/404"
    jq -e --arg d "$dir" '.saved == "\($d)/1.txt" and .status == 404' <<<"$output"
    grep -q 'status 404' "$dir/1.txt"
}
