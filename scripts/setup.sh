#!/usr/bin/env bash
##===- scripts/setup.sh - Install dependencies, configure, build ---------===//
##
## SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
##
##===----------------------------------------------------------------------===//
#
# Usage: scripts/setup.sh
# Installs the Debian packages mx-mlir needs (only if some are missing),
# configures build/ with CMake and Ninja, and builds everything.
# Environment: BUILD_DIR (default build), MX_WERROR=ON|OFF (default: ON when
# CI=true, else OFF), JOBS (default: nproc).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build}"
if [[ -z "${MX_WERROR:-}" ]]; then
  if [[ "${CI:-}" == "true" ]]; then MX_WERROR=ON; else MX_WERROR=OFF; fi
fi
JOBS="${JOBS:-$(nproc)}"

PACKAGES=(libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
          cmake ninja-build g++ libgtest-dev python3 diffutils
          libopenblas0-pthread libomp-22-dev)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "== installing: ${missing[*]}"
  SUDO=""
  if [[ "$(id -u)" != 0 ]]; then SUDO=sudo; fi
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

LAUNCHER=()
if command -v ccache >/dev/null 2>&1; then
  LAUNCHER=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi

echo "== configuring $BUILD_DIR (werror=$MX_WERROR)"
cmake -G Ninja -S "$ROOT" -B "$BUILD_DIR" \
  -DCMAKE_BUILD_TYPE=Release \
  -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
  -DMX_ENABLE_WERROR="$MX_WERROR" \
  "${LAUNCHER[@]}"

echo "== building"
ninja -C "$BUILD_DIR" -j "$JOBS"
