# lib.sh: what the tools' tests share (lessons/tests/tools/*.sh). Sourced,
# not run. Set TOOL (the tool's name, shown in brackets) before sourcing.
# Every assertion prints one line and appends it to RESULTS.
set -u
RESULTS=${RESULTS:-/dev/null}
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

result() { # result ok|FAIL DESC [DETAIL]
    printf '%-4s tools    [%s] %s\n' "$1" "$TOOL" "$2" | tee -a "$RESULTS"
    [ "$1" = ok ] || [ -z "${3:-}" ] || printf '%s\n' "$3" | head -n 30 |
        sed 's/^/     | /'
}
expect_eq() { # expect_eq DESC WANT GOT
    if [ "$2" = "$3" ]; then result ok "$1"; else
        result FAIL "$1" "want: $2
got:  $3"; fi
}
