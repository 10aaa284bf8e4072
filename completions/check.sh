#!/bin/sh
# Checks that the bash and zsh completions know exactly the options of
# `volley --list-options` (the option table of cli.c, as --help shows it),
# so they cannot drift from it: the long names, the short letters, and
# which options take a value (bash completes nothing after those; zsh
# writes them "--name=" and "-X+"). --list-options prints one line per
# name, four fields separated by a tab: "--NAME", "-L" or "", the value's
# name or "" for none, and the help line.
# Prints TAP: one test per file, listing what is missing and extra, and
# first a diagnostic naming the options the completions know that volley
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
if ! "$volley" --list-options >"$tmp/list.txt"; then
  printf "Bail out! '%s --list-options' failed\n" "$volley"
  exit 1
fi
tab=$(printf '\t')
cut -f1 "$tmp/list.txt" | sort -u >"$tmp/help"
cut -f2 "$tmp/list.txt" | sed '/^$/d' | sort -u >"$tmp/help.short"
# The names, long and short, of the options that take a value.
awk -F"$tab" '$3 != "" { print $1; if ($2 != "") print $2 }' \
  "$tmp/list.txt" | sort -u >"$tmp/help.valued"
if ! grep -q '^--' "$tmp/help"; then
  printf "Bail out! no long option in '%s --list-options'\n" "$volley"
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

# One word per line.
split_words() {
  tr -c 'A-Za-z0-9.-' '\n' | sed '/^$/d'
}

options_of "$dir/volley" >"$tmp/bash"
options_of "$dir/_volley" >"$tmp/zsh"
# bash: the letters of short_opts='...', and the options of the case arms
# that complete a value (patterns "-i | --input)" in "case $opt in").
sed -n "/short_opts='/,/'\$/p" "$dir/volley" | sed "s/short_opts=//" |
  split_words | grep -xE -- '-[A-Za-z0-9]' | sort -u >"$tmp/bash.short"
awk '/case \$opt in/ { on = 1; next } /esac/ { on = 0 }
     on && /^[[:space:]]*-/ && /(\)|\\)$/' "$dir/volley" | split_words |
  grep -E -- '^-' | sort -u >"$tmp/bash.valued"
# zsh: the names of each spec line, before its "[description]"; a name
# that takes a value is written "--name=" or "-X+".
grep "^[[:space:]]*'" "$dir/_volley" | sed 's/\[.*//' >"$tmp/zsh.specs"
split_words <"$tmp/zsh.specs" | grep -xE -- '-[A-Za-z0-9]' |
  sort -u >"$tmp/zsh.short"
grep -oE -- '--[A-Za-z0-9][A-Za-z0-9.-]*=|-[A-Za-z0-9][+]' "$tmp/zsh.specs" |
  sed 's/[=+]$//' | sort -u >"$tmp/zsh.valued"

sort -u "$tmp/bash" "$tmp/zsh" | comm -13 "$tmp/help" - >"$tmp/ahead"
if [ -s "$tmp/ahead" ]; then
  printf '# in the completions, not in volley --list-options (yet): %s\n' \
    "$(words "$tmp/ahead")"
fi

# differ NAME WANT HAVE: the "#   missing/extra NAME:" lines for HAVE
# against WANT; false when they are the same.
differ() {
  comm -23 "$2" "$3" >"$tmp/missing"
  comm -13 "$2" "$3" >"$tmp/extra"
  [ -s "$tmp/missing" ] && printf '#   missing %s: %s\n' "$1" "$(words "$tmp/missing")"
  [ -s "$tmp/extra" ] && printf '#   extra %s: %s\n' "$1" "$(words "$tmp/extra")"
  [ -s "$tmp/missing" ] || [ -s "$tmp/extra" ]
}

status=0
n=0
for f in volley _volley; do
  n=$((n + 1))
  case $f in
  volley) list=$tmp/bash shell=bash ;;
  *) list=$tmp/zsh shell=zsh ;;
  esac
  {
    differ "long options" "$tmp/help" "$list"
    differ "short options" "$tmp/help.short" "$list.short"
    differ "options with a value" "$tmp/help.valued" "$list.valued"
  } >"$tmp/diag"
  syntax=
  if command -v "$shell" >/dev/null 2>&1 &&
    ! "$shell" -n "$dir/$f" 2>"$tmp/syntax"; then
    syntax=$(head -n 3 "$tmp/syntax" | tr '\n' ' ')
  fi
  if [ -s "$tmp/diag" ] || [ -n "$syntax" ]; then
    echo "not ok $n - completions/$f knows the options of volley --list-options"
    cat "$tmp/diag"
    if [ -n "$syntax" ]; then
      # printf, not echo: dash's echo would expand a "\n" in the message.
      printf '#   %s -n: %s\n' "$shell" "$syntax"
    fi
    status=1
  else
    echo "ok $n - completions/$f knows the options of volley --list-options"
  fi
done
exit $status
