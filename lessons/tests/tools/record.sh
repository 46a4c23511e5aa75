#!/usr/bin/env bash
# The session recorder (lessons/tools/record.sh and the guest's half,
# lessons/tools/vm/record-guest.sh) without a VM, on a tree of the test's
# own with a fake lesson: the guest's half records a session (the sudo
# shim, the lesson's directory, stdin /dev/null, a terminal for stdout and
# stderr in order, comments and blank lines skipped, one shell for the
# whole session: a variable and a job started with & stay for the next
# command, and a job killed is not reported with the recorder's file) and
# fails one that runs out of time, and one that names the recorder's own
# files (as a shim that cannot run does); the host's half reads the
# recordings out of a console with a kernel message in between and
# refuses a damaged one, one of more than 40 lines, one whose "$" lines
# are not its commands, and one the VM never sent, writing none of them.
# Needs no root; script(1).
TOOL=record
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/lessons/tools/vm" "$T/lessons/sessions" "$T/lesson01-a"
cp "$TOP/lessons/tools/record.sh" "$T/lessons/tools/"
cp "$TOP/lessons/tools/vm/record-guest.sh" "$T/lessons/tools/vm/"
cat >"$T/lesson01-a/run" <<'EOF2'
#!/bin/sh
echo "==> narration" >&2
echo "out"
echo "==> more" >&2
exec "$@"
EOF2
chmod 755 "$T/lesson01-a/run"
S=$T/lessons/sessions
cat >"$S/01-demo.cmds" <<'EOF2'
# a comment: not shown, not run
sudo ./run echo hi

pwd
read x; echo "read: $? ${x:-nothing}"
[ -t 1 ] && [ -t 2 ] && echo "a terminal"; type sudo | grep -c rec/bin/sudo
v=kept; sleep 30 &
echo "$v"; kill -KILL $!; wait $!; echo "status $?"
EOF2
echo 'sleep 30' >"$S/01-slow.cmds"
echo 'type -p sudo' >"$S/01-shim.cmds" # as a shim that fails names itself
cd "$T" || exit 1

REC_TMP=$T/rec REC_LIMIT=3 bash lessons/tools/vm/record-guest.sh 01-demo 01-slow \
    01-shim >"$T/console" 2>&1
rc=$?
want="\$ sudo ./run echo hi
==> narration
out
==> more
hi
\$ pwd
$T/lesson01-a
\$ read x; echo \"read: \$? \${x:-nothing}\"
read: 1 nothing
\$ [ -t 1 ] && [ -t 2 ] && echo \"a terminal\"; type sudo | grep -c rec/bin/sudo
a terminal
1
\$ v=kept; sleep 30 &
\$ echo \"\$v\"; kill -KILL \$!; wait \$!; echo \"status \$?\"
kept
status 137"
expect_eq "guest: a session recorded as typed, in its lesson's directory, on a terminal, sudo the shim" \
    "$want" "$(cat "$T/rec/01-demo.txt")"
grep -q '^CL-REC-FAIL 01-slow it did not end within 3 s$' "$T/console" && [ "$rc" = 1 ] &&
    result ok "guest: a command past the time limit fails its session, and the run" ||
    result FAIL "guest: a command past the time limit fails its session, and the run" \
        "$rc: $(cat "$T/console")"
grep -q "^CL-REC-FAIL 01-shim the recorder failed: $T/rec/bin/sudo$" "$T/console" &&
    result ok "guest: a recording that names the recorder's own files fails" ||
    result FAIL "guest: a recording that names the recorder's own files fails" \
        "$(grep 01-shim "$T/console")"

# The console as the VM's serial line brings it: \r\n, and a kernel
# message in the middle of a recording.
tr -d '\r' <"$T/console" | awk 'NR == 3 { print "[   12.345678] random: crng init done" } { print }' \
    >"$T/console.log"
out=$(REC_OUT=$T/out bash lessons/tools/record.sh --from-console "$T/console.log" 01-demo 01-slow)
rc=$?
expect_eq "host: the recording read out of the console is the guest's, into lessons/sessions" \
    "$(cat "$T/rec/01-demo.txt")" "$(cat "$S/01-demo.txt" 2>&1)"
echo "$out" | grep -q '^record: FAIL 01-slow: it did not end' && [ "$rc" = 1 ] &&
    [ ! -e "$S/01-slow.txt" ] &&
    result ok "host: the guest's failure is reported, the session not written, status 1" ||
    result FAIL "host: the guest's failure is reported, the session not written, status 1" "$rc: $out"

block() { # block NAME FILE: a recording as the guest sends it
    echo "CL-REC-BEGIN $1 $(sha256sum <"$2" | cut -c1-64) 1"
    base64 <"$2"
    echo "CL-REC-END $1"
}
refused() { # refused DESC SESSION PATTERN
    out=$(REC_OUT=$T/out bash lessons/tools/record.sh --from-console "$T/fake.log" "$2")
    rc=$?
    [ "$rc" = 1 ] && echo "$out" | grep -q "^record: FAIL $2: $3" && [ ! -e "$S/$2.txt" ] &&
        result ok "host: $1" || result FAIL "host: $1" "$rc: $out"
}
seq 50 | sed 's/^/line /' >"$T/long"
sed -i '1s/^/$ x\n/' "$T/long"
echo x >"$S/01-long.cmds"
printf '$ y\nout\n' >"$T/edited"
echo x >"$S/01-edited.cmds"
echo x >"$S/01-damaged.cmds"
echo x >"$S/01-absent.cmds"
printf '$ x\nsome output that is long enough to take two lines of base64 text, or more\n' >"$T/ok"
{
    block 01-long "$T/long"
    block 01-edited "$T/edited"
    block 01-damaged "$T/ok" | sed '2y/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz/BCDEFGHIJKLMNOPQRSTUVWXYZAbcdefghijklmnopqrstuvwxyza/'
} >"$T/fake.log"
refused "a recording of more than 40 lines is refused, naming it" 01-long "51 lines, more than 40"
refused "a recording whose \$ lines are not its commands is refused" 01-edited 'its "\$" lines are not its commands'
refused "a recording damaged on the way is refused" 01-damaged 'its recording came out of the console damaged'
refused "a session the VM did not send is a failure" 01-absent 'the VM did not record it'
