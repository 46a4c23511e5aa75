#!/bin/sh
# mkdiffs.sh: generate what the tutorial shows of the code, never typed by
# hand: each lesson's diff against the one before (lessons/diffs/NAME.diff)
# and every block in tutorial.md between
#     <!-- generated: diff LESSON-DIR -->         that lesson's diff
#     <!-- generated: code LESSON-DIR/FILE ITEM -->  one function or table
#     <!-- generated: matrix -->                  the escape lab's table
#                                                 (lessons/escapes/matrix)
#     <!-- generated: exercise NN -->             what make exerciseNN takes
#                                                 out (lessons/exercises/)
#     <!-- generated: session NN-NAME -->         left as it is here: a
#                                                 recorded session
#                                                 (lessons/sessions/)
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

code_item() { # code_item LESSON-DIR/FILE ITEM: one item of that file
    d=$(mktemp -d)
    awk -v out="$d" -f lessons/tools/cblocks.awk "$1"
    cat "$d/$2" 2>/dev/null || echo "mkdiffs: $1 has no $2" >&2
    rm -rf "$d"
}

escape_matrix() { # lessons/escapes/matrix as a markdown table
    awk '
    /^# PROBE/ {
        printf "| probe |"
        for (i = 3; i <= NF; i++) printf " %s |", $i
        print " closed by | stands for |"
        printf "|---|"
        for (i = 3; i <= NF; i++) printf "---|"
        print "---|---|"
        next
    }
    /^#/ || NF == 0 { next }
    {
        split($0, part, "#")
        split(part[2], why, "|")
        gsub(/^ +| +$/, "", why[1]); gsub(/^ +| +$/, "", why[2])
        n = split(part[1], cell, " ")
        printf "| %s |", cell[1]
        for (i = 2; i <= n; i++)
            printf " %s |", cell[i] == "O" ? "**O**" : cell[i]
        printf " %s | %s |\n", why[1], why[2]
    }' lessons/escapes/matrix
}

exercise() { # exercise NN: make exerciseNN and make gradeNN, for the reader
    awk -v n="$1" '
    function out() {
        if (fn == "") return
        printf "- `%s()` in [`%s`](%s/%s): %s.\n", fn, file, dir, file, todo
        fn = ""
    }
    /^stub / { out(); file = $2; fn = $3; next }
    /^todo: / { todo = substr($0, 7); f = 1; next }
    /^ / && f { todo = todo $0; next }
    { f = 0 }
    END { out() }' "lessons/exercises/lesson$1.stubs" >/tmp/mkdiffs.$$
    dir=$(ls -d lesson"$1"-*)
    echo "Write the lesson yourself: \`make exercise$1\` copies $dir to"
    echo "\`exercises/lesson$1/\` with these functions taken out, each a TODO that"
    echo "says what to write, which pages to read and which tests check it:"
    echo
    sed "s|(\([^)]*\)/\([a-z_0-9.]*\))|($dir/\2)|" /tmp/mkdiffs.$$ | sed 's/  */ /g'
    rm -f /tmp/mkdiffs.$$
    echo
    tests="lessons 01 to $1"
    [ "$1" != 01 ] || tests="lesson 01"
    echo "Fill them in, then \`sudo make grade$1\`: the tests of $tests"
    echo "run against your copy and print a line a check, grouped by the function"
    echo "it needs, the first hint of each failure, and \`score: P/T\`. Your copy"
    echo "is never overwritten (\`make exercise$1 FORCE=1\` starts over and keeps"
    echo "the old one beside it)."
}

emit() {
    case $1 in
    exercise) exercise "$2" ;;
    diff) lesson_diff "$2" ;;
    code) code_item "$2" "$3" ;;
    matrix) escape_matrix ;;
    esac
}

tutorial() { # the tutorial with every generated block regenerated
    awk -v self="$0" '
    /^<!-- generated: session / { print; next }
    /^<!-- generated: / {
        print
        split($0, w, " ")
        lang = w[3] == "diff" ? "diff" : "c"
        fenced = w[3] != "matrix" && w[3] != "exercise"
        if (fenced) print "```" lang
        if (w[4] == "-->") w[4] = ""
        cmd = "sh " self " --emit " w[3] " " w[4] " " (w[5] == "-->" ? "" : w[5])
        while ((cmd | getline l) > 0) print l
        close(cmd)
        if (fenced) print "```"
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
