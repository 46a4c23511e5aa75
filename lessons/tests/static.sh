#!/usr/bin/env bash
# static.sh: the checks that run no container: each lesson is the previous
# one plus its feature, the generated diffs and tutorial code are fresh,
# the C is formatted, the scripts parse, and .ci/run runs the README's
# test command. One result line each, appended to RESULTS.
set -u
cd "$(dirname "$0")/../.."

check() { # check DESC COMMAND...: ok if COMMAND succeeds, else its output
    local desc=$1 out
    shift
    if out=$("$@" 2>&1); then
        echo "ok   static  [static]   $desc" | tee -a "$RESULTS"
    else
        echo "FAIL static  [static]   $desc" | tee -a "$RESULTS"
        printf '%s\n' "$out" | head -n 40 | sed 's/^/     | /'
    fi
}

check "progression: each lesson is the one before plus its Changes:" \
    sh lessons/tools/progression.sh
check "lessons/diffs and tutorial.md code are fresh (make diffs)" \
    sh lessons/tools/mkdiffs.sh --check

# clang-format's output differs between versions: the style is kept with
# the version the project pins (Debian 12's), and only checked with it.
c_files=$(ls lesson*/*.c lessons/*/*.c lessons/tests/*/*.c)
if clang-format --version 2>/dev/null | grep -q 'version 14\.'; then
    # shellcheck disable=SC2086
    check "C files are clang-formatted (make format)" \
        clang-format --dry-run -Werror $c_files
else
    echo "skip static  [static]   format check: needs clang-format 14"
fi

scripts_ok() {
    local f rc=0
    for f in lessons/*/*.sh lessons/tests/*/*.sh .ci/run; do
        case $(head -n1 "$f") in
        *bash*) bash -n "$f" || rc=1 ;;
        *) sh -n "$f" || rc=1 ;;
        esac
    done
    return $rc
}
check "every script parses" scripts_ok

readme_command_is_ci() {
    local cmd
    cmd=$(grep -A3 -i 'every test' README.md | grep -o 'sudo make [a-z]*' |
        head -n1 | sed 's/^sudo //')
    [ -n "$cmd" ] && grep -qx "$cmd" .ci/run ||
        { echo "README's test command '${cmd:-?}' is not what .ci/run runs"; return 1; }
}
check ".ci/run runs the README's test command" readme_command_is_ci
