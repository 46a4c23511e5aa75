#!/usr/bin/env bash
# bench.sh: `make bench` (as root; never part of `make test`). Times
# start-to-exit of /bin/true in a container of lesson03 and of lesson07
# (complete and quiet), and in crun, runc, bubblewrap and unshare+chroot on
# the same rootfs; 1, 10 and 50 containers at once; images of 1, 10 and 50
# layers; and the runtime's peak RSS. The variants are alternated round
# by round (lessons/tools/bench.c), so that a noisy machine spreads its
# noise over all of them: read the ratios, not the milliseconds. Prints a
# table, checks the goals of issue 10 and writes build/bench/report.md.
#
#   ROUNDS=N     rounds (default 20)
#   NO_INSTALL=1 do not apt-get install crun, runc, bubblewrap, strace
set -u
cd "$(dirname "$0")/../.."
TOP=$PWD
ROUNDS=${ROUNDS:-20}
OUT=$TOP/build/bench
L03=$TOP/lesson03-mount/run
L07=$TOP/lesson07-full/run
ROOTFS=$TOP/build/rootfs

if [ "$(id -u)" != 0 ]; then
    echo "bench: containers need root: sudo make bench" >&2
    exit 1
fi
make -s all >/dev/null || exit 1
missing=""
for p in crun:crun runc:runc bwrap:bubblewrap strace:strace; do
    command -v "${p%%:*}" >/dev/null || missing="$missing ${p#*:}"
done
if [ -n "$missing" ] && [ -z "${NO_INSTALL:-}" ]; then
    echo "bench: installing$missing (Debian packages)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null ||
        echo "bench: could not install$missing: those rows are left out"
fi
rm -rf "$OUT" && mkdir -p "$OUT"
${CC:-cc} -O2 -Wall -Wextra -Werror -o "$OUT/bench" lessons/tools/bench.c || exit 1
# lesson07 is linked statically (its Makefile); lesson03 as it is, and a
# static copy of it too, so that the ratio can be read both ways.
L03S=$OUT/lesson03-static
${CC:-cc} -O2 -std=gnu11 -static -o "$L03S" lesson03-mount/*.c || exit 1

# OCI bundles for crun and runc: the same rootfs, read-only, /bin/true, the
# namespaces lesson03 has and IPC; one bundle per container of a batch, each
# with its own cgroup, nested in ours (the machine may account for us there).
own=$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {print $3}' /proc/self/cgroup)
[ -n "$own" ] || own=$(awk -F: '$1 == 0 {print $3}' /proc/self/cgroup)
own=${own%/}
# The cgroup directories on the way to $own/cl-bench that exist now, in
# every hierarchy: the ones crun makes beside them are removed after.
hiers=$(findmnt -rn -t cgroup,cgroup2 -o TARGET)
prefixes=$(p=""; for c in $(echo "$own/cl-bench" | tr / ' '); do p=$p/$c; echo "$p"; done)
before=$(for h in $hiers; do for p in $prefixes; do [ -d "$h$p" ] && echo "$h$p"; done; done)
bundle() { # bundle N
    mkdir -p "$OUT/bundle-$1"
    cat >"$OUT/bundle-$1/config.json" <<EOF
{
  "ociVersion": "1.0.2",
  "process": {"terminal": false, "user": {"uid": 0, "gid": 0},
    "args": ["/bin/true"], "env": ["PATH=/bin:/usr/bin"], "cwd": "/",
    "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"],
      "permitted": ["CAP_KILL"]},
    "noNewPrivileges": true},
  "root": {"path": "$ROOTFS", "readonly": true},
  "hostname": "bench",
  "mounts": [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
      "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]}
  ],
  "linux": {
    "cgroupsPath": "$own/cl-bench/$1",
    "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"},
      {"type": "uts"}, {"type": "mount"}]
  }
}
EOF
}
for i in $(seq 0 49); do bundle "$i"; done

# Images of 1, 10 and 50 layers: the demo's base and small layers on it.
for i in $(seq 1 49); do
    mkdir -p "$OUT/layer/$i"
    echo "layer $i" >"$OUT/layer/$i/layer-$i"
    tar --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$OUT/layer/$i" \
        -cf "$OUT/layer-$i.tar" .
done
for n in 1 10 50; do
    echo "$TOP/build/image/base.tar" >"$OUT/image-$n"
    for i in $(seq 1 $((n - 1))); do echo "$OUT/layer-$i.tar" >>"$OUT/image-$n"; done
done

v() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$OUT/variants"; }
v plain 1 /bin/true
v lesson03 1 "$L03 -q /bin/true"
v lesson03-static 1 "$L03S -q --rootfs $ROOTFS /bin/true"
v lesson07 1 "$L07 -q /bin/true"
# Each without one feature: what that feature costs.
v lesson07-no-net 1 "$L07 -q --net none /bin/true"
v lesson07-no-image 1 "$L07 -q --rootfs $ROOTFS /bin/true"
v lesson07-no-userns 1 "$L07 -q --no-userns /bin/true"
v lesson07-no-seccomp 1 "$L07 -q --seccomp off /bin/true"
command -v unshare >/dev/null &&
    v unshare+chroot 1 "unshare -m -u -i -p -n -f chroot $ROOTFS /bin/true"
command -v bwrap >/dev/null &&
    v bubblewrap 1 "bwrap --unshare-all --ro-bind $ROOTFS / --proc /proc --dev /dev /bin/true"
command -v crun >/dev/null && v crun 1 "crun run -b $OUT/bundle-0 clbench-0"
command -v runc >/dev/null && v runc 1 "runc run -b $OUT/bundle-0 clbench-0"
v lesson07-x10 10 "$L07 -q /bin/true"
v lesson07-x50 50 "$L07 -q /bin/true"
command -v crun >/dev/null && v crun-x10 10 "crun run -b $OUT/bundle-%i clbench-%i"
command -v crun >/dev/null && v crun-x50 50 "crun run -b $OUT/bundle-%i clbench-%i"
v lesson07-image-1 1 "$L07 -q --image $OUT/image-1 /bin/true"
v lesson07-image-10 1 "$L07 -q --image $OUT/image-10 /bin/true"
v lesson07-image-50 1 "$L07 -q --image $OUT/image-50 /bin/true"

# Every runtime alike in a mount and a network namespace of the bench's
# own. crun 1.8.1 refuses a hybrid host whose /sys/fs/cgroup/unified lists
# a controller: there, an empty tmpfs hides it from all of them.
echo "bench: $ROUNDS rounds of $(wc -l <"$OUT/variants") variants, alternated (a few minutes)"
unshare -m -n bash -c '
    if [ -s /sys/fs/cgroup/unified/cgroup.controllers ] &&
        [ "$(stat -f -c %T /sys/fs/cgroup)" = tmpfs ]; then
        umount /sys/fs/cgroup/unified && mount -t tmpfs none /sys/fs/cgroup/unified
    fi
    ip link set lo up
    exec "$1/bench" "$2" "$1/variants"' bench "$OUT" "$ROUNDS" >"$OUT/results"

# Where lesson07's time goes: its narration in detail (-v), each line
# timed as it arrives (bench --timeline), in the run of median length of 11.
for i in $(seq 11); do
    unshare -n "$OUT/bench" --timeline "$L07" -v /bin/true >"$OUT/timeline-$i"
done
median_run=$(for i in $(seq 11); do echo "$(tail -n1 "$OUT/timeline-$i" | awk '{print $1}') $i"; done |
    sort -n | sed -n 6p | cut -d' ' -f2)
cp "$OUT/timeline-$median_run" "$OUT/timeline"

# Nothing on lesson07's start path shells out: two execve(2), the
# runtime's and the command's.
execs=""
if command -v strace >/dev/null; then
    execs=$(unshare -n strace -f -qq -e trace=execve -o "$OUT/execve" \
        "$L07" -q /bin/true && grep -c 'execve(' "$OUT/execve")
fi

# Leftovers: what the benchmark's containers may have left.
left=$( (find /sys/fs/cgroup -path '*container-lessons/*' -type d
    ls -A /run/container-lessons 2>/dev/null | grep -v '^lock$'
    ls -A "$TOP/build/containers" 2>/dev/null
    grep container-lessons /proc/self/mountinfo) 2>/dev/null)
# crun and runc remove their containers' cgroups; the directories made on
# the way to them go here, deepest first, and only those that were not
# there before.
for h in $hiers; do
    for d in "$h$own"/cl-bench/[0-9]*; do [ -d "$d" ] && rmdir "$d"; done
    for p in $(echo "$prefixes" | tac); do
        [ -d "$h$p" ] || continue
        printf '%s\n' "$before" | grep -qx "$h$p" || rmdir "$h$p"
    done
done

awk -v rounds="$ROUNDS" -v execs="$execs" -v left="$(printf '%s' "$left" | wc -l)" \
    -v date="$(date -u +%Y-%m-%d)" -v host="$(uname -r), $(nproc) CPUs" '
    { med[$1] = $2; p10[$1] = $3; p90[$1] = $4; rss[$1] = $5; fail[$1] = $6; order[++n] = $1 }
    function ms(us) { return sprintf("%.1f", us / 1000) }
    function ratio(a, b) { return (a in med) && (b in med) && med[b] > 0 ? sprintf("%.2f", med[a] / med[b]) : "-" }
    function goal(ok, text) { printf "- %s %s\n", ok ? "**met**" : "**missed**", text; missed += !ok }
    END {
        printf "# Start-up benchmark\n\n"
        printf "`make bench`, %s: Linux %s; %d rounds, the variants alternated; " \
            "start to exit of `/bin/true`, median (10th-90th percentile), milliseconds.\n\n", date, host, rounds
        printf "| variant | median | p10-p90 | / lesson07 | / crun | peak RSS | failed |\n"
        printf "|---|---|---|---|---|---|---|\n"
        for (i = 1; i <= n; i++) {
            k = order[i]
            printf "| %s | %s | %s-%s | %s | %s | %d KiB | %d |\n", k, ms(med[k]), ms(p10[k]), \
                ms(p90[k]), ratio(k, "lesson07"), ratio(k, "crun"), rss[k], fail[k]
        }
        m07 = ("lesson07-x50" in med) ? (med["lesson07-x50"] - med["lesson07"]) / 49 : 0
        mcr = ("crun-x50" in med) ? (med["crun-x50"] - med["crun"]) / 49 : 0
        printf "\nMarginal cost of one more container, (50 at once - 1) / 49: lesson07 %s ms", ms(m07)
        if (mcr > 0) printf ", crun %s ms", ms(mcr)
        printf ".\n\n## Goals\n\n"
        if ("crun" in med) goal(med["lesson07"] <= 0.5 * med["crun"], "lesson07 <= 0.5 x crun: " ratio("lesson07", "crun"))
        goal(med["lesson07"] <= 1.5 * med["lesson03"], "lesson07 <= 1.5 x lesson03: " ratio("lesson07", "lesson03") \
            " (" ratio("lesson07", "lesson03-static") " x lesson03 linked statically too)")
        goal(fail["lesson07-x50"] == 0 && left == 0, "50 at once all succeed (" fail["lesson07-x50"] " failed) and leave nothing behind (" left " left)")
        if (mcr > 0) goal(m07 <= 0.5 * mcr, "marginal cost <= 0.5 x crun'"'"'s: " sprintf("%.2f", m07 / mcr))
        goal(rss["lesson07"] <= 2048, "the runtime'"'"'s peak RSS <= 2 MiB: " rss["lesson07"] " KiB")
        if (execs != "") goal(execs == 2, "nothing on the start path shells out: " execs " execve (the runtime, the command)")
        exit missed > 0
    }' "$OUT/results" >"$OUT/report.md"
status=$?
{
    printf '\n## Where lesson07'"'"'s time goes\n\n'
    printf 'One run with its narration (the median of 11), each line timed as it arrived; the\n'
    printf 'steps that took 0.3 ms or more since the line before:\n\n'
    printf '| at ms | took ms | the step that ends with this line |\n|---|---|---|\n'
    awk '{ d = $1 - prev; prev = $1; $1 = ""; sub(/^ +(==> |- )?/, "")
           gsub(/\|/, "/"); if (length($0) > 90) $0 = substr($0, 1, 87) "..."
           if (d >= 0.3) printf "| %.1f | %.1f | %s |\n", prev, d, $0 }' "$OUT/timeline"
} >>"$OUT/report.md"
cat "$OUT/report.md"
echo
echo "bench: build/bench/report.md"
[ -z "$left" ] || printf 'bench: left behind:\n%s\n' "$left"
exit $status
