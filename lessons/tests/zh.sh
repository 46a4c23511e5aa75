#!/usr/bin/env bash
# zh.sh: the Chinese course is the English one (lessons/docs/zh-CN/, the
# conventions of issue 19): lessons/docs/zh-CN/tutorial.md has
# tutorial.md's lessons and sections in the same order, the same generated
# blocks in the same places and the same commands, and
# lessons/docs/zh-CN/teaching.md has lessons/docs/teaching.md's headings
# and commands. The generated blocks' text is mkdiffs.sh --check's (it
# regenerates both files); their links and named functions are
# tutorial.sh's. What it cannot see is a change of the English prose
# that touches no heading or command: that is carried by hand, from
# `git diff LAST..HEAD -- tutorial.md lessons/docs/teaching.md`, as
# lessons/docs/zh-CN/conventions.md says. One result line each, appended
# to RESULTS. Called by static.sh; runs alone too:
# RESULTS=/tmp/x.res bash lessons/tests/zh.sh
set -u
cd "$(dirname "$0")/../.."
EN=tutorial.md
ZH=lessons/docs/zh-CN/tutorial.md
EN_GUIDE=lessons/docs/teaching.md
ZH_GUIDE=lessons/docs/zh-CN/teaching.md
TITLE='# container-lessons：从零构建一个 Linux 容器'
LINK='[English](../../../tutorial.md) · 中文'

. lessons/tests/check.sh

# What the check compares of a course, a line each, tab-separated:
# KIND, LINE, SECTION (how many ##/### headings are above it) and TEXT.
#   H  a ## or ### heading (outside code and generated blocks)
#   L  any heading, of any level (the guide compares their levels)
#   G  a <!-- generated: ... --> line or its <!-- end generated -->
#   C  a command shown in a code block outside generated blocks: each
#      "$ " line of a ```console block, and each line of any other fenced
#      or indented block; a leading "$ " and a "# comment" (the line's
#      first # after a blank, or a line that is one) are dropped
#   I  a command in inline code in the prose: a `...` span (across line
#      breaks, blanks squeezed) that starts with "sudo " or "make "
items() { # items FILE
    awk '
    function flush(    s, off, c, raw, at) {
        s = para
        off = 0
        while (match(s, /`[^`]+`/)) {
            raw = c = substr(s, RSTART + 1, RLENGTH - 2)
            at = substr(s, 1, RSTART - 1)
            s = substr(s, RSTART + RLENGTH)
            off += gsub(/\n/, "", at)
            gsub(/[ \t\n]+/, " ", c); sub(/^ /, "", c); sub(/ $/, "", c)
            if (c ~ /^(sudo|make) /) printf "I\t%d\t%d\t%s\n", start + off, sec, c
            off += gsub(/\n/, "", raw)
        }
        para = ""
    }
    function code(line, text) {
        sub(/^[ \t]+/, "", text)
        sub(/^\$ /, "", text)
        if (text ~ /^#/) return
        sub(/[ \t]+#.*$/, "", text)
        sub(/[ \t]+$/, "", text)
        if (text != "") printf "C\t%d\t%d\t%s\n", line, sec, text
    }
    /^<!-- generated: / { flush(); printf "G\t%d\t%d\t%s\n", NR, sec, $0; g = 1; next }
    /^<!-- end generated -->/ { printf "G\t%d\t%d\t%s\n", NR, sec, $0; g = 0; next }
    g { next }
    /^ *```/ {
        flush()
        if (!f) { f = 1; console = $0 ~ /^ *```console/ } else f = 0
        next
    }
    f {
        if (!console) code(NR, $0)
        else if ($0 ~ /^ *\$ /) code(NR, $0)
        next
    }
    /^#+ / {
        flush()
        n = match($0, /^#+/) ? RLENGTH : 0
        printf "L\t%d\t%d\t%s\n", NR, sec, $0
        if (n == 2 || n == 3) printf "H\t%d\t%d\t%s\n", NR, ++sec, $0
        blank = 0
        next
    }
    # An indented code block: four blanks after a blank line, or after
    # another line of the block.
    (/^    / || /^\t/) && (blank || incode) { flush(); code(NR, $0); incode = 1; blank = 0; next }
    /^[ \t]*$/ { flush(); blank = 1; next }
    { incode = 0; blank = 0 }
    para == "" { start = NR }
    { para = para (para == "" ? "" : "\n") $0 }
    END { flush() }' "$1"
}

# The heading's key, what the two courses must agree on: a lesson's
# number, a section's name, else only its level. EN's, or ZH's.
heading_keys() { # heading_keys en|zh: from items' H lines on stdin
    awk -F '\t' -v lang="$1" '
    BEGIN {
        split("Goal|Try it|Read the code|Explanation|Exercises|What the tests check", en, "|")
        split("目标|动手试试|读代码|讲解|练习|测试检查什么", zh, "|")
        for (i = 1; i <= 6; i++) { sec_en["### " en[i]] = en[i]; sec_zh["### " zh[i]] = en[i] }
    }
    $1 != "H" { next }
    {
        t = $4
        lvl = t ~ /^### / ? "###" : "##"
        key = lvl " (another heading)"
        if (lang == "en" && match(t, /^## Lesson [0-9]+: ./))
            key = "## lesson " substr(t, 11, index(t, ":") - 11) + 0
        else if (lang == "zh" && match(t, /^## 第 [1-9][0-9]* 课：./)) {
            n = t; sub(/^## 第 /, "", n); sub(/ .*/, "", n)
            key = "## lesson " n
        } else if (lang == "en" && t in sec_en)
            key = "### section " sec_en[t]
        else if (lang == "zh" && t in sec_zh)
            key = "### section " sec_zh[t]
        print key
    }'
}

# seq_diff WHAT FIX EN ZH EN-ITEMS ZH-ITEMS EN-KEYS ZH-KEYS: the two
# sequences of keys (a line an item; ITEMS: LINE<tab>TEXT), compared in
# order, each difference a line naming both files' lines. FIX: what to
# do, after "fix:", with want(): what ZH writes for EN's item (the item
# itself, but for headings: a lesson's or a section's exact Chinese
# heading, else a heading of its level).
seq_diff() {
    local what=$1 fix=$2 en=$3 zh=$4 ei=$5 zi=$6 ek=$7 zk=$8 groups
    groups=$(diff --old-group-format='%df %dl %dF %dL
' --new-group-format='%df %dl %dF %dL
' --changed-group-format='%df %dl %dF %dL
' --unchanged-group-format='' "$ek" "$zk")
    [ -n "$groups" ] || return 0
    printf '%s\n' "$groups" | awk -v what="$what" -v fix="$fix" -v en="$en" -v zh="$zh" \
        -v ei="$ei" -v zi="$zi" -v ek="$ek" '
    BEGIN {
        FS = "\t"
        while ((getline l < ei) > 0) { split(l, p, "\t"); eline[++ne] = p[1]; etext[ne] = p[2] }
        while ((getline l < zi) > 0) { split(l, p, "\t"); zline[++nz] = p[1]; ztext[nz] = p[2] }
        while ((getline l < ek) > 0) ekey[++k] = l
        FS = " "
    }
    function want(i,    k, n) {
        if (what == "heading level") return "a `" ekey[i] "` heading"
        if (what != "heading") return "`" etext[i] "`"
        k = ekey[i]
        if (k ~ /^## lesson /) { n = k; sub(/^## lesson /, "", n); return "`## 第 " n " 课：TITLE`" }
        if (k == "### section Goal") return "`### 目标`"
        if (k == "### section Try it") return "`### 动手试试`"
        if (k == "### section Read the code") return "`### 读代码`"
        if (k == "### section Explanation") return "`### 讲解`"
        if (k == "### section Exercises") return "`### 练习`"
        if (k == "### section What the tests check") return "`### 测试检查什么`"
        return k ~ /^###/ ? "a `###` heading" : "a `##` heading"
    }
    function after(j) { return j < 1 ? "at the start of the file" : "after " zh ":" zline[j] " `" ztext[j] "`" }
    {
        f = $1; l = $2; F = $3; L = $4
        for (i = 0; f + i <= l || F + i <= L; i++) {
            e = f + i; z = F + i
            if (e <= l && z <= L)
                printf "%s:%d: %s `%s` where %s:%d has `%s`; fix: %s %s there\n",
                    zh, zline[z], what, ztext[z], en, eline[e], etext[e], fix, want(e)
            else if (e <= l)
                printf "%s: no %s for %s:%d `%s` (it goes %s); fix: %s %s there\n",
                    zh, what, en, eline[e], etext[e], after(F - 1), fix, want(e)
            else
                printf "%s:%d: %s `%s` is not in %s (it would be after %s:%d); fix: remove it, or put in %s what %s has\n",
                    zh, zline[z], what, ztext[z], en, en, eline[f - 1] + 0, zh, en
        }
    }'
    return 1
}

# The files a check compares, made once: $W/{en,zh}.{items,...}.
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
prepare() { # prepare EN ZH: items of both, into $W/en.* and $W/zh.*
    items "$1" >"$W/en.items"
    items "$2" >"$W/zh.items"
    local s
    for s in en zh; do
        awk -F '\t' '$1 == "H" { print $2 "\t" $4 }' "$W/$s.items" >"$W/$s.H"
        heading_keys "$s" <"$W/$s.items" >"$W/$s.Hk"
        awk -F '\t' '$1 == "G" { print $2 "\t" $4 }' "$W/$s.items" >"$W/$s.G"
        cut -f2 "$W/$s.G" >"$W/$s.Gk"
        awk -F '\t' '$1 == "C" { print $2 "\t" $4 }' "$W/$s.items" >"$W/$s.C"
        cut -f2 "$W/$s.C" >"$W/$s.Ck"
        awk -F '\t' '$1 == "L" { print $2 "\t" $4 }' "$W/$s.items" >"$W/$s.L"
        sed 's/^[0-9]*\t\(#*\).*/\1/' "$W/$s.L" >"$W/$s.Lk"
    done
}

title_ok() { # line 1 the title, the next line that is not blank the link back
    local rc=0 l1 l2
    l1=$(sed -n 1p "$ZH")
    [ "$l1" = "$TITLE" ] ||
        { echo "$ZH:1: \`$l1\`; fix: the first line is exactly \`$TITLE\`"; rc=1; }
    l2=$(sed -n '2,$p' "$ZH" | grep -v -m1 '^[[:space:]]*$')
    [ "$l2" = "$LINK" ] ||
        { echo "$ZH: the line after the title is \`$l2\`; fix: make it exactly \`$LINK\`"; rc=1; }
    head -n 5 "$EN" | grep -qxF '[中文版](lessons/docs/zh-CN/tutorial.md)' ||
        { echo "$EN: no line [中文版](lessons/docs/zh-CN/tutorial.md) in its first 5 lines; fix: add it under the title"; rc=1; }
    grep -qF '](lessons/docs/zh-CN/tutorial.md)' README.md ||
        { echo "README.md: no link to lessons/docs/zh-CN/tutorial.md; fix: add its 中文版 line"; rc=1; }
    return $rc
}

headings_ok() {
    seq_diff heading "write" "$EN" "$ZH" "$W/en.H" "$W/zh.H" "$W/en.Hk" "$W/zh.Hk"
}

# The same markers in the same order, each under the same heading (when
# both have as many headings).
markers_ok() {
    seq_diff "generated marker" "copy" "$EN" "$ZH" "$W/en.G" "$W/zh.G" "$W/en.Gk" "$W/zh.Gk" || return 1
    [ "$(wc -l <"$W/en.H")" = "$(wc -l <"$W/zh.H")" ] || return 0
    paste <(awk -F '\t' '$1 == "G" && $4 !~ /end generated/' "$W/en.items") \
        <(awk -F '\t' '$1 == "G" && $4 !~ /end generated/' "$W/zh.items") | awk -F '\t' \
        -v en="$EN" -v zh="$ZH" -v eh="$W/en.H" -v zhh="$W/zh.H" '
    BEGIN {
        while ((getline l < eh) > 0) { split(l, p, "\t"); el[++n] = p[1]; et[n] = p[2] }
        n = 0
        while ((getline l < zhh) > 0) { split(l, p, "\t"); zl[++n] = p[1]; zt[n] = p[2] }
    }
    $3 != $7 {
        printf "%s:%d: `%s` is under %s:%d `%s`, but %s:%d has it under %s:%d `%s`; fix: move the block into that section\n",
            zh, $6, $8, zh, zl[$7], zt[$7], en, $2, en, el[$3], et[$3]
        bad = 1
    }
    END { exit bad }'
}

commands_ok() { # code blocks' commands in order, then inline commands as sets
    local rc=0
    seq_diff "command" "write" "$1" "$2" "$W/en.C" "$W/zh.C" "$W/en.Ck" "$W/zh.Ck" || rc=1
    inline_ok "$1" "$2" || rc=1
    return $rc
}

# Every inline command one course shows somewhere, the other shows too.
inline_ok() { # inline_ok EN ZH
    awk -F '\t' -v en="$1" -v zh="$2" '
    FNR == 1 { side++ }
    $1 != "I" { next }
    side == 1 && !($4 in e) { e[$4] = $2 }
    side == 2 && !($4 in z) { z[$4] = $2 }
    END {
        for (c in e) if (!(c in z)) {
            printf "%s: no inline `%s`, which %s:%d shows; fix: write `%s` in the same section\n", zh, c, en, e[c], c
            bad = 1
        }
        for (c in z) if (!(c in e)) {
            printf "%s:%d: inline `%s`, which %s never shows; fix: write it as %s does, or drop it\n", zh, z[c], c, en, en
            bad = 1
        }
        exit bad
    }' "$W/en.items" "$W/zh.items" | sort -t: -k2 -n
    return "${PIPESTATUS[0]}"
}

# The guide: its headings' levels, in order (so as many of each).
levels_ok() {
    local e z
    seq_diff "heading level" "write" "$EN_GUIDE" "$ZH_GUIDE" "$W/en.L" "$W/zh.L" "$W/en.Lk" "$W/zh.Lk" && return 0
    e=$(sort "$W/en.Lk" | uniq -c | tr -s ' \n' ' ')
    z=$(sort "$W/zh.Lk" | uniq -c | tr -s ' \n' ' ')
    echo "(headings by level: $EN_GUIDE:$e; $ZH_GUIDE:$z)"
    return 1
}

if [ ! -f "$ZH" ]; then
    check "$ZH: the Chinese course exists" false
else
    prepare "$EN" "$ZH"
    check "$ZH: its title, the link back, and the English courses' links to it" title_ok
    check "$ZH: tutorial.md's lessons and sections, in order" headings_ok
    check "$ZH: tutorial.md's generated blocks, in the same places" markers_ok
    check "$ZH: tutorial.md's commands (code blocks in order, inline ones)" \
        commands_ok "$EN" "$ZH"
fi
if [ ! -f "$ZH_GUIDE" ]; then
    echo "skip static  [static]   $ZH_GUIDE: not written yet"
else
    prepare "$EN_GUIDE" "$ZH_GUIDE"
    check "$ZH_GUIDE: teaching.md's headings, as many of each level, in order" levels_ok
    check "$ZH_GUIDE: teaching.md's commands (code blocks in order, inline ones)" \
        commands_ok "$EN_GUIDE" "$ZH_GUIDE"
fi
