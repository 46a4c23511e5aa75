#!/bin/sh
# exercise.sh: `make exercise LESSON=NN` (or `make exerciseNN`). Writes
# exercises/lessonNN/, a copy of lesson NN for a student to complete: the
# functions that lessons/exercises/lessonNN.stubs names, the core of what
# the lesson adds, have their bodies taken out. Each becomes a stub that
# says what to write, which pages to read and which checks need it, and
# that says "TODO lessonNN: ..." when it is reached: a function that
# returns nothing then returns, and the run goes on without its step, so
# that each function written can be seen (and graded) alone; one that
# returns a value, or never returns, stops the program there with 125.
# Everything else, the earlier lessons' files and the lesson's breadth
# files, is the solution as it is. The copy builds with the lesson's own
# Makefile, without a warning, and runs.
#
# The lesson's sources carry no markers: the list of stubs is the .stubs
# file, a paragraph a function ("stub FILE FUNCTION", "todo:", "read:";
# see lessons/exercises/lesson01.stubs). Each stub names the checks that
# need it, from the grader's lessonNN.checks.
#
# An existing copy is never overwritten: the student's work is kept.
# --force starts over, after moving the old copy to
# exercises/lessonNN.saved-DATE.
#
# The grader's calibration (lessons/tools/grade.sh --calibrate) makes
# copies with some of the stubs only: --only "FUNC ..." takes out those
# functions alone, --to DIR writes the copy there (DIR/../build must be
# the tree's build/, for the rootfs).
# Usage: exercise.sh NN [--force] [--to DIR] [--only "FUNC ..."]
set -u
cd "$(dirname "$0")/../.."
n=${1:-}
shift || true
force="" to="" only=""
while [ $# -gt 0 ]; do
    case $1 in
    --force) force=--force ;;
    --to) to=${2:-}; shift ;;
    --only) only=" ${2:-} "; shift ;;
    *) echo "usage: exercise.sh NN [--force] [--to DIR] [--only \"FUNC ...\"]" >&2
       exit 2 ;;
    esac
    shift
done
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
dir=${to:-exercises/lesson$n}
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
mkdir -p "$dir"
if [ -z "$to" ]; then
    ln -sfn ../build exercises/build
    printf '%s\n' "# Made by lessons/tools/exercise.sh: the lessons' copies build the" \
        "# rootfs and the image at the top of the tree." \
        "rootfs image:" "	\$(MAKE) -C .. \$@" ".PHONY: rootfs image" \
        >exercises/Makefile
fi
cp "$lesson"/Makefile "$lesson"/*.c "$lesson"/*.h "$dir"/ || exit 1

cat >"$dir/todo.h" <<'EOF'
/*
 * todo.h: what make exercise adds to a lesson's copy (lessons/tools/
 * exercise.sh): todo(), which every function still to be written calls.
 */
#ifndef TODO_H
#define TODO_H
void todo(const char *lesson, const char *func, const char *what);
_Noreturn void todo_stop(const char *lesson, const char *func,
                         const char *what);
#endif
EOF
cat >"$dir/todo.c" <<'EOF'
/*
 * todo.c: what make exercise adds to a lesson's copy (lessons/tools/
 * exercise.sh): a function still to be written says so each time it is
 * reached. One that returns nothing returns, and the run goes on without
 * its step (a container without its hostname, say), so that what the
 * student has written already can be seen to work; one that must return
 * a value, or never returns, stops the program with the runtime's
 * status, 125.
 */
#include "run.h"
#include "todo.h"

void
todo(const char *lesson, const char *func, const char *what)
{
    fflush(stdout);
    fprintf(stderr,
            "run: TODO %s: %s() is yours to write: %s (the run goes on "
            "without it)\n",
            lesson, func, what);
}

/* After the children end: a runtime that stopped at once would kill its
   container mid-run (PR_SET_PDEATHSIG), and what the container printed
   would depend on which was faster. */
_Noreturn void
todo_stop(const char *lesson, const char *func, const char *what)
{
    fflush(stdout);
    fprintf(stderr, "run: TODO %s: %s() is yours to write: %s\n", lesson,
            func, what);
    while (wait(NULL) > 0 || errno == EINTR)
        ;
    exit(EXIT_RUNTIME);
}
EOF

# Each stub: the function's body, between its "{" and "}" lines at the
# left margin (the lessons' K&R style), becomes a comment that says what
# to do, a (void) for each parameter, and todo() (todo_stop() where the
# function must return a value or never returns).
awk -v lesson="lesson$n" -v dir="$dir" -v only="$only" '
function flush() {
    if (file == "") return
    n_stub++
    sfile[n_stub] = file; sfunc[n_stub] = func
    stodo[n_stub] = todo; sread[n_stub] = rd; sstop[n_stub] = stop
    file = ""; todo = ""; rd = ""; field = ""; stop = ""
}
/^#/ { next }
/^stub / { flush(); file = $2; func = $3; next }
/^todo: / { field = "todo"; todo = substr($0, 7); next }
/^read: / { field = "read"; rd = substr($0, 7); next }
/^stop: / { field = ""; stop = "stop"; next }
/^ / {
    if (field == "todo") todo = todo $0
    else if (field == "read") rd = rd $0
    next
}
END {
    flush()
    for (i = 1; i <= n_stub; i++)
        if (only == "" || index(only, " " sfunc[i] " "))
            printf "%s\t%s\t%s\t%s\t%s\n", sfile[i], sfunc[i], stodo[i], sread[i], sstop[i]
}' "$stubs" >"$dir/.stubs"

while IFS='	' read -r file func what pages stop; do
    f=$dir/$file
    if ! grep -q "^$func(" "$f" 2>/dev/null; then
        echo "exercise: $stubs: $file has no function $func" >&2
        exit 1
    fi
    # What checks it: the grader's groups that need it (grade.sh).
    checked=$(awk -F'\t' -v fn="$func()" '
        !/^#/ && index($1, fn) { split($2, k, "|"); c++; if (!(k[1] in t)) l = l ", " k[1]; t[k[1]] }
        END { if (c) printf "%d checks of %s", c, substr(l, 3) }' \
        "lessons/exercises/lesson$n.checks" 2>/dev/null)
    [ -z "$checked" ] ||
        checked="Checked by: sudo make grade$n, the groups that name $func(): $checked"
    awk -v func="$func" -v lesson="lesson$n" -v what="$what" \
        -v pages="$pages" -v lessonnum="$n" -v checked="$checked" \
        -v mustStop="$stop" '
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
    state == 0 && $0 ~ "^" func "\\(" {
        # void: todo() and the run goes on; a value or _Noreturn: stop.
        # And where the .stubs say "stop:": the run is not safe without it.
        stop = prev !~ /(^|[ \t])void$/ || prev ~ /_Noreturn/ || mustStop != ""
        state = 1; sig = $0; print; next
    }
    { prev = $0 }
    state == 1 {
        if ($0 == "{") {
            state = 2
            print "{"
            printf "    /*\n"
            printf "%s", wrap("TODO " lesson ": " what ".", "     * ")
            printf "%s", wrap("Read: " pages ".", "     * ")
            if (checked != "") printf "%s", wrap(checked ".", "     * ")
            printf "     */\n"
            printf "%s", params(sig)
            short = substr(what, 1, index(what ":", ":") - 1)
            gsub(/["\\]/, "", short)
            printf "    todo%s(\"%s\", \"%s\", \"%s\");\n", (stop ? "_stop" : ""), lesson, func, short
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
# the stub that used it names it, "(void)NAME;", for the student to use.
i=0
while [ $i -lt 8 ]; do
    unused=$(LC_ALL=C make -s -C "$dir" run 2>&1 |
        sed -n "s/^\([a-z_0-9]*\.c\):[0-9]*:[0-9]*: error: '\([A-Za-z_0-9]*\)' defined but not used.*/\1 \2/p" |
        sort -u)
    [ -n "$unused" ] || break
    echo "$unused" | while read -r file name; do
        # In the stub whose solution used it (the student's code will), or
        # else the file's first stub; never its own.
        user=$(cut -f1,2 "$dir/.stubs" | while IFS='	' read -r sf fn; do
            [ "$sf" = "$file" ] && [ "$fn" != "$name" ] || continue
            awk -v fn="$fn" '$0 ~ "^" fn "\\(" { f = 1 } f { print } f && /^}/ { exit }' \
                "$lesson/$file" | grep -qw -- "$name" && { echo "$fn"; break; }
        done)
        awk -v name="$name" -v user="$user" '
            /^[A-Za-z_][A-Za-z0-9_]*\(/ { fn = $0; sub(/\(.*/, "", fn) }
            !done && /^    todo(_stop)?\(/ && fn != name && (user == "" || fn == user) {
                print "    (void)" name "; /* yours to use */"
                done = 1
            }
            { print }' "$dir/$file" >"$dir/$file.new" &&
            mv "$dir/$file.new" "$dir/$file"
    done
    i=$((i + 1))
done
# The stubs as `make format` would have them, where clang-format is.
files=$(cut -f1 "$dir/.stubs" | sort -u | sed "s|^|$dir/|")
if command -v clang-format >/dev/null && [ -n "$files" ]; then
    clang-format -i $files
fi
list=$(cut -f1,2 "$dir/.stubs" | sed 's/\t/: /; s/^/  /; s/$/()/')
rm -f "$dir/.stubs" "$dir/run"
if ! out=$(LC_ALL=C make -s -C "$dir" run 2>&1); then
    echo "exercise: the copy does not build:" >&2
    echo "$out" >&2
    exit 1
fi
rm -f "$dir/run"
[ -z "$to" ] || exit 0
echo "exercise: $dir is lesson $n with $(echo "$list" | grep -c .) functions to write:"
echo "$list"
echo "Fill in the TODOs, then build and run it: make -C $dir && sudo $dir/run"
echo "Then grade it, with the tests of lessons 01..$n: sudo make grade$n"
