#!/usr/bin/env bash
# static.sh: the checks that run no container: each lesson is the previous
# one plus its feature, the generated diffs and tutorial code are fresh
# (the Chinese course's too, and it is the English one's translation),
# the recorded sessions are their commands' recordings, the C is
# formatted, the scripts parse, and .ci/run runs the README's test command. One result line each, appended to RESULTS.
set -u
cd "$(dirname "$0")/../.."

check() { # check DESC COMMAND...: ok if COMMAND succeeds, else its output
    local desc=$1 out
    shift
    if out=$("$@" 2>&1); then
        echo "ok   static  [static]   $desc" | tee -a "$RESULTS"
    else
        echo "FAIL static  [static]   $desc" | tee -a "$RESULTS"
        printf '%s\n' "$out" | head -n 40 | sed 's/^/     | /'
    fi
}

# And no step too big: carried files change by at most 150 lines a
# lesson, and each lesson's core file has at most 300.
check "progression: each lesson is the one before plus its Changes:" \
    sh lessons/tools/progression.sh -q
check "lessons/diffs and tutorial.md code (and the Chinese course's) are fresh (make diffs)" \
    sh lessons/tools/mkdiffs.sh --check
# tutorial.md is a course: its size, prose, blocks, links, the functions
# it names and each lesson's sections (lessons/tests/tutorial.sh).
bash lessons/tests/tutorial.sh
# The Chinese course (lessons/docs/zh-CN/) is the English one: the same
# lessons and sections, generated blocks and commands
# (lessons/tests/zh.sh).
bash lessons/tests/zh.sh

# The tutorial's sessions (lessons/sessions/, make sessions): each
# recording is its .cmds's, whose commands are exactly its "$" lines in
# order, so that nothing was typed or edited by hand, and at most 40 lines;
# each .cmds has its recording and its lesson.
sessions_recorded() {
    local f s n rc=0
    for f in lessons/sessions/*.txt; do
        [ -e "$f" ] || continue
        s=$(basename "$f" .txt)
        [ -f "lessons/sessions/$s.cmds" ] ||
            { echo "$f has no lessons/sessions/$s.cmds"; rc=1; }
        n=$(wc -l <"$f")
        [ "$n" -le 40 ] || { echo "$f has $n lines, more than 40"; rc=1; }
    done
    for f in lessons/sessions/*.cmds; do
        [ -e "$f" ] || continue
        s=$(basename "$f" .cmds)
        ls -d "lesson${s%%-*}"-* >/dev/null 2>&1 ||
            { echo "$f: no lesson ${s%%-*} (lessonNN-*/) to run it in"; rc=1; }
        if [ ! -f "lessons/sessions/$s.txt" ]; then
            echo "$f has no recording (make sessions S=$s)"
            rc=1
        elif [ "$(grep -v -e '^#' -e '^$' "$f")" != \
            "$(sed -n 's/^\$ //p' "lessons/sessions/$s.txt")" ]; then
            echo "lessons/sessions/$s.txt: its \$ lines are not $f's commands (make sessions S=$s)"
            rc=1
        fi
    done
    return $rc
}
check "lessons/sessions: each recording is its .cmds's, at most 40 lines (make sessions)" \
    sessions_recorded
tutorial_sessions() {
    local s rc=0
    for s in $(sed -n 's/^<!-- generated: session \([^ ]*\) -->$/\1/p' tutorial.md); do
        [ -f "lessons/sessions/$s.cmds" ] && [ -f "lessons/sessions/$s.txt" ] ||
            { echo "tutorial.md shows session $s: no lessons/sessions/$s.cmds and .txt"; rc=1; }
    done
    return $rc
}
check "tutorial.md shows only sessions that lessons/sessions has" tutorial_sessions

# clang-format's output differs between versions: the style is kept with
# the version the project pins (Debian 12's), and only checked with it.
c_files=$(ls lesson*/*.c lesson*/*.h lessons/*/*.c lessons/tests/*/*.c)
if clang-format --version 2>/dev/null | grep -q 'version 14\.'; then
    # shellcheck disable=SC2086
    check "C files are clang-formatted (make format)" \
        clang-format --dry-run -Werror $c_files
else
    echo "skip static  [static]   format check: needs clang-format 14"
fi

# The diagrams: dot reads each lesson's, and each .svg is what dot makes
# of its .dot now (make diagrams). dot's output differs between versions:
# the .svg files are kept with the version that made them, named in each,
# and compared only with that one.
diagrams_parse() {
    local d n rc=0
    for d in lesson[0-9][0-9]-*; do
        n=${d#lesson}
        n=${n%%-*}
        [ -f "lessons/diagrams/lesson$n.dot" ] ||
            { echo "$d has no lessons/diagrams/lesson$n.dot"; rc=1; }
    done
    for d in lessons/diagrams/*.dot; do
        [ -f "$d" ] || continue
        dot -Tsvg -o /dev/null "$d" || { echo "dot rejects $d"; rc=1; }
    done
    return $rc
}
diagrams_fresh() {
    local d rc=0
    for d in lessons/diagrams/*.dot; do
        [ -f "$d" ] || continue
        dot -Tsvg "$d" 2>/dev/null | cmp -s - "${d%.dot}.svg" ||
            { echo "${d%.dot}.svg is not what dot makes of $d"; rc=1; }
    done
    for d in lessons/diagrams/*.svg; do
        [ -f "$d" ] || continue
        [ -f "${d%.svg}.dot" ] || { echo "$d has no .dot"; rc=1; }
    done
    return $rc
}
check "lessons/diagrams: one a lesson, and dot reads each" diagrams_parse
made_by=$(sed -n 's/^<!-- Generated by graphviz version \(.*\)$/\1/p' \
    lessons/diagrams/*.svg 2>/dev/null | sort -u)
this_dot=$(dot -V 2>&1 | sed -n 's/^dot - graphviz version //p')
if [ -n "$this_dot" ] && [ "$made_by" = "$this_dot" ]; then
    check "lessons/diagrams/*.svg are fresh (make diagrams)" diagrams_fresh
else
    echo "skip static  [static]   diagrams' freshness: made by graphviz" \
        "${made_by:-?}, this is ${this_dot:-none}"
fi

scripts_ok() {
    local f rc=0
    for f in lessons/*/*.sh lessons/*/*/*.sh lessons/tools/vm/init .ci/run; do
        case $(head -n1 "$f") in
        *bash*) bash -n "$f" || rc=1 ;;
        *) sh -n "$f" || rc=1 ;;
        esac
    done
    return $rc
}
check "every script parses" scripts_ok

readme_command_is_ci() {
    local cmd
    cmd=$(grep -A3 -i 'every test' README.md | grep -o 'sudo make [a-z]*' |
        head -n1 | sed 's/^sudo //')
    [ -n "$cmd" ] && grep -qx "$cmd" .ci/run ||
        { echo "README's test command '${cmd:-?}' is not what .ci/run runs"; return 1; }
}
check ".ci/run runs the README's test command" readme_command_is_ci

# README.md promises the hosts that make test runs: every kernel and
# architecture of lessons/tools/vm/hosts.sh is named in its promise.
readme_hosts_are_ci() {
    local promise k a rc=0
    promise=$(grep -A4 '^## Requirements' README.md | tr '\n' ' ')
    for k in $(sed -n 's/^#   \([0-9][0-9.]*\) .*/\1/p' lessons/tools/vm/hosts.sh | sort -u); do
        echo "$promise" | grep -q "Linux $k" ||
            { echo "README's requirements do not name Linux $k, which make test runs"; rc=1; }
    done
    for a in $(sed -n 's/^#   [0-9][0-9.]* *\([a-z0-9]*\) .*/\1/p' lessons/tools/vm/hosts.sh |
        sed 's/^amd64$/x86_64/' | sort -u); do
        echo "$promise" | grep -q "$a" ||
            { echo "README's requirements do not name $a, which make test runs"; rc=1; }
    done
    return $rc
}
check "README's requirements name the kernels and architectures make test runs" \
    readme_hosts_are_ci
