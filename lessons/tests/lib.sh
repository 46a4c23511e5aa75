# lib.sh: what every integration test file shares. Sourced, not run.
#
# A test file is run once per lesson that has its feature, with
#   RUN      the lesson's runtime (lessonNN-x/run, an absolute path)
#   LESSON   the lesson's number (01, 02, ...)
#   RESULTS  the file each result line is appended to
# Every assertion prints one line and appends it to RESULTS; run.sh counts.
set -u
# Every test file runs in a network namespace of its own, its "host": from
# lesson04 on the runtime adds links and addresses there, never on the
# machine's own network, and traffic stays between namespaces made here.
if [ -z "${CL_TEST_NETNS:-}" ]; then
    CL_TEST_NETNS=1 exec unshare -n -- bash "$0" "$@"
fi
ip link set lo up
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ROOTFS=$TOP/build/rootfs
NAME=$(basename "$0" .sh)
TMP=$(mktemp -d /tmp/container-lessons-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

result() { # result ok|FAIL DESC [DETAIL]
    printf '%-4s lesson%s %-9s %s\n' "$1" "$LESSON" "[$NAME]" "$2" |
        tee -a "$RESULTS"
    if [ "$1" = FAIL ] && [ -n "${3:-}" ]; then
        printf '%s\n' "$3" | head -n 15 | sed 's/^/     | /'
    fi
}

expect_eq() { # expect_eq DESC WANT GOT
    if [ "$2" = "$3" ]; then result ok "$1"
    else result FAIL "$1" "want: $2
got:  $3"; fi
}

expect_match() { # expect_match DESC EXTENDED-REGEX TEXT
    if printf '%s\n' "$3" | grep -Eq -- "$2"; then result ok "$1"
    else result FAIL "$1" "want a line matching: $2
got: $3"; fi
}

expect_no_match() { # expect_no_match DESC EXTENDED-REGEX TEXT
    if printf '%s\n' "$3" | grep -Eq -- "$2"; then
        result FAIL "$1" "want no line matching: $2
got: $3"
    else result ok "$1"; fi
}

expect_true() { # expect_true DESC COMMAND...
    local desc=$1
    shift
    if "$@" >/dev/null 2>&1; then result ok "$desc"
    else result FAIL "$desc" "false: $*"; fi
}

# Run the lesson's runtime; sets OUT, ERR and RC. Never hangs a test run.
ct() {
    OUT=$(timeout -s KILL 30 "$RUN" "$@" 2>"$TMP/err")
    RC=$?
    ERR=$(cat "$TMP/err")
}

# Start the runtime in the background; RT is its PID, CT the container's
# first process once it runs COMMAND (empty if it never did).
ct_bg() { # ct_bg COMMAND-NAME ARGS...
    local want=$1 i
    shift
    "$RUN" "$@" >"$TMP/bg.out" 2>"$TMP/bg.err" &
    RT=$!
    CT=""
    # Up to 15 s: lesson07 on arm64 under emulation may take seconds.
    for i in $(seq 300); do
        CT=$(pgrep -P "$RT" | head -n1)
        if [ -n "$CT" ] && { [ "$(cat "/proc/$CT/comm" 2>/dev/null)" = "$want" ] ||
            pgrep -P "$CT" -x "$want" >/dev/null; }; then
            return 0
        fi
        # A runtime that has ended will start nothing (a student's that
        # stopped at a TODO, say): no need to wait out the 15 s.
        kill -0 "$RT" 2>/dev/null || break
        sleep 0.05
    done
    result FAIL "the container started: $*" "$(tail -n 5 "$TMP/bg.err")"
    return 1
}

# Wait up to SECONDS for the background runtime to end; sets RC.
ct_wait() { # ct_wait SECONDS
    local i
    for i in $(seq $(($1 * 20))); do
        kill -0 "$RT" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$RT" 2>/dev/null; then
        kill -KILL "$RT"
        wait "$RT" 2>/dev/null
        RC=timeout
        return 1
    fi
    wait "$RT"
    RC=$?
}

# Links with the project's prefix in this test's network namespace. A
# container's veth pair goes with its namespace, which the kernel frees in
# the background: allow it a moment.
cl_links() {
    local i links
    for i in $(seq 40); do
        links=$(ip -o link show | awk -F': ' '$2 ~ /^cl-/ {print $2}')
        [ -z "$links" ] && return 0
        sleep 0.05
    done
    echo "$links"
}

# Leases whose runtime is gone: a killed runtime's, until --cleanup.
stale_leases() {
    local f pid start
    for f in /run/container-lessons/*; do
        [ -f "$f" ] || continue
        read -r pid start <"$f" || continue
        [ "$(awk '{print $22}' "/proc/$pid/stat" 2>/dev/null)" = "$start" ] ||
            echo "$f"
    done
}

# What a killed runtime left is reclaimed by --cleanup, from lesson04 on.
reclaim() {
    if "$RUN" --help | grep -q -- --cleanup; then
        "$RUN" -q --cleanup
    fi
}

# Nothing of a container may outlive it: no process still running the
# lesson's runtime, no mount of the rootfs or with the project's name, no
# link with its prefix, no stale lease, no cgroup, no container directory.
expect_nothing_left() {
    local procs mounts cgroups dirs
    procs=$(pgrep -f "^$RUN( |$)" || true)
    mounts=$(grep -E "$ROOTFS|container-lessons" /proc/self/mountinfo || true)
    cgroups=$(find /sys/fs/cgroup -path '*container-lessons*' -type d 2>/dev/null)
    dirs=$(ls -A "$TOP/build/containers" 2>/dev/null)
    expect_eq "nothing left: no process, mount, link, lease, cgroup, dir" "" \
        "$procs$mounts$(cl_links)$(stale_leases)$cgroups$dirs"
}
