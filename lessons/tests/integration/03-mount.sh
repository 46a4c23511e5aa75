#!/usr/bin/env bash
# Lesson 03, the mount namespace: a root filesystem of its own. Run against
# lesson03 and later.
. "$(dirname "$0")/../lib.sh"

# From lesson07 on, the default root is the image: --rootfs asks for this one.
ROOT=()
[ "$LESSON" -lt 07 ] || ROOT=(--rootfs "$ROOTFS")
ct -q "${ROOT[@]}" ls /
expect_eq "ls / is the rootfs" "$(ls "$ROOTFS")" "$OUT"
ct -q ps -o pid,comm
expect_eq "ps lists only the container (a /proc of its PID namespace)" \
    "PID   COMMAND
    1 ps" "$OUT"
ct -q sh -c 'cut -d" " -f5 /proc/self/mountinfo | sort | tr "\n" " "'
if [ "$LESSON" -lt 07 ]; then
    want="/ /dev /dev/pts /dev/shm /proc /sys /tmp "
else # and the host's device nodes, bound; the masked and read-only paths
    want=$(printf '%s\n' / /dev /dev/pts /dev/shm /proc /sys /tmp \
        /dev/full /dev/null /dev/random /dev/tty /dev/urandom /dev/zero \
        /proc/acpi /proc/asound /proc/interrupts /proc/kcore /proc/keys \
        /proc/latency_stats /sys/devices/system/cpu/cpu*/thermal_throttle \
        /proc/timer_list /proc/timer_stats /proc/sched_debug /proc/scsi \
        /sys/firmware /sys/devices/virtual/powercap \
        /proc/bus /proc/fs /proc/irq /proc/sys /proc/sysrq-trigger |
        while read -r p; do
            case $p in /proc/?* | /sys/?*) [ -e "$p" ] || continue ;; esac
            echo "$p"
        done | sort | tr '\n' ' ')
fi
expect_eq "the host's mounts are invisible: only the container's" \
    "$want" "$OUT"
ct -q sh -c 'grep " /sys " /proc/self/mountinfo | cut -d" " -f6'
expect_match "/sys is mounted read-only" '^ro,' "$OUT"
ct -q sh -c "df -k /tmp | awk 'NR == 2 {print \$2}'"
expect_eq "/tmp is a tmpfs of 64 MiB, not half the host's memory" 65536 "$OUT"
ct -q sh -c 'echo hi > /dev/null && head -c 4 /dev/zero | wc -c && ls /dev/pts'
expect_eq "/dev has null, zero and a new devpts" "4
ptmx" "$OUT"
ct -q sh -c 'echo $PATH; echo $HOME'
expect_eq "the host's environment stays out: PATH and HOME of the rootfs" \
    "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
/root" "$OUT"

# lesson07's user namespace shuts the host's 0700 directories to the
# container's root, on the way up too: --no-userns shows chroot alone.
NOUSERNS=()
[ "$LESSON" -lt 07 ] || NOUSERNS=(--no-userns)
ct -q "${NOUSERNS[@]}" --chroot chroot-escape
expect_eq "--chroot: the chroot escape gets out (exit 0)" 0 "$RC"
expect_match "  ... and reads the host's /etc/hostname" \
    "ESCAPED.*\"$(cat /etc/hostname)\"" "$OUT"
ct -q chroot-escape
expect_eq "pivot_root: the same escape fails (exit 1)" 1 "$RC"
expect_match "  ... it stays in the rootfs" 'BLOCKED.*"rootfs"' "$OUT"

ct -q --rootfs "$TMP/none" true
expect_eq "missing rootfs: 125" 125 "$RC"
expect_match "  ... says how to build one" 'make rootfs' "$ERR"
mkdir -p "$TMP/empty/proc" "$TMP/empty/sys" "$TMP/empty/dev" "$TMP/empty/tmp"
ct -q --rootfs "$TMP/empty" /bin/sh
expect_eq "rootfs without the command: 127" 127 "$RC"
mkdir -p "$TMP/bare/bin"
ct -q --rootfs "$TMP/bare" /bin/sh
expect_eq "rootfs without /proc: 125" 125 "$RC"
expect_match "  ... says what it needs" 'needs empty /proc' "$ERR"
expect_eq "  ... and nothing was created in it" "bin" "$(ls "$TMP/bare")"

# systemd mounts / shared: a host like that is made here, in a mount
# namespace of the test's own (private first, then shared with new peer
# groups, so that nothing can reach the real host), and a mount made in
# the container must not appear in it, during or after the run.
# lesson07 drops CAP_SYS_ADMIN: given back here, to try a mount.
CAP_SYS_ADMIN=""
[ "$LESSON" -lt 07 ] || CAP_SYS_ADMIN="--cap-add SYS_ADMIN"
counts=$(RUN=$RUN CAP_SYS_ADMIN=$CAP_SYS_ADMIN unshare -m bash -c '
    mount --make-rshared /
    wc -l </proc/self/mountinfo
    "$RUN" -q $CAP_SYS_ADMIN sh -c "mkdir /tmp/m && mount -t tmpfs none /tmp/m &&
        wc -l </proc/\$\$/mountinfo" 2>&1
    wc -l </proc/self/mountinfo' | tr '\n' ' ')
set -- $counts
expect_eq "on a shared /, no container mount propagates to the host" \
    "$1" "$3"
expect_true "  ... while the container did mount (it has ${2:-?} mounts)" \
    test "${2:-0}" -ge 8
expect_eq "after exit no mount of the rootfs remains on the host" "" \
    "$(grep "$ROOTFS" /proc/self/mountinfo)"
expect_nothing_left
