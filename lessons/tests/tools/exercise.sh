#!/usr/bin/env bash
# make exercise (lessons/tools/exercise.sh), for every lesson, in a copy
# of the tree's lessons and tools of the test's own (the tree's exercises/
# is the student's and is never touched): the copy is the lesson but for
# its stubs, which every lessons/exercises/lessonNN.stubs function is and
# nothing else; it builds with the lesson's Makefile and -Werror, its
# --help works, and a run that reaches a stub says "TODO lessonNN:
# FUNCTION()" and goes on without it, or ends with 125 where the stub
# stops the run; a second make exercise keeps the copy,
# FORCE=1 saves it beside and starts over. Results go to RESULTS.
TOOL=exercise
. "$(dirname "$0")/lib.sh"
# The tree's lessons and tools; build/ is the tree's, for the rootfs.
mkdir -p "$T/lessons"
cp -r "$TOP"/lesson[0-9][0-9]-* "$T/"
cp -r "$TOP/lessons/tools" "$TOP/lessons/exercises" "$T/lessons/"
cp "$TOP/.clang-format" "$T/" 2>/dev/null
ln -s "$TOP/build" "$T/build"
cd "$T" || exit 1
rm -f lesson*/run

# A command that reaches each lesson's first stub, and the stub it reaches.
reach() { # reach NN: ARGS for run
    case $1 in
    01) echo "true" ;;
    02) echo "--init true" ;;
    03) echo "true" ;;
    04) echo "true" ;;
    05) echo "true" ;;
    06) echo "--image $TOP/build/image/manifest true" ;;
    07) echo "true" ;;
    esac
}
for dir in lesson[0-9][0-9]-*; do
    n=${dir#lesson}
    n=${n%%-*}
    stubs=lessons/exercises/lesson$n.stubs
    if ! out=$(sh lessons/tools/exercise.sh "$n" 2>&1); then
        result FAIL "lesson$n: make exercise makes the copy" "$out"
        continue
    fi
    ex=exercises/lesson$n
    # Every function the stubs name is a stub, and no other changed.
    want=$(grep '^stub ' "$stubs" | awk '{print $2 ":" $3}' | sort)
    got=$(for f in "$ex"/*.c; do
        b=$(basename "$f")
        [ "$b" = todo.c ] && continue
        awk -v b="$b" '/^[A-Za-z_][A-Za-z0-9_]*\(/ { fn = $0; sub(/\(.*/, "", fn) }
            /^    todo(_stop)?\("lesson/ { print b ":" fn }' "$f"
    done | sort)
    if [ "$want" = "$got" ]; then
        result ok "lesson$n: its stubs are the .stubs file's functions ($(echo $want | wc -w))"
    else
        result FAIL "lesson$n: its stubs are the .stubs file's functions" \
            "want: $(echo $want)
got:  $(echo $got)"
    fi
    other=$(for f in "$dir"/*.c "$dir"/*.h; do
        b=$(basename "$f")
        if ! grep -q "^stub $b " "$stubs"; then
            cmp -s "$f" "$ex/$b" || echo "$b"
        fi
    done)
    if [ -z "$other" ]; then
        result ok "lesson$n: every other file is the lesson's own"
    else
        result FAIL "lesson$n: every other file is the lesson's own" "differ: $other"
    fi
    if out=$(LC_ALL=C make -C "$ex" run 2>&1) && ! echo "$out" | grep -q warning; then
        result ok "lesson$n: the copy builds with the lesson's Makefile, no warning"
    else
        result FAIL "lesson$n: the copy builds with the lesson's Makefile, no warning" "$out"
        continue
    fi
    out=$("$ex/run" --help 2>&1)
    case $out in
    "usage: run "*) result ok "lesson$n: the copy runs: --help" ;;
    *) result FAIL "lesson$n: the copy runs: --help" "$out" ;;
    esac
    if [ "$(id -u)" = 0 ]; then
        # shellcheck disable=SC2046
        err=$(timeout -s KILL 30 "$ex/run" -q $(reach "$n") 2>&1 >/dev/null)
        rc=$?
        # A stub that returns nothing goes on without its step; one that
        # returns a value or never returns stops the run with 125.
        stops=$(echo "$err" | grep '^run: TODO' | grep -vc 'the run goes on without it')
        if echo "$err" | grep -q "^run: TODO lesson$n: [a-z_]*() is yours to write" &&
            { [ "$stops" = 0 ] || [ $rc = 125 ]; }; then
            result ok "lesson$n: a run that reaches a stub says TODO and which (status $rc)"
        else
            result FAIL "lesson$n: a run that reaches a stub says TODO and which" \
                "status $rc (125 if it stopped), stderr: $err"
        fi
    fi
done
# What a run that reached a stub left, the lessons reclaim (and the
# integration tests' "nothing left" checks would find it).
[ "$(id -u)" = 0 ] && "$TOP/lesson07-full/run" -q --cleanup >/dev/null 2>&1

# The student's work is kept.
echo "/* mine */" >>exercises/lesson05/cgroup.c
out=$(sh lessons/tools/exercise.sh 05 2>&1)
rc=$?
if [ $rc != 0 ] && grep -q '^/\* mine \*/' exercises/lesson05/cgroup.c; then
    result ok "make exercise05 again keeps the copy, and says so"
else
    result FAIL "make exercise05 again keeps the copy, and says so" "status $rc: $out"
fi
out=$(sh lessons/tools/exercise.sh 05 --force 2>&1)
saved=$(ls -d exercises/lesson05.saved-* 2>/dev/null | head -n1)
if [ -n "$saved" ] && grep -q '^/\* mine \*/' "$saved/cgroup.c" &&
    ! grep -q '^/\* mine \*/' exercises/lesson05/cgroup.c; then
    result ok "FORCE=1 starts over, the old copy saved beside it"
else
    result FAIL "FORCE=1 starts over, the old copy saved beside it" "$out"
fi
exit 0
