#!/usr/bin/env bash
# Lesson 01, the UTS namespace, and what every lesson shares: the command
# line, narration, exit codes and errors. Run against lesson01 and later.
. "$(dirname "$0")/../lib.sh"

host_name=$(hostname)
ct -q --hostname lesson-test hostname
expect_eq "hostname inside is the one given" "lesson-test" "$OUT"
expect_eq "the host's hostname is unchanged" "$host_name" "$(hostname)"
ct -q hostname
expect_eq "default hostname is 'container'" "container" "$OUT"

ct -q readlink /proc/self/ns/uts
expect_match "the container's UTS inode differs from the host's" \
    '^uts:\[[0-9]+\]$' "$OUT"
expect_true "  ... and is not the host's $(readlink /proc/self/ns/uts)" \
    test "$OUT" != "$(readlink /proc/self/ns/uts)"

ct -v true
expect_match "narration shows the child's /proc/PID/ns/uts, a new one" \
    'ns/uts +-> uts:\[[0-9]+\] .*a new namespace' "$ERR"
expect_match "narration names the syscall: sethostname" 'sethostname' "$ERR"
expect_no_match "no colour when stderr is not a tty" $'\033' "$ERR"
ct -q true
expect_eq "-q silences the narration" "" "$ERR"
ct -q -v true
expect_eq "  ... even with -v" "" "$ERR"

# Two depths: by default a line a step of the story (a projector's
# screenful), with -v every system call and file too (for study). The
# bound is the lesson's steps on a plain run, on any cgroup host.
max_lines() { case $LESSON in 01) echo 7 ;; 02) echo 10 ;; 03) echo 12 ;;
    04) echo 14 ;; 05) echo 19 ;; 06) echo 19 ;; *) echo 30 ;; esac; }
ct true
story=$ERR
n=$(printf '%s\n' "$story" | grep -c .)
expect_true "the default narration of a plain run: $n lines, at most $(max_lines)" \
    test "$n" -le "$(max_lines)"
expect_no_match "  ... each a step of the story (==>), no detail" '^(  -|[^=])' \
    "$story"
ct -v true
detail=$(printf '%s\n' "$ERR" | grep -c '^  - ')
expect_true "-v adds the detail: $detail lines more than the story's $n" \
    test "$(printf '%s\n' "$ERR" | grep -c .)" -gt "$n" -a "$detail" -gt 0
# (Numbers aside, PIDs and inodes; in any order, the child's and the
# runtime's lines may interleave.)
expect_eq "  ... and keeps every line of the story" \
    "$(printf '%s\n' "$story" | sed 's/[0-9][0-9]*/N/g' | sort)" \
    "$(printf '%s\n' "$ERR" | grep -v '^  - ' | sed 's/[0-9][0-9]*/N/g' | sort)"
tty_out=$(script -qec "$RUN true" /dev/null </dev/null 2>&1)
expect_match "colour on a tty" $'\033\\[' "$tty_out"
tty_out=$(NO_COLOR=1 script -qec "$RUN true" /dev/null </dev/null 2>&1)
expect_no_match "NO_COLOR=1 turns colour off on a tty" $'\033' "$tty_out"

ct -q -- sh -c 'exit 3'
expect_eq "exit 3 inside gives status 3" 3 "$RC"
ct -q sh -c 'echo "$@"' sh -q --hostname x
expect_eq "words after the command are the command's, not options" \
    "-q --hostname x" "$OUT"
ct -q nosuch-command-xyz
expect_eq "command not found: 127" 127 "$RC"
expect_match "  ... says so" 'nosuch-command-xyz: command not found' "$ERR"
ct -q /etc/passwd
expect_eq "not executable: 126" 126 "$RC"

ct --no-such-option
expect_eq "unknown option: 125" 125 "$RC"
expect_match "  ... one line naming it, and where help is" \
    'unknown option --no-such-option' "$ERR"
expect_eq "  ... and nothing else" 2 "$(printf '%s\n' "$ERR" | wc -l)"
ct --hostname "$(printf 'a%.0s' $(seq 65))" true
expect_eq "hostname of 65 bytes: 125" 125 "$RC"
expect_match "  ... says the limit" 'longer than 64 bytes' "$ERR"
ct -q --hostname "$(printf 'a%.0s' $(seq 64))" hostname
expect_eq "hostname of 64 bytes is accepted" 64 "${#OUT}"
ct --hostname
expect_eq "option without its argument: 125" 125 "$RC"
ct --help
expect_eq "--help: status 0" 0 "$RC"
expect_match "--help prints the usage on stdout" '^usage: run ' "$OUT"
expect_match "  ... with -v, --verbose" '^  -v, --verbose  ' "$OUT"

# Not root: copy the runtime where an unprivileged user can reach it.
cp "$RUN" "$TMP/run" && chmod 755 "$TMP" "$TMP/run"
err=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/run" true 2>&1)
rc=$?
expect_eq "not root: 125" 125 "$rc"
expect_match "  ... says to use sudo" 'run with sudo' "$err"

ct_bg sleep -q sleep 30
kill -KILL "$CT"
ct_wait 5
expect_eq "the container killed by SIGKILL: 137" 137 "$RC"

# Only a container that ran can be taken: one that never started is not
# "gone" (a student's runtime that stops early would pass by accident).
if ct_bg sleep -q sleep 30; then
    { kill -KILL "$RT"; wait "$RT"; } 2>/dev/null
    sleep 0.2
    # Gone, or a zombie waiting for whoever inherited it to reap it.
    state=$(awk '{print $3}' "/proc/$CT/stat" 2>/dev/null)
else
    state="never started"
fi
expect_true "the runtime killed by SIGKILL takes the container with it" \
    test "${state:-gone}" = gone -o "${state:-}" = Z
reclaim
expect_nothing_left
