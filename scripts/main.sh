#!/usr/bin/env bash
##===- scripts/main.sh - Set up and run the main example -----------------===//
##
## SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
##
##===----------------------------------------------------------------------===//
#
# Usage: scripts/main.sh
# Sets everything up (scripts/setup.sh), then runs mx-opt on
# examples/quantize.mlir, which quantizes a tensor to mxfp4 and amxfp4,
# multiplies block-scaled operands and prints the verified IR.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
"$ROOT/scripts/setup.sh"
echo "== mx-opt examples/quantize.mlir --canonicalize"
"$BUILD_DIR/bin/mx-opt" "$ROOT/examples/quantize.mlir" --canonicalize
