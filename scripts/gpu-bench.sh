#!/usr/bin/env bash
##===- scripts/gpu-bench.sh - mx GPU kernels next to cuBLAS ---------------===//
##
## SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
##
##===----------------------------------------------------------------------===//
#
# Usage:
#   scripts/gpu-bench.sh build DIR      (CPU machine, after scripts/setup.sh)
#   scripts/gpu-bench.sh run DIR OUT    (GPU machine: driver, PyTorch)
#   scripts/gpu-bench.sh report OUT     (either machine)
#
# build writes the bundle DIR: one module with the decode cases of
# scripts/gpu-bench.py (a pack function per weight, a decode function per
# case), compiled by --mx-lower-to-nvvm (memory=device) into
# libmxbench.so with the runtime; the expected result bits of every case
# and checksums of the quantization rows from the reference library
# (mx-gpu-bench-ref); the PyTorch example
# (examples/torch). run loads the shared object from PyTorch (ctypes),
# checks every case bit for bit, then times it next to cuBLAS bf16 and fp8
# (results.jsonl, one row per case and implementation, and a table).
# Environment: BUILD_DIR (default build), MX_NVVM_OPTIONS (default
# chip=sm_90a), REPS (default 30).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
LLVM=/usr/lib/llvm-22/bin
cmd="${1:-}"; DIR="${2:-}"
[[ -n "$cmd" && -n "$DIR" ]] || { sed -n '/^# Usage/,/^# Environment/p' "$0" >&2; exit 2; }
case "$cmd" in
build)
  mkdir -p "$DIR/expected" "$DIR/torch"
  python3 "$ROOT/scripts/gpu-bench.py" gen "$DIR"
  cp "$ROOT/scripts/gpu-bench.py" "$DIR/"
  cp "$ROOT"/examples/torch/*.py "$DIR/torch/"
  start=$(date +%s%N)
  "$BUILD_DIR/bin/mx-opt" "$DIR/bench.mlir" --llvm-request-c-wrappers \
    --mx-lower-to-nvvm="${MX_NVVM_OPTIONS:-chip=sm_90a}" -o "$DIR/bench.llvm.mlir"
  echo "compile: $(( ($(date +%s%N) - start) / 1000000 )) ms"
  "$LLVM/mlir-translate" --mlir-to-llvmir "$DIR/bench.llvm.mlir" -o "$DIR/bench.ll"
  "$LLVM/llc" -O2 -filetype=obj -relocation-model=pic "$DIR/bench.ll" -o "$DIR/bench.o"
  "${CXX:-c++}" -shared "$DIR/bench.o" "$BUILD_DIR/lib/libmx_gpu_runtime.a" \
    -ldl -static-libstdc++ -static-libgcc -o "$DIR/libmxbench.so"
  rm -f "$DIR/bench.o" "$DIR/bench.ll"
  python3 - "$DIR" "$BUILD_DIR/bin/mx-gpu-bench-ref" <<'PY'
import json, subprocess, sys
d, tool = sys.argv[1], sys.argv[2]
meta = json.load(open(d + "/cases.json"))
for c in meta["cases"]:
    subprocess.check_call([tool, c["lhs_format"], c["rhs_format"], str(c["m"]),
                           str(c["k"]), str(c["n"]), str(meta["seed"]),
                           "%s/expected/%s.bin" % (d, c["fn"])])
q = {}
for c in meta["quantize"]:
    q[c["fn"]] = json.loads(subprocess.check_output(
        [tool, "quantize", c["format"], str(c["r"]), str(c["l"]),
         str(meta["seed"])]))
json.dump(q, open(d + "/expected/quantize.json", "w"), indent=1)
PY
  du -sh "$DIR"
  ;;
run)
  OUT="${3:?output folder}"
  python3 "$DIR/gpu-bench.py" run "$DIR" "$OUT"
  python3 "$DIR/gpu-bench.py" report "$OUT" | tee "$OUT/report.txt"
  ;;
report)
  python3 "$ROOT/scripts/gpu-bench.py" report "$DIR"
  ;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac
