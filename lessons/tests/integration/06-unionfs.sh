#!/usr/bin/env bash
# Lesson 06, images on overlayfs: layers in, layers out. Run against
# lesson06 and later. The tars it makes are reproducible (mtime 0), so
# their cached layers are the same from run to run; it removes them.
. "$(dirname "$0")/../lib.sh"
IMAGE=$TOP/build/image/manifest
LAYERS=$TOP/build/layers
# lesson07's user namespace (0:100000:65536) has a cache of its own, with
# the owners shifted.
[ "$LESSON" -lt 07 ] || LAYERS=$TOP/build/layers.0-100000-65536
CONTAINERS=$TOP/build/containers
tarc() { tar --mtime=@0 --owner=0 --group=0 --numeric-owner "$@"; }
sums() { find "$LAYERS" -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum; }
image() { # image NAME LAYER...: a manifest of the demo base and LAYERs
    local m=$TMP/$1.manifest
    shift
    echo "$TOP/build/image/base.tar" >"$m"
    printf '%s\n' "$@" >>"$m"
    echo "$m"
}
made_layers=()
forget() { # forget TAR...: the cache entries of tars this test made
    local t
    for t in "$@"; do made_layers+=("$LAYERS/$(sha256sum <"$t" | cut -d' ' -f1)"); done
}

ct -q --image "$IMAGE" sh -c 'test -x /bin/busybox && cat /etc/motd && ls /var && test ! -e /etc/hosts && echo gone'
expect_eq "the image's files: base, add's /etc/motd, del's /var, /etc/hosts deleted" \
    "Welcome to a container of three layers: base, add, del.
lib
gone" "$OUT"
ct -q --image "$IMAGE" cat /opt/demo/a-directory-whose-name-is-long-enough/to-need-more-than-the-hundred-bytes-of-a-ustar-name/file.txt
expect_eq "a GNU long name (an 'L' entry) is unpacked" "a long path" "$OUT"
ct -q --image "$IMAGE" sh -c 'stat -c %h /opt/demo/hello.txt; readlink /opt/demo/hello-symlink.txt'
expect_eq "hard link and symlink are unpacked" "2
hello.txt" "$OUT"

before=$(sums)
ct -q --image "$IMAGE" --keep --name t06-keep sh -c 'echo changed >/etc/motd; rm /etc/group; echo new >/new'
after=$(sums)
expect_eq "a write inside leaves every lower layer unchanged (checksums)" "$before" "$after"
up=$CONTAINERS/t06-keep/upper
expect_eq "  ... copy-up: the changed file is in the upper dir" changed "$(cat "$up/etc/motd")"
expect_eq "  ... the deleted base file is a whiteout there (char 0/0)" \
    "character special file 0,0" "$(stat -c '%F %t,%T' "$up/etc/group")"
expect_eq "  ... --keep kept the upper dir alone" "upper" "$(ls "$CONTAINERS/t06-keep")"
rm -rf "$CONTAINERS/t06-keep"

ct -v --image "$IMAGE" true
expect_match "layers are unpacked once, then shared from the cache" \
    'already unpacked in the cache' "$ERR"
nv=$(printf '%s\n' "$ERR" | grep -c .)
ct --image "$IMAGE" true
n=$(printf '%s\n' "$ERR" | grep -c .)
max=21
[ "$LESSON" -lt 07 ] || max=30
expect_true "the default narration on an image: $n lines, at most $max" \
    test "$n" -le "$max"
expect_match "  ... the layers in one line" \
    '^==> image .*: [0-9]+ layer tars, .* 0 unpacked now' "$ERR"
expect_true "  ... -v: $nv lines, more" test "$nv" -gt "$n"
# The first one lives until it is stopped: on a slow host (an emulator)
# it is still there when the second has run.
ct_bg sleep -q --image "$IMAGE" sh -c 'echo a >/mine; sleep 60'
ct -q --image "$IMAGE" sh -c 'sleep 0.5; test -e /mine && echo sees || echo apart'
expect_eq "two containers at once do not see each other's writes" apart "$OUT"
expect_match "  ... and share the lower layers" \
    "lowerdir=.*" "$(grep -o 'lowerdir=[^,]*' "/proc/$CT/mountinfo" | head -n1)"
kill -TERM "$RT"; kill -TERM "$RT"; ct_wait 5

ct -q --image "$IMAGE" --commit "$TMP/c.tar" sh -c 'echo v2 >/etc/motd; rm /bin/vi; mkdir -p /srv; echo x >/srv/f'
expect_eq "--commit: status 0" 0 "$RC"
expect_match "  ... the deletion is a .wh. entry in the layer" '^bin/\.wh\.vi$' "$(tar tf "$TMP/c.tar")"
ct -q --image "$(image stack "$TOP/build/image/add.tar" "$TOP/build/image/del.tar" "$TMP/c.tar")" \
    sh -c 'cat /etc/motd /srv/f; test -e /bin/vi && echo vi || echo no-vi'
expect_eq "commit, stack it, run again: the change and the deletion are there" \
    "v2
x
no-vi" "$OUT"
forget "$TMP/c.tar"
long=/opt/$(printf 'a-directory-name-of-thirty-chars/%.0s' 1 2 3 4)target
ct -q --image "$IMAGE" --commit "$TMP/l.tar" ln -s "$long" /lnk
expect_eq "--commit of a symlink whose target is over 99 bytes: GNU tar reads it" \
    "lnk -> $long" "$(tar tvf "$TMP/l.tar" | grep -o 'lnk -> .*')"
ct -q --image "$(image long "$TMP/l.tar")" readlink /lnk
expect_eq "  ... and the runtime unpacks it whole" "$long" "$OUT"
forget "$TMP/l.tar"

# Hostile and broken layers: refused, and nothing written outside.
mkdir -p "$TMP/c/a" "$TMP/out" "$TMP/s1" "$TMP/s2/link"
echo evil >"$TMP/c/evil"
(cd "$TMP/c/a" && tarc -cPf "$TMP/dotdot.tar" ../evil)
tarc -cPf "$TMP/abs.tar" "$TMP/c/evil"
ln -s "$TMP/out" "$TMP/s1/link"
tarc -C "$TMP/s1" -cf "$TMP/sym.tar" link
echo evil >"$TMP/s2/link/evil"
tarc -C "$TMP/s2" -rf "$TMP/sym.tar" link/evil
# A symlink to a host directory and a hard link to the symlink (mode 777):
# setting the link's mode must not follow it.
mkdir -p "$TMP/target" "$TMP/m1" && chmod 700 "$TMP/target"
ln -s "$TMP/target" "$TMP/m1/d"
ln -P "$TMP/m1/d" "$TMP/m1/h"
tarc -C "$TMP/m1" -cf "$TMP/mode.tar" d h
head -c 1500 "$TOP/build/image/add.tar" >"$TMP/trunc.tar"
cp "$TOP/build/image/add.tar" "$TMP/sum.tar"
printf '0000001' | dd of="$TMP/sum.tar" bs=1 seek=148 conv=notrunc 2>/dev/null
for bad in dotdot:'climbs out' abs:'absolute' sym:'symlink' trunc:'truncated' \
    sum:'checksum'; do
    ct -q --image "$(image "${bad%%:*}" "$TMP/${bad%%:*}.tar")" true
    expect_eq "a layer with ${bad%%:*} is refused (125)" 125 "$RC"
    expect_match "  ... saying why: ${bad#*:}" "${bad#*:}" "$ERR"
done
expect_eq "  ... nothing was written outside the cache" "" "$(ls "$TMP/out")"
ct -q --image "$(image mode "$TMP/mode.tar")" true
forget "$TMP/mode.tar"
expect_eq "  ... nor a host directory's mode changed through a layer's link" \
    700 "$(stat -c %a "$TMP/target")"
expect_eq "  ... and no half-unpacked layer stays in it" "" \
    "$(ls "$LAYERS" | grep -v '^[0-9a-f]\{64\}$')"

# 50 layers: the overlay options must fit in one page (MAX_LAYERS 60).
layers=()
for i in $(seq 50); do
    mkdir -p "$TMP/L$i/l"
    echo "$i" >"$TMP/L$i/l/$i"
    tarc -C "$TMP/L$i" -cf "$TMP/L$i.tar" l
    layers+=("$TMP/L$i.tar")
done
forget "${layers[@]}"
ct -q --image "$(image fifty "${layers[@]}")" sh -c 'ls /l | wc -l'
expect_eq "an image of 50 layers mounts" 50 "$OUT"
ct -q --image "$IMAGE" --rootfs "$ROOTFS" true
expect_eq "--image with --rootfs: 125" 125 "$RC"
if [ "$LESSON" -lt 07 ]; then
    ct -q --keep true
    expect_eq "--keep without --image: 125" 125 "$RC"
else # the image is lesson07's default root
    ct -q --keep --rootfs "$ROOTFS" true
    expect_eq "--keep with --rootfs, no image: 125" 125 "$RC"
fi

# Device nodes: a layer's are not created (a whiteout's 0:0 is), and the
# overlay is nodev, so one the container makes in its upper layer does not
# open either. c 1:3 stands for a disk: the device cgroup allows it.
mkdir -p "$TMP/dev/opt"
mknod "$TMP/dev/opt/nulldev" c 1 3
mknod "$TMP/dev/opt/blkdev" b 7 0
tarc -C "$TMP/dev" -cf "$TMP/dev.tar" opt
# lesson07 --no-userns: the host's root inside, whose mknod works; its
# layers are unpacked into the unshifted cache.
nouserns=""
[ "$LESSON" -lt 07 ] || nouserns=--no-userns
made_layers+=("$TOP/build/layers/$(sha256sum <"$TMP/dev.tar" | cut -d' ' -f1)")
ct --image "$(image dev "$TMP/dev.tar")" $nouserns sh -c \
    'ls /opt; mknod /opt/mine c 1 3 && echo x >/opt/mine && echo opened'
expect_eq "a layer's device nodes are not created" "" \
    "$(echo "$OUT" | grep -E '^(nulldev|blkdev)$')"
expect_match "  ... and the runtime says so" \
    'opt/nulldev: a character device 1:3 in the layer is not created' "$ERR"
expect_no_match "  ... one made inside does not open: the overlay is nodev" \
    '^opened$' "$OUT"
expect_match "  ... (Permission denied)" 'mine: Permission denied' "$ERR"

ct_bg sleep -q --image "$IMAGE" --name t06-kill sleep 30
{ kill -KILL "$RT"; wait "$RT"; } 2>/dev/null
sleep 0.2
expect_true "a killed runtime leaves its container dirs" test -d "$CONTAINERS/t06-kill/work"
ct --cleanup
expect_match "  ... --cleanup removes them" "removed .*t06-kill" "$ERR"
expect_eq "no upper or work dir remains after the containers" "" "$(ls "$CONTAINERS")"
rm -rf "${made_layers[@]}"
expect_nothing_left
