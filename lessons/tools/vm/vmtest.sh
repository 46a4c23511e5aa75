#!/usr/bin/env bash
# vmtest.sh [v1|v2|selftest]...: the lessons' tests on the cgroup hosts this
# machine is not: a throwaway qemu VM per mode, pure cgroup v2
# (cgroup_no_v1=all) and full cgroup v1 (ten hierarchies and pids).
#
# Everything comes from Debian's packages and is cached in build/vm: qemu,
# the cloud kernel (apt-get download, dpkg-deb -x; nothing goes to /boot),
# its modules (busybox depmod), and an initramfs of busybox, the host
# binaries the tests use with their libraries, and this tree. Software
# emulation (TCG): the nested /dev/kvm here cannot run a stock kernel.
#
# Each result line is appended to $RESULTS (if set) as
# "ok   vm-v2/lesson05 [05-cgroups] ...". Without qemu or the kernel
# outside CI: one SKIP line saying why; under CI=true that is a failure.
set -u
cd "$(dirname "$0")/../../.."
TOP=$PWD
VM=$TOP/build/vm
RESULTS=${RESULTS:-/dev/null}
TIMEOUT=${VM_TIMEOUT:-900}

skip_or_fail() { # skip_or_fail REASON
    if [ "${CI:-}" = true ]; then
        echo "FAIL vm        [vm]       the VM runs: $1" | tee -a "$RESULTS"
        exit 1
    fi
    echo "SKIP vm tests: $1"
    exit 0
}

[ "$(uname -m)" = x86_64 ] ||
    skip_or_fail "the VM runner knows x86_64 only, this is $(uname -m)"
[ "$(id -u)" = 0 ] || skip_or_fail "needs root (it installs qemu, builds as root)"

prepare_qemu() {
    command -v qemu-system-x86_64 >/dev/null && return 0
    command -v apt-get >/dev/null || return 1
    echo "vm: installing qemu-system-x86 from Debian"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends qemu-system-x86 >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null 2>&1 &&
          DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
              --no-install-recommends qemu-system-x86 >/dev/null 2>&1; }
}

# The cloud kernel: small, boots in about 1.5 s under TCG.
prepare_kernel() {
    local pkg deb
    KDIR=$VM/kernel
    KVER=$(ls "$KDIR/lib/modules" 2>/dev/null | head -n1)
    [ -n "$KVER" ] && [ -e "$KDIR/lib/modules/$KVER/modules.dep" ] && return 0
    pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
        awk '/Depends: linux-image-/ {print $2; exit}')
    [ -n "$pkg" ] || { apt-get update -q >/dev/null 2>&1; pkg=$(apt-cache \
        depends linux-image-cloud-amd64 2>/dev/null |
        awk '/Depends: linux-image-/ {print $2; exit}'); }
    [ -n "$pkg" ] || return 1
    echo "vm: fetching $pkg with apt-get download"
    mkdir -p "$VM/deb" && rm -rf "$KDIR"
    (cd "$VM/deb" && apt-get download "$pkg" >/dev/null 2>&1) || return 1
    deb=$(ls "$VM/deb/$pkg"_*.deb | head -n1)
    dpkg-deb -x "$deb" "$KDIR" || return 1
    KVER=$(ls "$KDIR/lib/modules" | head -n1)
    busybox depmod -b "$KDIR" "$KVER"
}

# Copy a host binary and the shared libraries it needs into the VM's root.
copy_bin() { # copy_bin ROOT PATH
    local f
    for f in "$2" $(ldd "$2" 2>/dev/null | grep -o '/[^ ]*'); do
        [ -e "$f" ] || continue
        mkdir -p "$1$(dirname "$f")"
        cp -L "$f" "$1$f"
    done
}

build_initrd() {
    local root=$VM/root b m mods
    rm -rf "$root" && mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,etc,root,cl,lib/modules}
    cp "$(command -v busybox)" "$root/bin/busybox"
    for b in $("$root/bin/busybox" --list); do
        [ -e "$root/bin/$b" ] || ln -s busybox "$root/bin/$b"
    done
    # The tests are bash with GNU and util-linux tools: the host's own.
    for b in bash cat stat date seq sort tr head tail wc mktemp rm mkdir cp \
        chmod sleep timeout truncate readlink basename dirname id nproc tee \
        cut printf ls ln env grep sed mawk unshare nsenter setpriv losetup \
        script pgrep ps ip find touch mount umount uname hostname true false \
        dd kill awk tar sha256sum xargs mkfifo ipcmk ipcrm; do
        copy_bin "$root" "$(command -v "$b")"
    done
    ln -sf mawk "$root/usr/bin/awk" 2>/dev/null
    # The modules the tests need, with what they depend on.
    mods=$(cd "$KDIR/lib/modules/$KVER" && for m in veth bridge overlay brd \
        loop bfq; do grep -E "/$m\.ko(\.[a-z]+)?:" modules.dep; done |
        tr -d ':' | tr ' ' '\n' | sort -u)
    for m in $mods; do
        mkdir -p "$root/lib/modules/$KVER/$(dirname "$m")"
        cp "$KDIR/lib/modules/$KVER/$m" "$root/lib/modules/$KVER/$m"
    done
    cp "$KDIR/lib/modules/$KVER"/modules.{order,builtin} "$root/lib/modules/$KVER/"
    "$root/bin/busybox" depmod -b "$root" "$KVER"
    echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
    echo "root:x:0:" >"$root/etc/group"
    echo cl-vm >"$root/etc/hostname"
    # This tree: the lessons, the rootfs, the tests.
    # Not the layer caches: tar would drop their overlay xattrs.
    tar -C "$TOP" --exclude=./build/vm --exclude='./build/layers*' \
        --exclude=./build/bench --exclude=./build/containers --exclude=./.git \
        -cf - . |
        tar -C "$root/cl" -xf -
    install -m 755 lessons/tools/vm/init "$root/init"
    (cd "$root" && find . | busybox cpio -o -H newc 2>/dev/null) >"$VM/initrd"
}

# Boot once; the console goes to LOG. Returns the payload's status, or 124
# if the VM did not say it within TIMEOUT seconds.
boot() { # boot MODE LOG [PAYLOAD]
    local args="console=ttyS0 loglevel=1 panic=-1 cl_mode=$1"
    [ "$1" = v2 ] && args="$args cgroup_no_v1=all"
    [ -n "${3:-}" ] && args="$args cl_payload=${3// /+}"
    { timeout -s KILL "$TIMEOUT" qemu-system-x86_64 -accel tcg,thread=multi \
        -cpu qemu64 -smp 2 -m 2048 -nographic -no-reboot -nic none \
        -kernel "$KDIR/boot/vmlinuz-$KVER" -initrd "$VM/initrd" \
        -append "$args" </dev/null >"$2" 2>&1; } 2>/dev/null
    local st
    st=$(tr -d '\r' <"$2" | sed -n 's/^CL-VM-EXIT \([0-9]*\)$/\1/p' | tail -n1)
    [ -n "$st" ] && return "$st"
    return 124
}

prepare_qemu || skip_or_fail "no qemu-system-x86_64, and apt-get could not install it"
prepare_kernel || skip_or_fail "no cloud kernel: apt-get download linux-image-cloud-amd64 failed"
make -s all >/dev/null || skip_or_fail "the lessons do not build"
build_initrd || skip_or_fail "the initramfs could not be built"

rc=0
modes=${*:-v2 v1}
for mode in $modes; do
    log=$VM/console-$mode.log
    start=$(date +%s)
    if [ "$mode" = selftest ]; then
        boot v2 "$log" "exit 3"
        st=$?
        r=$([ "$st" = 3 ] && echo ok || echo FAIL)
        echo "$r   vm      [harness]  a payload that exits 3 makes the VM run report 3 (got $st)" | tee -a "$RESULTS"
        TIMEOUT=10 boot v2 "$log.timeout" "sleep 600"
        st=$?
        r=$([ "$st" = 124 ] && echo ok || echo FAIL)
        echo "$r   vm      [harness]  a payload that never finishes hits the timeout (got $st)" | tee -a "$RESULTS"
        continue
    fi
    echo "vm: booting a cgroup $mode host (log: $log)"
    boot "$mode" "$log"
    st=$?
    tr -d '\r' <"$log" | sed -n 's/^CL-VM: //p' |
        sed -E "s/^(ok  |FAIL) (lesson|harness)/\1 vm-$mode\/\2/" |
        tee -a "$RESULTS" | grep -E '^(FAIL|     \|)' || true
    n_ok=$(tr -d '\r' <"$log" | grep -c '^CL-VM: ok ')
    n_fail=$(tr -d '\r' <"$log" | grep -c '^CL-VM: FAIL')
    echo "vm-$mode: $n_ok passed, $n_fail failed ($(($(date +%s) - start)) s)"
    if [ "$st" = 124 ] || [ "$n_ok" = 0 ]; then
        echo "FAIL vm-$mode  [vm]       the VM ran to the end and reported (status $st; see $log)" | tee -a "$RESULTS"
        tail -n 20 "$log" | sed 's/^/     | /'
        rc=1
    elif [ "$st" != 0 ]; then
        rc=1
    fi
done
exit $rc
