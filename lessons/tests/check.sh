# check.sh: the static checks' one result line (lessons/tests/static.sh,
# tutorial.sh, zh.sh). Sourced, not run.
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
