#!/usr/bin/env bash
# Lesson 02, the PID namespace: PID 1 and its duties. Run against lesson02
# and later.
. "$(dirname "$0")/../lib.sh"

ct -q sh -c 'echo $$'
expect_eq "echo \$\$ prints 1" 1 "$OUT"
ct -q readlink /proc/self/ns/pid
expect_true "the container's PID namespace is not the host's" \
    test "$OUT" != "$(readlink /proc/self/ns/pid)"

# A shell as PID 1: SIGTERM has no handler there, so the kernel drops it;
# the runtime sends SIGKILL when it is signalled a second time.
ct_bg sleep sleep 30
kill -TERM "$RT"
sleep 0.5
expect_true "without --init, PID 1 ignores the SIGTERM passed on to it" \
    kill -0 "$CT"
kill -TERM "$RT"
ct_wait 5
expect_eq "  ... a second SIGTERM to the runtime kills it: 137" 137 "$RC"
expect_match "  ... and the narration explains why" 'kernel drops it' \
    "$(cat "$TMP/bg.err")"

# A hangup: nobody is left to signal a second time, so the runtime sends
# SIGKILL itself if the container is still there 2 s after the SIGHUP.
ct_bg sleep sleep 30
kill -HUP "$RT"
sleep 0.5
expect_true "SIGHUP: PID 1 without a handler drops it, at first" kill -0 "$CT"
ct_wait 5
expect_eq "  ... 2 s later the runtime sends SIGKILL: 137" 137 "$RC"
expect_match "  ... and says why" 'outlived the hangup: SIGKILL' \
    "$(cat "$TMP/bg.err")"
# (ct_bg waits for the loop's sleep: by then the trap is set.)
ct_bg sleep -q sh -c 'trap "exit 5" HUP; while :; do sleep 0.1; done'
kill -HUP "$RT"
ct_wait 5
expect_eq "  ... a PID 1 with a handler ends its own way, no SIGKILL after: 5" \
    5 "$RC"
# A real one: the terminal goes (script(1) killed) while the runtime is its
# session leader; the kernel sends SIGHUP to the runtime alone.
if command -v script >/dev/null; then
    script -qec "exec $RUN -q sleep 31" /dev/null </dev/null >/dev/null 2>&1 &
    sc=$!
    for i in $(seq 100); do
        pgrep -f '^sleep 31$' >/dev/null && break
        sleep 0.05
    done
    kill -KILL "$sc"
    wait "$sc" 2>/dev/null
    for i in $(seq 60); do
        pgrep -f 'sleep 31$' >/dev/null || break
        sleep 0.1
    done
    expect_eq "a terminal that hangs up ends the runtime and its container" \
        "" "$(pgrep -f 'sleep 31$' || true)"
fi

ct_bg sleep -q --init sleep 30
kill -TERM "$RT"
ct_wait 5
expect_eq "with --init, SIGTERM to the runtime ends the command: 143" 143 "$RC"

# The command lives 3 s: under emulation (arm64 in qemu) one look for it
# may take most of a second.
if ct_bg sh -q --init sh -c '(sleep 0.2 &); sleep 3; exit 4'; then
    sleep 0.6
    zombies=$(ps -o stat= --ppid "$CT" | grep -c Z)
else
    zombies="no container to look in"
fi
expect_eq "with --init, an orphan is reaped: no zombie in the container" \
    0 "$zombies"
ct_wait 10
expect_eq "  ... and the command's status is the container's" 4 "$RC"
ct --init sh -c '(sleep 0.1 &); sleep 0.4'
expect_match "  ... the narration says so" 'init: reaped orphan PID' "$ERR"

ct -q --init sh -c 'echo $$ $PPID'
expect_eq "with --init the command is PID 2, child of PID 1" "2 1" "$OUT"
expect_nothing_left
