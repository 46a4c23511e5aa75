#!/usr/bin/env bash
# grade.sh: `make grade LESSON=NN [DIR=...]` (or `make gradeNN`), as root.
# Builds DIR (default exercises/lessonNN, what make exercise wrote; a
# lesson's own directory grades the solution), runs against its `run` the
# integration tests of lessons 01..NN and the unit tests (cmocka) of its
# files, and prints a scorecard: a line a check, pass or fail, grouped by
# the stub it depends on, for a failure its first hint (want and got),
# then "score: P/T". Exit 0 only when every check passes.
#
# Which check depends on which stub is measured, not guessed: the
# calibration (--calibrate NN, run when a lesson's tests or stubs change)
# grades the skeleton with every stub, then with each stub alone filled
# in from the solution, and writes lessons/exercises/lessonNN.checks, a
# line a check: the group it belongs to, then its key. A check that
# passes in the skeleton needs none of the stubs; one that passes once
# stub S alone is written belongs to S; one that needs more than one
# stub is grouped with all it needs. T is the number of lines there: a
# check the student's run never reached fails as "not reached".
#
# A student's crash, hang or leftover is a failed check: each container
# the tests start has a time limit, every test file checks that nothing
# was left, and a test file that does not end within GRADE_TIMEOUT seconds
# (600) is killed, with its processes, and fails "ends within". After
# each test file the grader removes what is left (sweep, below), so the
# host is clean for the next test and the next student, and what it had
# to remove is a failed check too.
#
#   --json FILE   the same scorecard as JSON, for a teacher's script:
#                 {"lesson", "dir", "score", "total", "groups": [{"name",
#                 "passed", "total", "checks": [{"test", "check", "ok",
#                 "hint"}]}]}
# Usage: grade.sh NN [DIR] [--json FILE]
#        grade.sh --calibrate NN
set -u
cd "$(dirname "$0")/../.."
TOP=$PWD
calibrate=""
[ "${1:-}" != --calibrate ] || { calibrate=1; shift; }
n=${1:-}
shift || true
dir="" json=""
while [ $# -gt 0 ]; do
    case $1 in
    --json) json=${2:-}; shift 2 || shift ;;
    *) dir=$1; shift ;;
    esac
done
usage="usage: make grade LESSON=NN [DIR=exercises/lessonNN] [JSON=FILE]"
case $n in
[0-9]) n=0$n ;;
[0-9][0-9]) ;;
*) echo "$usage" >&2; exit 2 ;;
esac
stubs=lessons/exercises/lesson$n.stubs
checks=lessons/exercises/lesson$n.checks
lesson=$(ls -d lesson"$n"-* 2>/dev/null | head -n1)
[ -f "$stubs" ] && [ -n "$lesson" ] || { echo "grade: no lesson $n" >&2; exit 2; }
if [ "$(id -u)" != 0 ]; then
    echo "grade: the tests run containers: sudo make grade LESSON=$n" >&2
    exit 2
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
limit=${GRADE_TIMEOUT:-600}

# limited SECONDS OUT COMMAND...: COMMAND in a session of its own, its
# output in OUT; after SECONDS the whole session is killed (a hung
# container's processes too), and the status is 137. SESSION is its ID,
# for sweep to kill what is left in it.
limited() {
    local secs=$1 out=$2 pid timer rc
    shift 2
    setsid "$@" >"$out" 2>&1 &
    pid=$!
    SESSION=$pid
    # dash's kill takes "-9 -PGID" (not "-KILL -- -PGID").
    setsid sh -c "sleep $secs && kill -9 -$pid" >/dev/null 2>&1 &
    timer=$!
    wait "$pid"
    rc=$?
    kill -- -"$timer" 2>/dev/null
    wait "$timer" 2>/dev/null
    return $rc
}

# sweep RUN: remove what containers of RUN left on the host, the objects
# the tests' "nothing left" looks for, and print a line for each: the
# processes still in the test's session (SESSION), what
# lesson07's --cleanup reclaims (a killed runtime's records and leases,
# its cgroups and directories among them), then the runtime's
# processes, the cgroups with the project's name (their processes killed
# first, the deepest first), the mounts of the rootfs or with the name
# (this is the host's mount namespace: only those mounts, detached), the
# container directories. Links go with each test's network namespace.
sweep() {
    local run=$1 p cg m build
    build=$(cd "$TOP/build" && pwd -P)
    # What is still exiting is given two seconds.
    for p in $(seq 20); do
        pgrep -s "$SESSION" >/dev/null || break
        sleep 0.1
    done
    for p in $(pgrep -s "$SESSION"); do
        m=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)
        kill -KILL "$p" 2>/dev/null && [ -n "$m" ] && echo "killed process $p, $m"
    done
    ls /run/container-lessons 2>/dev/null | sort >"$T/state"
    "$TOP/lesson07-full/run" -q --cleanup >/dev/null 2>&1
    ls /run/container-lessons 2>/dev/null | sort | comm -23 "$T/state" - |
        sed 's|^|reclaimed /run/container-lessons/|'
    for p in $(pgrep -f "^$run( |\$)"); do
        kill -KILL "$p" 2>/dev/null && echo "killed process $p, $run"
    done
    find /sys/fs/cgroup -depth -type d -path '*container-lessons*' 2>/dev/null |
        while read -r cg; do
            for p in $(cat "$cg/cgroup.procs" 2>/dev/null); do
                kill -KILL "$p" 2>/dev/null
            done
            for p in 1 2 3 4 5 6 7 8 9 10; do
                rmdir "$cg" 2>/dev/null && break
                sleep 0.1
            done
            echo "removed cgroup $cg"
        done
    awk '{ print $5 }' /proc/self/mountinfo |
        grep -E "^$build/(rootfs|containers)|container-lessons" |
        sort -r | while read -r m; do
            umount -l "$m" 2>/dev/null && echo "unmounted $m"
        done
    for m in "$build"/containers/*; do
        [ -e "$m" ] || continue
        rm -rf "$m" && echo "removed directory $m"
    done
}

# run_tests DIR OUT: build DIR, run the tests against it; OUT/results gets
# the result lines, OUT/out the output with the hints under each FAIL.
run_tests() {
    local d=$1 out=$2 abs t f check
    mkdir -p "$out"
    : >"$out/results"
    abs=$(cd "$d" && pwd)
    check="lesson$n [build]   the copy builds with its Makefile, without a warning"
    if ! LC_ALL=C make -s -C "$d" run >"$out/build" 2>&1; then
        echo "FAIL $check" >>"$out/results"
        { echo "FAIL $check"; sed 's/^/     | /' "$out/build" | head -n 3; } >"$out/out"
        return
    fi
    echo "ok   $check" >>"$out/results"
    for t in lessons/tests/integration/[0-9][0-9]-*.sh; do
        f=$(basename "$t" .sh)
        [ "${f%%-*}" -le "$n" ] || continue
        if limited "$limit" "$out/out-$f" env RESULTS="$out/results" \
            RUN="$abs/run" LESSON="$n" bash "$t" || [ $? != 137 ]; then
            echo "ok   lesson$n [$f] the test file ends within $limit s"
        else
            echo "FAIL lesson$n [$f] the test file ends within $limit s"
            echo "     | a run hung: the grader stopped it after $limit s"
        fi >>"$out/out-$f"
        sweep "$abs/run" >"$out/left-$f"
        if [ -s "$out/left-$f" ]; then
            echo "FAIL lesson$n [$f] the grader found nothing left to remove"
            sed 's/^/     | left: /' "$out/left-$f"
        else
            echo "ok   lesson$n [$f] the grader found nothing left to remove"
        fi >>"$out/out-$f"
        grep -E "^[a-zA-Z]+ +lesson$n \[$f\] the (test file ends|grader found)" \
            "$out/out-$f" >>"$out/results"
    done
    limited 300 "$out/out-unit" env RESULTS="$out/results" UNIT_LESSON="$n" \
        bash lessons/tests/unit/run.sh "$d"
    sweep "$abs/run" >/dev/null
    cat "$out"/out-* >"$out/out" 2>/dev/null
}

# keys OUT: a line a check of OUT's results, "KEY<TAB>ok|FAIL<TAB>TEST
# <TAB>CHECK<TAB>HINT". The key names a check the same way in every run:
# its test, its words with the numbers that vary (PIDs, times, inodes)
# masked, the check before it for a "..." check that continues one, and
# how many came before it of the same name.
keys() {
    awk '
    FILENAME ~ /\/out$/ {
        if ($0 ~ /^FAIL /) { k = $0; sub(/^FAIL +/, "", k); hintn[k] = 0; next }
        if ($0 ~ /^     \| / && k != "" && hintn[k] < 2) {
            h = $0; sub(/^     \| /, "", h)
            hint[k] = hint[k] (hint[k] == "" ? "" : "; ") h; hintn[k]++
            next
        }
        k = ""
        next
    }
    /^(ok|FAIL) / {
        ok = $1
        line = $0; sub(/^[A-Za-z]+ +/, "", line)
        test = line; sub(/^[^[]*\[/, "", test); sub(/\].*/, "", test)
        check = line; sub(/^[^]]*\] */, "", check)
        if (check ~ /^\.\.\. /) name = parent[test] " " check
        else { name = check; parent[test] = check }
        gsub(/[0-9]+/, "N", name)
        seen[test, name]++
        printf "%s|%s|%d\t%s\t%s\t%s\t%s\n", test, name, seen[test, name], ok,
            test, check, hint[line]
    }' "$1/out" "$1/results"
}

stub_funcs() { sed -n 's/^stub [^ ]* //p' "$stubs"; }

if [ -n "$calibrate" ]; then
    # The copies are made beside a build/ that is the tree's, where the
    # lessons look for their rootfs.
    make -s all >/dev/null 2>&1 || { echo "grade: make all failed" >&2; exit 1; }
    ln -s "$TOP/build" "$T/build"
    funcs=$(stub_funcs)
    echo "calibrate lesson$n: the solution"
    run_tests "$lesson" "$T/r-solution"
    keys "$T/r-solution" >"$T/k-solution"
    if grep -q '	FAIL	' "$T/k-solution"; then
        echo "grade: the solution, $lesson, fails:" >&2
        awk -F'\t' '$2 == "FAIL" { print "  [" $3 "] " $4 "\n    " $5 }' \
            "$T/k-solution" >&2
        exit 1
    fi
    # Every stub; each stub alone written; where there are more than two
    # stubs, every stub but one, to name what a check needs together.
    set -- skeleton "$funcs"
    for f in $funcs; do
        set -- "$@" "only-$f" "$(echo $funcs | tr ' ' '\n' | grep -vx "$f")"
    done
    if [ "$(echo $funcs | wc -w)" -gt 2 ]; then
        for f in $funcs; do set -- "$@" "without-$f" "$f"; done
    fi
    while [ $# -gt 0 ]; do
        echo "calibrate lesson$n: $1"
        sh lessons/tools/exercise.sh "$n" --to "$T/$1" --only "$(echo $2)" ||
            exit 1
        run_tests "$T/$1" "$T/r-$1"
        keys "$T/r-$1" >"$T/k-$1"
        shift 2
    done
    {
        echo "# lesson$n's checks, grouped by the stub each needs: written by"
        echo "# lessons/tools/grade.sh --calibrate $n from the runs it made; do not edit."
        echo "# GROUP<TAB>KEY (test|check, numbers as N|how many came before)<TAB>CHECK"
        echo "# [<TAB>accident: passes in the skeleton, fails with a stub written]"
        awk -F'\t' -v funcs="$funcs" -v lesson="$n" -v dir="$T" -v stubs="$stubs" '
        BEGIN {
            nf = split(funcs, f, /[ \n]+/)
            while ((getline l < stubs) > 0)
                if (l ~ /^stub /) { split(l, w, " "); sname[w[3]] = w[3] "() in " w[2] }
            while ((getline l < (dir "/k-skeleton")) > 0) {
                split(l, a, "\t"); skel[a[1]] = a[2]
            }
            for (i = 1; i <= nf; i++) {
                while ((getline l < (dir "/k-only-" f[i])) > 0) {
                    split(l, a, "\t"); only[f[i], a[1]] = a[2]
                }
                file = dir "/k-without-" f[i]
                while ((getline l < file) > 0) {
                    split(l, a, "\t"); without[f[i], a[1]] = a[2]; has_without = 1
                }
            }
        }
        {
            key = $1; g = ""; accident = ""
            if (skel[key] == "ok") {
                g = ($3 + 0 < lesson + 0 && $3 ~ /^[0-9]/) ? "the lessons before" \
                    : "the rest of lesson" lesson
                # Passes in the skeleton, but not with some stub written:
                # by accident (a stub that stops the run gives the status
                # a refusal would). Marked, for the tests.
                for (i = 1; i <= nf; i++)
                    if (only[f[i], key] != "ok" && nf > 1) accident = "\taccident"
            }
            else {
                for (i = 1; i <= nf; i++)
                    if (only[f[i], key] == "ok")
                        g = g (g == "" ? "" : " or ") sname[f[i]]
                if (g == "") {
                    for (i = 1; i <= nf; i++)
                        if (!has_without || without[f[i], key] != "ok")
                            g = g (g == "" ? "" : " + ") f[i] "()"
                    g = g " together"
                }
            }
            printf "%s\t%s\t%s%s\n", g, key, $4, accident
        }' "$T/k-solution"
    } >"$checks"
    echo "calibrate lesson$n: $checks, $(grep -vc '^#' "$checks") checks:"
    grep -v '^#' "$checks" | cut -f1 | sort | uniq -c
    exit 0
fi

dir=${dir:-exercises/lesson$n}
dir=${dir%/}
[ -d "$dir" ] || { echo "grade: no $dir: make exercise LESSON=$n writes it" >&2; exit 2; }
[ -f "$checks" ] || { echo "grade: no $checks: grade.sh --calibrate $n" >&2; exit 2; }
make -s all >/dev/null 2>&1 # the rootfs, the image, lesson07 for --cleanup
run_tests "$dir" "$T/r"
keys "$T/r" >"$T/k"

# The scorecard: the calibrated checks in their groups, in the order of
# the file; what the run printed for each, or "not reached".
awk -F'\t' -v lesson="$n" -v dir="$dir" -v json="$json" -v ran="$T/k" '
function esc(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, " ", s); return s }
BEGIN {
    while ((getline l < ran) > 0) {
        split(l, a, "\t"); got[a[1]] = a[2]; shown[a[1]] = a[4]; hint[a[1]] = a[5]
        order[++nran] = a[1]; test_of[a[1]] = a[3]
    }
}
/^#/ { next }
{
    g = $1; key = $2
    if (!(g in gi)) { gi[g] = ++ng; gname[ng] = g }
    i = gi[g]; c = ++nc[i]
    split(key, kp, "|"); c_test[i, c] = kp[1]
    c_check[i, c] = (key in shown) ? shown[key] : $3
    # (key in got) before got[key]: reading an awk array makes the entry.
    if (!(key in got)) {
        c_ok[i, c] = 0
        c_hint[i, c] = "not reached: the test stopped before it (see its first failure)"
    } else if (got[key] == "ok") { c_ok[i, c] = 1; c_hint[i, c] = "" }
    else { c_ok[i, c] = 0; c_hint[i, c] = hint[key] }
    known[key] = 1
    total++; score += c_ok[i, c]
}
END {
    # What the run checked that the calibration does not know: the tests
    # are newer than lessonNN.checks. Shown, not scored.
    for (j = 1; j <= nran; j++)
        if (!(order[j] in known)) extra[++nextra] = order[j]
    printf "grade: lesson%s, %s\n", lesson, dir
    for (i = 1; i <= ng; i++) {
        p = 0; for (c = 1; c <= nc[i]; c++) p += c_ok[i, c]
        printf "\n%s: %d/%d\n", gname[i], p, nc[i]
        for (c = 1; c <= nc[i]; c++) {
            printf("  %-4s [%s] %s\n", (c_ok[i, c] ? "ok" : "FAIL"), c_test[i, c], c_check[i, c])
            if (!c_ok[i, c] && c_hint[i, c] != "")
                printf "         %s\n", c_hint[i, c]
        }
    }
    if (nextra) {
        printf "\nnot scored, unknown to lessons/exercises/lesson%s.checks (grade.sh --calibrate %s): %d\n", lesson, lesson, nextra
        for (j = 1; j <= nextra; j++)
            printf("  %-4s [%s] %s\n", got[extra[j]], test_of[extra[j]], shown[extra[j]])
    }
    printf "\nscore: %d/%d\n", score, total
    if (json != "") {
        printf("{\"lesson\": \"%s\", \"dir\": \"%s\", \"score\": %d, \"total\": %d, \"groups\": [", lesson, esc(dir), score, total) > json
        for (i = 1; i <= ng; i++) {
            p = 0; for (c = 1; c <= nc[i]; c++) p += c_ok[i, c]
            printf("%s{\"name\": \"%s\", \"passed\": %d, \"total\": %d, \"checks\": [", (i > 1 ? ", " : ""), esc(gname[i]), p, nc[i]) > json
            for (c = 1; c <= nc[i]; c++)
                printf("%s{\"test\": \"%s\", \"check\": \"%s\", \"ok\": %s, \"hint\": \"%s\"}", (c > 1 ? ", " : ""), esc(c_test[i, c]), esc(c_check[i, c]), (c_ok[i, c] ? "true" : "false"), esc(c_hint[i, c])) > json
            printf "]}" > json
        }
        printf "]}\n" > json
    }
    exit((score == total && total > 0 && nextra == 0) ? 0 : 1)
}' "$checks"
