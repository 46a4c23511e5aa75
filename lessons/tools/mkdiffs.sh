#!/bin/sh
# mkdiffs.sh: generate what the tutorial shows of the code, never typed by
# hand: each lesson's diff against the one before (lessons/diffs/NAME.diff)
# and every block in tutorial.md between
#     <!-- generated: diff LESSON-DIR -->         that lesson's diff
#     <!-- generated: code LESSON-DIR ITEM -->    one function or table
# and the next "<!-- end generated -->".
# Usage: mkdiffs.sh            regenerate
#        mkdiffs.sh --check    exit 1, naming what is stale, if anything is
#        mkdiffs.sh --emit diff|code ARGS   print one block's text
set -u
cd "$(dirname "$0")/../.."

lesson_diff() { # lesson_diff LESSON-DIR: its diff against the one before
    prev=$(ls -d lesson[0-9][0-9]-* | grep -B1 -x "$1" | head -n1)
    [ "$prev" != "$1" ] || return 0
    for f in $( (ls "$prev"; ls "$1") | grep -vx run | sort -u); do
        diff -Nu --label "$prev/$f" --label "$1/$f" "$prev/$f" "$1/$f"
    done
    return 0
}

code_item() { # code_item LESSON-DIR ITEM: one item of its run.c
    d=$(mktemp -d)
    awk -v out="$d" -f lessons/tools/cblocks.awk "$1/run.c"
    cat "$d/$2" 2>/dev/null || echo "mkdiffs: $1/run.c has no $2" >&2
    rm -rf "$d"
}

emit() {
    case $1 in
    diff) lesson_diff "$2" ;;
    code) code_item "$2" "$3" ;;
    esac
}

tutorial() { # the tutorial with every generated block regenerated
    awk -v self="$0" '
    /^<!-- generated: / {
        print
        split($0, w, " ")
        lang = w[3] == "diff" ? "diff" : "c"
        print "```" lang
        cmd = "sh " self " --emit " w[3] " " w[4] " " (w[5] == "-->" ? "" : w[5])
        while ((cmd | getline l) > 0) print l
        close(cmd)
        print "```"
        skip = 1
        next
    }
    /^<!-- end generated -->/ { skip = 0 }
    !skip { print }' tutorial.md
}

generate() { # generate DIR: write every generated file under DIR
    mkdir -p "$1/lessons/diffs"
    for l in $(ls -d lesson[0-9][0-9]-* | tail -n +2); do
        lesson_diff "$l" >"$1/lessons/diffs/$l.diff"
    done
    tutorial >"$1/tutorial.md.new" && mv "$1/tutorial.md.new" "$1/tutorial.md"
}

case ${1:-} in
--emit)
    shift
    emit "$@"
    ;;
--check)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    generate "$tmp"
    stale=0
    for f in $(cd "$tmp" && find . -type f | sort); do
        cmp -s "$tmp/$f" "$f" || { echo "stale: ${f#./} (run make diffs)"; stale=1; }
    done
    for f in lessons/diffs/*.diff; do
        [ -e "$f" ] || continue
        [ -e "$tmp/$f" ] || { echo "stale: $f has no lesson (run make diffs)"; stale=1; }
    done
    exit $stale
    ;;
"")
    rm -f lessons/diffs/*.diff
    generate .
    echo "mkdiffs: lessons/diffs/*.diff and tutorial.md regenerated"
    ;;
*)
    echo "usage: mkdiffs.sh [--check]" >&2
    exit 2
    ;;
esac
