#!/usr/bin/env bash
# hosts.sh [quick]: the VM runs of `make test`, the hosts learners have.
#
#   kernel  arch   suite  cgroup hosts
#   6.1     amd64  lab    v2 v1 (and the escape lab), v1 without devices,
#                         the runner's own tests
#   6.1     arm64  arch   v2: each lesson's own tests, all of them on
#                         lesson07, and the escape lab
#   5.10    amd64  host   v2
#   6.12    amd64  host   v2 v1 (a v1 host without v1 memory and cpuset)
#
# "quick" (make quick) runs the first line only. Each host's initramfs is
# built once ("prepare"), then every VM is a job of its own: one emulator
# thread each (vmtest.sh), as many at once as there are CPUs, at most two,
# the longest first. Each job's output is shown when it ends; the results
# go to $RESULTS.
set -u
cd "$(dirname "$0")/../../.." || exit 1
hosts="6.1:amd64:lab"
# kernel:arch:suite:mode, the longest first (minutes on this machine's
# TCG: arm64 8, the others 5, the rest under one)
jobs="6.1:amd64:lab:v2 6.1:amd64:lab:v1"
if [ "${1:-}" != quick ]; then
    hosts="$hosts 6.1:arm64:arch 6.12:amd64:host 5.10:amd64:host"
    jobs="6.1:arm64:arch:v2 $jobs 6.12:amd64:host:v2 6.12:amd64:host:v1
          5.10:amd64:host:v2"
fi
jobs="$jobs 6.1:amd64:lab:selftest 6.1:amd64:lab:v1-nodevices"
slots=$(nproc)
[ "$slots" -gt 2 ] && slots=2
logs=build/vm/logs
mkdir -p "$logs"
rm -f "$logs"/*.done
rc=0 running=0

for h in $hosts; do
    IFS=: read -r k a s <<<"$h"
    echo "vm: preparing Linux $k on $a"
    KERNEL=$k ARCH=$a SUITE=$s bash lessons/tools/vm/vmtest.sh prepare || rc=1
done

finish() { # wait for one job, show the log of each that ended
    local f
    wait -n || rc=1
    running=$((running - 1))
    for f in "$logs"/*.done; do
        [ -e "$f" ] || continue
        cat "${f%.done}.log"
        rm -f "$f"
    done
}

for j in $jobs; do
    IFS=: read -r k a s m <<<"$j"
    name=$k-$a-$m
    [ "$running" -lt "$slots" ] || finish
    (KERNEL=$k ARCH=$a SUITE=$s VM_PREPARED=1 \
        bash lessons/tools/vm/vmtest.sh "$m" >"$logs/$name.log" 2>&1
     st=$?
     touch "$logs/$name.done"
     exit $st) &
    running=$((running + 1))
done
while [ "$running" -gt 0 ]; do finish; done
exit $rc
