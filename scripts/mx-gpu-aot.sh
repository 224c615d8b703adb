#!/usr/bin/env bash
##===- scripts/mx-gpu-aot.sh - Compile a module to a GPU executable -------===//
##
## SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
##
##===----------------------------------------------------------------------===//
#
# Usage: scripts/mx-gpu-aot.sh IN.mlir OUT [mx-opt options...]
#
# Ahead-of-time flow: IN.mlir (tensor level, with `func.func @main() -> i32`)
# goes through the given mx-opt options (e.g. --mx-quantize-matmul=...), then
# --mx-lower-to-nvvm="$MX_NVVM_OPTIONS" (default chip=sm_90a), mlir-translate
# and llc, and is linked with the mx runtime into a self-contained
# executable OUT. OUT needs only glibc and the NVIDIA driver (libcuda.so.1,
# loaded with dlopen): no CUDA toolkit and no LLVM on the GPU machine.
# Environment: BUILD_DIR (default build), MX_NVVM_OPTIONS, CXX (default c++).
set -euo pipefail
if (( $# < 2 )); then
  sed -n '/^# Usage/,/^# Environment/p' "$0" >&2
  exit 2
fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
IN="$1"; OUT="$2"; shift 2
LLVM=/usr/lib/llvm-22/bin
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$BUILD_DIR/bin/mx-opt" "$IN" "$@" \
  --mx-lower-to-nvvm="${MX_NVVM_OPTIONS:-chip=sm_90a}" -o "$TMP/k.mlir"
"$LLVM/mlir-translate" --mlir-to-llvmir "$TMP/k.mlir" -o "$TMP/k.ll"
"$LLVM/llc" -O2 -filetype=obj -relocation-model=pic "$TMP/k.ll" -o "$TMP/k.o"
"${CXX:-c++}" "$TMP/k.o" "$BUILD_DIR/lib/libmx_gpu_runtime.a" \
  "$BUILD_DIR/lib/libmx_print_runtime.a" -ldl -static-libstdc++ \
  -static-libgcc -o "$OUT"
