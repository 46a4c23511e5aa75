#!/usr/bin/env bash
# run.sh LESSON-DIR...: build the cmocka unit tests against each lesson's
# C files (or an exercise's, exercises/lessonNN) and run them; each test's
# result goes to RESULTS like the others. The lesson's number is in the
# directory's name (lesson05-cgroups, exercises/lesson05), or in
# UNIT_LESSON for a directory named otherwise (the grader's copies).
set -u
here=$(cd "$(dirname "$0")" && pwd)
wraps="-Wl,--wrap=exit,--wrap=_exit,--wrap=geteuid,--wrap=sethostname"
wraps="$wraps,--wrap=execvp,--wrap=send,--wrap=recv"
for dir in "$@"; do
    n=$(basename "$dir")
    n=${n#lesson}
    n=${n%%[-.]*}
    n=${UNIT_LESSON:-$n}
    bin=$here/test_run_lesson$n
    # One translation unit of all the lesson's files, so that the tests
    # reach their static functions too.
    for f in "$(cd "$dir" && pwd)"/*.c; do echo "#include \"$f\""; done >"$bin.src.c"
    if ! ${CC:-cc} -std=gnu11 -g -Wall -Wextra -Werror -Wno-unused-function \
        -DLESSON=$((10#$n)) -DLESSON_NAME="\"$dir\"" \
        -DLESSON_SRC="\"$bin.src.c\"" -o "$bin" "$here/test_run.c" \
        $wraps -lcmocka -lm; then
        echo "FAIL lesson$n [unit]     the unit tests build" | tee -a "$RESULTS"
        continue
    fi
    echo "ok   lesson$n [unit]     the unit tests build" | tee -a "$RESULTS"
    # cmocka prints "[       OK ] name" or "[  FAILED  ] name" per test,
    # and the failed names once more in its summary.
    "$bin" >"$bin.log" 2>&1 || cat "$bin.log"
    sed -nE "s/^\[ +OK \] (.*)/ok   lesson$n [unit]     \1/p;
             s/^\[  (FAILED|ERROR) +\] ([a-z_0-9]+)$/FAIL lesson$n [unit]     \2/p" \
        "$bin.log" | awk '!seen[$0]++' | tee -a "$RESULTS"
    # A crash ends the run before cmocka's summary.
    if grep -q '^\[==========\] .* run\.' "$bin.log"; then
        echo "ok   lesson$n [unit]     the unit tests ran to the end"
    else
        echo "FAIL lesson$n [unit]     the unit tests ran to the end"
    fi | tee -a "$RESULTS"
done
