#!/usr/bin/env bash
##===- scripts/test.sh - Set up and run all tests -------------------------===//
##
## SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
##
##===----------------------------------------------------------------------===//
#
# Usage: scripts/test.sh
# First copies the repository (its tracked and unignored files) into a new
# temporary folder with no sibling folders and runs everything there, so a
# reference to anything outside the repository fails (MX_IN_PLACE=1 runs
# in this checkout instead, reusing build/).
# Sets everything up (scripts/setup.sh), then runs check-mx: every lit test
# and every GoogleTest unit test, then the same suite again on a second build
# with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/; skip it
# with MX_SKIP_SANITIZERS=1), then a bounded libFuzzer run of the parser,
# verifier and passes (scripts/fuzz.sh; MX_FUZZ_SECONDS, default 60; skip with
# MX_SKIP_FUZZ=1). Ends with one line
# "check-mx: N passed, N failed" (both runs) and exits non-zero on any
# failure or sanitizer report.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [[ "${MX_IN_PLACE:-0}" != 1 && "${MX_ISOLATED_COPY:-0}" != 1 ]]; then
  ISO="$(mktemp -d "${TMPDIR:-/tmp}/mx-isolated.XXXXXX")"
  mkdir "$ISO/mx-mlir"
  if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
       xargs -0 cp -a --parents -t "$ISO/mx-mlir")
  else
    tar -C "$ROOT" --exclude='./build*' -cf - . | tar -C "$ISO/mx-mlir" -xf -
  fi
  echo "== running from an isolated copy: $ISO/mx-mlir (nothing beside it:" \
       "$(ls "$ISO"))"
  # ccache hits across copies: paths below the copy are hashed relatively.
  export CCACHE_BASEDIR="$ISO/mx-mlir"
  MX_ISOLATED_COPY=1 exec bash "$ISO/mx-mlir/scripts/test.sh"
fi
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/setup.sh"

count() { # sum of the lit summary lines "  Passed: N (...)" for a kind
  { grep -E "^ +$2 *: +[0-9]+" "$1" || true; } |
    awk -F: '{split($2, a, " "); s += a[1]} END {print s + 0}'
}

passed=0; failed=0; rc=0
run_suite() { # build dir, label
  local dir="$1" log="$1/check-mx.log" r
  echo "== check-mx ($2)"
  set +e
  ninja -C "$dir" check-mx 2>&1 | tee "$log"
  r=${PIPESTATUS[0]}
  set -e
  local p f
  p=$(( $(count "$log" Passed) + $(count "$log" "Expectedly Failed") ))
  f=$(( $(count "$log" Failed) + $(count "$log" Unresolved) +
        $(count "$log" "Unexpectedly Passed") + $(count "$log" "Timed Out") ))
  if (( r != 0 && f == 0 )); then f=1; fi
  echo "check-mx ($2): $p passed, $f failed"
  passed=$((passed + p)); failed=$((failed + f))
  if (( r != 0 )); then rc=$r; fi
}

run_suite "$BUILD_DIR" "release"
if [[ "${MX_SKIP_SANITIZERS:-0}" != 1 ]]; then
  ASAN_DIR="${ASAN_BUILD_DIR:-$ROOT/build-asan}"
  echo "== configuring $ASAN_DIR (AddressSanitizer + UndefinedBehaviorSanitizer)"
  LAUNCHER=()
  if command -v ccache >/dev/null 2>&1; then
    LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  fi
  cmake -G Ninja -S "$ROOT" -B "$ASAN_DIR" -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir -DMX_ENABLE_SANITIZERS=ON \
    "${LAUNCHER[@]}" > "$ASAN_DIR.configure.log" 2>&1 ||
    { cat "$ASAN_DIR.configure.log"; exit 1; }
  ninja -C "$ASAN_DIR" -j "${JOBS:-$(nproc)}"
  run_suite "$ASAN_DIR" "asan+ubsan"
fi
if [[ "${MX_SKIP_FUZZ:-0}" != 1 ]]; then
  echo "== fuzz (libFuzzer, ${MX_FUZZ_SECONDS:-60} s)"
  set +e
  bash "$ROOT/scripts/fuzz.sh" "${MX_FUZZ_SECONDS:-60}" 2>&1 | tee "$BUILD_DIR/fuzz-run.log"
  fr=${PIPESTATUS[0]}
  set -e
  if (( fr == 0 )); then passed=$((passed + 1)); else failed=$((failed + 1)); rc=1; fi
fi
echo "check-mx: $passed passed, $failed failed"
if (( passed == 0 )); then
  echo "check-mx ran no test" >&2
  exit 1
fi
exit "$rc"
