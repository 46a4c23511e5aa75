#!/usr/bin/env bash
# hosts.sh [quick]: the VM runs of `make test`, the hosts learners have.
#
#   kernel  arch   suite  cgroup hosts
#   6.1     amd64  host   v2 v1, v1 without devices, the runner's own tests
#   6.1     arm64  arch   v2: each lesson's own tests, all of them on
#                         lesson07, and the escape lab
#   5.10    amd64  host   v2
#   6.12    amd64  host   v2 v1 (a v1 host without v1 memory and cpuset)
#
# "quick" (make quick) runs the first line only. Each VM is one emulator
# thread (vmtest.sh), so as many run at once as there are CPUs, at most
# two; each run's output is shown when it ends. Results go to $RESULTS.
set -u
cd "$(dirname "$0")/../../.."
runs=("6.1 amd64 host v2 v1 v1-nodevices selftest")
if [ "${1:-}" != quick ]; then
    # The longest first, so that the two slots end close together.
    runs=("6.1 arm64 arch v2" "${runs[0]}" "5.10 amd64 host v2"
          "6.12 amd64 host v2 v1")
fi
slots=$(nproc)
[ "$slots" -gt 2 ] && slots=2
logs=build/vm/logs
mkdir -p "$logs"
rc=0 running=0

finish() { # wait for one run, show its log
    local st
    wait -n
    st=$?
    [ "$st" = 0 ] || rc=1
    running=$((running - 1))
    for f in "$logs"/*.done; do
        [ -e "$f" ] || continue
        cat "${f%.done}.log"
        rm -f "$f"
    done
}

for r in "${runs[@]}"; do
    set -- $r
    name=$1-$2
    [ "$running" -lt "$slots" ] || finish
    echo "vm: $1 $2 ($3 suite): ${*:4} (log: $logs/$name.log)"
    (KERNEL=$1 ARCH=$2 SUITE=$3 bash lessons/tools/vm/vmtest.sh "${@:4}" \
        >"$logs/$name.log" 2>&1
     st=$?
     touch "$logs/$name.done"
     exit $st) &
    running=$((running + 1))
done
while [ "$running" -gt 0 ]; do finish; done
exit $rc
