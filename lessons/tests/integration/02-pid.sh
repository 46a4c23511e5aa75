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

ct_bg sleep -q --init sleep 30
kill -TERM "$RT"
ct_wait 5
expect_eq "with --init, SIGTERM to the runtime ends the command: 143" 143 "$RC"

ct_bg sleep -q --init sh -c '(sleep 0.2 &); sleep 1; exit 4'
sleep 0.6
zombies=$(ps -o stat= --ppid "$CT" | grep -c Z)
expect_eq "with --init, an orphan is reaped: no zombie in the container" \
    0 "$zombies"
ct_wait 5
expect_eq "  ... and the command's status is the container's" 4 "$RC"
ct --init sh -c '(sleep 0.1 &); sleep 0.4'
expect_match "  ... the narration says so" 'init: reaped orphan PID' "$ERR"

ct -q --init sh -c 'echo $$ $PPID'
expect_eq "with --init the command is PID 2, child of PID 1" "2 1" "$OUT"
expect_nothing_left
