#!/bin/sh
# scores.sh: `make scores FILES="a.json b.json ..."`: a class's grades,
# the JSON that make grade JSON=FILE wrote for each student, as one CSV
# table for a spreadsheet: a row a file (the student), its lesson, score,
# total, then passed/total for each group of checks, in the grader's
# order. Uses nothing but awk: the grader writes its JSON on one line, in
# a fixed shape.
# Usage: scores.sh FILE...
set -u
[ $# -gt 0 ] || { echo "usage: make scores FILES=\"grade-*.json\"" >&2; exit 2; }
awk '
function field(s, name,    r) {
    r = "\"" name "\": "
    if (!index(s, r)) return ""
    s = substr(s, index(s, r) + length(r))
    if (substr(s, 1, 1) == "\"") { s = substr(s, 2); return substr(s, 1, index(s, "\"") - 1) }
    match(s, /^[0-9]+/)
    return substr(s, 1, RLENGTH)
}
{
    row = FILENAME "," field($0, "lesson") "," field($0, "score") "," field($0, "total")
    head = "file,lesson,score,total"
    rest = $0
    while ((i = index(rest, "{\"name\": ")) > 0) {
        rest = substr(rest, i)
        name = field(rest, "name")
        gsub(/,/, ";", name)
        row = row "," field(rest, "passed") "/" field(rest, "total")
        head = head "," name
        rest = substr(rest, 2)
    }
    if (head != last) print head
    last = head
    print row
}' "$@"
