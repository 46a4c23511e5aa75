#!/usr/bin/env bash
# progression.sh and carry.sh (lessons/tools/), on three small lessons of
# their own in a git repository of the test's: carry.sh copies a fix into
# the lessons whose copy was the same, patches one that differs elsewhere,
# leaves one where the fix does not apply, and says which; progression.sh
# finds a carried file changed without being named, a header that names an
# unchanged file, a lesson over its limits, and counts the changed lines.
# Needs no root. Results go to RESULTS like every test's.
TOOL=progression
. "$(dirname "$0")/lib.sh"
mkdir -p "$T/lessons/tools"
cp "$TOP"/lessons/tools/{carry.sh,progression.sh,cblocks.awk} "$T/lessons/tools/"
header() { # header CHANGES FILES: a run.c header
    printf '/*\n * run.c: a lesson.\n *\n * Files:   %s\n * Changes: %s\n * Read:    nothing.\n */\n' "$2" "$1"
}
body() { # body: a file of three functions
    printf 'static int\none(void)\n{\n    return 1;\n}\n\nstatic int\ntwo(void)\n{\n    return 2;\n}\n\nint\nthree(void)\n{\n    return %s;\n}\n' "$1"
}
cd "$T" || exit 1
mkdir lesson01-a lesson02-b lesson03-c
{ header "nothing; this is the first lesson." "run.c  the story"; echo 'int main(void) { return 0; }'; } >lesson01-a/run.c
body 3 >lesson01-a/x.c
{ header "nothing." "y.c  more"; echo 'int main(void) { return 0; }'; } >lesson02-b/run.c
body 3 >lesson02-b/x.c
echo 'int y;' >lesson02-b/y.c
{ header "x.c (three)." "z.c  more"; echo 'int main(void) { return 0; }'; } >lesson03-c/run.c
body 33 >lesson03-c/x.c
cp lesson02-b/y.c lesson03-c/
echo 'int z;' >lesson03-c/z.c
git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm start

out=$(sh lessons/tools/progression.sh -q lesson0* 2>&1)
expect_eq "progression: lessons that tell the truth have no problems" "" "$out"
table=$(sh lessons/tools/progression.sh lesson0* 2>&1 | grep '^| lesson03')
expect_eq "progression: lesson03 changed 2 lines of carried files (x.c)" 2 \
    "$(echo "$table" | awk -F'|' '{gsub(/ /, "", $6); print $6}')"

# A fix in lesson01's one(): lesson02's copy is the same, lesson03's
# differs elsewhere (three) and takes the patch.
sed -i 's/return 1;/return -1;/' lesson01-a/x.c
out=$(sh lessons/tools/carry.sh lesson01-a 2>&1)
expect_eq "carry: copied where the copy was the same, patched where not" \
    "lesson02-b/x.c: copied
lesson03-c/x.c: patched" "$out"
expect_eq "carry: lesson03's copy has the fix and keeps its own change" \
    "2 1" "$(grep -c 'return -1;\|return 33;' lesson03-c/x.c) $(grep -c 'return 33;' lesson03-c/x.c)"
out=$(sh lessons/tools/progression.sh -q lesson0* 2>&1)
expect_eq "progression: a fix carried everywhere leaves no problem" "" "$out"
git -c user.name=t -c user.email=t@t commit -qam fix

# A fix that lesson03's copy cannot take: left, and said.
sed -i 's/return 3;/return 4;/' lesson01-a/x.c
out=$(sh lessons/tools/carry.sh lesson01-a 2>&1)
expect_eq "carry: a fix that does not apply is left, and said" \
    "lesson02-b/x.c: copied
lesson03-c/x.c: the fix does not apply: left, carry it by hand" "$out"
git checkout -q -- .

# Fixed in lesson01 only: progression names the file and the item.
sed -i 's/return 2;/return 22;/' lesson01-a/x.c
out=$(sh lessons/tools/progression.sh -q lesson0* 2>&1)
case $out in
*"lesson02-b/x.c differs from lesson01-a's by 2 lines"*"two differs"*)
    result ok "progression: a fix left in one lesson is found, file and item" ;;
*) result FAIL "progression: a fix left in one lesson is found, file and item" "$out" ;;
esac
git checkout -q -- .

# A header that names a carried file that did not change.
sed -i 's/Changes: nothing\./Changes: x.c (one)./' lesson02-b/run.c
out=$(sh lessons/tools/progression.sh -q lesson0* 2>&1)
case $out in
*"names x.c, which is unchanged"*)
    result ok "progression: a header that names an unchanged file is found" ;;
*) result FAIL "progression: a header that names an unchanged file is found" "$out" ;;
esac
git checkout -q -- .

# The limits: lesson03 changes 2 lines; a core file of 6 lines.
out=$(MAX_HOOKS=1 sh lessons/tools/progression.sh -q lesson0* 2>&1)
case $out in
*"lesson03-c changes its carried files by 2 lines, 1 over 1"*)
    result ok "progression: a lesson over the limit of changed lines is found" ;;
*) result FAIL "progression: a lesson over the limit of changed lines is found" "$out" ;;
esac
out=$(MAX_CORE=5 sh lessons/tools/progression.sh -q lesson0* 2>&1)
case $out in
*"lesson02-b/y.c, the lesson's core file, has 1 lines"*) result FAIL \
    "progression: a core file over the limit is found (and only that)" "$out" ;;
*"lesson01-a/run.c, the lesson's core file, has 8 lines, 3 over 5"*)
    result ok "progression: a core file over the limit is found (and only that)" ;;
*) result FAIL "progression: a core file over the limit is found (and only that)" "$out" ;;
esac
exit 0
