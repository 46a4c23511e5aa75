#!/usr/bin/env bash
# escapes.sh: the escape lab. Runs `probe all` (lessons/rootfs/probes.c)
# once in a container of every lesson and compares each probe's verdict
# with lessons/escapes/matrix: one result line per lesson and probe, and
# one per lesson that nothing was left. Loops over the lessons itself:
# run it once, as root (run.sh does; RESULTS is where the lines go).
#
#   escapes.sh            the test
#   escapes.sh --table    `make escapes`: the same runs, shown as a table
#                         for a class (lessons across, probes down); a cell
#                         that differs from the matrix is marked with "!"
#
# Lessons 01 and 02 have no rootfs: the probe runs from the host, by its
# path. 04+ keep the default veth; 05+ get --pids-limit 100 --memory 128M.
# A probe that says "kernel: ..." found the feature missing from this
# kernel, "host: ..." found the host itself refusing even root (a sandbox
# around it): skipped, not counted.
#
# `probe all` runs under setsid(1): without a controlling terminal, so
# that nothing is ever pushed into the terminal of the person running the
# lab. The terminal probe, tiocsti, runs alone afterwards, in a terminal
# that script(1) makes for it: the runtime is started on that terminal,
# as on a person's, and the probe says whether what it pushes lands there.
TABLE=${TABLE:-}
[ "${1:-}" = --table ] && TABLE=1
export TABLE
[ -n "$TABLE" ] && export RESULTS=/dev/null
: "${RESULTS:?RESULTS: the file the result lines go to}"
export RUN=${RUN:-none} LESSON=${LESSON:-00}
# lib.sh re-runs this file in a network namespace of its own, its "host".
. "$(dirname "$0")/lib.sh"
# The host's own links, as the probes should not see them: a veth pair
# whose both ends stay here (gone with this namespace).
ip link add lab-host0 type veth peer name lab-host1

MATRIX=$TOP/lessons/escapes/matrix
PROBE=$ROOTFS/usr/local/bin/probe
# The matrix's lines: PROBE and one O/B per lesson, comments dropped.
rows=$(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$MATRIX")
table=""

for dir in $(cd "$TOP" && ls -d lesson[0-9][0-9]-*); do
    LESSON=${dir#lesson}
    LESSON=${LESSON%%-*}
    RUN=$TOP/$dir/run
    case $LESSON in
    01 | 02) set -- "$PROBE" all ;;
    03 | 04) set -- probe all ;;
    *) set -- --pids-limit 100 --memory 128M probe all ;;
    esac
    OUT=$(setsid -w timeout -s KILL 300 "$RUN" -q "$@" 2>"$TMP/err")
    # script(1) runs its command with $SHELL -c; "exec" leaves the runtime
    # alone on the terminal, its session leader, as a login shell's job.
    [ "$1" = "$PROBE" ] && tiocsti=$PROBE || tiocsti=probe
    OUT=$(printf '%s\n' "$OUT" | grep -v '^tiocsti '
        SHELL=/bin/bash timeout -s KILL 30 script -qec \
            "exec $RUN -q $tiocsti tiocsti" /dev/null </dev/null 2>&1 |
            tr -d '\r' | grep '^tiocsti ')
    # setuid: not a probe inside, the host's view of what the container's
    # root writes. It makes an empty set-user-ID file in its root (lesson07
    # with --no-userns --rootfs, where its root is the host's root; 01 and
    # 02 straight into the same directory), and the host's nobody tries
    # to reach it there. Empty: nothing to run, even where it is reached.
    case $LESSON in
    01 | 02) sargs=(sh -c "touch $ROOTFS/setuid-probe && chmod 4755 $ROOTFS/setuid-probe") ;;
    07) sargs=(--no-userns --rootfs "$ROOTFS" sh -c 'touch /setuid-probe && chmod 4755 /setuid-probe') ;;
    *) sargs=(sh -c 'touch /setuid-probe && chmod 4755 /setuid-probe') ;;
    esac
    timeout -s KILL 60 "$RUN" -q "${sargs[@]}" </dev/null >/dev/null 2>&1
    if [ "$(stat -c %a "$ROOTFS/setuid-probe" 2>/dev/null)" != 4755 ]; then
        sline="setuid ERROR the container made no set-user-ID file"
    elif setpriv --reuid=65534 --regid=65534 --clear-groups \
        test -x "$ROOTFS/setuid-probe" 2>/dev/null; then
        sline="setuid OPEN another user of the host reaches root's set-user-ID file in $ROOTFS"
    else
        sline="setuid BLOCKED $(dirname "$ROOTFS") is $(stat -c %a "$(dirname "$ROOTFS")"): no other user reaches it"
    fi
    rm -f "$ROOTFS/setuid-probe"
    OUT=$(printf '%s\n%s\n' "$OUT" "$sline")
    cells=""
    while read -r probe want; do
        want=$(echo "$want" | awk -v c="$((10#$LESSON))" '{print $c}')
        line=$(printf '%s\n' "$OUT" | grep -m1 "^$probe ")
        got=$(echo "$line" | cut -d' ' -f2)
        case $got in OPEN) g=O ;; BLOCKED) g=B ;; *) g="?" ;; esac
        if [ -z "$want" ]; then
            cell="-"
        elif [ "$got" = BLOCKED ] &&
            case $(echo "$line" | cut -d' ' -f3) in kernel: | host:) ;; *) false ;; esac; then
            cell=n/a
            [ -n "$TABLE" ] ||
                printf 'skip lesson%s %-9s %s\n' "$LESSON" "[$NAME]" \
                    "$probe: ${line#* * }"
        else
            cell=${got:-ERROR}
            [ "$g" = "$want" ] || cell="$cell!"
            desc="$probe: $([ "$want" = O ] && echo OPEN || echo BLOCKED)"
            if [ -n "$TABLE" ]; then :
            elif [ "$g" = "$want" ]; then result ok "$desc"
            else result FAIL "$desc" "got: ${line:-no line; $(head -c 300 "$TMP/err")}"; fi
        fi
        cells="$cells $cell"
    done <<<"$rows"
    table="$table $dir$cells"$'\n'
    [ -n "$TABLE" ] || expect_nothing_left
done

[ -n "$TABLE" ] || exit 0
# Transpose: lessons across, probes down.
printf '%s' "$table" | awk -v probes="$(echo "$rows" | awk '{print $1}')" '
    { n++; head[n] = substr($1, 1, 8); for (i = 2; i <= NF; i++) c[n, i - 1] = $i }
    END {
        m = split(probes, p, "\n")
        printf "%-14s", "probe"
        for (j = 1; j <= n; j++) printf " %-9s", head[j]
        printf "\n"
        for (i = 1; i <= m; i++) {
            printf "%-14s", p[i]
            for (j = 1; j <= n; j++) printf " %-9s", c[j, i]
            printf "\n"
        }
    }'
echo "n/a: not in this kernel, or the host refuses even root. !: differs from lessons/escapes/matrix."
