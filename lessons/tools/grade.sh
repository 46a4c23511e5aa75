#!/usr/bin/env bash
# grade.sh: `make grade LESSON=NN [DIR=...]` (or `make gradeNN`), as root.
# Builds DIR (default exercises/lessonNN, what make exercise wrote; a
# lesson's own directory grades the solution), runs against its `run` the
# integration tests of lessons 01..NN and the lesson's unit tests, and
# prints a scorecard: a line a check, pass or fail, grouped by the stub of
# lessons/exercises/lessonNN.stubs it needs (its "checks:" pattern names
# them; the earlier lessons' checks, and the lesson's others, apart), for
# a failure its first hint (want and got), then "score: P/T". Exit 0 only
# when every check passes.
#
# A student's crash or leftover is a failed check of the tests' own (each
# container has a time limit, and every test file checks that nothing was
# left); a test file that does not end within GRADE_TIMEOUT seconds (600)
# is a failed check too. After the tests the grader reclaims what is left
# with lesson07's --cleanup, so the host is clean for the next student.
#
#   --json FILE   the same scorecard as JSON, for a teacher's script:
#                 {"lesson", "dir", "score", "total", "groups": [{"name",
#                 "checks": [{"test", "check", "ok", "hint"}]}]}
# Usage: grade.sh NN [DIR] [--json FILE]
set -u
cd "$(dirname "$0")/../.."
TOP=$PWD
n=${1:-}
shift || true
dir="" json=""
while [ $# -gt 0 ]; do
    case $1 in
    --json) json=${2:-}; shift 2 || shift ;;
    *) dir=$1; shift ;;
    esac
done
case $n in
[0-9]) n=0$n ;;
[0-9][0-9]) ;;
*) echo "usage: make grade LESSON=NN [DIR=exercises/lessonNN] [JSON=FILE]" >&2
   exit 2 ;;
esac
stubs=lessons/exercises/lesson$n.stubs
[ -f "$stubs" ] || { echo "grade: no lesson $n" >&2; exit 2; }
dir=${dir:-exercises/lesson$n}
dir=${dir%/}
[ -d "$dir" ] || { echo "grade: no $dir: make exercise LESSON=$n writes it" >&2; exit 2; }
if [ "$(id -u)" != 0 ]; then
    echo "grade: the tests run containers: sudo make grade LESSON=$n" >&2
    exit 2
fi
abs=$(cd "$dir" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
: >"$T/results"

# limited SECONDS OUT COMMAND...: COMMAND in a session of its own, its
# output in OUT; after SECONDS the whole session is killed (a hung
# container's processes too), and the status is 137.
limited() {
    local secs=$1 out=$2 pid timer rc
    shift 2
    setsid "$@" >"$out" 2>&1 &
    pid=$!
    setsid sh -c "sleep $secs && kill -KILL -- -$pid" >/dev/null 2>&1 &
    timer=$!
    wait "$pid"
    rc=$?
    kill -- -"$timer" 2>/dev/null
    wait "$timer" 2>/dev/null
    return $rc
}

make -s all >/dev/null 2>&1 # the rootfs, the image, lesson07 for --cleanup
if ! LC_ALL=C make -s -C "$dir" run >"$T/build" 2>&1; then
    echo "FAIL lesson$n [build]    $dir builds with its Makefile" >>"$T/results"
    sed 's/^/     | /' "$T/build" | head -n 20 >"$T/out-build"
else
    for t in lessons/tests/integration/[0-9][0-9]-*.sh; do
        f=$(basename "$t" .sh)
        [ "${f%%-*}" -le "$n" ] || continue
        limited "${GRADE_TIMEOUT:-600}" "$T/out-$f" env RESULTS="$T/results" \
            RUN="$abs/run" LESSON="$n" bash "$t" ||
            [ $? != 137 ] || echo "FAIL lesson$n [$f] the test file ended within" \
                "${GRADE_TIMEOUT:-600} s (a run hung)" >>"$T/results"
        "$TOP/lesson07-full/run" -q --cleanup >/dev/null 2>&1
    done
    limited 300 "$T/out-unit" env RESULTS="$T/results" \
        bash lessons/tests/unit/run.sh "$dir"
fi
"$TOP/lesson07-full/run" -q --cleanup >/dev/null 2>&1

# The scorecard: each result line to its group; the hint is the detail
# the test printed under it ("     | want: ...").
cat "$T"/out-* >"$T/out" 2>/dev/null
awk -v lesson="$n" -v dir="$dir" -v json="$json" -v stubs="$stubs" '
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, " ", s); return s }
BEGIN {
    while ((getline l < stubs) > 0) {
        if (l ~ /^stub /) { split(l, w, " "); ns++; gname[ns] = w[3] "() in " w[2] }
        if (l ~ /^checks: /) pat[ns] = substr(l, 9)
    }
    ng = ns
    gname[++ng] = "the rest of lesson" lesson; rest = ng
    gname[++ng] = "the lessons before"; before = ng
}
FILENAME ~ /\/out$/ {
    if ($0 ~ /^FAIL /) { key = $0; sub(/^FAIL +/, "", key); k = key; hintn[k] = 0; next }
    if ($0 ~ /^     \| / && k != "" && hintn[k] < 2) {
        h = $0; sub(/^     \| /, "", h)
        hint[k] = hint[k] (hint[k] == "" ? "" : "; ") h; hintn[k]++
        next
    }
    k = ""
    next
}
{
    ok = $1 == "ok"
    line = $0; sub(/^[A-Za-z]+ +/, "", line)
    test = line; sub(/^[^[]*\[/, "", test); sub(/\].*/, "", test)
    check = line; sub(/^[^]]*\] */, "", check)
    g = 0
    num = substr(test, 1, 2)
    if (test == "unit" || test == "build" || num == lesson) {
        for (i = 1; i <= ns; i++)
            if (pat[i] != "" && check ~ pat[i]) { g = i; break }
        if (g == 0) g = rest
    } else
        g = before
    nc[g]++; c_ok[g, nc[g]] = ok; c_test[g, nc[g]] = test; c_check[g, nc[g]] = check
    c_hint[g, nc[g]] = ok ? "" : hint[line]
    total++; score += ok
}
END {
    printf "grade: lesson%s, %s\n", lesson, dir
    for (g = 1; g <= ng; g++) {
        if (nc[g] == 0) continue
        p = 0; for (i = 1; i <= nc[g]; i++) p += c_ok[g, i]
        printf "\n%s: %d/%d\n", gname[g], p, nc[g]
        for (i = 1; i <= nc[g]; i++) {
            printf("  %-4s [%s] %s\n", (c_ok[g, i] ? "ok" : "FAIL"), c_test[g, i], c_check[g, i])
            if (!c_ok[g, i] && c_hint[g, i] != "")
                printf "         %s\n", c_hint[g, i]
        }
    }
    printf "\nscore: %d/%d\n", score, total
    if (json != "") {
        printf("{\"lesson\": \"%s\", \"dir\": \"%s\", \"score\": %d, \"total\": %d, \"groups\": [", lesson, esc(dir), score, total) > json
        first = 1
        for (g = 1; g <= ng; g++) {
            if (nc[g] == 0) continue
            printf("%s{\"name\": \"%s\", \"checks\": [", (first ? "" : ", "), esc(gname[g])) > json
            first = 0
            for (i = 1; i <= nc[g]; i++)
                printf("%s{\"test\": \"%s\", \"check\": \"%s\", \"ok\": %s, \"hint\": \"%s\"}", (i > 1 ? ", " : ""), esc(c_test[g, i]), esc(c_check[g, i]), (c_ok[g, i] ? "true" : "false"), esc(c_hint[g, i])) > json
            printf "]}" > json
        }
        printf "]}\n" > json
    }
    exit((score == total && total > 0) ? 0 : 1)
}' "$T/out" "$T/results"
