#!/usr/bin/env bash
# The Chinese course's check (lessons/tests/zh.sh) and its generated
# blocks (lessons/tools/mkdiffs.sh), on a copy of the tree's courses: the
# check passes on them as they are, and fails, naming the line and the
# fix, when a section is dropped, a lesson or section heading is renamed,
# a generated marker is missing or moved, a command differs; a translated
# comment is allowed. make diffs regenerates a damaged Chinese block,
# with its links rewritten and its sentences in Chinese, and carries a
# change of the English sources into both courses. Needs no root.
# Results go to RESULTS like every test's.
TOOL=zh
. "$(dirname "$0")/lib.sh"
RESULTS=${RESULTS:-/dev/null}
ZH=lessons/docs/zh-CN/tutorial.md
GUIDE=lessons/docs/zh-CN/teaching.md
mkdir -p "$T/lessons/tests"
cp -r "$TOP"/lesson[0-9][0-9]-* "$T/"
rm -f "$T"/lesson*/run
cp -r "$TOP"/lessons/{tools,exercises,sessions,escapes,docs,diffs,diagrams} "$T/lessons/"
cp "$TOP"/lessons/tests/{zh.sh,tutorial.sh,check.sh} "$T/lessons/tests/"
cp "$TOP"/{tutorial.md,README.md} "$T/"
cd "$T" || exit 1
fresh() { cp "$TOP/$ZH" "$ZH"; cp "$TOP/$GUIDE" "$GUIDE"; cp "$TOP/tutorial.md" tutorial.md; }
zh() { RESULTS=/dev/null bash lessons/tests/zh.sh 2>&1; }
# expect_fail DESC CHECK-WORDS PATTERN: zh.sh fails the check whose
# description has CHECK-WORDS, with a message matching PATTERN (grep -E),
# and no other check.
expect_fail() {
    local out
    out=$(zh)
    if echo "$out" | grep -F "FAIL static  [static]   " | grep -qF "$2" &&
        [ "$(echo "$out" | grep -c '^FAIL')" = 1 ] &&
        echo "$out" | grep -qE "$3"; then
        result ok "$1"
    else
        result FAIL "$1" "want: FAIL of \"$2\", a message matching: $3
got:
$out"
    fi
}
line_of() { grep -n -m1 -xF "$1" "$2" | cut -d: -f1; } # line_of LINE FILE

out=$(zh)
[ "$(echo "$out" | grep -c '^ok ')" = 6 ] && ! echo "$out" | grep -q '^FAIL' &&
    result ok "the tree's courses and guides pass, as they are (6 checks)" ||
    result FAIL "the tree's courses and guides pass, as they are (6 checks)" "$out"
out=$(sh lessons/tools/mkdiffs.sh --check 2>&1) &&
    result ok "mkdiffs.sh --check: the copy's generated blocks are fresh" ||
    result FAIL "mkdiffs.sh --check: the copy's generated blocks are fresh" "$out"

# A section dropped: lesson 03's Explanation.
fresh
n=$(grep -n -x '### 讲解' "$ZH" | sed -n 3p | cut -d: -f1)
e=$(grep -n -x '### Explanation' tutorial.md | sed -n 3p | cut -d: -f1)
sed -i "${n}d" "$ZH"
expect_fail "a section dropped: named, with its English line and where it goes" \
    "lessons and sections" \
    "^     \| $ZH: no heading for tutorial.md:$e \`### Explanation\` \(it goes after $ZH:[0-9]+ \`### 读代码\`\); fix: write \`### 讲解\` there$"

# A lesson heading renamed.
fresh
n=$(grep -n '^## 第 2 课：' "$ZH" | cut -d: -f1)
e=$(grep -n '^## Lesson 02: ' tutorial.md | cut -d: -f1)
sed -i "${n}s/^## 第 2 课：/## 第二课：/" "$ZH"
expect_fail "a lesson heading renamed (第二课): its line, the English one, the form to write" \
    "lessons and sections" \
    "^     \| $ZH:$n: heading \`## 第二课：[^\`]*\` where tutorial.md:$e has \`## Lesson 02: [^\`]*\`; fix: write \`## 第 2 课：TITLE\` there$"
fresh
n=$(grep -n -x '### 目标' "$ZH" | sed -n 5p | cut -d: -f1)
sed -i "${n}s/.*/### 目的/" "$ZH"
expect_fail "a section heading renamed (目的 for 目标): the exact name to write" \
    "lessons and sections" "^     \| $ZH:$n: heading \`### 目的\` where tutorial.md:[0-9]+ has \`### Goal\`; fix: write \`### 目标\` there$"
fresh
n=$(grep -n '^## 第 7 课：' "$ZH" | cut -d: -f1)
sed -i "${n}s/^## 第 7 课：/## 第 07 课：/" "$ZH"
expect_fail "a lesson number with a leading zero is not a lesson heading" \
    "lessons and sections" "fix: write \`## 第 7 课：TITLE\` there$"

# A generated block missing, and a block moved to another section.
fresh
m='<!-- generated: session 02-init -->'
sed -i "\|^$m\$|,\|^<!-- end generated -->\$|d" "$ZH"
expect_fail "a generated block missing: its marker named, with its English line" \
    "generated blocks" \
    "^     \| $ZH: no generated marker for tutorial.md:$(line_of "$m" tutorial.md) \`$m\` \(it goes after $ZH:[0-9]+ \`<!-- end generated -->\`\); fix: copy \`$m\` there$"
fresh
m='<!-- generated: code lesson01-uts/run.c child_main -->'
awk -v m="$m" '
    $0 == m { b = 1 }
    b { block = block $0 "\n"; if (/^<!-- end generated -->/) b = 0; next }
    { print }
    block != "" && $0 == "### 讲解" { printf "%s", block; block = "" }' "$ZH" >"$ZH.new" &&
    mv "$ZH.new" "$ZH"
expect_fail "a generated block moved to the next section: both headings named" \
    "generated blocks" \
    "^     \| $ZH:[0-9]+: \`$m\` is under $ZH:[0-9]+ \`### 讲解\`, but tutorial.md:$(line_of "$m" tutorial.md) has it under tutorial.md:[0-9]+ \`### Read the code\`; fix: move the block into that section$"

# Commands: a console command differs, an inline one differs, a comment
# is translated.
fresh
n=$(line_of '$ sudo ./run -q hostname' "$ZH")
e=$(line_of '$ sudo ./run -q hostname' tutorial.md)
sed -i "${n}s/.*/\$ sudo .\/run hostname -q/" "$ZH"
expect_fail "a console command differs: both lines and the English command" \
    "commands" \
    "^     \| $ZH:$n: command \`sudo ./run hostname -q\` where tutorial.md:$e has \`sudo ./run -q hostname\`; fix: write \`sudo ./run -q hostname\` there$"
fresh
sed -i '0,/`sudo make doctor`/s//`sudo make docter`/' "$ZH"
expect_fail "an inline command differs: the missing one and the stray one, each named" \
    "commands" "no inline \`sudo make doctor\`, which tutorial.md:[0-9]+ shows; fix: write \`sudo make doctor\` in the same section"
expect_fail "  ... and the stray one with its line" \
    "commands" "^     \| $ZH:[0-9]+: inline \`sudo make docter\`, which tutorial.md never shows"
fresh
sed -i '0,/^\$ make lesson01$/s//$ make lesson01   # 构建第 1 课/' "$ZH"
out=$(zh)
echo "$out" | grep -q '^FAIL' &&
    result FAIL "a console comment translated: still the same command" "$out" ||
    result ok "a console comment translated: still the same command"

# The guide: a heading's level, a command of a lab.
fresh
sed -i '0,/^### 安装$/s//## 安装/' "$GUIDE"
expect_fail "the guide: a heading of another level, named with the counts" \
    "teaching.md's headings" "^     \| $GUIDE:[0-9]+: heading level \`## 安装\` where lessons/docs/teaching.md:[0-9]+ has \`### Install\`; fix: write a \`###\` heading there"
fresh
sed -i 's/^    sudo \.\/run -q --net none sh -c "ip addr; ip route"$/    sudo .\/run -q --net none ip addr/' "$GUIDE"
expect_fail "the guide: a lab's command differs" \
    "teaching.md's commands" "command \`sudo ./run -q --net none ip addr\` where lessons/docs/teaching.md:[0-9]+ has \`sudo ./run -q --net none sh -c \"ip addr; ip route\"\`"

fresh
# A comment of the guide's first commented command, translated otherwise.
n=$(grep -n '^    [^ #].*  # ' "$GUIDE" | sed -n 1p | cut -d: -f1)
[ -n "$n" ] && sed -i "${n}s/  # .*/  # 另一种译法的注释/" "$GUIDE"
out=$(zh)
[ -n "$n" ] && grep -q '# 另一种译法的注释' "$GUIDE" &&
    ! echo "$out" | grep -q '^FAIL' &&
    result ok "the guide: comments of a code block translated: still the same commands" ||
    result FAIL "the guide: comments of a code block translated: still the same commands" "$out"
fresh
n=$(grep -n -x '### 讲解' "$ZH" | sed -n 1p | cut -d: -f1)
sed -i "${n}i ### 小结\\n" "$ZH"
expect_fail "a heading the English lacks: named, with the fix" \
    "lessons and sections" "^     \| $ZH:$n: heading \`### 小结\` is not in tutorial.md \(it would be after tutorial.md:[0-9]+\); fix: remove it"

# The title and the link line.
fresh
sed -i '1s/.*/# container-lessons: 从零构建/' "$ZH"
expect_fail "the title line: the exact title to write" \
    "its title" "^     \| $ZH:1: .*; fix: the first line is exactly \`# container-lessons：从零构建一个 Linux 容器\`$"

# mkdiffs: a damaged block of the Chinese course, its link made wrong.
fresh
sed -i '/^<!-- generated: exercise 01 -->$/,/^<!-- end generated -->$/s|](../../../lesson01-uts/run.c)|](lesson01-uts/run.c)|
    s|^自己动手写这一课|Write it|; s|^\$ hostname$|$ hostnme|' "$ZH"
out=$(sh lessons/tools/mkdiffs.sh --check 2>&1)
rc=$?
[ "$rc" = 1 ] && [ "$out" = "stale: $ZH (run make diffs)" ] &&
    result ok "--check: a damaged Chinese block is stale, and only that file" ||
    result FAIL "--check: a damaged Chinese block is stale, and only that file" "$rc: $out"
out=$(RESULTS=/dev/null bash lessons/tests/tutorial.sh 2>&1)
echo "$out" | grep -q "^     | $ZH: link to lesson01-uts/run.c: no such file" &&
    result ok "tutorial.sh's links_ok reads the Chinese course: a link left unrewritten fails" ||
    result FAIL "tutorial.sh's links_ok reads the Chinese course: a link left unrewritten fails" "$out"
sh lessons/tools/mkdiffs.sh >/dev/null 2>&1
cmp -s "$ZH" "$TOP/$ZH" && cmp -s tutorial.md "$TOP/tutorial.md" &&
    result ok "make diffs regenerates the damaged block, and leaves the English as it was" ||
    result FAIL "make diffs regenerates the damaged block, and leaves the English as it was" \
        "$(diff "$TOP/$ZH" "$ZH"; diff "$TOP/tutorial.md" tutorial.md)"
b=$(awk '/^<!-- generated: exercise 01 -->/{g=1;next} /^<!-- end generated -->/{g=0} g' "$ZH")
echo "$b" | grep -q '^- \[`run.c`\](../../../lesson01-uts/run.c) 中的 `set_hostname()`：' &&
    echo "$b" | grep -q '^自己动手写这一课：`make exercise01` 把 lesson01-uts 复制到' &&
    echo "$b" | grep -q '`sudo make grade01`：第 1 课的测试' &&
    ! echo "$b" | grep -q 'Write the lesson\|Fill them in' &&
    result ok "  ... its links relative to lessons/docs/zh-CN/, its sentences in Chinese" ||
    result FAIL "  ... its links relative to lessons/docs/zh-CN/, its sentences in Chinese" "$b"
b=$(awk '/^<!-- generated: exercise 05 -->/{g=1;next} /^<!-- end generated -->/{g=0} g' "$ZH")
echo "$b" | grep -q '`sudo make grade05`：第 1 课到第 5 课的测试' &&
    result ok "  ... and a later lesson's names lessons 1 to N" ||
    result FAIL "  ... and a later lesson's names lessons 1 to N" "$b"
out=$(RESULTS=/dev/null bash lessons/tests/tutorial.sh 2>&1)
echo "$out" | grep -q '^FAIL' &&
    result FAIL "tutorial.sh: the regenerated links and functions check" "$out" ||
    result ok "tutorial.sh: the regenerated links and functions check"

# A change of the English sources reaches both courses.
sed -i 's/^todo: give the child its own hostname:/todo: give the child a hostname of its own:/' \
    lessons/exercises/lesson01.stubs
out=$(sh lessons/tools/mkdiffs.sh --check 2>&1)
[ "$out" = "stale: $ZH (run make diffs)
stale: tutorial.md (run make diffs)" ] &&
    result ok "a stub's TODO changed: --check finds both courses stale" ||
    result FAIL "a stub's TODO changed: --check finds both courses stale" "$out"
sh lessons/tools/mkdiffs.sh >/dev/null 2>&1
[ "$(grep -c 'give the child a hostname of its own:' tutorial.md "$ZH")" = "tutorial.md:1
$ZH:1" ] && sh lessons/tools/mkdiffs.sh --check >/dev/null 2>&1 && [ -z "$(zh | grep '^FAIL')" ] &&
    result ok "  ... make diffs carries it into both, and both checks pass" ||
    result FAIL "  ... make diffs carries it into both, and both checks pass" \
        "$(grep -n 'hostname of its own' tutorial.md "$ZH")"
