#!/usr/bin/env bash
# tutorial.sh: tutorial.md is a course a learner can finish: its size, its
# prose, its blocks, its links and the functions it names, each lesson's
# sections in order. One result line each, appended to RESULTS. Called by
# static.sh; runs alone too: RESULTS=/tmp/x.res bash lessons/tests/tutorial.sh
set -u
cd "$(dirname "$0")/../.."
T=tutorial.md

. lessons/tests/check.sh

# The text outside generated blocks (code, exercise, session, matrix).
outside_generated() {
    awk '/^<!-- generated: /{g=1;next} /^<!-- end generated -->/{g=0;next} !g' "$1"
}

size_ok() {
    local lines bytes rc=0
    lines=$(wc -l <"$T")
    bytes=$(wc -c <"$T")
    [ "$lines" -le 3500 ] || { echo "$T has $lines lines (at most 3500)"; rc=1; }
    [ "$bytes" -le 200000 ] || { echo "$T has $bytes bytes (at most 200000)"; rc=1; }
    return $rc
}

# Prose: the words outside fenced blocks and generated blocks.
prose_ok() {
    local words
    words=$(outside_generated "$T" | awk '/^```/{f=!f;next} !f' | wc -w)
    [ "$words" -le 25000 ] || { echo "$T has $words words of prose (at most 25000)"; return 1; }
}

# No fenced block, generated or not, longer than 120 lines.
fences_ok() {
    awk -v f="$T" '
    /^```/ {
        if (!open) { open = 1; start = NR; next }
        open = 0
        if (NR - start - 1 > 120) {
            printf "%s:%d: a fenced block of %d lines (at most 120)\n", f, start, NR - start - 1
            bad = 1
        }
    }
    END {
        if (open) { printf "%s:%d: a fenced block never closed\n", f, start; bad = 1 }
        exit bad
    }' "$T"
}

# Every relative link [..](path) of tutorial.md, lessons/docs/*.md and
# the Chinese course, lessons/docs/zh-CN/*.md, in the text a reader sees
# (outside fenced blocks), names a file or directory of the tree,
# relative to the file that holds it. #anchors are dropped; http(s) and
# mailto links are not checked.
links_ok() {
    local f dir link target rc=0
    for f in "$T" lessons/docs/*.md lessons/docs/zh-CN/*.md; do
        [ -f "$f" ] || continue
        dir=$(dirname "$f")
        while IFS= read -r link; do
            target=${link%%#*}
            [ -n "$target" ] || continue
            case $target in http:* | https:* | mailto:*) continue ;; esac
            [ -e "$dir/$target" ] || { echo "$f: link to $target: no such file"; rc=1; }
        done < <(awk '/^```/{f=!f;next} !f' "$f" |
            grep -o '\]([^)[:space:]]*)' | sed 's/^](//; s/)$//')
    done
    return $rc
}

# A function named next to a link to a C file exists in that file: on a
# line of the text a reader sees, each `name()` after a link
# [..](path/FILE.c) (up to the next link), and each `name()` directly
# followed by " in [..](path/FILE.c)", is defined there: a line of FILE.c
# starts with "name(", as every function definition of the lessons does
# (K&R style: the type on the line before). Names on lines without such a
# link are not checked. The same in lessons/docs/*.md and
# lessons/docs/zh-CN/*.md.
functions_ok() {
    local f dir rc=0 file name
    for f in "$T" lessons/docs/*.md lessons/docs/zh-CN/*.md; do
        [ -f "$f" ] || continue
        dir=$(dirname "$f")
        while read -r file name; do
            grep -q "^$name(" "$dir/$file" 2>/dev/null ||
                { echo "$f: $name() is not defined in $file"; rc=1; }
        done < <(awk '/^```/{f=!f;next} !f' "$f" | awk '
        {
            line = $0
            # "`name()` in [..](FILE.c)": the name belongs to that file.
            s = line
            while (match(s, /`[A-Za-z_][A-Za-z0-9_]*\(\)` in \[[^]]*\]\([^)]*\.[ch]\)/)) {
                m = substr(s, RSTART, RLENGTH)
                n = m; sub(/^`/, "", n); sub(/\(.*/, "", n)
                p = m; sub(/.*\]\(/, "", p); sub(/\)$/, "", p)
                print p, n
                s = substr(s, RSTART + RLENGTH)
            }
            # [..](FILE.c) then `name()`s, up to the next link.
            s = line
            while (match(s, /\]\([^)]*\.[ch]\)/)) {
                p = substr(s, RSTART + 2, RLENGTH - 3)
                s = substr(s, RSTART + RLENGTH)
                rest = s
                if (match(rest, /\]\(/)) rest = substr(rest, 1, RSTART - 1)
                while (match(rest, /`[A-Za-z_][A-Za-z0-9_]*\(\)`/)) {
                    print p, substr(rest, RSTART + 1, RLENGTH - 4)
                    rest = substr(rest, RSTART + RLENGTH)
                }
            }
        }' | sort -u)
    done
    return $rc
}

# In each lesson, once: the six sections, in this order.
sections_ok() {
    outside_generated "$T" | awk '/^```/{f=!f;next} !f' | awk '
    BEGIN {
        n = split("Goal|Try it|Read the code|Explanation|Exercises|What the tests check", want, "|")
    }
    function done_lesson() {
        if (lesson == "") return
        got = ""
        for (i = 1; i <= k; i++) got = got (i > 1 ? "|" : "") have[i]
        want_s = ""
        for (i = 1; i <= n; i++) want_s = want_s (i > 1 ? "|" : "") want[i]
        if (got != want_s) { printf "%s: sections %s, not %s\n", lesson, got, want_s; bad = 1 }
    }
    /^## / { done_lesson(); lesson = ""; k = 0 }
    /^## Lesson / { lesson = $0; lessons++ }
    /^### / && lesson != "" { have[++k] = substr($0, 5) }
    END {
        done_lesson()
        if (lessons < 7) { printf "only %d lessons\n", lessons; bad = 1 }
        exit bad
    }'
}

# The generated code excerpts (<!-- generated: code ... -->): at most 120
# lines in each lesson, and no embedded diff: the diffs are linked.
excerpts_ok() {
    awk '
    /^## / { lesson = $0 }
    /^<!-- generated: diff / { printf "%s: an embedded diff (link lessons/diffs/ instead)\n", lesson; bad = 1 }
    /^<!-- generated: code / { g = 1; next }
    /^<!-- end generated -->/ { g = 0; next }
    g && !/^```/ { lines[lesson]++ }
    END {
        for (l in lines)
            if (lines[l] > 120) { printf "%s: %d lines of code excerpts (at most 120)\n", l, lines[l]; bad = 1 }
        exit bad
    }' "$T"
}

# Every session marker has its commands, lessons/sessions/NAME.cmds.
sessions_ok() {
    local name rc=0
    for name in $(sed -n 's/^<!-- generated: session \([^ ]*\) -->$/\1/p' "$T"); do
        [ -f "lessons/sessions/$name.cmds" ] ||
            { echo "$T: session $name has no lessons/sessions/$name.cmds"; rc=1; }
    done
    return $rc
}

# No session output typed by hand: outside generated blocks, a console
# block holds only commands ("$ ..."); what they print is recorded
# (lessons/sessions/*.txt, in <!-- generated: session --> blocks).
console_ok() {
    outside_generated "$T" | awk '
    /^ *```console/ { c = 1; next }
    /^ *```/ { c = 0; next }
    c && $0 !~ /^ *\$ / { printf "a console line that is not a command: %s\n", $0; bad = 1 }
    END { exit bad }'
}

# Each lesson's Read the code lists its files, a bullet each starting
# with a link to the file, in the order of its run.c header's Files: line
# (the core file first); other files (run.c's hooks) may come after.
files_order_ok() {
    local d n want got rc=0
    for d in lesson[0-9][0-9]-*; do
        n=${d#lesson}
        n=${n%%-*}
        want=$(sed -n '/^ \* Files:/,/^ \* Changes:/p' "$d/run.c" |
            sed -n 's/^ \* \(Files:\)\{0,1\} *\([A-Za-z_0-9]*\.[ch]\) .*/\2/p' | tr '\n' ' ')
        got=$(outside_generated "$T" | awk -v n="$n" '
            /^## / { in_l = ($0 ~ "^## Lesson " n ":") }
            /^### / { in_s = in_l && $0 == "### Read the code"; next }
            in_s && /^- \[`[^`]*`\]\(/ {
                s = $0; sub(/^- \[`/, "", s); sub(/`.*/, "", s); print s
            }' | tr '\n' ' ')
        case " $got" in
        " $want"*) ;;
        *) echo "$d: Read the code lists [$got], the Files: line [$want]"; rc=1 ;;
        esac
    done
    return $rc
}

check "tutorial.md: at most 3500 lines and 200000 bytes" size_ok
check "tutorial.md: at most 25000 words of prose" prose_ok
check "tutorial.md: no fenced block longer than 120 lines" fences_ok
check "tutorial.md, lessons/docs, lessons/docs/zh-CN: every relative link names a file" links_ok
check "tutorial.md, lessons/docs, lessons/docs/zh-CN: each name() beside a C file's link is defined there" functions_ok
check "tutorial.md: each lesson's six sections, in order" sections_ok
check "tutorial.md: Read the code follows each run.c's Files: line" files_order_ok
check "tutorial.md: code excerpts at most 120 lines a lesson, diffs linked" excerpts_ok
check "tutorial.md: each session has its lessons/sessions/*.cmds" sessions_ok
check "tutorial.md: console blocks typed by hand hold only commands" console_ok
