#!/bin/sh
# Every public function declaration has a comment at the declaration
# (docs/architecture.md "Headers"; issue 11): tests/api_comments.sh SRCDIR.
# Checks include/vmctr/*.h (the installed headers; not sys/). A declaration
# is a top-level statement (outside comments, braces and preprocessor lines)
# with a '(' that is not a typedef, ending in ';' or, for a static inline
# function, '{'. It counts as commented when the line just above its first
# line is a comment of its own (a line that is only comment: "/* ... */",
# " * ... */", "// ...") or when the declaration carries a trailing comment.
# A comment that trails the previous declaration does not count: grouped
# declarations each need their own. Prints each undocumented declaration as
# file:line: name; exits 1 if any, 2 if there is nothing to check.
set -u
root=${1:-.}
cd "$root" || exit 2
set -- include/vmctr/*.h
[ -f "$1" ] || { echo "api-comments: no headers under $root/include/vmctr"; exit 2; }

awk '
function flush(   t, name) {
    if (stmt != "") {
        t = stmt
        gsub(/[ \t]+/, " ", t)
        if (t !~ /^ ?typedef / && t ~ /\(/) {
            name = t
            sub(/ ?\(.*/, "", name)          # up to the first (
            sub(/.*[ *]/, "", name)          # the last word before it
            decls++
            if (!above && !trail) {
                printf "%s:%d: %s has no comment at its declaration\n", FILENAME, first, name
                bad++
            }
        }
    }
    stmt = ""; trail = 0
}
FNR == 1 { incomment = 0; depth = 0; stmt = ""; prevdoc = 0; cont = 0 }
{
    line = $0
    # a preprocessor line and its continuations
    if (cont || (!incomment && line ~ /^[ \t]*#/)) {
        cont = (line ~ /\\$/)
        prevdoc = 0
        next
    }
    code = ""; hascomment = 0; rest = line
    while (rest != "") {
        if (incomment) {
            i = index(rest, "*/")
            if (i == 0) { rest = ""; break }
            rest = substr(rest, i + 2); incomment = 0
            continue
        }
        i = index(rest, "/*"); j = index(rest, "//")
        if (j > 0 && (i == 0 || j < i)) { code = code substr(rest, 1, j - 1); hascomment = 1; rest = ""; break }
        if (i == 0) { code = code rest; rest = ""; break }
        code = code substr(rest, 1, i - 1); hascomment = 1; incomment = 1
        rest = substr(rest, i + 2)
    }
    onlycomment = (code ~ /^[ \t]*$/) && (hascomment || line ~ /^[ \t]*\*/)
    if (depth == 0 && code !~ /^[ \t]*$/) {
        if (stmt == "") { first = FNR; above = prevdoc }
        stmt = stmt " " code
        if (hascomment) trail = 1
    } else if (depth == 0 && stmt != "" && hascomment) {
        trail = 1                       # a comment line inside a statement
    }
    n = split(code, ch, "")
    for (k = 1; k <= n; k++) {
        c = ch[k]
        if (c == "{") {
            if (depth == 0) flush()     # a static inline definition, or a struct/enum body
            depth++
        } else if (c == "}") {
            depth--
        } else if (c == ";" && depth == 0) {
            flush()
        }
    }
    if (depth == 0 && stmt ~ /^[ \t]*$/) stmt = ""
    # the next line is "just below a comment" only when this one was nothing
    # but comment (not code with a trailing comment)
    prevdoc = onlycomment && !incomment
}
END {
    printf "api-comments: %d public function declarations, %d without a comment\n", decls, bad
    exit bad > 0 ? 1 : (decls == 0 ? 2 : 0)
}
' "$@"
