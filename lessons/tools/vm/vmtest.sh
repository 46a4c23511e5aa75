#!/usr/bin/env bash
# vmtest.sh [v1|v2|v1-nodevices|selftest|payload|prepare]...: the lessons' tests on
# the hosts this machine is not: a throwaway qemu VM per mode, pure cgroup
# v2 (cgroup_no_v1=all) or full cgroup v1 (every v1 hierarchy the kernel
# has, and pids), or v1 without the devices controller (the lessons must
# refuse to run there), booted from one of Debian's cloud kernels:
#
#   KERNEL=5.10   Debian 11's (bullseye)      ARCH=amd64  x86_64 (default)
#   KERNEL=6.1    Debian 12's (the default)   ARCH=arm64  aarch64: the
#   KERNEL=6.12   Debian 13's (trixie)                    lessons cross-built
#
# Everything comes from Debian's packages and is cached in
# build/vm/KERNEL-ARCH: qemu, the cloud kernel (apt-get download through a
# private apt, debs.sh; nothing goes to /boot), its modules, and an
# initramfs of busybox, the tools the tests use with their libraries, and
# this tree. For arm64 the tools are Debian's arm64 packages and the tree
# is copied and built with Debian's aarch64 cross compiler, statically.
#
# Software emulation (TCG): the nested /dev/kvm here cannot run a stock
# kernel. One emulator thread for both virtual CPUs (thread=single):
# multi-threaded TCG soft-locked 5.10 guests and hit "Oops: int3" in 6.12
# ones, where the kernel patches its own text while the other CPU runs it.
#
# Each result line is appended to $RESULTS (if set) as
# "ok   vm-6.1-v2/lesson05 [05-cgroups] ...". A guest that hangs, panics
# or logs a kernel BUG, Oops or lockup is a failed check with the
# console's last lines. Without qemu or the kernel outside CI: one SKIP
# line saying why; under CI=true that is a failure.
set -u
cd "$(dirname "$0")/../../.."
TOP=$PWD
RESULTS=${RESULTS:-/dev/null}
KERNEL=${KERNEL:-6.1}
ARCH=${ARCH:-amd64}
case $KERNEL in
5.10) REL=bullseye ;;
6.1) REL=bookworm ;;
6.12) REL=trixie ;;
*) echo "vmtest: KERNEL=$KERNEL: one of 5.10, 6.1, 6.12" >&2; exit 2 ;;
esac
case $ARCH in
amd64) QEMU=qemu-system-x86_64 QPKG=qemu-system-x86 TAG=$KERNEL
       MACHINE="-cpu qemu64" CONSOLE=ttyS0 TRIPLET=x86_64-linux-gnu ;;
arm64) QEMU=qemu-system-aarch64 QPKG=qemu-system-arm TAG=arm64-$KERNEL
       MACHINE="-M virt -cpu cortex-a72" CONSOLE=ttyAMA0
       TRIPLET=aarch64-linux-gnu ;;
*) echo "vmtest: ARCH=$ARCH: amd64 or arm64" >&2; exit 2 ;;
esac
VM=$TOP/build/vm
HV=$VM/$KERNEL-$ARCH
# A run's time limit: a hung guest is a failed check, never a stuck CI.
TIMEOUT=${VM_TIMEOUT:-$([ "$ARCH" = arm64 ] && echo 1800 || echo 1200)}
. lessons/tools/vm/debs.sh

skip_or_fail() { # skip_or_fail REASON
    if [ "${CI:-}" = true ]; then
        echo "FAIL vm-$TAG  [vm]       the VM runs: $1" | tee -a "$RESULTS"
        exit 1
    fi
    echo "SKIP vm tests ($TAG): $1"
    exit 0
}

[ "$(uname -m)" = x86_64 ] ||
    skip_or_fail "the VM runner runs on x86_64 only, this is $(uname -m)"
[ "$(id -u)" = 0 ] || skip_or_fail "needs root (it installs qemu, builds as root)"

apt_install() { # apt_install PACKAGE...: the host's own apt
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "$@" >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
              --no-install-recommends "$@" >/dev/null 2>&1; }
}

prepare_qemu() {
    local need=""
    command -v "$QEMU" >/dev/null || need=$QPKG
    [ "$ARCH" = arm64 ] && ! command -v aarch64-linux-gnu-gcc >/dev/null &&
        need="$need gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
    [ -z "$need" ] && return 0
    command -v apt-get >/dev/null || return 1
    echo "vm: installing$need from Debian"
    # shellcheck disable=SC2086
    apt_install $need
}

# The cloud kernel: small, boots in seconds under TCG. Debian 13's is
# usr-merged (usr/lib/modules) and its modules are xz-compressed: they are
# decompressed here, so that busybox's modprobe in the guest needs no xz.
prepare_kernel() {
    local pkg deb m
    KDIR=$HV/kernel
    if [ -e "$KDIR/.ready" ]; then
        KVER=$(cat "$KDIR/.ready")
        return 0
    fi
    pkg=$(debs_kernel_package "$REL" "$ARCH")
    [ -n "$pkg" ] || return 1
    echo "vm: fetching $pkg ($REL, $ARCH) with apt-get download"
    rm -rf "$KDIR" "$HV/deb"
    debs_get "$REL" "$ARCH" "$HV/deb" "$pkg" || return 1
    deb=$(ls "$HV/deb/$pkg"_*.deb | head -n1)
    dpkg-deb -x "$deb" "$KDIR" || return 1
    rm -f "$deb"
    [ -d "$KDIR/lib/modules" ] || { mkdir -p "$KDIR/lib" &&
        mv "$KDIR/usr/lib/modules" "$KDIR/lib/modules"; } || return 1
    KVER=$(ls "$KDIR/lib/modules" | head -n1)
    find "$KDIR/lib/modules/$KVER" -name '*.ko.xz' -exec xz -d {} + &&
        find "$KDIR/lib/modules/$KVER" -name '*.ko.zst' \
            -exec sh -c 'for m; do zstd -q -d --rm "$m"; done' sh {} + ||
        return 1
    for m in "$KDIR"/boot/vmlinuz-*; do [ -e "$m" ] || return 1; done
    busybox depmod -b "$KDIR" "$KVER" || return 1
    echo "$KVER" >"$KDIR/.ready"
}

# The tools the tests run, as the guest's /usr/bin: bash with GNU and
# util-linux tools.
TOOLS="bash cat stat date seq sort tr head tail wc mktemp rm mkdir cp chmod
    sleep timeout truncate readlink basename dirname id nproc tee cut printf
    ls ln env grep sed mawk unshare nsenter setpriv losetup script pgrep ps
    ip find touch mount umount uname hostname true false dd kill tar
    sha256sum xargs mkfifo ipcmk ipcrm stty setsid pkill strace"
# ... and the Debian packages they come in, for a foreign architecture.
TOOL_PKGS="bash coreutils grep sed mawk util-linux mount bsdutils procps
    iproute2 findutils tar hostname busybox-static libc-bin strace"

# Copy a host binary and the shared libraries it needs into the VM's root.
copy_bin() { # copy_bin ROOT PATH
    local f
    for f in "$2" $(ldd "$2" 2>/dev/null | grep -o '/[^ ]*'); do
        [ -e "$f" ] || continue
        mkdir -p "$1$(dirname "$f")"
        cp -L "$f" "$1$f"
    done
}

# arm64: Debian's packages of those tools and all they depend on, unpacked
# into build/vm/KERNEL-arm64/userland (not run here: only copied).
prepare_userland() {
    local u=$HV/userland d
    # Unpacked again when the list of packages changes.
    [ "$(cat "$u/.ready" 2>/dev/null)" = "$(echo $TOOL_PKGS)" ] && return 0
    echo "vm: fetching the tests' tools for $ARCH from Debian $REL"
    rm -rf "$u" "$HV/debs"
    # shellcheck disable=SC2086
    debs_get "$REL" "$ARCH" "$HV/debs" \
        $(debs_closure "$REL" "$ARCH" $TOOL_PKGS) || return 1
    for d in "$HV"/debs/*.deb; do dpkg-deb -x "$d" "$u" || return 1; done
    rm -rf "$HV/debs"
    echo $TOOL_PKGS >"$u/.ready"
}

# arm64: this tree copied to build/vm/KERNEL-arm64/src and built there with
# the cross compiler, every program static; busybox is Debian's arm64 one.
# The copy keeps the sources' times, so make rebuilds only what changed.
prepare_tree() {
    SRC=$TOP
    [ "$ARCH" = amd64 ] && { make -s all >/dev/null; return; }
    SRC=$HV/src
    mkdir -p "$SRC"
    tar -C "$TOP" --exclude=./build --exclude=./.git --exclude=./run \
        --exclude='./lesson*/run' --exclude='./lessons/tests/unit/test_*' \
        -cf - . | tar -C "$SRC" -xf -
    make -s -C "$SRC" all CC=$TRIPLET-gcc LDFLAGS=-static \
        BUSYBOX="$HV/userland/bin/busybox" >"$HV/build.log" 2>&1 ||
        { tail -n 20 "$HV/build.log"; return 1; }
}

build_initrd() {
    local root=$HV/root b f m mods
    rm -rf "$root" && mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,etc,root,cl,lib/modules}
    if [ "$ARCH" = amd64 ]; then
        cp "$(command -v busybox)" "$root/bin/busybox"
        for b in $TOOLS; do copy_bin "$root" "$(command -v "$b")"; done
    else
        local u=$HV/userland
        cp "$u/bin/busybox" "$root/bin/busybox"
        for b in $TOOLS; do
            for f in "$u"/usr/bin/$b "$u"/bin/$b "$u"/usr/sbin/$b "$u"/sbin/$b; do
                [ -e "$f" ] || [ -L "$f" ] || continue
                mkdir -p "$root/usr/bin"
                cp -L "$f" "$root/usr/bin/$b" && break
            done
            [ -e "$root/usr/bin/$b" ] || { echo "vm: no $b for $ARCH" >&2; return 1; }
        done
        # The shared libraries and the dynamic loader, all of them: ldd
        # cannot run a foreign binary to ask which it needs.
        for d in lib usr/lib; do
            [ -d "$u/$d/$TRIPLET" ] || continue
            mkdir -p "$root/$d"
            cp -a "$u/$d/$TRIPLET" "$root/$d/"
        done
        for f in "$u"/lib/ld-linux-*.so.*; do
            [ -e "$f" ] && cp -L "$f" "$root/lib/"
        done
    fi
    for b in $("$root/bin/busybox" --list 2>/dev/null || busybox --list); do
        [ -e "$root/bin/$b" ] || ln -s busybox "$root/bin/$b"
    done
    ln -sf mawk "$root/usr/bin/awk" 2>/dev/null
    # The modules the tests need, with what they depend on.
    mods=$(cd "$KDIR/lib/modules/$KVER" && for m in veth bridge overlay brd \
        loop bfq; do grep -E "/$m\.ko:" modules.dep; done |
        tr -d ':' | tr ' ' '\n' | sort -u)
    for m in $mods; do
        mkdir -p "$root/lib/modules/$KVER/$(dirname "$m")"
        cp "$KDIR/lib/modules/$KVER/$m" "$root/lib/modules/$KVER/$m"
    done
    cp "$KDIR/lib/modules/$KVER"/modules.{order,builtin} "$root/lib/modules/$KVER/"
    busybox depmod -b "$root" "$KVER"
    echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
    echo "root:x:0:" >"$root/etc/group"
    echo cl-vm >"$root/etc/hostname"
    # This tree: the lessons, the rootfs, the tests.
    # Not the layer caches: tar would drop their overlay xattrs.
    tar -C "$SRC" --exclude=./build/vm --exclude='./build/layers*' \
        --exclude=./build/bench --exclude=./build/containers --exclude=./.git \
        --exclude=./build/test-results \
        -cf - . |
        tar -C "$root/cl" -xf -
    install -m 755 lessons/tools/vm/init "$root/init"
    (cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null) >"$HV/initrd"
}

# Boot once; the console goes to LOG. Returns the payload's status, or 124
# if the VM did not say it: killed at TIMEOUT seconds, or the kernel
# panicked (panic=-1 reboots at once, and -no-reboot ends qemu).
boot() { # boot MODE LOG [PAYLOAD [SUITE]]
    local args="console=$CONSOLE loglevel=1 panic=-1 cl_mode=${1%-*} ${VM_APPEND:-}"
    [ "$1" = v2 ] && args="$args cgroup_no_v1=all"
    # A v1 host without the devices controller: the runtime must refuse.
    [ "$1" = v1-nodevices ] && args="$args cgroup_no_v1=devices" &&
        set -- "$1" "$2" "${3:-}" nodevices
    [ -n "${3:-}" ] && args="$args cl_payload=${3// /+}"
    args="$args cl_suite=${4:-$SUITE}"
    # shellcheck disable=SC2086
    { timeout -s KILL "$TIMEOUT" "$QEMU" $MACHINE -accel tcg,thread=${VM_TCG_THREAD:-single} \
        -smp 2 -m 2048 -nographic -no-reboot -nic none \
        -kernel "$(ls "$KDIR"/boot/vmlinuz-* | head -n1)" -initrd "$HV/initrd" \
        -append "$args" </dev/null >"$2" 2>&1; } 2>/dev/null
    local st
    st=$(tr -d '\r' <"$2" | sed -n 's/^CL-VM-EXIT \([0-9]*\)$/\1/p' | tail -n1)
    [ -n "$st" ] && return "$st"
    return 124
}

# What the guest's kernel said went wrong: the first panic, Oops, BUG or
# lockup line of LOG, if any.
kernel_trouble() { # kernel_trouble LOG
    tr -d '\r' <"$1" | grep -m1 -E 'Kernel panic|Oops|BUG:|soft lockup|hung_task|Call Trace' ||
        true
}

# A payload's console (LOG), from the init's marker on: the firmware's
# escapes may come before the marker on its line.
payload_output() { # payload_output LOG
    tr -d '\r' <"$1" | sed -n '/CL-VM-PAYLOAD$/,$p' |
        sed '1s/.*CL-VM-PAYLOAD$/CL-VM-PAYLOAD/'
}

prepare_qemu || skip_or_fail "no $QEMU (or cross compiler), and apt-get could not install it"
prepare_kernel || skip_or_fail "no cloud kernel: Debian $REL's linux-image-cloud-$ARCH could not be fetched"
if [ "$ARCH" != amd64 ]; then
    prepare_userland || skip_or_fail "Debian $REL's $ARCH packages of the tests' tools could not be fetched"
fi
# VM_PREPARED=1: another run has just built this host's initramfs (hosts.sh
# runs "prepare" once, then the modes of one host side by side).
if [ -z "${VM_PREPARED:-}" ]; then
    prepare_tree || skip_or_fail "the lessons do not build for $ARCH"
    build_initrd || skip_or_fail "the initramfs could not be built"
fi
[ "${1:-}" = prepare ] && exit 0

# SUITE: which tests the guest runs (vm-tests.sh): "host" the mount,
# network, cgroup, image and hardening files (lessons 03 on), "arch" (the
# default on arm64) each lesson's own file, every file against lesson07,
# and the escape lab.
SUITE=${SUITE:-$([ "$ARCH" = amd64 ] && echo host || echo arch)}

rc=0
modes=${*:-v2 v1}
for mode in $modes; do
    log=$HV/console-$mode.log
    start=$(date +%s)
    if [ "$mode" = payload ]; then
        # A developer's own command in a fresh guest (CGROUP=v1|v2,
        # PAYLOAD="bash /cl/build/x.sh"): its console is the output.
        boot "${CGROUP:-v2}" "$log" "$PAYLOAD"
        st=$?
        payload_output "$log"
        echo "vm-$TAG payload: status $st"
        continue
    fi
    if [ "$mode" = selftest ]; then
        boot v2 "$log" "exit 3"
        st=$?
        r=$([ "$st" = 3 ] && echo ok || echo FAIL)
        echo "$r   vm-$TAG [harness]  a payload that exits 3 makes the VM run report 3 (got $st)" | tee -a "$RESULTS"
        out=$(payload_output "$log" | tr '\n' ' ')
        r=$(case $out in "CL-VM-PAYLOAD "*"CL-VM-EXIT 3 "*) echo ok ;; *) echo FAIL ;; esac)
        echo "$r   vm-$TAG [harness]  payload mode shows the console from the payload's start to its status (${out:0:60})" | tee -a "$RESULTS"
        TIMEOUT=10 boot v2 "$log.timeout" "sleep 600"
        st=$?
        r=$([ "$st" = 124 ] && echo ok || echo FAIL)
        echo "$r   vm-$TAG [harness]  a payload that never finishes hits the timeout (got $st)" | tee -a "$RESULTS"
        TIMEOUT=120 boot v2 "$log.panic" "echo+c+>/proc/sysrq-trigger;sleep+600"
        st=$?
        why=$(kernel_trouble "$log.panic")
        r=$([ "$st" = 124 ] && [ -n "$why" ] && echo ok || echo FAIL)
        echo "$r   vm-$TAG [harness]  a guest that panics ends the run and is reported (got $st: ${why:-nothing})" | tee -a "$RESULTS"
        continue
    fi
    echo "vm-$TAG: booting a cgroup $mode host (log: $log)"
    boot "$mode" "$log"
    st=$?
    tr -d '\r' <"$log" | sed -n 's/^CL-VM: //p' |
        sed -E "s/^(ok  |FAIL) (lesson|harness)/\1 vm-$TAG-$mode\/\2/" |
        tee -a "$RESULTS" | grep -E '^(FAIL|     \|)' || true
    n_ok=$(tr -d '\r' <"$log" | grep -c '^CL-VM: ok ')
    n_fail=$(tr -d '\r' <"$log" | grep -c '^CL-VM: FAIL')
    secs=$(($(date +%s) - start))
    echo "vm-$TAG-$mode: $n_ok passed, $n_fail failed ($secs s)"
    why=$(kernel_trouble "$log")
    if [ "$st" = 124 ] || [ "$n_ok" = 0 ]; then
        echo "FAIL vm-$TAG-$mode [vm]    the VM ran to the end and reported (status $st after $secs s${why:+; the kernel: $why}; see $log)" | tee -a "$RESULTS"
        tr -d '\r' <"$log" | tail -n 20 | sed 's/^/     | /'
        rc=1
    else
        [ "$st" = 0 ] || rc=1
        if [ -n "$why" ]; then
            echo "FAIL vm-$TAG-$mode [vm]    the guest's kernel logged no panic, Oops, BUG or lockup ($why)" | tee -a "$RESULTS"
            rc=1
        else
            echo "ok   vm-$TAG-$mode [vm]    the guest's kernel logged no panic, Oops, BUG or lockup" | tee -a "$RESULTS"
        fi
    fi
done
exit $rc
