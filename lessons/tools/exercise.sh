#!/bin/sh
# exercise.sh: `make exercise LESSON=NN` (or `make exerciseNN`). Writes
# exercises/lessonNN/, a copy of lesson NN for a student to complete: the
# functions that lessons/exercises/lessonNN.stubs names, the core of what
# the lesson adds, have their bodies taken out. Each becomes a stub that
# says what to write and which pages to read, and that stops the program
# with "TODO lessonNN: ..." when it is reached.
# Everything else, the earlier lessons' files and the lesson's breadth
# files, is the solution as it is. The copy builds with the lesson's own
# Makefile, without a warning, and runs.
#
# The lesson's sources carry no markers: the list of stubs is the .stubs
# file, a paragraph a function ("stub FILE FUNCTION", "todo:", "read:",
# "checks:"; see lessons/exercises/lesson01.stubs).
#
# An existing copy is never overwritten: the student's work is kept.
# --force starts over, after moving the old copy to
# exercises/lessonNN.saved-DATE.
# Usage: exercise.sh NN [--force]
set -u
cd "$(dirname "$0")/../.."
n=${1:-}
force=${2:-}
case $n in
[0-9]) n=0$n ;;
[0-9][0-9]) ;;
*) echo "usage: make exercise LESSON=NN [FORCE=1] (or make exerciseNN)" >&2
   exit 2 ;;
esac
lesson=$(ls -d lesson"$n"-* 2>/dev/null | head -n1)
stubs=lessons/exercises/lesson$n.stubs
if [ -z "$lesson" ] || [ ! -f "$stubs" ]; then
    echo "exercise: no lesson $n: try $(ls -d lesson[0-9][0-9]-* | tr '\n' ' ')" >&2
    exit 2
fi
dir=exercises/lesson$n
if [ -e "$dir" ]; then
    if [ "$force" != --force ]; then
        echo "exercise: $dir exists, and your work in it is kept." >&2
        echo "  To start over: make exercise LESSON=$n FORCE=1 (the old copy" >&2
        echo "  is moved to $dir.saved-DATE first)." >&2
        exit 1
    fi
    saved=$dir.saved-$(date +%Y%m%d-%H%M%S)
    mv "$dir" "$saved" || exit 1
    echo "exercise: your old copy is now $saved"
fi

# The copy's Makefile makes the rootfs and image with `make -C ..`, and the
# program finds them beside it, in ../build: both are the tree's.
mkdir -p exercises "$dir"
ln -sfn ../build exercises/build
printf '%s\n' "# Made by lessons/tools/exercise.sh: the lessons' copies build the" \
    "# rootfs and the image at the top of the tree." \
    "rootfs image:" "	\$(MAKE) -C .. \$@" ".PHONY: rootfs image" \
    >exercises/Makefile
cp "$lesson"/Makefile "$lesson"/*.c "$lesson"/*.h "$dir"/ || exit 1

cat >"$dir/todo.h" <<'EOF'
/*
 * todo.h: what make exercise adds to a lesson's copy (lessons/tools/
 * exercise.sh): todo(), which every function still to be written calls.
 */
#ifndef TODO_H
#define TODO_H
_Noreturn void todo(const char *lesson, const char *func, const char *what);
#endif
EOF
cat >"$dir/todo.c" <<'EOF'
/*
 * todo.c: what make exercise adds to a lesson's copy (lessons/tools/
 * exercise.sh): a function still to be written says so, and the program
 * stops there with the runtime's status, 125.
 */
#include "run.h"
#include "todo.h"

_Noreturn void
todo(const char *lesson, const char *func, const char *what)
{
    fflush(stdout);
    fprintf(stderr, "run: TODO %s: %s() is yours to write: %s\n", lesson,
            func, what);
    exit(EXIT_RUNTIME);
}
EOF

# Each stub: the function's body, between its "{" and "}" lines at the
# left margin (the lessons' K&R style), becomes a comment that says what
# to do, a (void) for each parameter, and todo().
awk -v lesson="lesson$n" -v dir="$dir" '
function flush() {
    if (file == "") return
    n_stub++
    sfile[n_stub] = file; sfunc[n_stub] = func
    stodo[n_stub] = todo; sread[n_stub] = rd; schecks[n_stub] = checks
    file = ""; todo = ""; rd = ""; checks = ""; field = ""
}
/^#/ { next }
/^stub / { flush(); file = $2; func = $3; next }
/^todo: / { field = "todo"; todo = substr($0, 7); next }
/^read: / { field = "read"; rd = substr($0, 7); next }
/^checks: / { field = "checks"; checks = substr($0, 9); next }
/^ / {
    if (field == "todo") todo = todo $0
    else if (field == "read") rd = rd $0
    next
}
END {
    flush()
    for (i = 1; i <= n_stub; i++)
        printf "%s\t%s\t%s\t%s\t%s\n", sfile[i], sfunc[i], stodo[i], sread[i], schecks[i]
}' "$stubs" >"$dir/.stubs"

while IFS='	' read -r file func what pages checks; do
    f=$dir/$file
    if ! grep -q "^$func(" "$f" 2>/dev/null; then
        echo "exercise: $stubs: $file has no function $func" >&2
        exit 1
    fi
    awk -v func="$func" -v lesson="lesson$n" -v what="$what" \
        -v pages="$pages" -v lessonnum="$n" '
    function wrap(text, prefix,    out, line, w, i, nw, words) {
        nw = split(text, words, " ")
        line = ""
        for (i = 1; i <= nw; i++) {
            if (line != "" && length(prefix line " " words[i]) > 76) {
                out = out prefix line "\n"
                line = words[i]
            } else
                line = line == "" ? words[i] : line " " words[i]
        }
        return out prefix line "\n"
    }
    function params(sig,    s, a, i, n, p, names, m) {
        s = sig
        sub(/^[^(]*\(/, "", s)
        sub(/\)[^)]*$/, "", s)
        if (s ~ /^[ \t]*void[ \t]*$/) return ""
        n = split(s, a, ",")
        names = ""
        for (i = 1; i <= n; i++) {
            p = a[i]
            if (p ~ /\(\*/) { sub(/.*\(\*/, "", p); sub(/\).*/, "", p) }
            sub(/\[.*$/, "", p)
            sub(/[ \t]+$/, "", p)
            m = p; sub(/.*[^A-Za-z0-9_]/, "", m)
            if (m != "" && m != "...") names = names "    (void)" m ";\n"
        }
        return names
    }
    state == 0 && $0 ~ "^" func "\\(" { state = 1; sig = $0; print; next }
    state == 1 {
        if ($0 == "{") {
            state = 2
            print "{"
            printf "    /*\n"
            printf "%s", wrap("TODO " lesson ": " what ".", "     * ")
            printf "%s", wrap("Read: " pages ".", "     * ")
            printf "     */\n"
            printf "%s", params(sig)
            short = substr(what, 1, index(what ":", ":") - 1)
            gsub(/["\\]/, "", short)
            printf "    todo(\"%s\", \"%s\", \"%s\");\n", lesson, func, short
            next
        }
        sig = sig " " $0
        print
        next
    }
    state == 2 { if ($0 == "}") { state = 3; print } ; next }
    { print }
    ' "$f" >"$f.new" && mv "$f.new" "$f"
    grep -q '^#include "todo.h"' "$f" ||
        sed -i 's/^#include "run.h"$/#include "run.h"\n#include "todo.h"/' "$f"
done <"$dir/.stubs"

# What only the taken-out bodies used is now unused, and -Werror says so:
# each stub of that file names it, "(void)NAME;", for the student to use.
i=0
while [ $i -lt 8 ]; do
    unused=$(LC_ALL=C make -s -C "$dir" run 2>&1 |
        sed -n "s/^\([a-z_0-9]*\.c\):[0-9]*:[0-9]*: error: '\([A-Za-z_0-9]*\)' defined but not used.*/\1 \2/p" |
        sort -u)
    [ -n "$unused" ] || break
    echo "$unused" | while read -r file name; do
        # In a stub of another function: its own does not count as a use.
        awk -v name="$name" '
            /^[A-Za-z_][A-Za-z0-9_]*\(/ { fn = $0; sub(/\(.*/, "", fn) }
            !done && /^    todo\(/ && fn != name {
                print "    (void)" name "; /* yours to use */"
                done = 1
            }
            { print }' "$dir/$file" >"$dir/$file.new" &&
            mv "$dir/$file.new" "$dir/$file"
    done
    i=$((i + 1))
done
# The stubs as `make format` would have them, where clang-format is.
if command -v clang-format >/dev/null; then
    clang-format -i $(cut -f1 "$dir/.stubs" | sort -u | sed "s|^|$dir/|")
fi
rm -f "$dir/.stubs" "$dir/run"
if ! out=$(LC_ALL=C make -s -C "$dir" run 2>&1); then
    echo "exercise: the copy does not build:" >&2
    echo "$out" >&2
    exit 1
fi
rm -f "$dir/run"
echo "exercise: $dir is lesson $n with $(grep -c '^stub ' "$stubs") functions to write:"
grep '^stub ' "$stubs" | while read -r _ file func; do
    echo "  $file: $func()"
done
echo "Fill in the TODOs, then build and run it: make -C $dir && sudo $dir/run"
echo "Its tests, the lesson's own:"
echo "  sudo env RUN=\$PWD/$dir/run LESSON=$n RESULTS=/tmp/results bash \\"
echo "      lessons/tests/integration/$n-*.sh"
