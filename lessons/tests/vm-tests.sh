#!/usr/bin/env bash
# vm-tests.sh MODE SUITE: what runs inside the VM (lessons/tools/vm/init),
# as root on a pure cgroup v2 host or a full cgroup v1 one: the harness's
# own checks, then SUITE: "host", the mount, network, cgroup, image and
# hardening test files (03 on) against every lesson that has them; "arch",
# for a host of another architecture, where nothing else runs them: each
# lesson's own test file against it, every file against the last lesson,
# and the escape lab (emulated arm64 is too slow for every file against
# every lesson); "lab", "host" and the escape lab. Every line goes to the
# console with the prefix "CL-VM: ", for vmtest.sh to count the results
# among kernel messages.
set -u
cd "$(dirname "$0")/../.."
mode=$1
suite=${2:-host}
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
    # Every v1 controller this kernel has (the init lists what it lacks).
    n=0 want=0
    for c in blkio cpu cpuacct cpuset devices freezer memory net_cls \
        net_prio hugetlb pids; do
        grep -Eq "(^|,)$c(,|$)" /run/cl-v1-missing && continue
        want=$((want + 1))
        grep -Eq "^[0-9]+:([^:]*,)?$c(,[^:]*)?:" /proc/self/cgroup && n=$((n + 1))
    done
    missing=$(tr '\n' ' ' </run/cl-v1-missing)
    [ "$n" = "$want" ] &&
        say ok "v1 host: every v1 hierarchy the kernel has is in /proc/self/cgroup ($n${missing:+; not in this kernel: $missing})" ||
        say FAIL "v1 host: every v1 hierarchy the kernel has is in /proc/self/cgroup ($n of $want)"
    # make doctor names what the kernel lacks, as the lessons do.
    for c in $missing; do
        out=$(bash lessons/tools/doctor.sh 2>&1 | grep -A1 '^cgroup-v1')
        echo "$out" | grep -Eq "no cgroup v1.* $c( \(CONFIG_|:| )" &&
            say ok "v1 host: make doctor says the kernel has no v1 $c" ||
            say FAIL "v1 host: make doctor says the kernel has no v1 $c ($out)"
    done
fi

# A v1 host without the devices controller (cgroup_no_v1=devices): the
# lessons with cgroups refuse to start a container, and leave nothing.
if [ "$suite" = nodevices ]; then
    for dir in lesson0[5-9]-*; do
        out=$(unshare -n "$dir/run" -q --net none true 2>&1)
        rc=$?
        [ "$rc" = 125 ] && echo "$out" | grep -q 'no devices cgroup on this host' &&
            say ok "$dir: v1 without a devices cgroup: 125, and says why" ||
            say FAIL "$dir: v1 without a devices cgroup: 125, and says why ($rc: $out)"
        left=$(ls /run/container-lessons/*.ct 2>/dev/null
               find /sys/fs/cgroup -path '*container-lessons/*' -type d 2>/dev/null)
        [ -z "$left" ] && say ok "$dir:   ... no record or cgroup left" ||
            say FAIL "$dir:   ... no record or cgroup left ($left)"
    done
    ! grep -q '^FAIL' "$RESULTS"
    exit
fi

first=03
[ "$suite" = arch ] && first=01
last=$(ls -d lesson[0-9][0-9]-* | tail -n1)
for dir in lesson[0-9][0-9]-*; do
    n=${dir#lesson}
    n=${n%%-*}
    [ "$n" -ge "$first" ] && [ -x "$dir/run" ] || continue
    for t in lessons/tests/integration/[0-9][0-9]-*.sh; do
        f=$(basename "$t")
        [ "${f%%-*}" -le "$n" ] && [ "${f%%-*}" -ge "$first" ] || continue
        [ "$suite" = arch ] && [ "${f%%-*}" != "$n" ] && [ "$dir" != "$last" ] &&
            continue
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
if [ "$suite" = arch ] || [ "$suite" = lab ]; then
    bash lessons/tests/escapes.sh 2>&1 | sed -u 's/^/CL-VM: /'
fi
! grep -q '^FAIL' "$RESULTS"
