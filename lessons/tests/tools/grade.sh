#!/usr/bin/env bash
# make grade (lessons/tools/grade.sh) on lesson01, as root, in exercises of
# the test's own (a copy of the tree's lessons and tools; the tree's
# exercises/ is the student's): the solution gets full marks and exit 0;
# the untouched skeleton scores 0 on every check of its stubs' groups;
# the skeleton with one stub filled in from the solution scores strictly
# between, and more in that stub's group; a run that hangs, or dies of
# SIGSEGV, is a failed check that says so within the time limit; --json
# writes the same score; nothing is left on the host. Results go to
# RESULTS.
set -u
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
result() { # result ok|FAIL DESC [DETAIL]
    printf '%-4s tools    [grade] %s\n' "$1" "$2" | tee -a "$RESULTS"
    [ "$1" = ok ] || [ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/     | /'
}
[ "$(id -u)" = 0 ] || { echo "skip tools    [grade] needs root"; exit 0; }
mkdir -p "$T/lessons"
cp -r "$TOP"/lesson[0-9][0-9]-* "$TOP/Makefile" "$T/"
cp -r "$TOP/lessons/tools" "$TOP/lessons/exercises" "$TOP/lessons/tests" \
    "$TOP/lessons/rootfs" "$T/lessons/"
ln -s "$TOP/build" "$T/build"
cd "$T" || exit 1
score() { sed -n 's/^score: //p' "$1"; } # score FILE: P/T
group() { # group FILE NAME: P/T of the group NAME
    sed -n "s/^$2: \([0-9]*\/[0-9]*\)$/\1/p" "$1"
}

bash lessons/tools/grade.sh 01 lesson01-uts --json "$T/solution.json" >"$T/solution" 2>&1
rc=$?
s=$(score "$T/solution")
if [ $rc = 0 ] && [ -n "$s" ] && [ "${s%/*}" = "${s#*/}" ]; then
    result ok "the solution gets full marks ($s) and exit 0"
else
    result FAIL "the solution gets full marks and exit 0" "status $rc: $(tail -n 20 "$T/solution")"
fi
if grep -q "\"score\": ${s%/*}, \"total\": ${s#*/}," "$T/solution.json" 2>/dev/null; then
    result ok "--json writes the same score"
else
    result FAIL "--json writes the same score" "$(head -c 300 "$T/solution.json" 2>&1)"
fi

sh lessons/tools/exercise.sh 01 >/dev/null 2>&1
bash lessons/tools/grade.sh 01 >"$T/skeleton" 2>&1
rc=$?
s0=$(score "$T/skeleton")
h0=$(group "$T/skeleton" "set_hostname() in run.c")
w0=$(group "$T/skeleton" "wait_child() in run.c")
if [ $rc != 0 ] && [ "${h0%/*}" = 0 ] && [ "${w0%/*}" = 0 ] && [ -n "$h0" ] && [ -n "$w0" ]; then
    result ok "the skeleton scores 0 in its stubs' groups ($h0, $w0), exit 1"
else
    result FAIL "the skeleton scores 0 in its stubs' groups, exit 1" \
        "status $rc, set_hostname $h0, wait_child $w0: $(head -n 30 "$T/skeleton")"
fi

# One stub filled in with the solution's body.
awk 'FNR == NR { if (/^set_hostname\(/) f = 1; if (f) body = body $0 "\n"; if (f && /^}/) f = 0; next }
    /^set_hostname\(/ { printf "%s", body; skip = 1; next }
    skip { if (/^}/) skip = 0; next }
    { print }' lesson01-uts/run.c exercises/lesson01/run.c >"$T/run.c" &&
    cp "$T/run.c" exercises/lesson01/run.c
bash lessons/tools/grade.sh 01 >"$T/one" 2>&1
s1=$(score "$T/one")
h1=$(group "$T/one" "set_hostname() in run.c")
if [ "${s1%/*}" -gt "${s0%/*}" ] && [ "${s1%/*}" -lt "${s%/*}" ] &&
    [ "${h1%/*}" -gt "${h0%/*}" ]; then
    result ok "one stub filled: $s0 < $s1 < $s, and more in its group ($h0 -> $h1)"
else
    result FAIL "one stub filled scores between, more in its group" \
        "skeleton $s0, one $s1, solution $s; set_hostname $h0 -> $h1"
fi

# A run that hangs, and one that dies of SIGSEGV.
for how in hang segv; do
    d=$T/$how
    mkdir -p "$d"
    case $how in
    hang) printf '#!/bin/sh\nsleep 1000\n' >"$d/run" ;;
    segv) printf '#!/bin/sh\nkill -SEGV $$\n' >"$d/run" ;;
    esac
    chmod +x "$d/run"
    printf 'run:\n\t@true\n' >"$d/Makefile" # run is there: up to date
    start=$(date +%s)
    GRADE_TIMEOUT=40 bash lessons/tools/grade.sh 01 "$d" >"$T/$how.out" 2>&1
    rc=$?
    took=$(($(date +%s) - start))
    case $how in
    hang) want='ended within 40 s' ;;
    segv) want='FAIL' ;;
    esac
    if [ $rc != 0 ] && grep -q "$want" "$T/$how.out" && [ $took -lt 240 ]; then
        result ok "a run that does $how: failed checks that say so, in ${took} s"
    else
        result FAIL "a run that does $how: failed checks that say so" \
            "status $rc in $took s: $(head -n 20 "$T/$how.out")"
    fi
done
left=$(ls /run/container-lessons 2>/dev/null; ls "$TOP/build/containers" 2>/dev/null)
if [ -z "$left" ]; then
    result ok "the host is clean after the grades"
else
    result FAIL "the host is clean after the grades" "$left"
fi
exit 0
