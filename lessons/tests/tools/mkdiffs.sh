#!/usr/bin/env bash
# mkdiffs.sh's session blocks (lessons/tools/mkdiffs.sh), on a small tree
# of the test's own: `<!-- generated: session NN-NAME -->` becomes a
# console block holding lessons/sessions/NN-NAME.txt, --check finds it
# stale when the recording changes, and a block naming a session with no
# recording is an error that names the file and writes nothing. Needs no
# root. Results go to RESULTS like every test's.
TOOL=mkdiffs
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/lessons/tools" "$T/lessons/sessions" "$T/lesson01-a" "$T/lesson02-b"
cp "$TOP"/lessons/tools/{mkdiffs.sh,cblocks.awk} "$T/lessons/tools/"
echo 'int a;' >"$T/lesson01-a/run.c"
echo 'int b;' >"$T/lesson02-b/run.c"
printf '$ sudo ./run hostname\ncontainer\n$ hostname\nvm\n' >"$T/lessons/sessions/01-x.txt"
printf 'sudo ./run hostname\nhostname\n' >"$T/lessons/sessions/01-x.cmds"
cat >"$T/tutorial.md" <<'EOF'
# A tutorial

### Try it

<!-- generated: session 01-x -->
typed by hand
<!-- end generated -->

The end.
EOF
cd "$T" || exit 1
mk() { sh lessons/tools/mkdiffs.sh "$@" 2>&1; }

mk >/dev/null
want='# A tutorial

### Try it

<!-- generated: session 01-x -->
```console
$ sudo ./run hostname
container
$ hostname
vm
```
<!-- end generated -->

The end.'
expect_eq "a session block becomes a console block of its recording, the prose kept" \
    "$want" "$(cat tutorial.md)"
expect_eq "--emit session prints the recording" \
    "$(cat lessons/sessions/01-x.txt)" "$(mk --emit session 01-x)"
out=$(mk --check)
expect_eq "--check: a fresh session block is not stale" "0 " "$? $out"

echo 'vm2' >>lessons/sessions/01-x.txt
out=$(mk --check)
rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q '^stale: tutorial.md' &&
    result ok "--check: a block older than its recording is stale, in tutorial.md" ||
    result FAIL "--check: a block older than its recording is stale, in tutorial.md" "$rc: $out"
mk >/dev/null
grep -qx vm2 tutorial.md && out=$(mk --check) &&
    result ok "make diffs brings the block up to date with the recording" ||
    result FAIL "make diffs brings the block up to date with the recording" "$out"

sed -i 's/session 01-x -->/session 01-gone -->/' tutorial.md
before=$(cat tutorial.md)
out=$(mk)
rc=$?
[ "$rc" != 0 ] && echo "$out" | grep -q 'lessons/sessions/01-gone.txt' &&
    result ok "a block of a session with no recording: an error naming its file" ||
    result FAIL "a block of a session with no recording: an error naming its file" "$rc: $out"
[ "$(cat tutorial.md)" = "$before" ] && [ ! -e tutorial.md.new ] &&
    result ok "  ... and tutorial.md is left as it was" ||
    result FAIL "  ... and tutorial.md is left as it was" "$(ls)"
out=$(mk --check)
rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q '01-gone' &&
    result ok "  ... and --check fails, naming it" ||
    result FAIL "  ... and --check fails, naming it" "$rc: $out"
