#!/bin/sh
# Checks every #include "..." in src/ against the layer table of
# STYLE.md: a file includes its own header, config.h and lower layers
# only; siblings in layers 1-3 never include each other, except that a
# base module of a layer (base below) sits under its siblings: they may
# include it, it includes none of them. Prints TAP.
srcdir=${VOLLEY_SRCDIR:-$(dirname "$0")/..}/src

layer() {
  case "$1" in
  main) echo 5 ;;
  run | check) echo 4 ;;
  engine | sched | finish | gate | feed | stop) echo 3 ;;
  request | outcome | outfile) echo 2 ;;
  input | output | resume | filelock | save | progress | msg | looplag | \
    summary | stdstream) echo 1 ;;
  cli | cliopt | optname | optval | inputline | record | hdrblock | errkind | extract | crawl | robots | urlnorm | writeout | savename | sha256 | since | \
    utf8 | bodytext | html4 | htmlscan | cssscan | \
    order | sink | stats | heap | queue | hmap | buf | util | retry) echo 0 ;;
  *) echo unknown ;;
  esac
}

# Base modules: stdstream (the standard descriptors as libuv streams, for
# input, output and msg) and msg (stderr, which progress shows its line
# on) in layer 1; request (one request, whose finished attempts outcome
# reads) in layer 2; gate (robots.txt, which feed passes requests
# through) in layer 3.
base() {
  case "$1" in
  stdstream | msg | request | gate) return 0 ;;
  *) return 1 ;;
  esac
}

n=0
fail=0
out=""
for f in "$srcdir"/*.c "$srcdir"/*.h; do
  base=$(basename "$f")
  mod=${base%.*}
  l=$(layer "$mod")
  n=$((n + 1))
  bad=""
  if [ "$l" = unknown ]; then
    bad="module '$mod' is not in the layer table"
  else
    for inc in $(sed -n 's/^#include "\([a-z0-9_]*\)\.h".*/\1/p' "$f"); do
      [ "$inc" = config ] && continue
      [ "$inc" = "$mod" ] && continue
      il=$(layer "$inc")
      if [ "$il" = unknown ]; then
        bad="$bad includes unknown $inc.h;"
      elif [ "$il" -gt "$l" ] ||
        { [ "$il" -eq "$l" ] && [ "$l" -ne 0 ] && ! base "$inc"; }; then
        bad="$bad includes $inc.h (layer $il) from layer $l;"
      fi
    done
  fi
  if [ -n "$bad" ]; then
    out="${out}not ok $n - $base:$bad
"
    fail=1
  else
    out="${out}ok $n - $base follows the layer table
"
  fi
done
echo "1..$n"
printf '%s' "$out"
exit $fail
