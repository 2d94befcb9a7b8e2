#!/bin/sh
# Who may include what (docs/architecture.md "Layers"), checked on the
# sources: tests/layers.sh SRCDIR. Prints each violation; exits 1 if any.
#   src/util      its own headers and vmctr/{common,arena,buf,diag}.h only
#   src/lib       no src/cli header (cli.h, inputs.h, ... by name)
#   include/vmctr installed headers: nothing from vmctr/sys or src/util
set -u
root=${1:-.}
cd "$root" || exit 2
bad=0
inc() { grep -Hn '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$@" 2>/dev/null; }

for f in src/util/*.c src/util/*.h; do
    inc "$f" | while IFS= read -r line; do
        h=$(printf '%s\n' "$line" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
        case $h in
        util/*|vmctr/common.h|vmctr/arena.h|vmctr/buf.h|vmctr/diag.h) ;;
        *) echo "layers: $line: src/util may not include \"$h\""; echo x >&3 ;;
        esac
    done
done 3>>"${TMPDIR:-/tmp}/layers.$$"

cli_headers=$(cd src/cli && ls *.h)
for f in src/lib/*.c src/lib/*.h include/vmctr/*.h include/vmctr/sys/*.h; do
    inc "$f" | while IFS= read -r line; do
        h=$(printf '%s\n' "$line" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
        for c in $cli_headers; do
            if [ "$h" = "$c" ] || [ "$h" = "cli/$c" ]; then
                echo "layers: $line: the library may not include the CLI's \"$h\""; echo x >&3
            fi
        done
        case $f in
        include/vmctr/sys/*) ;;
        include/vmctr/*)
            case $h in
            sys/*|vmctr/sys/*|util/*) echo "layers: $line: an installed header may not include \"$h\""; echo x >&3 ;;
            esac ;;
        esac
    done
done 3>>"${TMPDIR:-/tmp}/layers.$$"

if [ -s "${TMPDIR:-/tmp}/layers.$$" ]; then bad=1; fi
rm -f "${TMPDIR:-/tmp}/layers.$$"
[ $bad -eq 0 ] && echo "layers: ok"
exit $bad
