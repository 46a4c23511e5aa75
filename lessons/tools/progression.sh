#!/bin/sh
# progression.sh: check that lesson N is lesson N-1 plus its feature.
#
# Each lesson's header names, under "Changes:", the items (functions,
# structs, tables, macros; an unnamed enum as enum_FIRSTVALUE) of the
# previous lesson that it changes. Every
# other item must be byte for byte the previous lesson's, and #include
# lines may only be added. So a fix made in one lesson and not carried into
# the next shows up here, as does a header that no longer tells the truth.
# Prints one line per problem; exit 1 if there is any.
# Usage: progression.sh [LESSON-DIR...]   (default: every lesson)
set -u
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || set -- $(ls -d lesson[0-9][0-9]-*)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
problem() { echo "progression: $*"; bad=1; }

split() { # split FILE DIR
    rm -rf "$2" && mkdir -p "$2" && awk -v out="$2" -f lessons/tools/cblocks.awk "$1"
}
changes() { # the names in FILE's "Changes:" paragraph
    sed -n '/^ \* Changes:/,/^ \* [A-Z][a-z]*:/p' "$1" | sed '$d' |
        sed 's/^ \* Changes://; s/^ \*//' | tr ',.;:()' '      ' |
        tr ' ' '\n' |
        grep -Ev '^(|struct|nothing|this|is|the|first|lesson|options)$'
}

prev=""
for cur in "$@"; do
    if [ -n "$prev" ]; then
        a=$tmp/$prev b=$tmp/$cur
        split "$prev/run.c" "$a"
        split "$cur/run.c" "$b"
        listed=$(changes "$cur/run.c")
        is_listed() { printf '%s\n' "$listed" | grep -qx "$1"; }
        for f in $(ls "$a"); do
            if [ "$f" = includes ]; then
                missing=$(grep -Fxvf "$b/includes" "$a/includes")
                [ -z "$missing" ] ||
                    problem "$cur/run.c drops $prev's $missing"
            elif [ ! -e "$b/$f" ]; then
                is_listed "$f" || problem "$cur/run.c has no $f," \
                    "which $prev has, and its Changes: does not say so"
            elif ! cmp -s "$a/$f" "$b/$f"; then
                is_listed "$f" || {
                    problem "$cur/run.c: $f differs from $prev's, and" \
                        "$cur's Changes: does not name it (a fix carried" \
                        "into one lesson only?):"
                    diff -u --label "$prev: $f" --label "$cur: $f" \
                        "$a/$f" "$b/$f" | sed 's/^/    /'
                }
            fi
        done
        for f in $listed; do
            if [ ! -e "$a/$f" ]; then
                problem "$cur/run.c: Changes: names $f, which $prev lacks"
            elif [ -e "$b/$f" ] && cmp -s "$a/$f" "$b/$f"; then
                problem "$cur/run.c: Changes: names $f, which is unchanged"
            fi
        done
    fi
    prev=$cur
done
exit $bad
