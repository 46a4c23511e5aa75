#!/usr/bin/env bash
# record.sh [SESSION...]: the tutorial's "Try it" sessions, recorded from
# real runs, never typed: `make sessions` (all) or `make sessions
# S=01-hostname` (one). Boots one VM, Linux 6.1 amd64 on a pure cgroup v2
# host (the one make quick uses; lessons/tools/vm/vmtest.sh, payload mode),
# records every lessons/sessions/NN-NAME.cmds there (record-guest.sh) and
# writes each lessons/sessions/NN-NAME.txt:
#
#   NN-NAME.cmds  one command a line, as a learner types it (`sudo ./run
#                 --hostname box hostname`), run as root in lesson NN's
#                 directory, all in one bash as a learner's one shell (a
#                 job started with & goes on, a variable set stays),
#                 stdin /dev/null, at most REC_LIMIT seconds (120) a
#                 session; "#" lines are comments, blank lines ignored
#   NN-NAME.txt   "$ COMMAND", then what the terminal showed (stdout and
#                 stderr, no colour), then the next; nothing else
#
# A recording of more than 40 lines is refused, naming the session (200
# for NN-verbose, a lesson's whole narration with -v, which
# lessons/docs/verbose.md shows); so is one whose "$" lines are not its
# commands. Nothing of a session that
# failed is written into the tree; every recording is also kept in
# build/sessions/, with the VM's console (console.log).
#        record.sh --from-console LOG SESSION...  only the second half:
#                  read the recordings from a console log made before
#                  (lessons/tests/tools/record.sh uses it)
# Needs root (the VM runner does). One recording VM at a time on this
# machine: the boot holds the lock file VM_LOCK (/tmp/cl-vm.lock).
set -u
cd "$(dirname "$0")/../.." || exit 1
TOP=$PWD
MAX_LINES=40
MAX_VERBOSE=200 # NN-verbose: a lesson's whole narration, -v (lessons/docs/verbose.md)
LIMIT=${REC_LIMIT:-120}
VM_LOCK=${VM_LOCK:-/tmp/cl-vm.lock}
OUT=${REC_OUT:-$TOP/build/sessions}
DEST=${REC_DEST:-$TOP/lessons/sessions}

# The commands of a .cmds file, one a line, as the recording shows them.
commands() { # commands FILE
    grep -v -e '^#' -e '^$' "$1" || true
}

# The recordings of SESSION... from the console LOG (\r already gone),
# checked, into OUT and then DEST. Status 1 if any is missing or bad.
collect() { # collect LOG SESSION...
    local log=$1 s rc=0 n sum secs got want why
    shift
    mkdir -p "$OUT"
    for s in "$@"; do
        rm -f "$OUT/$s.txt"
        why=$(sed -n "s/^CL-REC-FAIL $s //p" "$log" | head -n1)
        if [ -n "$why" ]; then
            echo "record: FAIL $s: $why"
            rc=1
            continue
        fi
        read -r sum secs < <(sed -n "s/^CL-REC-BEGIN $s \([0-9a-f]*\) \([0-9]*\)$/\1 \2/p" "$log" |
            tail -n1)
        if [ -z "${sum:-}" ]; then
            echo "record: FAIL $s: the VM did not record it (see $OUT/console.log)"
            rc=1
            continue
        fi
        # Only the base64 lines between its markers: a kernel message
        # may come in between.
        awk -v s="$s" '$0 == "CL-REC-BEGIN " s || index($0, "CL-REC-BEGIN " s " ") == 1 { on = 1; next }
            $0 == "CL-REC-END " s { on = 0; next }
            on && /^[A-Za-z0-9+\/=]+$/ { print }' "$log" |
            base64 -d >"$OUT/$s.txt" 2>/dev/null
        if [ "$(sha256sum <"$OUT/$s.txt" | cut -c1-64)" != "$sum" ]; then
            echo "record: FAIL $s: its recording came out of the console damaged (see $OUT/console.log)"
            rc=1
            continue
        fi
        n=$(wc -l <"$OUT/$s.txt")
        max=$MAX_LINES
        case $s in *-verbose) max=$MAX_VERBOSE ;; esac
        if [ "$n" -gt "$max" ]; then
            echo "record: FAIL $s: $n lines, more than $max: split the session or quieten it (-q); see $OUT/$s.txt"
            rc=1
            continue
        fi
        want=$(commands "$DEST/$s.cmds")
        got=$(sed -n 's/^\$ //p' "$OUT/$s.txt")
        if [ "$got" != "$want" ]; then
            echo "record: FAIL $s: its \"\$\" lines are not its commands (a command printed a line starting with \"\$ \"?); see $OUT/$s.txt"
            rc=1
            continue
        fi
        cp "$OUT/$s.txt" "$DEST/$s.txt"
        echo "record: $s: $n lines, $secs s (lessons/sessions/$s.txt)"
    done
    return $rc
}

if [ "${1:-}" = --from-console ]; then
    log=$2
    shift 2
    collect "$log" "$@"
    exit
fi

sessions=()
for s in "$@"; do
    s=${s%.cmds}
    s=${s%.txt}
    s=${s##*/}
    sessions+=("$s")
done
if [ ${#sessions[@]} = 0 ]; then
    for f in "$DEST"/*.cmds; do
        [ -e "$f" ] && sessions+=("$(basename "$f" .cmds)")
    done
fi
[ ${#sessions[@]} -gt 0 ] || { echo "record: no lessons/sessions/*.cmds" >&2; exit 2; }
for s in "${sessions[@]}"; do
    [ -f "$DEST/$s.cmds" ] ||
        { echo "record: no lessons/sessions/$s.cmds" >&2; exit 2; }
    ls -d "lesson${s%%-*}"-* >/dev/null 2>&1 ||
        { echo "record: $s: no lesson ${s%%-*} (lessonNN-*/) for it" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "record: needs root (the VM runner does): sudo make sessions" >&2; exit 2; }

export KERNEL=6.1 ARCH=amd64
unset SUITE VM_PREPARED
mkdir -p "$OUT"
log=$OUT/console.log
# The VM's initramfs holds this tree as it is now: the lessons built,
# the .cmds as they are.
echo "record: preparing the VM (Linux $KERNEL $ARCH, pure cgroup v2)"
prep=$(bash lessons/tools/vm/vmtest.sh prepare 2>&1)
st=$?
if [ "$st" != 0 ] || echo "$prep" | grep -q '^SKIP'; then
    printf '%s\n' "$prep" | tail -n 20
    echo "record: FAIL: the VM could not be prepared"
    exit 1
fi
# The guest's sessions each have LIMIT seconds; the whole VM a little
# more than all of them.
start=$(date +%s)
echo "record: recording ${sessions[*]} in the VM (waits for $VM_LOCK if another VM holds it)"
flock "$VM_LOCK" env VM_PREPARED=1 CGROUP=v2 \
    VM_TIMEOUT=$((300 + (LIMIT + 10) * ${#sessions[@]})) \
    PAYLOAD="env REC_LIMIT=$LIMIT bash lessons/tools/vm/record-guest.sh ${sessions[*]}" \
    bash lessons/tools/vm/vmtest.sh payload >"$log" 2>&1
echo "record: the VM ran $(($(date +%s) - start)) s"
st=$(sed -n 's/^vm-[^ ]* payload: status \([0-9]*\)$/\1/p' "$log" | tail -n1)
collect "$log" "${sessions[@]}"
rc=$?
if [ "${st:-}" != 0 ] && [ "$rc" = 0 ]; then
    echo "record: FAIL: the VM's recorder ended with status ${st:-none} (see $log)"
    tail -n 20 "$log" | sed 's/^/     | /'
    rc=1
fi
exit $rc
