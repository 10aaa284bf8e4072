#!/bin/sh
# Checks that the bash and zsh completions name exactly the long options
# of `volley --help`, so they cannot drift from cli.c's option table.
# Prints TAP: one test per file, listing missing and extra options, and
# first a diagnostic naming the options the completions know that --help
# lacks. A file that its shell cannot parse fails too (zsh only when
# installed). Exit 0 when both match, 1 when not, 2 on a usage error.
#
# Usage: check.sh PATH/TO/volley

if [ $# -ne 1 ]; then
  echo "usage: $0 PATH/TO/volley" >&2
  exit 2
fi
volley=$1
dir=$(dirname "$0")
# comm and sort must agree on the order: the C locale's bytes.
LC_ALL=C
export LC_ALL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/volley-check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM

echo "1..2"
if ! "$volley" --help >"$tmp/help.txt"; then
  printf "Bail out! '%s --help' failed\n" "$volley"
  exit 1
fi

# The option column of --help: "  -i, --input FILE" or "      --body".
sed -n '/^Options:/,$s/^ *\(-[A-Za-z0-9], *\)\{0,1\}\(--[A-Za-z0-9][A-Za-z0-9.-]*\).*/\2/p' \
  "$tmp/help.txt" | sort -u >"$tmp/help"
if [ ! -s "$tmp/help" ]; then
  printf "Bail out! no long option found in '%s --help'\n" "$volley"
  exit 1
fi

# Every long option written in a completion file's code: comment lines
# are dropped, the rest cut into words of option characters. A trailing
# '.' belongs to a sentence, not to an option such as --http1.1.
options_of() {
  sed '/^[[:space:]]*#/d' "$1" | tr -c 'A-Za-z0-9.-' '\n' |
    sed -n 's/\.*$//; /^--[A-Za-z0-9]/p' | sort -u
}

# The words of file "$1" on one line, for a diagnostic.
words() {
  tr '\n' ' ' <"$1" | sed 's/ $//'
}

options_of "$dir/volley" >"$tmp/bash"
options_of "$dir/_volley" >"$tmp/zsh"

sort -u "$tmp/bash" "$tmp/zsh" | comm -13 "$tmp/help" - >"$tmp/ahead"
if [ -s "$tmp/ahead" ]; then
  printf '# in the completions, not in volley --help (yet): %s\n' \
    "$(words "$tmp/ahead")"
fi

status=0
n=0
for f in volley _volley; do
  n=$((n + 1))
  case $f in
  volley) list=$tmp/bash shell=bash ;;
  *) list=$tmp/zsh shell=zsh ;;
  esac
  comm -23 "$tmp/help" "$list" >"$tmp/missing"
  comm -13 "$tmp/help" "$list" >"$tmp/extra"
  syntax=
  if command -v "$shell" >/dev/null 2>&1 &&
    ! "$shell" -n "$dir/$f" 2>"$tmp/syntax"; then
    syntax=$(head -n 3 "$tmp/syntax" | tr '\n' ' ')
  fi
  if [ -s "$tmp/missing" ] || [ -s "$tmp/extra" ] || [ -n "$syntax" ]; then
    echo "not ok $n - completions/$f names the long options of volley --help"
    if [ -s "$tmp/missing" ]; then
      printf '#   missing: %s\n' "$(words "$tmp/missing")"
    fi
    if [ -s "$tmp/extra" ]; then
      printf '#   extra: %s\n' "$(words "$tmp/extra")"
    fi
    if [ -n "$syntax" ]; then
      # printf, not echo: dash's echo would expand a "\n" in the message.
      printf '#   %s -n: %s\n' "$shell" "$syntax"
    fi
    status=1
  else
    echo "ok $n - completions/$f names the long options of volley --help"
  fi
done
exit $status
