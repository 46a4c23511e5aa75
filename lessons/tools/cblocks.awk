# cblocks.awk: split a lesson's C file into its top-level items, one file
# per item in the directory `out`, named by the item's key:
#   a function          its name                  (die, parse_args, main)
#   struct NAME { }     its name                  (config)
#   a variable, table   its name                  (cfg, ns_names, kernel_fs)
#   #define NAME        NAME                      (EXIT_RUNTIME)
#   enum { A, B }       enum_A
#   #include lines      includes
#   #if, #endif, ...    conditionals, then -v src=NAME if given
#   a declaration       NAME.decl                 (die.decl)
#   extern TYPE NAME;   NAME, with its definition (cfg)
# A comment directly above an item (no blank line between) belongs to it;
# the file's header and the section banners belong to nothing.
# Usage: awk -v out=DIR [-v src=NAME] -f cblocks.awk FILE.c   (mawk, gawk)

function flush_item() {
    if (item != "") {
        if (key == "")
            key = "line" NR
        printf "%s", item >> (out "/" key)
        close(out "/" key)
    }
    item = ""; key = ""; comment = ""; first = ""
}

function find_key(line, code, start_depth,    s) {
    if (line ~ /^#include/) return "includes"
    if (line ~ /^#[a-z]/ && line !~ /^#define/) return "conditionals" src
    # An anonymous enum: by its first enumerator (enum_NET_NONE).
    if (item ~ /(^|\n)enum[^\n]*\{/ && (start_depth == 0 || start_depth == 1)) {
        s = line; sub(/^enum[^{]*\{/, "", s); sub(/^[ \t]+/, "", s)
        if (s ~ /^[A-Za-z_]/) { sub(/[^A-Za-z0-9_].*/, "", s); return "enum_" s }
        return ""
    }
    if (line ~ /^#define[ \t]+[A-Za-z_]/) {
        s = line; sub(/^#define[ \t]+/, "", s); sub(/[^A-Za-z0-9_].*/, "", s)
        return s
    }
    if (start_depth == 0 && line ~ /^[A-Za-z_][A-Za-z0-9_]*\(/) {
        s = line; sub(/\(.*/, "", s)
        return s
    }
    if (start_depth == 0 && line ~ /^struct [A-Za-z_][A-Za-z0-9_]* \{/) {
        s = line; sub(/^struct /, "", s); sub(/ .*/, "", s)
        return s
    }
    # A prototype, as a header holds it: NAME.decl.
    if (start_depth == 0 && code ~ /;[ \t]*$/ && first !~ /=/ &&
        match(first, /^[A-Za-z_][A-Za-z0-9_ *]*[ *][A-Za-z_][A-Za-z0-9_]*\(/)) {
        s = substr(first, RSTART, RLENGTH - 1); sub(/.*[ *]/, "", s)
        return s ".decl"
    }
    if ((start_depth == 0 || line ~ /^}/) && code ~ /[;{][ \t]*$/) {
        # A declaration over several lines is named on its first one.
        if (match(first, /[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])*[ ]*(=|;|__attribute__)/)) {
            s = substr(first, RSTART, RLENGTH); sub(/[^A-Za-z0-9_].*/, "", s)
            return s
        }
        if (match(line, /[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])*[ ]*(=|;|__attribute__)/)) {
            s = substr(line, RSTART, RLENGTH); sub(/[^A-Za-z0-9_].*/, "", s)
            return s
        }
    }
    if (start_depth == 0 && line ~ /^static [^(]*[A-Za-z_][A-Za-z0-9_]*\(/ &&
        match(line, /[A-Za-z_][A-Za-z0-9_]*\(/)) {
        s = substr(line, RSTART, RLENGTH - 1)
        return s ".decl"
    }
    return ""
}

BEGIN { depth = 0; in_comment = 0; item = ""; key = ""; comment = "" }

{
    line = $0
    # Comments between items, at the top level.
    if (depth == 0 && item == "") {
        if (NR == 1)
            in_header = 1
        if (in_comment || line ~ /^\/\*/) {
            comment = comment line "\n"
            in_comment = (line !~ /\*\//)
            next
        }
        if (line ~ /^[ \t]*$/ || in_header) { comment = ""; in_header = 0 }
        if (line ~ /^[ \t]*$/) next
        item = comment
        comment = ""
        first = line
    }
    start_depth = depth
    item = item line "\n"
    # Count braces outside strings, characters and comments.
    code = line
    gsub(/\\./, "", code)
    gsub(/"[^"]*"/, "", code)
    gsub(/'[^']*'/, "", code)
    gsub(/\/\*.*\*\//, "", code)
    sub(/\/\*.*/, "", code)
    sub(/\/\/.*/, "", code)
    if (key == "")
        key = find_key(line, code, start_depth)
    if (line ~ /^#/ && start_depth == 0)
        in_macro = 1
    depth += gsub(/\{/, "{", code) - gsub(/\}/, "}", code)
    if (in_macro) {
        if (line !~ /\\$/) { in_macro = 0; flush_item() }
    } else if (depth == 0 && code ~ /[;}][ \t]*$/)
        flush_item()
}

END { flush_item() }
