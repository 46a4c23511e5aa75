#!/bin/sh
# mkimage.sh ROOTFS DIR: the demo image of lesson06, three layers and a
# manifest in DIR:
#   base.tar  the busybox rootfs
#   add.tar   adds files: /etc/motd, /opt/demo (a hard link, a symlink, a
#             name longer than ustar's 100 bytes: a GNU 'L' entry)
#   del.tar   deletes the base's /etc/hosts (.wh.hosts) and replaces its
#             /var with a new one (.wh..wh..opq); pax format
# The layers are plain tar files: `tar tvf` shows what each one does.
set -eu
rootfs=${1:?usage: mkimage.sh ROOTFS DIR}
out=${2:?usage: mkimage.sh ROOTFS DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Reproducible: the same files make the same tars, so the same cached layers.
owner="--numeric-owner --owner=0 --group=0 --mtime=@0 --sort=name"

mkdir -p "$out"
# shellcheck disable=SC2086
tar -C "$rootfs" $owner -cf "$out/base.tar" .

mkdir -p "$tmp/add/etc" "$tmp/add/opt/demo"
echo "Welcome to a container of three layers: base, add, del." >"$tmp/add/etc/motd"
echo "hello from the add layer" >"$tmp/add/opt/demo/hello.txt"
ln "$tmp/add/opt/demo/hello.txt" "$tmp/add/opt/demo/hello-hardlink.txt"
ln -s hello.txt "$tmp/add/opt/demo/hello-symlink.txt"
long=$tmp/add/opt/demo/a-directory-whose-name-is-long-enough/to-need-more-than-the-hundred-bytes-of-a-ustar-name
mkdir -p "$long"
echo "a long path" >"$long/file.txt"
# shellcheck disable=SC2086
tar -C "$tmp/add" $owner --format=gnu -cf "$out/add.tar" etc opt

mkdir -p "$tmp/del/etc" "$tmp/del/var/lib"
: >"$tmp/del/etc/.wh.hosts"
: >"$tmp/del/var/.wh..wh..opq"
echo "this /var replaced the base's" >"$tmp/del/var/lib/demo.txt"
# shellcheck disable=SC2086
tar -C "$tmp/del" $owner --format=pax -cf "$out/del.tar" etc var

cat >"$out/manifest" <<'M'
# The demo image of lesson06: one layer a line, bottom first.
base.tar
add.tar
del.tar
M
echo "mkimage: $out/manifest: base.tar add.tar del.tar"
