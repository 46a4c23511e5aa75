#!/usr/bin/env bash
# doctor.sh - preflight check for the container lessons (run by `make doctor`).
#
# Prints one row per check: name, status (ok / WARN / FAIL / info), detail,
# and for every WARN or FAIL a "fix:" line. Exit 1 if any row FAILs.
# It never changes the host: namespaces and the test veth/bridge are created
# inside a throwaway `unshare` namespace that vanishes when the command ends.
#
# Which lesson needs which row:
#   root, kernel, compiler, busybox   all lessons
#   uts lesson01 | pid lesson02 | mnt lesson03 | net, veth+bridge lesson04
#   overlayfs lesson06 | ipc, user lesson07 | cgroup, time ns: info only
#   cgroups, propagation, userns restriction, WSL: background for the lessons
#   cmocka: only the unit tests; qemu: only make test-vm
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
n_ok=0 n_warn=0 n_fail=0
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
    c_ok=$'\e[32m' c_warn=$'\e[33m' c_fail=$'\e[31m' c_info=$'\e[36m' c_off=$'\e[0m'
else
    c_ok='' c_warn='' c_fail='' c_info='' c_off=''
fi

# row NAME STATUS DETAIL [FIX]
row() {
    local name=$1 st=$2 detail=$3 fix=${4:-} c
    case $st in
        ok)   c=$c_ok;   n_ok=$((n_ok + 1)) ;;
        WARN) c=$c_warn; n_warn=$((n_warn + 1)) ;;
        FAIL) c=$c_fail; n_fail=$((n_fail + 1)) ;;
        *)    c=$c_info ;;
    esac
    printf '%-13s %s%-6s%s %s\n' "$name" "$c" "$st" "$c_off" "$detail"
    if [ -n "$fix" ]; then printf '%-20s fix: %s\n' '' "$fix"; fi
}
have() { command -v "$1" >/dev/null 2>&1; }
is_root() { [ "$(id -u)" -eq 0 ]; }
NEEDROOT="needs root: run with sudo"

printf '%-13s %-6s %s\n' CHECK STATUS DETAIL

# 1. root
if is_root; then row root ok "uid 0"
else row root FAIL "uid $(id -u): the lessons create namespaces and mounts" "$NEEDROOT (sudo make doctor)"; fi

# 2. kernel and architecture
kr=$(uname -r) arch=$(uname -m)
IFS=. read -r kmaj kmin _ <<<"$kr"
kmaj=${kmaj%%[!0-9]*} kmin=${kmin%%[!0-9]*}
kver_ge() { (( ${kmaj:-0} > $1 || (${kmaj:-0} == $1 && ${kmin:-0} >= $2) )); }
st=ok fix=""
if ! kver_ge 5 10; then st=FAIL fix="a newer kernel (5.10 or later)"; fi
case $arch in
    x86_64|aarch64) ;;
    *) [ "$st" = ok ] && st=WARN
       fix="${fix:+$fix; }$arch is untested: use an x86_64 or aarch64 machine" ;;
esac
row kernel "$st" "$kr $arch" "$fix"

# 3. namespaces: check_ns NAME LESSON UNSHARE-OPTION...
unshare_help=$(unshare --help 2>&1) || unshare_help=""
check_ns() {
    local type=$1 lesson=$2 opt=$3 name="ns $1" err fix; shift 2
    if [ "$type" = time ] && ! kver_ge 5 6; then row "$name" info "kernel < 5.6 has no time namespaces ($lesson)"; return; fi
    if ! grep -qw -- "$opt" <<<"$unshare_help"; then row "$name" info "unshare too old to test ($lesson)"; return; fi
    if [ "$type" != user ] && ! is_root; then row "$name" WARN "$NEEDROOT ($lesson)"; return; fi
    if err=$(unshare "$@" true 2>&1); then row "$name" ok "usable ($lesson)"; return; fi
    err=${err##*$'\n'}
    fix="a kernel with CONFIG_${type^^}_NS=y (inside a container: run it --privileged)"
    [ "$type" = mnt ] && fix="inside a container: run it --privileged"
    if [ "$lesson" = "info only" ]; then row "$name" info "not usable: $err (info only)"
    elif ! is_root; then row "$name" WARN "unprivileged: $err ($lesson)" "$NEEDROOT (the lessons run as root)"
    else row "$name" FAIL "not usable: $err ($lesson)" "$fix"; fi
}
check_ns uts    lesson01    --uts
check_ns pid    lesson02    --pid --fork
check_ns mnt    lesson03    --mount
check_ns net    lesson04    --net
check_ns ipc    lesson07    --ipc
check_ns user   lesson07    --user
check_ns cgroup "info only" --cgroup
check_ns time   "info only" --time

# 4. cgroup mode and controllers
v1_controllers() {  # prints "mounted|enabled-but-not-mounted"
    awk 'NR == FNR { if ($1 !~ /^#/) { known[$1] = 1; if ($4 == 1) order[++n] = $1 }; next }
         { for (i = 1; i <= NF && $i != "-"; i++) ; if ($(i + 1) != "cgroup") next
           k = split($(i + 3), o, ",")
           for (j = 1; j <= k; j++) if ((o[j] in known) && !(o[j] in seen)) { seen[o[j]] = 1; m = m " " o[j] } }
         END { for (j = 1; j <= n; j++) if (!(order[j] in seen)) u = u " " order[j]
               printf "%s|%s\n", substr(m, 2), substr(u, 2) }' /proc/cgroups /proc/self/mountinfo
}
cgfs=$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)
case $cgfs in
    cgroup2fs)
        row cgroups ok "v2 (unified): $(cat /sys/fs/cgroup/cgroup.controllers 2>/dev/null)" ;;
    tmpfs)
        mode=v1
        [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] && mode=hybrid
        IFS='|' read -r mounted unmounted < <(v1_controllers)
        detail="$mode: v1 controllers ${mounted:-none}"
        # Since Linux 6.11 a kernel may keep memory and cpuset for v2
        # only: /proc/cgroups lists them, a v1 mount is refused. Tried in
        # a throwaway mount namespace, as the runtime would.
        lacking="" mountable=""
        for c in $unmounted; do
            o=$c
            case $c in net_cls|net_prio) o=net_cls,net_prio ;; esac
            if is_root && unshare -m sh -c "d=\$(mktemp -d) || exit 1
                mount -t cgroup -o $o none \$d || mount -t cgroup -o $c none \$d
                r=\$?; umount \$d; rmdir \$d; exit \$r" 2>/dev/null; then
                mountable+=" $c"
            else
                case $c in
                memory) lacking+=" memory (CONFIG_MEMCG_V1)" ;;
                cpuset) lacking+=" cpuset (CONFIG_CPUSETS_V1)" ;;
                *) is_root && lacking+=" $c" || mountable+=" $c" ;;
                esac
            fi
        done
        [ -n "$mountable" ] && detail+="; not mounted:$mountable (the runtime mounts them itself)"
        row cgroups ok "$detail"
        [ -z "$lacking" ] || row cgroup-v1 WARN "this kernel has no cgroup v1$lacking: lesson05 on runs without those limits, and says so" \
            "boot the host with cgroup v2 (systemd.unified_cgroup_hierarchy=1), where the kernel has them" ;;
    *)
        row cgroups WARN "no cgroup filesystem on /sys/fs/cgroup (${cgfs:-missing})" \
            "mount -t cgroup2 none /sys/fs/cgroup" ;;
esac

# 5. overlayfs (lesson06); modules are never loaded here
if grep -qw overlay /proc/filesystems; then row overlayfs ok "available (lesson06)"
else row overlayfs FAIL "overlay not in /proc/filesystems (lesson06)" "modprobe overlay"; fi

# 6. veth and bridge (lesson04), created inside a throwaway network namespace
if ! have ip; then row veth+bridge FAIL "ip not found (lesson04)" "apt-get install iproute2"
elif ! is_root; then row veth+bridge WARN "$NEEDROOT (lesson04)"
else
    missing=""
    unshare -n ip link add cl-doctor0 type veth peer name cl-doctor1 2>/dev/null || missing+=" veth"
    unshare -n ip link add cl-doctorbr type bridge 2>/dev/null || missing+=" bridge"
    if [ -z "$missing" ]; then row veth+bridge ok "both can be created (lesson04)"
    else row veth+bridge FAIL "cannot create:$missing (lesson04)" "modprobe veth / modprobe bridge"; fi
fi

# 7. mount propagation of /
prop=$(findmnt -no PROPAGATION / 2>/dev/null)
case $prop in
    private) row propagation ok "/ is private" ;;
    shared*) row propagation info "$prop (systemd default): lessons make / private inside their own mount namespace before pivot_root" ;;
    *)       row propagation info "/ is ${prop:-unknown}" ;;
esac

# 8. static busybox for the rootfs
bb_fix="apt-get install busybox-static, or BUSYBOX=/path/to/static/busybox make rootfs, or pass --rootfs DIR to a ready root filesystem"
bb=""
if [ -n "${BUSYBOX:-}" ]; then [ -e "$BUSYBOX" ] && bb=$BUSYBOX
else for f in /bin/busybox /usr/bin/busybox; do [ -e "$f" ] && { bb=$f; break; }; done; fi
if [ -z "$bb" ]; then row busybox FAIL "not found${BUSYBOX:+ at BUSYBOX=$BUSYBOX}" "$bb_fix"
elif have file; then
    if file -L "$bb" | grep -Eq 'statically linked|static-pie linked'; then row busybox ok "$bb (static)"
    else row busybox FAIL "$bb is dynamically linked" "$bb_fix"; fi
elif have ldd; then
    if ldd "$bb" 2>&1 | grep -q 'not a dynamic executable'; then row busybox ok "$bb (static, by ldd)"
    else row busybox FAIL "$bb is dynamically linked" "$bb_fix"; fi
else row busybox WARN "$bb found; cannot tell if static (no file or ldd)" "apt-get install file"; fi

# 9. the lessons' root filesystem
rootfs=$top/build/rootfs
if [ -e "$rootfs/bin/sh" ] || [ -L "$rootfs/bin/sh" ]; then row rootfs ok "build/rootfs (bin/sh present)"
elif [ -d "$rootfs" ]; then row rootfs WARN "build/rootfs has no bin/sh" "make rootfs"
else row rootfs WARN "not built yet (it is built on first use anyway)" "make rootfs"; fi

# 10. distribution restrictions on unprivileged user namespaces
aa=/proc/sys/kernel/apparmor_restrict_unprivileged_userns
deb=/proc/sys/kernel/unprivileged_userns_clone
if [ "$(cat "$aa" 2>/dev/null)" = 1 ]; then
    row userns-limit WARN "AppArmor restricts unprivileged user namespaces (lessons run as root, so they still work)" \
        "for unprivileged experiments: sysctl kernel.apparmor_restrict_unprivileged_userns=0"
elif [ "$(cat "$deb" 2>/dev/null)" = 0 ]; then
    row userns-limit WARN "unprivileged user namespaces are disabled (lessons run as root, so they still work)" \
        "for unprivileged experiments: sysctl kernel.unprivileged_userns_clone=1"
else row userns-limit ok "not restricted"; fi

# 10b. lesson07: user namespaces allowed even to root, seccomp filters
max=$(cat /proc/sys/user/max_user_namespaces 2>/dev/null)
if [ "${max:-1}" = 0 ]; then
    row max-userns FAIL "user.max_user_namespaces is 0: no user namespace at all (lesson07)" \
        "sysctl user.max_user_namespaces=15000, or run lesson07 with --no-userns"
else row max-userns ok "user.max_user_namespaces ${max:-?} (lesson07)"; fi
if grep -qw kill_process /proc/sys/kernel/seccomp/actions_avail 2>/dev/null &&
    grep -qw errno /proc/sys/kernel/seccomp/actions_avail; then
    row seccomp ok "filters with errno and kill_process (lesson07)"
else row seccomp FAIL "no seccomp filter support (CONFIG_SECCOMP_FILTER, Linux 4.14) (lesson07)" \
    "a kernel with CONFIG_SECCOMP_FILTER, or run lesson07 with --seccomp off"; fi

# 11. WSL
if grep -qiE 'microsoft|wsl' /proc/version 2>/dev/null; then
    row wsl info "WSL2: works with a recent WSL kernel; cgroup v1 controllers may be missing"
else row wsl ok "not WSL"; fi

# 12. compiler and test library
cc=""
for c in cc gcc; do have "$c" && { cc=$c; break; }; done
if [ -n "$cc" ]; then row compiler ok "$cc: $("$cc" --version 2>/dev/null | head -n 1)"
else row compiler FAIL "no cc or gcc" "apt-get install build-essential"; fi
if [ -n "$(ls /usr/lib/*/libc.a /usr/lib/libc.a 2>/dev/null)" ]; then row static-libc ok "libc.a: lesson07 links statically"
else row static-libc FAIL "no libc.a: lesson07 links statically" "apt-get install libc6-dev (Fedora: glibc-static)"; fi
if [ -e /usr/include/cmocka.h ]; then row cmocka ok "/usr/include/cmocka.h"
else row cmocka WARN "cmocka.h missing (only the tests need it)" "make deps"; fi

# make test-vm: pure cgroup v2 and full v1 hosts in qemu, on an x86_64
# machine; make test also boots an arm64 guest (qemu-system-arm).
for q in qemu-system-x86_64:qemu-system-x86 qemu-system-aarch64:qemu-system-arm; do
    if command -v "${q%%:*}" >/dev/null; then
        row qemu ok "${q%%:*}: $("${q%%:*}" --version | head -n1 | sed "s/ (.*//") (make test-vm)"
    else
        row qemu info "${q%%:*} not installed: make test-vm installs ${q#*:} itself"
    fi
done

echo
echo "$n_ok ok, $n_warn warnings, $n_fail failures"
[ "$n_fail" -eq 0 ]
