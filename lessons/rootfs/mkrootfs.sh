#!/bin/sh
# mkrootfs.sh DIR: build the minimal root filesystem the lessons run in.
#
# A root filesystem is only a directory tree: a static busybox (one binary
# that is sh, ls, ps, mount, ip ... by the name it is called with), its
# applet links, the few files in /etc that programs read, and empty
# directories for the kernel's own filesystems, which the runtime mounts.
# Static, because the rootfs has no /lib: a dynamic binary would fail with
# "not found" when the kernel looks for its loader.
#
# BUSYBOX=/path/to/static/busybox overrides where busybox comes from.
# CC builds the harmless chroot escape demo of lesson03 (statically).
set -eu

dir=${1:?usage: mkrootfs.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}

find_busybox() {
    for b in ${BUSYBOX:-} /bin/busybox /usr/bin/busybox /usr/lib/busybox/busybox; do
        [ -x "$b" ] && { echo "$b"; return 0; }
    done
    return 1
}

bb=$(find_busybox) || {
    echo "mkrootfs: no busybox found." >&2
    echo "  fix: apt-get install busybox-static (Debian/Ubuntu)," >&2
    echo "       or BUSYBOX=/path/to/static/busybox make rootfs," >&2
    echo "       or give the lessons a ready root filesystem: ./run --rootfs DIR" >&2
    exit 1
}
# ldd exits non-zero for a static binary; "not a dynamic executable".
if ldd "$bb" >/dev/null 2>&1; then
    echo "mkrootfs: $bb is dynamically linked; the rootfs has no /lib for it." >&2
    echo "  fix: apt-get install busybox-static, or BUSYBOX=/path/to/static/busybox" >&2
    exit 1
fi

tmp="$dir.tmp.$$"
trap 'rm -rf "$tmp"' EXIT
rm -rf "$tmp"
mkdir -p "$tmp"
cd "$tmp"
mkdir -p bin etc root tmp proc sys dev usr/local/bin var/run
chmod 1777 tmp
chmod 700 root
cp "$bb" bin/busybox
# A busybox of another architecture (a cross-built rootfs, as the arm64
# VM's) cannot run here to list its applets: the host's busybox, from the
# same Debian package, names the same ones.
applets=$(bin/busybox --list 2>/dev/null) || applets=$(busybox --list)
for applet in $applets; do
    [ "$applet" = busybox ] || ln -s busybox "bin/$applet"
done
cat >etc/passwd <<'P'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat >etc/group <<'G'
root:x:0:
tty:x:5:
nogroup:x:65534:
G
echo rootfs >etc/hostname
printf '127.0.0.1\tlocalhost\n::1\tlocalhost\n' >etc/hosts

# The chroot escape of lesson03: harmless, it only reads /etc/hostname.
"$cc" -static -O2 -Wall -Wextra -o usr/local/bin/chroot-escape \
    "$here/escape.c"
# The bounded resource hogs that lesson05's cgroups stop.
"$cc" -static -O2 -Wall -Wextra -o usr/local/bin/hog "$here/hog.c"
# The escape lab's probes (lessons/escapes/matrix): each detects one
# escape or leak, harmlessly. `probe all` runs them all.
"$cc" -static -O2 -Wall -Wextra -Werror -o usr/local/bin/probe \
    "$here/probes.c"
# lesson07's hardening seen from inside: seccomp, descriptors, IPC.
"$cc" -static -O2 -Wall -Wextra -Werror -o usr/local/bin/hardening \
    "$here/hardening.c"

cd - >/dev/null
rm -rf "$dir"
mv "$tmp" "$dir"
trap - EXIT
echo "mkrootfs: $dir: busybox $("$dir/bin/busybox" | head -n1 | cut -d' ' -f2)," \
    "$(ls "$dir/bin" | wc -l) commands"
