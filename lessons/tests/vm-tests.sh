#!/usr/bin/env bash
# vm-tests.sh MODE: what runs inside the VM (lessons/tools/vm/init), as
# root on a pure cgroup v2 host or a full cgroup v1 one: the harness's own
# checks, then the mount, network, cgroup and image test files against every
# lesson that has them. Every line goes to the console with the prefix
# "CL-VM: ", for vmtest.sh to count the results among kernel messages.
set -u
cd "$(dirname "$0")/../.."
mode=$1
export RESULTS=/tmp/vm-results
: >"$RESULTS"
say() { echo "$1   harness [vm-$mode] $2" | tee -a "$RESULTS" | sed 's/^/CL-VM: /'; }

if [ "$mode" = v2 ]; then
    mkdir -p /tmp/v1
    if mount -t cgroup -o memory none /tmp/v1 2>/dev/null; then
        say FAIL "v2 host: a cgroup v1 mount is refused"
    else
        say ok "v2 host: a cgroup v1 mount is refused"
    fi
    [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] &&
        say ok "v2 host: /sys/fs/cgroup is cgroup2" ||
        say FAIL "v2 host: /sys/fs/cgroup is cgroup2"
else
    n=0
    for c in blkio cpu cpuacct cpuset devices freezer memory net_cls \
        net_prio hugetlb pids; do
        grep -Eq "^[0-9]+:([^:]*,)?$c(,[^:]*)?:" /proc/self/cgroup && n=$((n + 1))
    done
    [ "$n" = 11 ] && say ok "v1 host: all ten hierarchies and pids in /proc/self/cgroup" ||
        say FAIL "v1 host: all ten hierarchies and pids in /proc/self/cgroup ($n)"
fi

for dir in lesson0[3-9]-*; do
    n=${dir#lesson}
    n=${n%%-*}
    [ -x "$dir/run" ] || continue
    for t in lessons/tests/integration/0[3-9]-*.sh; do
        f=$(basename "$t")
        [ "${f%%-*}" -le "$n" ] || continue
        RUN=$PWD/$dir/run LESSON=$n bash "$t" 2>&1 | sed -u 's/^/CL-VM: /'
    done
done
# A host that forbids user namespaces: this VM may be changed so, the
# machine running the tests may not.
for dir in lesson0[7-9]-*; do
    [ -x "$dir/run" ] || continue
    echo 0 >/proc/sys/user/max_user_namespaces
    out=$(unshare -n "$dir/run" -q --net none true 2>&1)
    rc=$?
    echo 1000 >/proc/sys/user/max_user_namespaces
    if [ "$rc" = 125 ] && echo "$out" | grep -q 'forbids user namespaces'; then
        say ok "$dir: a host without user namespaces: 125, and says why"
    else
        say FAIL "$dir: a host without user namespaces: 125, and says why ($rc: $out)"
    fi
    out=$(unshare -n "$dir/run" -q --net none --no-userns true 2>&1)
    [ $? = 0 ] && say ok "$dir:   ... --no-userns runs there" ||
        say FAIL "$dir:   ... --no-userns runs there ($out)"
done
! grep -q '^FAIL' "$RESULTS"
