#!/usr/bin/env bash
# The tutorial's "Try it" sessions recorded again from this tree, as
# `make sessions` records them (lessons/tools/record.sh: Linux 6.1 amd64
# in a VM, a pure cgroup v2 host): every session records, none runs out of
# time, none is longer than 40 lines (200 for NN-verbose, a lesson's run
# with -v, for lessons/docs/verbose.md), and each has the same commands, in
# the same order, as the recording in lessons/sessions that the tutorial
# shows. The recordings go to a directory of the test's own: the tree's
# are not touched. What the commands print (PIDs, times, addresses)
# differs from run to run and is not compared. Needs root and qemu; a VM
# that cannot be prepared here is a skip, as in hosts.sh.
TOOL=sessions
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "skip tools    [sessions] needs root"; exit 0; }
cd "$TOP" || exit 1
mkdir -p "$T/sessions"
cp lessons/sessions/*.cmds "$T/sessions/"
start=$(date +%s)
REC_DEST=$T/sessions REC_OUT=$T/out bash lessons/tools/record.sh >"$T/log" 2>&1
rc=$?
took=$(($(date +%s) - start))
if grep -q '^SKIP' "$T/log"; then
    echo "skip tools    [sessions] $(grep -m1 '^SKIP' "$T/log")"
    exit 0
fi
n=$(ls lessons/sessions/*.cmds | wc -l)
if [ $rc = 0 ]; then
    result ok "make sessions records all $n sessions in the cgroup v2 VM ($took s)"
else
    result FAIL "make sessions records all $n sessions in the cgroup v2 VM" \
        "status $rc: $(grep -E 'FAIL|refused' "$T/log")"
fi
for f in lessons/sessions/*.cmds; do
    s=$(basename "$f" .cmds)
    new=$T/sessions/$s.txt
    if [ ! -f "$new" ]; then
        result FAIL "$s: recorded" "$(grep " $s" "$T/log")"
        continue
    fi
    lines=$(wc -l <"$new")
    max=40
    case $s in *-verbose) max=200 ;; esac # lessons/docs/verbose.md's
    if [ "$(grep '^\$ ' "$new")" = "$(grep '^\$ ' "lessons/sessions/$s.txt")" ] &&
        [ "$lines" -le $max ]; then
        result ok "$s: the tree's commands, recorded again in $lines lines (at most $max)"
    else
        result FAIL "$s: the tree's commands, recorded again in at most $max lines" \
            "$lines lines; $(diff <(grep '^\$ ' "lessons/sessions/$s.txt") <(grep '^\$ ' "$new"))"
    fi
done
exit 0
