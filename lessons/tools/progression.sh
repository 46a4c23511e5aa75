#!/bin/sh
# progression.sh: check that lesson N is lesson N-1 plus its feature, and
# print how big each step is.
#
# A lesson's files are the previous lesson's, plus its new files. Each
# lesson's run.c header names, under "Changes:", the carried files it
# changes (the hooks: a call in run.c, a field in the config, a row of
# options) and in them the items it changes (functions, structs, tables,
# macros; an unnamed enum as enum_FIRSTVALUE), as in
#     Changes: run.c (child_main, main), run.h (struct config).
# Every other carried file must be byte for byte the previous lesson's,
# every other item too, and #include lines may only be added. So a fix
# made in one lesson and not carried into the next shows up here (carry.sh
# carries it), as does a header that no longer tells the truth.
#
# Then the table, one row a lesson: its C files and lines, its new files,
# the lines changed in carried files (added plus removed; run.c's header,
# which tells each lesson's story, is not counted), the generated
# diff's lines, and its core file, the first one its header's "Files:"
# list names. A lesson whose carried files change by more than MAX_HOOKS
# lines, or whose core file is longer than MAX_CORE lines, is a problem.
# Prints one line per problem; exit 1 if there is any.
# Usage: progression.sh [-q] [LESSON-DIR...]   (default: every lesson;
#        -q: the problems only, no table)
#        progression.sh --changes LESSON-DIR: the Changes: its header
#        should have, computed: each changed carried file, with the items
#        in it that differ from the previous lesson's
set -u
MAX_HOOKS=${MAX_HOOKS:-150}
MAX_CORE=${MAX_CORE:-300}
table=1
[ "${1:-}" = -q ] && { table=0; shift; }
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || set -- $(ls -d lesson[0-9][0-9]-*)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0
problem() { echo "progression: $*"; bad=1; }

files() { # the lesson's sources: what its Makefile builds from
    (cd "$1" && ls Makefile *.h *.c 2>/dev/null)
}
split() { # split LESSON-DIR DIR: every item of the lesson's C files
    rm -rf "$2" && mkdir -p "$2"
    for f in $(cd "$1" && ls *.h *.c 2>/dev/null); do
        awk -v out="$2" -v src="_$f" -f lessons/tools/cblocks.awk "$1/$f"
    done
}
changes() { # the names in FILE's "Changes:" paragraph
    sed -n '/^ \* Changes:/,/^ \* [A-Z][a-z]*:/p' "$1" | sed '$d' |
        sed 's/^ \* Changes://; s/^ \*//' | tr ',;:()' '     ' |
        sed 's/\.$//; s/\. / /g' | tr ' ' '\n' |
        grep -Ev '^(|struct|nothing|this|is|the|first|lesson|options)$'
}
core() { # the first file that FILE's "Files:" paragraph names
    sed -n 's/^ \* Files: *\([A-Za-z0-9_.]*\).*/\1/p' "$1" | head -n1
}
changed_lines() { # changed_lines A B: lines added plus lines removed
    case $1 in
    */run.c) # not its header: that tells each lesson's own story
        sed '1,/^ \*\/$/d' "$1" >"$tmp/old.c"
        sed '1,/^ \*\/$/d' "$2" >"$tmp/new.c"
        diff "$tmp/old.c" "$tmp/new.c" | grep -c '^[<>]' ;;
    *) diff "$1" "$2" | grep -c '^[<>]' ;;
    esac
}

if [ "${1:-}" = --changes ]; then
    cur=${2%/}
    prev=$(ls -d lesson[0-9][0-9]-* | grep -B1 -x "$cur" | head -n1)
    [ "$prev" != "$cur" ] || { echo "Changes: nothing; this is the first lesson."; exit 0; }
    out=""
    for f in $(files "$prev"); do
        [ -e "$cur/$f" ] && ! cmp -s "$prev/$f" "$cur/$f" &&
            [ "$(changed_lines "$prev/$f" "$cur/$f")" -gt 0 ] || continue
        case $f in
        *.c | *.h)
            rm -rf "$tmp/a" "$tmp/b" && mkdir "$tmp/a" "$tmp/b"
            awk -v out="$tmp/a" -f lessons/tools/cblocks.awk "$prev/$f"
            awk -v out="$tmp/b" -f lessons/tools/cblocks.awk "$cur/$f"
            items=$( (ls "$tmp/a"; ls "$tmp/b") | sort -u | while read -r i; do
                [ "$i" = includes ] && continue
                cmp -s "$tmp/a/$i" "$tmp/b/$i" 2>/dev/null || echo "$i"
            done | sed 's/^config$/struct config/' | paste -sd, - | sed 's/,/, /g')
            out="$out, $f ($items)" ;;
        *) out="$out, $f" ;;
        esac
    done
    echo "Changes:${out#,}." | fold -s -w 67
    exit 0
fi

[ $table = 1 ] && {
    printf '| %-16s | %5s | %5s | %-38s | %7s | %5s | %-22s |\n' lesson \
        files lines "new files (lines)" "changed" diff "core file (lines)"
    printf '|%s|%s|%s|%s|%s|%s|%s|\n' ------------------ ------- ------- \
        ---------------------------------------- --------- ------- \
        ------------------------
}
prev=""
for cur in "$@"; do
    hooks=0 new="" difflines=0
    if [ -n "$prev" ]; then
        a=$tmp/$prev b=$tmp/$cur
        split "$prev" "$a"
        split "$cur" "$b"
        listed=$(changes "$cur/run.c")
        is_listed() { printf '%s\n' "$listed" | grep -qx "$1"; }
        for f in $(files "$prev"); do
            if [ ! -e "$cur/$f" ]; then
                problem "$cur has no $f, which $prev has"
            elif ! cmp -s "$prev/$f" "$cur/$f" &&
                n=$(changed_lines "$prev/$f" "$cur/$f") && [ "$n" -gt 0 ]; then
                hooks=$((hooks + n))
                is_listed "$f" || {
                    problem "$cur/$f differs from $prev's by $n lines, and" \
                        "$cur/run.c's Changes: does not name it (a fix" \
                        "carried into one lesson only? lessons/tools/carry.sh)"
                }
            elif is_listed "$f"; then
                problem "$cur/run.c: Changes: names $f, which is unchanged"
            fi
        done
        for f in $(files "$cur"); do
            [ -e "$prev/$f" ] ||
                new="$new $f:$(wc -l <"$cur/$f")"
        done
        for f in $(ls "$a"); do
            if [ "$f" = includes ]; then
                missing=$(grep -Fxvf "$b/includes" "$a/includes")
                [ -z "$missing" ] ||
                    problem "$cur drops $prev's $missing"
            elif [ ! -e "$b/$f" ]; then
                is_listed "$f" || problem "$cur has no $f," \
                    "which $prev has, and its Changes: does not say so"
            elif ! cmp -s "$a/$f" "$b/$f"; then
                is_listed "$f" || {
                    problem "$cur: $f differs from $prev's, and" \
                        "$cur/run.c's Changes: does not name it:"
                    diff -u --label "$prev: $f" --label "$cur: $f" \
                        "$a/$f" "$b/$f" | sed 's/^/    /'
                }
            fi
        done
        for f in $listed; do
            case $f in
            *.c | *.h | Makefile) continue ;;
            esac
            if [ ! -e "$a/$f" ] && [ ! -e "$b/$f" ]; then
                problem "$cur/run.c: Changes: names $f, which neither" \
                    "$prev nor $cur has"
            elif [ -e "$b/$f" ] && cmp -s "$a/$f" "$b/$f"; then
                problem "$cur/run.c: Changes: names $f, which is unchanged"
            fi
        done
        difflines=$(for f in $(files "$cur"); do
            diff -Nu "$prev/$f" "$cur/$f"
        done | wc -l)
        [ "$hooks" -le "$MAX_HOOKS" ] || problem "$cur changes its" \
            "carried files by $hooks lines, $((hooks - MAX_HOOKS)) over" \
            "$MAX_HOOKS: move what is new into new files"
    fi
    c=$(core "$cur/run.c")
    if [ -z "$c" ] || [ ! -f "$cur/$c" ]; then
        problem "$cur/run.c: its Files: names no core file of the lesson"
        cl=0
    else
        cl=$(wc -l <"$cur/$c")
        [ "$cl" -le "$MAX_CORE" ] || problem "$cur/$c, the lesson's core" \
            "file, has $cl lines, $((cl - MAX_CORE)) over $MAX_CORE"
    fi
    [ $table = 1 ] &&
        printf '| %-16s | %5s | %5s | %-38s | %7s | %5s | %-22s |\n' "$cur" \
            "$(cd "$cur" && ls *.c *.h 2>/dev/null | wc -l)" \
            "$(cat "$cur"/*.c "$cur"/*.h 2>/dev/null | wc -l)" \
            "$(echo $new | sed 's/:\([0-9]*\)/ (\1)/g; s/) /), /g')" \
            "$hooks" "$difflines" "$c ($cl)"
    prev=$cur
done
exit $bad
