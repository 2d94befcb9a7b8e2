#!/bin/sh
# tests/skip.sh REASON: stands in for a test whose interpreter or tool is
# missing at configure time. Exits 77 (ctest: "Skipped", SKIP_RETURN_CODE),
# or fails under CI=true, where nothing may be skipped.
echo "SKIP: $*"
if [ "${CI:-}" = true ]; then
    echo "CI=true: a skipped test fails"
    exit 1
fi
exit 77
