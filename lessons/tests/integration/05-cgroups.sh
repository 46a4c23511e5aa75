#!/usr/bin/env bash
# Lesson 05, cgroups: each subsystem's limit is in the container's control
# files, and the kernel enforces it. Run against lesson05 and later. The
# cgroups go under container-lessons beneath the test's own cgroup (v1) or
# at /sys/fs/cgroup/container-lessons (v2), never beside anything else.
. "$(dirname "$0")/../lib.sh"

# The control file CTL's FILE of the running container (RT, CT from
# ct_bg): its cgroup from /proc/CT/cgroup, the hierarchy's mount point from
# the runtime's own mountinfo (it mounts what the host lacks in a mount
# namespace of its own), read through /proc/RT/root.
cgfile() { # cgfile CTL FILE
    local rel mnt
    if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
        rel=$(sed -n 's/^0:://p' "/proc/$CT/cgroup")
        mnt=/sys/fs/cgroup
    else
        rel=$(awk -F: -v c="$1" '{ n = split($2, a, ",");
            for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$CT/cgroup")
        mnt=$(awk -v c="$1" '$0 ~ " - cgroup " { n = split($NF, a, ",");
            for (i = 1; i <= n; i++) if (a[i] == c) print $5 }' "/proc/$RT/mountinfo")
    fi
    echo "/proc/$RT/root$mnt$rel/$2"
}
v2() { [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; }
our_cgroups() { find /sys/fs/cgroup -path '*container-lessons*' -type d 2>/dev/null; }
# A v1 host whose kernel lacks controller CTL's v1 hierarchy (since Linux
# 6.11 memory and cpuset may be v2 only): neither mounted nor mountable.
v1_lacks() { # v1_lacks CTL
    ! v2 && ! grep -Eq "^[0-9]+:([^:]*,)?$1(,[^:]*)?:" /proc/self/cgroup &&
        ! unshare -m sh -c "mkdir -p $TMP/v1 && mount -t cgroup -o $1 none $TMP/v1" \
            2>/dev/null
}
stop_bg() { { kill -KILL "$RT"; wait "$RT"; } 2>/dev/null; "$RUN" -q --cleanup; }

# memory: the limit, then the OOM killer.
if v1_lacks memory; then
    ct -q --memory 32M true
    expect_eq "memory: a kernel without v1 memory: the container runs" 0 "$RC"
    ct --memory 32M true
    expect_match "  ... and the runtime says what it could not limit" \
        'this kernel has no cgroup v1 memory \(CONFIG_MEMCG_V1\)' "$ERR"
else
    ct_bg sleep --memory 32M --memory-swap 32M sleep 5
    if v2; then f=memory.max; else f=memory.limit_in_bytes; fi
    expect_eq "memory: $f is 32M" 33554432 "$(cat "$(cgfile memory $f)")"
    kill -TERM "$RT"; kill -TERM "$RT"; ct_wait 5
    ct --memory 32M --memory-swap 32M hog mem 200
    expect_eq "memory: a hog is OOM-killed (137)" 137 "$RC"
    expect_match "  ... and the OOM counter moved" 'OOM kills [1-9]' "$ERR"
fi

# pids: a default limit, as podman's; max lifts it.
ct_bg sleep -v sleep 5
expect_eq "pids: without --pids-limit, pids.max is 2048" 2048 \
    "$(cat "$(cgfile pids pids.max)")"
expect_match "  ... and the narration says it is the default" \
    'pids.max 2048: the default' "$(cat "$TMP/bg.err")"
expect_eq "  ... (its record is root's alone: 0600)" 600 \
    "$(stat -c %a "/run/container-lessons/cl-$RT.ct")"
kill -TERM "$RT"; kill -TERM "$RT"; ct_wait 5
ct_bg sleep --pids-limit max sleep 5
expect_eq "  ... --pids-limit max: pids.max is max" max \
    "$(cat "$(cgfile pids pids.max)")"
kill -TERM "$RT"; kill -TERM "$RT"; ct_wait 5

# pids: a fork bomb stops at pids.max; the host still forks.
ct -q --pids-limit 16 hog fork 200
expect_match "pids: a fork bomb stops at pids.max" \
    '^fork 1[0-9] failed: Resource temporarily unavailable' "$OUT"
expect_true "  ... while the host still forks" /bin/true

# cpu: the quota throttles; cpuacct counts the time. The hog spins until
# it is stopped: on a slow host (an emulator) its files are still there.
ct_bg hog --cpus 0.2 --cpu-shares 512 hog cpu 60
sleep 1.5
if v2; then
    expect_eq "cpu: cpu.max is 20000 100000" "20000 100000" \
        "$(cat "$(cgfile cpu cpu.max)")"
    expect_eq "  ... cpu.weight from 512 shares is 59" 59 \
        "$(cat "$(cgfile cpu cpu.weight)")"
else
    expect_eq "cpu: cpu.cfs_quota_us is 20000" 20000 \
        "$(cat "$(cgfile cpu cpu.cfs_quota_us)")"
    expect_eq "  ... cpu.shares is 512" 512 "$(cat "$(cgfile cpu cpu.shares)")"
fi
throttled=$(awk '$1 == "nr_throttled" {print $2}' "$(cgfile cpu cpu.stat)")
expect_true "  ... and throttles (nr_throttled ${throttled:-unread: no cpu.stat} > 0)" \
    test "${throttled:-0}" -gt 0
kill -TERM "$RT"; kill -TERM "$RT"; ct_wait 5
ct hog cpu 1
expect_match "cpuacct: a busy second is counted at exit" \
    'usage: CPU time 0\.[1-9][0-9]* s|usage: CPU time [1-9]' "$ERR"

# cpuset: pinned.
last=$(($(nproc) - 1))
ct -q --cpuset-cpus "$last" grep Cpus_allowed_list /proc/self/status
if v1_lacks cpuset; then
    expect_eq "cpuset: a kernel without v1 cpuset: the container runs" 0 "$RC"
    ct --cpuset-cpus "$last" true
    expect_match "  ... and the runtime says what it could not limit" \
        'this kernel has no cgroup v1 cpuset \(CONFIG_CPUSETS_V1\)' "$ERR"
else
    expect_match "cpuset: --cpuset-cpus $last pins the container" \
        "Cpus_allowed_list:[[:space:]]+$last\$" "$OUT"
fi

# devices: only the allowed ones.
ct -q sh -c 'echo x >/dev/null && head -c 1 /dev/zero | wc -c'
expect_eq "devices: /dev/null and /dev/zero work" 1 "$OUT"
ct -q mknod /dev/mem c 1 1
expect_match "devices: mknod of /dev/mem is refused (EPERM)" \
    'Operation not permitted' "$ERR"
ct -q --device 'c 1:1 m' sh -c 'mknod /dev/mem c 1 1 && head -c 1 /dev/mem'
expect_match "  ... allowed to mknod (m) it, opening it is still refused" \
    'Operation not permitted' "$ERR"

# freezer: a file that grows stops while frozen and goes on when thawed.
ct_bg sh --name t05-frz sh -c 'while :; do echo >>/tmp/n; done'
size() { stat -c %s "/proc/$CT/root/tmp/n"; }
sleep 0.3
ct -q --freeze t05-frz
expect_eq "freezer: --freeze: status 0" 0 "$RC"
a=$(size); sleep 0.3; b=$(size)
expect_true "  ... the frozen file stands still ($a, $b bytes)" \
    test "$a" -gt 0 -a "$a" = "$b"
if ! v2; then
    expect_eq "  ... freezer.state is FROZEN" FROZEN \
        "$(cat "$(cgfile freezer freezer.state)")"
fi
ct -q --thaw t05-frz
sleep 0.3; c=$(size)
expect_true "  ... --thaw: it grows again ($b, $c bytes)" test "$c" -gt "$b"
kill -KILL "$CT"; ct_wait 5
ct -q --freeze no-such-container
expect_eq "  ... --freeze of an unknown name: 125" 125 "$RC"

# net_cls, net_prio, hugetlb: no v2 controller for the first two.
ct_bg sleep --net-classid 0x100001 --net-prio eth0=5 --hugetlb 2MB:4M sleep 5
if v2; then
    expect_match "net_cls, net_prio on v2: said, not skipped silently" \
        'no net_cls or net_prio controller' "$(cat "$TMP/bg.err")"
    expect_eq "hugetlb: hugetlb.2MB.max is 4M" 4194304 \
        "$(cat "$(cgfile hugetlb hugetlb.2MB.max)")"
else
    expect_eq "net_cls: net_cls.classid reads back" 1048577 \
        "$(cat "$(cgfile net_cls net_cls.classid)")"
    # Before Linux 6.2 or so net_prio names only the first namespace's
    # interfaces: then the runtime must say that it could not apply it.
    expect_match "net_prio: ifpriomap has eth0 5, or the runtime says why not" \
        '^eth0 5$|is not applied: this kernel looks' \
        "$(nsenter -t "$CT" -n cat "$(cgfile net_prio net_prio.ifpriomap)"
           cat "$TMP/bg.err")"
    expect_eq "hugetlb: hugetlb.2MB.limit_in_bytes is 4M" 4194304 \
        "$(cat "$(cgfile hugetlb hugetlb.2MB.limit_in_bytes)")"
fi
kill -TERM "$RT"; kill -TERM "$RT"; ct_wait 5

# blkio: a read throttle of 1 MiB/s on a loop device holds dd near it.
truncate -s 8M "$TMP/disk"
if loop=$(losetup -f --show "$TMP/disk"); then
    set -- $(stat -c '%t %T' "$loop")
    set -- $((16#$1)) $((16#$2))
    start=$(date +%s%N)
    # lesson07: no mknod in a user namespace; the host's root may.
    nouserns=""
    [ "$LESSON" -lt 07 ] || nouserns=--no-userns
    ct -q $nouserns --device-read-bps "$loop:1M" --device "b $1:$2 rm" \
        sh -c "mknod /dev/blk b $1 $2 &&
            dd if=/dev/blk of=/dev/null bs=256k count=8 iflag=direct 2>&1"
    ms=$((($(date +%s%N) - start) / 1000000))
    losetup -d "$loop"
    expect_eq "blkio: dd through a 1 MiB/s throttle succeeds" 0 "$RC"
    expect_true "  ... and takes about 2 s for 2 MiB (${ms} ms)" \
        test "$ms" -ge 1500 -a "$ms" -lt 6000
else
    result FAIL "blkio: a loop device for the throttle (losetup -f)"
fi

# Bad input: one clear error, nothing created.
for bad in "--memory 12XB" "--cpus 0" "--cpus 999" "--cpuset-cpus 999" \
    "--pids-limit 0" "--pids-limit -3" "--device x_1:3_r" \
    "--hugetlb 3MB:4M" "--memory-swap 1M --memory 8M" "--blkio-weight 5"; do
    ct -q ${bad//_/ } true
    expect_eq "bad input $bad: 125" 125 "$RC"
done
expect_eq "  ... and no cgroup was made" "" "$(our_cgroups)"

# Forged records: --cleanup trusts only root's own 0600 files whose cgroups
# end in the container's name; the others are refused, nothing killed. The
# victim is a process in a cgroup of the test's own (pids: every host has
# it), where a record that was followed would point --cleanup.
if v2; then
    vdir=/sys/fs/cgroup/container-lessons/t05-forged vctl=cgroup2
    vrel=/container-lessons/t05-forged
else
    own=$(awk -F: '$2 ~ /(^|,)pids(,|$)/ {print $3}' /proc/self/cgroup)
    [ "$own" = / ] && own=""
    vrel=$own/container-lessons/t05-forged vctl=pids
    vdir=/sys/fs/cgroup/pids$vrel
fi
mkdir -p "$vdir"
sleep 60 &
victim=$!
echo "$victim" >"$vdir/cgroup.procs"
rec=/run/container-lessons/t05-forged.ct
printf '1 1\n%s %s\n' "$vctl" "$vrel" >"$TMP/forged"
chmod 600 "$TMP/forged"
ln -s "$TMP/forged" "$rec"
ct --cleanup
expect_match "a record that is a symlink: refused, and says why" \
    "refusing $rec: it is a symlink" "$ERR"
rm -f "$rec"
cp "$TMP/forged" "$rec" && chmod 666 "$rec"
ct --cleanup
expect_match "a world-writable record: refused" \
    "refusing $rec: others may write it" "$ERR"
printf '1 1\n%s %s\n' "$vctl" "$vrel/../t05-forged" >"$rec" && chmod 600 "$rec"
ct --cleanup
expect_match "a record naming a cgroup with ..: refused" \
    "refusing $rec: its cgroup .* is not the container's own" "$ERR"
printf '1 1\n%s %s\n' "$vctl" "${vrel%/*}" >"$rec"
ct --cleanup
expect_match "a record naming a cgroup not its own: refused" \
    "refusing $rec: its cgroup .* is not the container's own" "$ERR"
expect_true "  ... and nothing was killed" kill -0 "$victim"
rm -f "$rec"
kill "$victim"; wait "$victim" 2>/dev/null
rmdir "$vdir" "${vdir%/*}" 2>/dev/null
expect_eq "  ... records are made 0600, the state directory 0700" "700" \
    "$(stat -c %a /run/container-lessons)"

# A killed runtime's cgroups: --cleanup removes them, and the ones in the
# hierarchies only the runtime mounts.
ct_bg sleep --name t05-kill sleep 30
{ kill -KILL "$RT"; wait "$RT"; } 2>/dev/null
sleep 0.2
if v2; then
    expect_true "the killed runtime left its cgroup" test -n "$(our_cgroups)"
else
    expect_true "the killed runtime left its cgroups" test -n "$(our_cgroups)"
fi
ct --cleanup
expect_match "--cleanup reclaims them" 'reclaimed the cgroups of t05-kill' "$ERR"
expect_eq "  ... none is left" "" "$(our_cgroups)"
hidden=$(unshare -m sh -c "mkdir -p $TMP/h && mount -t cgroup -o net_cls,net_prio none $TMP/h 2>/dev/null && ls $TMP/h | grep container-lessons")
expect_eq "  ... not even in hierarchies the host has not mounted" "" "$hidden"
expect_nothing_left
