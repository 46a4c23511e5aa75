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
#     <!-- generated: session NN-NAME -->         a recorded "Try it" session,
#                                                 lessons/sessions/NN-NAME.txt
#                                                 (make sessions), as console
# and the next "<!-- end generated -->". The Chinese course,
# lessons/docs/zh-CN/tutorial.md (when it exists), has the same blocks,
# regenerated with tutorial.md's: the same text, but for its relative
# links, rewritten relative to its directory so that each still names its
# file, and an exercise block's own sentences, written in Chinese (the
# stubs' TODO texts stay as they are: they are what the program prints).
# lessons/docs/verbose.md's session blocks (each lesson's whole narration,
# -v) are regenerated with them.
# Usage: mkdiffs.sh            regenerate
#        mkdiffs.sh --check    exit 1, naming what is stale, if anything is
#        mkdiffs.sh --emit diff|code|session ARGS   print one block's text
#        mkdiffs.sh --emit exercise NN [zh-CN]      in English or Chinese
# A block that names a session with no recording is an error naming it.
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

exercise() { # exercise NN [zh-CN]: make exerciseNN and make gradeNN, for the reader
    awk -v n="$1" -v lang="${2:-en}" '
    function out() {
        if (fn == "") return
        # In Chinese the link comes first, so that the static check still
        # finds each function in the file linked before it.
        if (lang == "zh-CN")
            printf "- [`%s`](%s/%s) 中的 `%s()`：%s.\n", file, dir, file, fn, todo
        else
            printf "- `%s()` in [`%s`](%s/%s): %s.\n", fn, file, dir, file, todo
        fn = ""
    }
    /^stub / { out(); file = $2; fn = $3; next }
    /^todo: / { todo = substr($0, 7); f = 1; next }
    /^ / && f { todo = todo $0; next }
    { f = 0 }
    END { out() }' "lessons/exercises/lesson$1.stubs" >/tmp/mkdiffs.$$
    dir=$(ls -d lesson"$1"-*)
    [ "${2:-en}" != zh-CN ] || { exercise_zh "$1" "$dir"; return; }
    echo "Write the lesson yourself: \`make exercise$1\` copies $dir to"
    echo "\`exercises/lesson$1/\` with these functions taken out, each a TODO that"
    echo "says what to write, which pages to read and which tests check it:"
    stub_list "$dir"
    tests="lessons 01 to $1"
    [ "$1" != 01 ] || tests="lesson 01"
    echo "Fill them in, then \`sudo make grade$1\`: the tests of $tests"
    echo "run against your copy and print a line a check, grouped by the function"
    echo "it needs, the first hint of each failure, and \`score: P/T\`. Your copy"
    echo "is never overwritten (\`make exercise$1 FORCE=1\` starts over and keeps"
    echo "the old one beside it)."
}

# The stubs' list that exercise() made, its links into LESSON-DIR, between
# blank lines: the same in both languages.
stub_list() { # stub_list LESSON-DIR
    echo
    sed "s|(\([^)]*\)/\([a-z_0-9.]*\))|($1/\2)|" /tmp/mkdiffs.$$ | sed 's/  */ /g'
    rm -f /tmp/mkdiffs.$$
    echo
}

exercise_zh() { # exercise_zh NN LESSON-DIR: exercise's sentences in Chinese
    # A Chinese paragraph is one line: a line break between two Chinese
    # characters would show as a space.
    n=${1#0}
    echo "自己动手写这一课：\`make exercise$1\` 把 $2 复制到 \`exercises/lesson$1/\`，并挖掉下面这些函数，每个函数留下一条 TODO，说明要写什么、该读哪些手册页、由哪些测试检查："
    stub_list "$2"
    tests="第 1 课到第 $n 课"
    [ "$n" != 1 ] || tests="第 1 课"
    echo "写完后运行 \`sudo make grade$1\`：$tests的测试会在你的副本上运行，每项检查打印一行，按它所需的函数分组，附上每个失败的第一条提示，最后是 \`score: P/T\`。你的副本不会被覆盖（\`make exercise$1 FORCE=1\` 从头开始，并把旧副本保留在旁边）。"
}

session() { # session NN-NAME: its recording, as make sessions wrote it
    cat "lessons/sessions/$1.txt"
}

# Every session a course (FILE) shows has its recording: else an error
# naming the missing file, and nothing is generated.
sessions_recorded() { # sessions_recorded FILE
    rc=0
    for s in $(sed -n 's/^<!-- generated: session \([^ ]*\) -->$/\1/p' "$1"); do
        [ -f "lessons/sessions/$s.txt" ] || {
            echo "mkdiffs: $1 shows session $s, but lessons/sessions/$s.txt is missing (make sessions S=$s)" >&2
            rc=1
        }
    done
    return $rc
}

emit() {
    case $1 in
    session) session "$2" ;;
    exercise) exercise "$2" "${3:-}" ;;
    diff) lesson_diff "$2" ;;
    code) code_item "$2" "$3" ;;
    matrix) escape_matrix ;;
    esac
}

tutorial() { # tutorial FILE: that course with every generated block regenerated
    sessions_recorded "$1" || return 1
    # From FILE's directory back to the top of the tree: "../" a level.
    up=$(dirname "$1" | awk '$0 != "." { gsub(/[^/]+/, ".."); print $0 "/" }')
    course=en
    case $1 in */zh-CN/*) course=zh-CN ;; esac
    awk -v self="$0" -v up="$up" -v course="$course" '
    # A relative link [..](PATH) names PATH from the top of the tree: from
    # FILE, up PATH. Links to the web and #anchors stay.
    function relink(s,    out, t) {
        out = ""
        while (match(s, /\]\([^)]*\)/)) {
            t = substr(s, RSTART + 2, RLENGTH - 3)
            if (t !~ /^(https?:|mailto:|#|\/)/) t = up t
            out = out substr(s, 1, RSTART - 1) "](" t ")"
            s = substr(s, RSTART + RLENGTH)
        }
        return out s
    }
    /^<!-- generated: / {
        print
        split($0, w, " ")
        lang = w[3] == "diff" ? "diff" : w[3] == "session" ? "console" : "c"
        fenced = w[3] != "matrix" && w[3] != "exercise"
        if (fenced) print "```" lang
        if (w[4] == "-->") w[4] = ""
        cmd = "sh " self " --emit " w[3] " " w[4] " " (w[5] == "-->" ? "" : w[5])
        if (w[3] == "exercise" && course != "en") cmd = cmd " " course
        # Links are rewritten in the blocks a reader sees as text (the
        # exercise and the matrix), not inside code.
        while ((cmd | getline l) > 0) print fenced ? l : relink(l)
        close(cmd)
        if (fenced) print "```"
        skip = 1
        next
    }
    /^<!-- end generated -->/ { skip = 0 }
    !skip { print }' "$1"
}

generate() { # generate DIR: write every generated file under DIR
    mkdir -p "$1/lessons/diffs"
    for l in $(ls -d lesson[0-9][0-9]-* | tail -n +2); do
        lesson_diff "$l" >"$1/lessons/diffs/$l.diff"
    done
    for t in tutorial.md lessons/docs/zh-CN/tutorial.md lessons/docs/verbose.md; do
        [ -f "$t" ] || continue
        mkdir -p "$1/$(dirname "$t")"
        tutorial "$t" >"$1/$t.new" && mv "$1/$t.new" "$1/$t" ||
            { rm -f "$1/$t.new"; return 1; }
    done
}

case ${1:-} in
--emit)
    shift
    emit "$@"
    ;;
--check)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    stale=0
    generate "$tmp" || { echo "stale: tutorial.md, its Chinese course or lessons/docs/verbose.md cannot be generated"; stale=1; }
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
    generate . || exit 1
    more=
    for t in lessons/docs/zh-CN/tutorial.md lessons/docs/verbose.md; do
        [ ! -f "$t" ] || more="$more, $t"
    done
    echo "mkdiffs: lessons/diffs/*.diff, tutorial.md$more regenerated"
    ;;
*)
    echo "usage: mkdiffs.sh [--check]" >&2
    exit 2
    ;;
esac
