#!/usr/bin/env bash
##===- scripts/fuzz.sh - Coverage-guided fuzzing of mx-mlir --------------===//
##
## SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
##
##===----------------------------------------------------------------------===//
#
# Usage: scripts/fuzz.sh SECONDS
# Builds tools/mx-fuzz with clang-22 and libFuzzer (+ASan, +UBSan) in
# build-fuzz/ (installing clang-22, libclang-rt-22-dev and libfuzzer-22-dev
# if missing), seeds the corpus with every lit test input (split at
# `// -----`), fuzzes for SECONDS and prints the executions and findings:
# "fuzz: 1 passed, 0 failed" when nothing was found. Findings are kept in
# build-fuzz/artifacts/; turn each into a regression test under test/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_TO_RUN="${1:-60}"
DIR="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"

missing=()
for p in clang-22 libclang-rt-22-dev libfuzzer-22-dev; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if (( ${#missing[@]} )); then
  SUDO=""; [[ "$(id -u)" != 0 ]] && SUDO=sudo
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
LAUNCHER=()
if command -v ccache >/dev/null 2>&1; then
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
CC=clang-22 CXX=clang++-22 cmake -G Ninja -S "$ROOT" -B "$DIR" \
  -DCMAKE_BUILD_TYPE=Release -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DMX_BUILD_FUZZER=ON -DMX_BUILD_UNITTESTS=OFF "${LAUNCHER[@]}" > "$DIR.configure.log" 2>&1 ||
  { cat "$DIR.configure.log"; exit 1; }
ninja -C "$DIR" mx-fuzz

# Seed corpus: every lit test input, one file per split chunk.
CORPUS="$DIR/corpus"
rm -rf "$DIR/artifacts"
mkdir -p "$CORPUS" "$DIR/artifacts"
python3 - "$ROOT/test" "$CORPUS" <<'PY'
import os, sys, hashlib
src, out = sys.argv[1], sys.argv[2]
n = 0
for dirpath, _, files in os.walk(src):
    for f in files:
        if not f.endswith(".mlir"):
            continue
        text = open(os.path.join(dirpath, f), encoding="utf-8").read()
        for chunk in text.split("// -----"):
            chunk = chunk.strip()
            if not chunk or len(chunk) > 16384:
                continue
            h = hashlib.sha1(chunk.encode()).hexdigest()[:16]
            with open(os.path.join(out, "seed-" + h), "w") as fh:
                fh.write(chunk + "\n")
            n += 1
print("fuzz: %d seed inputs" % n)
PY

# allow_user_poisoning=0: LLVM's BumpPtrAllocator poisons slabs when its
# inline code is compiled with ASan (our code) but not when it is not (the
# packaged libMLIR.so, which shares the allocators): a mixed process reports
# false use-after-poison. Real heap errors are still caught.
LOG="$DIR/fuzz.log"
set +e
ASAN_OPTIONS=detect_leaks=0:allow_user_poisoning=0:use_sigaltstack=0 "$DIR/bin/mx-fuzz" "$CORPUS" \
  -max_total_time="$SECONDS_TO_RUN" -max_len=8192 -timeout=20 \
  -rss_limit_mb=6144 -print_final_stats=1 \
  -artifact_prefix="$DIR/artifacts/" > "$LOG" 2>&1
rc=$?
set -e
execs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$LOG" | grep -oE "[0-9]+$" || echo 0)
findings=$(ls "$DIR/artifacts" | wc -l)
echo "fuzz: ${SECONDS_TO_RUN}s, $execs executions, $findings findings (log: $LOG)"
if (( rc != 0 || findings != 0 )); then
  tail -40 "$LOG"
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi
echo "fuzz: 1 passed, 0 failed"
