#!/bin/sh
# carry.sh: carry a fix made in one lesson's file into every later lesson
# whose copy of the file was the same, and say what it did.
#
# A lesson's carried files are the previous lesson's, byte for byte, unless
# its header names them (progression.sh checks it). So a fix made in
# lesson03's rootfs.c belongs in lesson04's, lesson05's, ... rootfs.c too.
# For each FILE given (default: every file of LESSON-DIR that differs from
# git's HEAD), each later lesson's copy is
#   copied     when it was identical to LESSON-DIR's copy at HEAD;
#   patched    when it differed, but the fix (the diff from HEAD) applies
#              to it cleanly, as patch(1) applies it;
#   left       when the fix does not apply: carry it by hand, then run
#              carry.sh again from that lesson.
# A later lesson whose copy is left stops the carry for it: the lessons
# after take their copy from it, not from LESSON-DIR.
# Usage: carry.sh [-n] LESSON-DIR [FILE...]    (-n: say, do nothing)
set -u
dry=0
[ "${1:-}" = -n ] && { dry=1; shift; }
[ $# -ge 1 ] || { echo "usage: carry.sh [-n] LESSON-DIR [FILE...]" >&2; exit 2; }
cd "$(dirname "$0")/../.."
from=${1%/}
shift
[ -d "$from" ] || { echo "carry.sh: no lesson $from" >&2; exit 2; }
if [ $# -eq 0 ]; then
    set -- $(git diff --name-only HEAD -- "$from" | sed "s|^$from/||" |
        grep -v /)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rc=0
later=$(ls -d lesson[0-9][0-9]-* | awk -v f="$from" 'p; $0 == f { p = 1 }')
for f in "$@"; do
    # The fix: this lesson's file at HEAD (empty if new) and now.
    git show "HEAD:$from/$f" >"$tmp/old" 2>/dev/null || : >"$tmp/old"
    cp "$from/$f" "$tmp/new"
    diff -u "$tmp/old" "$tmp/new" >"$tmp/fix"
    [ -s "$tmp/fix" ] || { echo "$from/$f: unchanged since HEAD"; continue; }
    for l in $later; do
        if [ ! -e "$l/$f" ] && [ -s "$tmp/old" ]; then
            echo "$l/$f: none (the file is not carried there): left"
            break
        elif [ ! -e "$l/$f" ] || cmp -s "$tmp/old" "$l/$f"; then
            [ $dry = 1 ] || cp "$tmp/new" "$l/$f"
            echo "$l/$f: copied"
        elif cmp -s "$tmp/new" "$l/$f"; then
            echo "$l/$f: has the fix already"
        elif patch -s --dry-run -f -o "$tmp/out" "$l/$f" <"$tmp/fix" \
            >/dev/null 2>&1; then
            [ $dry = 1 ] || patch -s -f "$l/$f" <"$tmp/fix" >/dev/null
            echo "$l/$f: patched"
            rm -f "$l/$f.orig"
        else
            echo "$l/$f: the fix does not apply: left, carry it by hand"
            rc=1
            break
        fi
    done
done
exit $rc
