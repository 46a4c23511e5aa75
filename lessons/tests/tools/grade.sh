#!/usr/bin/env bash
# make grade (lessons/tools/grade.sh), as root, in a copy of the tree's
# lessons and tools of the test's own (the tree's exercises/ is the
# student's and is never touched). For every lesson: the solution gets
# full marks and exit 0, and --json the same score; the untouched
# skeleton scores 0 in every group of its stubs, exit 1; the skeleton
# with one stub filled in from the solution, as a student would, scores
# strictly between (every lesson has two stubs or more), and
# the checks that pass are exactly those its calibration groups with
# that stub or with none (the grouping is honest; but for the checks the
# calibration marks as passing the skeleton only by accident, a stub that
# stops the run giving the status a refusal would). A partial solution's
# grade that disagrees with the calibration is taken once more (a race
# of a half-written runtime), and the second is the result. Then, on
# lesson01: a run that hangs, one that dies of SIGSEGV and one that
# leaves a cgroup behind are failed checks that say so, within the time
# limit, and the host is clean afterwards.
#
#   grade.sh [NN...]   those lessons only (default: every lesson)
# Results go to RESULTS.
TOOL=grade
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "skip tools    [grade] needs root"; exit 0; }
mkdir -p "$T/lessons"
cp -r "$TOP"/lesson[0-9][0-9]-* "$TOP/Makefile" "$T/"
cp "$TOP/.clang-format" "$T/" 2>/dev/null
cp -r "$TOP/lessons/tools" "$TOP/lessons/exercises" "$TOP/lessons/tests" \
    "$TOP/lessons/rootfs" "$T/lessons/"
ln -s "$TOP/build" "$T/build"
cd "$T" || exit 1
score() { sed -n 's/^score: //p' "$1"; } # score FILE: P/T
# groups FILE: a line a group of the scorecard, "PASSED TOTAL NAME".
groups() {
    sed -n 's|^\([^ ].*\): \([0-9]*\)/\([0-9]*\)$|\2 \3 \1|p' "$1" |
        grep -v '^[0-9]* [0-9]* score$'
}
nostub() { # nostub NAME: true for the groups that need none of the stubs
    case $1 in "the lessons before" | "the rest of lesson"*) return 0 ;; esac
    return 1
}
# fill SOLUTION-FILE EXERCISE-FILE FUNC: the function's solution, whole,
# in place of the stub, as a student who wrote it would have it.
fill() {
    awk -v fn="$3" '
    FNR == NR { if ($0 ~ "^" fn "\\(") f = 1; if (f) body = body $0 "\n"
                if (f && /^}/) f = 0; next }
    $0 ~ "^" fn "\\(" { printf "%s", body; skip = 1; next }
    skip { if (/^}/) skip = 0; next }
    { print }' "$1" "$2" >"$2.new" && mv "$2.new" "$2"
}

lessons=${*:-$(ls -d lesson[0-9][0-9]-* | sed 's/^lesson\([0-9]*\)-.*/\1/')}
for n in $lessons; do
    sol=$(ls -d lesson"$n"-*)
    bash lessons/tools/grade.sh "$n" "$sol" --json "$T/sol.json" >"$T/sol" 2>&1
    rc=$?
    s=$(score "$T/sol")
    if [ $rc = 0 ] && [ -n "$s" ] && [ "${s%/*}" = "${s#*/}" ]; then
        result ok "lesson$n: the solution gets full marks ($s) and exit 0"
    else
        result FAIL "lesson$n: the solution gets full marks and exit 0" \
            "status $rc: $(grep -A1 -E '^  FAIL|^not scored' "$T/sol")"
    fi
    if grep -q "\"score\": ${s%/*}, \"total\": ${s#*/}," "$T/sol.json" 2>/dev/null; then
        result ok "lesson$n: --json writes the same score"
    else
        result FAIL "lesson$n: --json writes the same score" \
            "$(head -c 300 "$T/sol.json" 2>&1)"
    fi

    rm -rf exercises
    sh lessons/tools/exercise.sh "$n" >/dev/null 2>&1
    # A partial solution may race where the whole one does not (a check
    # that depends on which of two processes is faster): a grade that
    # disagrees with the calibration is taken again once, and said.
    again=""
    for try in 1 2; do
        bash lessons/tools/grade.sh "$n" >"$T/skel" 2>&1
        rc=$?
        s0=$(score "$T/skel")
        bad=$(groups "$T/skel" | while read -r p t name; do
            nostub "$name" || [ "$p" = 0 ] || echo "$name: $p/$t"
        done)
        [ -n "$bad" ] || break
        again=" (on a second grade; the first: $(echo $bad))"
    done
    if [ $rc = 1 ] && [ -z "$bad" ] && [ -n "$s0" ] && [ "${s0%/*}" -lt "${s%/*}" ]; then
        result ok "lesson$n: the skeleton scores 0 in its stubs' groups ($s0 in all), exit 1$again"
    else
        result FAIL "lesson$n: the skeleton scores 0 in its stubs' groups, exit 1" \
            "status $rc, score $s0; not 0: $bad"
    fi

    # The first stub that has checks of its own: filled in, those pass,
    # with the ones that need no stub, and nothing else.
    stub=$(grep '^stub ' "lessons/exercises/lesson$n.stubs" | while read -r _ file fn; do
        if cut -f1 "lessons/exercises/lesson$n.checks" | grep -qx "$fn() in $file"; then
            echo "$file $fn"
            break
        fi
    done)
    if [ -z "$stub" ]; then
        result FAIL "lesson$n: a stub has checks of its own" \
            "$(grep -v '^#' "lessons/exercises/lesson$n.checks" | cut -f1 | sort | uniq -c)"
        continue
    fi
    set -- $stub
    fill "$sol/$1" "exercises/lesson$n/$1" "$2"
    again=""
    for try in 1 2; do
        bash lessons/tools/grade.sh "$n" >"$T/one" 2>&1
        s1=$(score "$T/one")
        bad=$(groups "$T/one" | while read -r p t name; do
            # Its own group, or one it is an alternative in ("A or B").
            case " or $name or " in
            *" or $2() in $1 or "*) mine=1 ;;
            *) mine="" ;;
            esac
            # What the calibration marked as passing the skeleton by
            # accident may fail here: not counted against the grouping.
            acc=$(awk -F'\t' -v g="$name" '$1 == g && $4 == "accident"' \
                "lessons/exercises/lesson$n.checks" | wc -l)
            if nostub "$name" || [ -n "$mine" ]; then
                [ $((p + acc)) -ge "$t" ] || echo "$name: $p/$t, want all"
            else
                [ "$p" = 0 ] || echo "$name: $p/$t, want 0"
            fi
        done)
        [ -n "$bad" ] || break
        again=" (on a second grade; the first: $(echo $bad))"
    done
    # Strictly between: every lesson has two stubs or more.
    if [ -n "$s1" ] && [ "${s1%/*}" -gt "${s0%/*}" ] && [ -z "$bad" ] &&
        [ "${s1%/*}" -lt "${s%/*}" ]; then
        result ok "lesson$n: $2() filled in: $s0 < $s1 < $s, exactly its checks pass$again"
    else
        result FAIL "lesson$n: $2() filled in scores between, exactly its checks pass" \
            "skeleton $s0, one $s1, solution $s; $bad
$(grep -B1 -A1 '^  FAIL' "$T/one" | head -n 20)"
    fi
done

# What a student's run may do wrong, on lesson01: hang; die of SIGSEGV;
# run its containers well but leave a cgroup behind (in the test's own
# cgroup, with the project's name, where the tests look).
own=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ { print "/sys/fs/cgroup/memory" $3 }
    $1 == "0" && $2 == "" { v2 = "/sys/fs/cgroup" $3 }
    END { if (v2 != "" && !printed) print v2 }' /proc/self/cgroup | head -n 1)
[ -d "$own" ] || own=/sys/fs/cgroup/unified$(sed -n 's/^0:://p' /proc/self/cgroup)
for how in hang segv leftover; do
    d=$T/$how
    mkdir -p "$d"
    case $how in
    hang) printf '#!/bin/sh\nsleep 1000\n' >"$d/run" ;;
    segv) printf '#!/bin/sh\nkill -SEGV $$\n' >"$d/run" ;;
    leftover) printf '#!/bin/sh\n%s "$@"\nrc=$?\nmkdir -p %s\nexit $rc\n' \
        "$T/lesson01-uts/run" "$own/container-lessons-left" >"$d/run" ;;
    esac
    chmod +x "$d/run"
    printf 'run:\n\t@true\n' >"$d/Makefile" # run is there: up to date
    start=$(date +%s)
    GRADE_TIMEOUT=40 bash lessons/tools/grade.sh 01 "$d" >"$T/$how.out" 2>&1
    rc=$?
    took=$(($(date +%s) - start))
    case $how in
    hang) want='a run hung: the grader stopped it after 40 s' ;;
    segv) want='FAIL.*exit 3 inside gives status 3' ;;
    leftover) want="left: removed cgroup $own/container-lessons-left" ;;
    esac
    if [ $rc = 1 ] && grep -q "$want" "$T/$how.out" && [ $took -lt 240 ]; then
        result ok "a run that does $how: failed checks that say so, in $took s"
    else
        result FAIL "a run that does $how: failed checks that say so" \
            "status $rc in $took s, want '$want': $(grep -A1 '^  FAIL' "$T/$how.out")"
    fi
done
left=$(ls /run/container-lessons 2>/dev/null; ls "$TOP/build/containers" 2>/dev/null
    find /sys/fs/cgroup -path '*container-lessons*' -type d 2>/dev/null
    pgrep -af "$T/" | grep -v grep)
if [ -z "$left" ]; then
    result ok "the host is clean after the grades"
else
    result FAIL "the host is clean after the grades" "$left"
fi
exit 0
