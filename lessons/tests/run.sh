#!/usr/bin/env bash
# run.sh: `make test`. Installs what is missing, builds every lesson, then
# runs the unit tests (cmocka), the integration tests (as root, each
# feature's file against every lesson that has the feature), the mount,
# network and cgroup tests again in VMs that are pure cgroup v2 and full
# cgroup v1 hosts, and the static checks (progression, generated diffs,
# format). Ends with one line:
# "N passed, N failed".
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

echo "== the same on pure cgroup v2 and full cgroup v1 hosts (qemu VMs)"
bash lessons/tools/vm/vmtest.sh v2 v1 selftest

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
