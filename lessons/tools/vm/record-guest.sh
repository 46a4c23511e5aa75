#!/usr/bin/env bash
# record-guest.sh [SESSION...]: what runs inside the VM for
# lessons/tools/record.sh (its payload): records each session,
# lessons/sessions/NN-NAME.cmds (default: every one), as root on this pure
# cgroup v2 host. A session runs in lesson NN's directory, in one bash on
# a terminal of its own (script(1)), a command after the other, as a
# learner types them into one shell: a job started with & goes on, and a
# variable set by one command is there for the next. Stdout and stderr
# are interleaved as a learner's terminal shows them, line-buffered as
# there, without colour (NO_COLOR=1); stdin is /dev/null; the session's
# time limit is REC_LIMIT seconds (120). `sudo` is a shim that runs its
# arguments: the VM runs as root, and the command recorded is the
# command run. (The shim is bash's: busybox's sh would run its own ps.)
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
LIMIT=${REC_LIMIT:-120}
out=${REC_TMP:-/tmp/cl-rec}
rm -rf "$out" && mkdir -p "$out/bin"
cat >"$out/bin/sudo" <<'EOF'
#!/usr/bin/env bash
# sudo in the recorded sessions: the VM runs everything as root already.
case ${1:-} in -E | --preserve-env | --) shift ;; esac
exec "$@"
EOF
chmod 755 "$out/bin/sudo"
# One session, in one shell: each command of the .cmds file (fd 3; the
# commands read /dev/null) printed as "$ COMMAND", then eval'd, so that
# a job started with & and a variable set stay for the next command.
# What the session leaves running is killed at its end. The shell is
# interactive (bash -i), as a learner's is: job control, and a job that a
# signal kills is not reported with the recorder's file and line.
cat >"$out/session" <<'EOF'
exec 3<"$1" </dev/null
while IFS= read -r CL_REC_LINE <&3 || [ -n "$CL_REC_LINE" ]; do
    case $CL_REC_LINE in '' | '#'*) continue ;; esac
    printf '$ %s\n' "$CL_REC_LINE"
    eval "$CL_REC_LINE"
done
exec 3<&-
kill -9 $(jobs -p) 2>/dev/null
wait
EOF
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
    start=$(date +%s)
    ok=1
    # script(1) gives the session a terminal for stdout and stderr; the
    # terminal's \r\n is the recording's \n.
    (cd "$dir" && HISTFILE= timeout -k 5 "$LIMIT" \
        script -qec "bash --norc -i $out/session $cmds" /dev/null </dev/null) |
        tr -d '\r' >"$txt"
    # A command may end with any status (the sessions show errors too);
    # a session that ran out of time fails.
    if [ $(($(date +%s) - start)) -ge "$LIMIT" ]; then
        fail "$s" "it did not end within $LIMIT s"
        ok=0
    fi
    # The recorder's own files named in it: the recorder failed, not the
    # lesson (a shim that could not run, say).
    if [ "$ok" = 1 ] && grep -q "$out/" "$txt"; then
        fail "$s" "the recorder failed: $(grep -m1 "$out/" "$txt")"
        ok=0
    fi
    [ "$ok" = 1 ] || continue
    secs=$(($(date +%s) - start))
    echo "CL-REC-BEGIN $s $(sha256sum <"$txt" | cut -c1-64) $secs"
    base64 <"$txt"
    echo "CL-REC-END $s"
done
# What a session left running is the VM's to end: it powers off next.
exit $rc
