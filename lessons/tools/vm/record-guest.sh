#!/usr/bin/env bash
# record-guest.sh [SESSION...]: what runs inside the VM for
# lessons/tools/record.sh (its payload): records each session,
# lessons/sessions/NN-NAME.cmds (default: every one), as root on this pure
# cgroup v2 host. Each command runs in lesson NN's directory, by bash, on
# a terminal of its own (script(1)): its stdout and stderr interleaved as
# a learner's terminal shows them, line-buffered as there, without colour
# (NO_COLOR=1); stdin is /dev/null, the time limit REC_LIMIT seconds (60).
# `sudo` is a shim that runs its arguments: the VM runs as root, and the
# command recorded is the command run.
#
# The recording goes to the console, which also carries kernel messages
# and turns \n into \r\n: each session as
#     CL-REC-BEGIN NN-NAME SHA256 SECONDS
#     base64 lines
#     CL-REC-END NN-NAME
# or "CL-REC-FAIL NN-NAME why". The status is 1 if any session failed.
# REC_TMP (/tmp/cl-rec): where the recordings and the shim are made.
set -u
cd "$(dirname "$0")/../../.." || exit 1
TOP=$PWD
LIMIT=${REC_LIMIT:-60}
out=${REC_TMP:-/tmp/cl-rec}
rm -rf "$out" && mkdir -p "$out/bin"
cat >"$out/bin/sudo" <<'EOF'
#!/bin/sh
# sudo in the recorded sessions: the VM runs everything as root already.
case ${1:-} in -E | --preserve-env | --) shift ;; esac
exec "$@"
EOF
chmod 755 "$out/bin/sudo"
export PATH=$out/bin:$PATH NO_COLOR=1 SHELL=/bin/bash TERM=dumb HOME=/root

if [ $# = 0 ]; then
    for f in lessons/sessions/*.cmds; do
        [ -e "$f" ] && set -- "$@" "$(basename "$f" .cmds)"
    done
fi
rc=0
fail() { # fail SESSION WHY
    echo "CL-REC-FAIL $1 $2"
    rc=1
}

for s in "$@"; do
    cmds=$TOP/lessons/sessions/$s.cmds
    [ -f "$cmds" ] || { fail "$s" "no lessons/sessions/$s.cmds"; continue; }
    dir=$(ls -d "lesson${s%%-*}"-* 2>/dev/null | head -n1)
    [ -n "$dir" ] && [ -x "$dir/run" ] ||
        { fail "$s" "no lesson ${s%%-*} built in the VM"; continue; }
    txt=$out/$s.txt
    : >"$txt"
    start=$(date +%s)
    ok=1
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in '' | '#'*) continue ;; esac
        printf '$ %s\n' "$line" >>"$txt"
        # script(1) gives the command a terminal for stdout and stderr;
        # the command itself reads /dev/null. The terminal's \r\n is
        # the recording's \n.
        t0=$SECONDS
        (cd "$dir" && CL_REC_CMD=$line timeout -k 5 "$LIMIT" \
            script -qec 'c=$CL_REC_CMD; unset CL_REC_CMD; exec bash -c "$c" </dev/null' \
            /dev/null </dev/null) | tr -d '\r' >>"$txt"
        # A command may end with any status (the sessions show errors
        # too); one that ran out of time fails the session.
        if [ $((SECONDS - t0)) -ge "$LIMIT" ]; then
            fail "$s" "\"$line\" did not end within $LIMIT s"
            ok=0
            break
        fi
    done <"$cmds"
    [ "$ok" = 1 ] || continue
    secs=$(($(date +%s) - start))
    echo "CL-REC-BEGIN $s $(sha256sum <"$txt" | cut -c1-64) $secs"
    base64 <"$txt"
    echo "CL-REC-END $s"
done
# What a session left running is the VM's to end: it powers off next.
exit $rc
