#!/usr/bin/env bash
# run.sh: `make test`. Installs what is missing, builds every lesson, then
# runs the unit tests (cmocka), the integration tests (as root, each
# feature's file against every lesson that has the feature), the tools'
# tests (nsgraph; progression and carry; make exercise; make grade; the
# Chinese course's check and its generated blocks), the
# mount, network, cgroup and image tests again in VMs that are pure
# cgroup v2 and full cgroup v1 hosts on Linux 5.10, 6.1 and 6.12, every
# lesson's tests on arm64 (lessons/tools/vm/hosts.sh), the tutorial's
# sessions recorded again in the v2 VM (lessons/tests/tools/sessions.sh),
# and the static checks (progression, generated diffs, format, diagrams,
# the Chinese course).
# Ends with one line: "N passed, N failed".
#
#   run.sh          everything (make test, CI)
#   run.sh quick    the VMs of Linux 6.1 on x86_64 only (make quick)
set -u
cd "$(dirname "$0")/../.."
TOP=$PWD
export RESULTS=$TOP/build/test-results
start=$(date +%s)

sh lessons/tools/deps.sh || exit 1
if [ "$(id -u)" != 0 ]; then
    echo "tests run containers: run them as root (sudo make test)" >&2
    exit 1
fi
make -s all >/dev/null || { echo "build failed" >&2; exit 1; }
mkdir -p build
: >"$RESULTS"

lessons=$(ls -d lesson[0-9][0-9]-*)
# What an earlier run that was killed left (cgroups, leases, bridges,
# container directories) is reclaimed first, as the lessons themselves do.
last=$(echo "$lessons" | tail -n1)
if "$last/run" --help | grep -q -- --cleanup; then
    "$last/run" -q --cleanup || true
fi
echo "== unit tests (cmocka)"
bash lessons/tests/unit/run.sh $lessons

echo "== integration tests (as root)"
for dir in $lessons; do
    n=${dir#lesson}
    n=${n%%-*}
    for t in lessons/tests/integration/[0-9][0-9]-*.sh; do
        f=$(basename "$t")
        [ "${f%%-*}" -le "$n" ] || continue
        RUN=$TOP/$dir/run LESSON=$n bash "$t"
    done
done

echo "== the escape lab (lessons/escapes/matrix)"
bash lessons/tests/escapes.sh

echo "== tools"
# nsgraph (lessons/tools/nsgraph.c): its cmocka unit tests, counted as
# lessons/tests/unit/run.sh counts them, then its picture of a running
# lesson06 container and of a lesson01 one.
bin=$TOP/build/test_nsgraph
if ${CC:-cc} -std=gnu11 -g -Wall -Wextra -Werror -Wno-unused-function \
    -o "$bin" lessons/tests/unit/test_nsgraph.c -lcmocka; then
    "$bin" >"$bin.log" 2>&1 || cat "$bin.log"
    sed -nE "s/^\[ +OK \] (.*)/ok   tools    [unit]     \1/p;
             s/^\[  (FAILED|ERROR) +\] ([a-z_0-9]+)$/FAIL tools    [unit]     \2/p" \
        "$bin.log" | awk '!seen[$0]++' | tee -a "$RESULTS"
    grep -q '^\[==========\] .* run\.' "$bin.log" ||
        echo "FAIL tools    [unit]     the nsgraph unit tests ran to the end" |
        tee -a "$RESULTS"
else
    echo "FAIL tools    [unit]     the nsgraph unit tests build" | tee -a "$RESULTS"
fi
bash lessons/tests/tools/progression.sh
bash lessons/tests/tools/exercise.sh
bash lessons/tests/tools/mkdiffs.sh
bash lessons/tests/tools/zh.sh
bash lessons/tests/tools/record.sh
# make grade: every lesson's solution, skeleton and one stub written.
bash lessons/tests/tools/grade.sh
RUN=$TOP/lesson06-unionfs/run LESSON=06 bash lessons/tests/tools/nsgraph.sh
RUN=$TOP/lesson01-uts/run LESSON=01 bash lessons/tests/tools/nsgraph.sh

echo "== the same on other hosts: cgroup v2 and v1, other kernels, arm64 (qemu VMs)"
bash lessons/tools/vm/hosts.sh ${1:-}
echo "== the tutorial's sessions, recorded again in the cgroup v2 VM (make sessions)"
bash lessons/tests/tools/sessions.sh

echo "== static checks"
bash lessons/tests/static.sh

pass=$(grep -c '^ok ' "$RESULTS")
fail=$(grep -c '^FAIL' "$RESULTS")
echo
if [ "$fail" -gt 0 ]; then
    echo "failed:"
    grep '^FAIL' "$RESULTS"
fi
echo "($(($(date +%s) - start)) s)"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
