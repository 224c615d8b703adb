#!/usr/bin/env bash
##===- scripts/test.sh - Set up and run all tests -------------------------===//
##
## SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
##
##===----------------------------------------------------------------------===//
#
# Usage: scripts/test.sh
# Sets everything up (scripts/setup.sh), then runs check-mx: every lit test
# and every GoogleTest unit test. Ends with one line
# "check-mx: N passed, N failed" and exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/setup.sh"

echo "== check-mx"
LOG="$BUILD_DIR/check-mx.log"
set +e
ninja -C "$BUILD_DIR" check-mx 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
set -e

count() { # sum of the lit summary lines "  Passed: N (...)" for a kind
  { grep -E "^ +$1: +[0-9]+" "$LOG" || true; } |
    awk -F: '{split($2, a, " "); s += a[1]} END {print s + 0}'
}
passed=$(( $(count Passed) + $(count "Expectedly Failed") ))
failed=$(( $(count Failed) + $(count Unresolved) + $(count "Unexpectedly Passed") + $(count "Timed Out") ))
if (( rc != 0 && failed == 0 )); then failed=1; fi
echo "check-mx: $passed passed, $failed failed"
if (( passed == 0 )); then
  echo "check-mx ran no test" >&2
  exit 1
fi
exit "$rc"
