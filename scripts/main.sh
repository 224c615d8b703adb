#!/usr/bin/env bash
##===- scripts/main.sh - Set up and run the main example -----------------===//
##
## SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
##
##===----------------------------------------------------------------------===//
#
# Usage: scripts/main.sh
# Sets everything up (scripts/setup.sh), then compiles the LLM-like linear
# layer of examples/linear_layer.mlir (outlier activation channels,
# asymmetric ranges, constant weights) with mxfp4 and with amxfp4 on both
# operands, the same rounding (rna) for both, runs it on the CPU under
# mlir-runner and prints each format's relative error against f32.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/setup.sh"

LIB=/usr/lib/llvm-22/lib
RUNNER=(/usr/lib/llvm-22/bin/mlir-runner -e main -entry-point-result=void
        "-shared-libs=$LIB/libmlir_c_runner_utils.so,$LIB/libmlir_runner_utils.so")
echo "== linear layer y = x W + b (M=8, K=128, N=32), relative error vs f32"
for fmt in mxfp4 amxfp4; do
  printf '%-7s x %-7s (rounding=rna): ' "$fmt" "$fmt"
  "$BUILD_DIR/bin/mx-opt" "$ROOT/examples/linear_layer.mlir" \
    --mx-quantize-matmul="lhs-format=$fmt rhs-format=$fmt rounding=rna" \
    --mx-lower-to-llvm | "${RUNNER[@]}" | sed 's/^relative error vs f32: //' |
    tr -d '\n'
  echo
done
