//===- GEMVLayout.h - The NVIDIA GEMV storage layout of an FP4 weight -*- C++
//-*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The storage layout in which the decode (GEMV) kernels of
// convert-mx-matmul-to-gpu-mma read an FP4 weight B[K, N] (blocked along K):
// the owner of its index arithmetic (docs/QuantizedTensorABI.md, "NVIDIA
// GEMV layout", describes it in words).
//
// K is padded to Kp (a multiple of 128: four 32-position k-steps, one
// 16-byte load per lane), N to Np (a multiple of 8: one n-tile of the
// m16n8k32 MMA). Padding codes are 0, padding scales are the code of 1.0.
//
// Codes: one 32-bit word per (n-tile nt, k-step s, lane l = 4g + t), word
// index ((nt · Kp/128 + s/4) · 32 + l) · 4 + s % 4, little endian. Its
// nibble i (bits 4i .. 4i + 3) is the code of B[32s + 4t + i][8nt + g] for
// i < 4 and of B[32s + 16 + 4t + (i - 4)][8nt + g] for i >= 4: exactly the
// lane's two B registers of mma.sync m16n8k32 .row.col .s8 (before decoding
// to bytes), so a lane reads four k-steps with one 16-byte load and a warp
// reads 512 contiguous bytes.
//
// Scales (one byte per code, as stored): G = 128 / blockSize blocks per
// four k-steps; for sign group σ (0: the scales, 1: the negative scales of
// an asymmetric format) byte index
// (((σ · Np/8 + nt) · Kp/128 + s/4) · 4 + t) · 2G + p · G + q is the scale
// of block (s/4) · G + q of column 8nt + 2t + p: lane t of a warp reads the
// scales of its two accumulator columns for four k-steps with one 2G-byte
// load.
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MXNVVM_UTILS_GEMVLAYOUT_H
#define MX_DIALECT_MXNVVM_UTILS_GEMVLAYOUT_H

#include <cstdint>

namespace mlir::mx::nvvm {

struct GEMVLayout {
  static constexpr int64_t kStep = 32, kStepsPerLoad = 4, kTileN = 8,
                           kLanes = 32;
  int64_t k = 0, n = 0, blockSize = 32, groups = 1;

  GEMVLayout(int64_t k, int64_t n, int64_t blockSize, int64_t groups)
      : k(k), n(n), blockSize(blockSize), groups(groups) {}

  static bool supportsBlockSize(int64_t bs) { return bs == 16 || bs == 32; }
  int64_t paddedK() const {
    const int64_t q = kStep * kStepsPerLoad;
    return (k + q - 1) / q * q;
  }
  int64_t paddedN() const { return (n + kTileN - 1) / kTileN * kTileN; }
  int64_t nTiles() const { return paddedN() / kTileN; }
  /// Groups of four k-steps (one 16-byte load per lane).
  int64_t kLoads() const { return paddedK() / (kStep * kStepsPerLoad); }
  /// Blocks per group of four k-steps.
  int64_t blocksPerLoad() const { return kStep * kStepsPerLoad / blockSize; }
  int64_t numBlocks() const { return (k + blockSize - 1) / blockSize; }
  int64_t codeBytes() const { return paddedN() * paddedK() / 2; }
  int64_t scaleBytes() const {
    return groups * nTiles() * kLoads() * 4 * 2 * blocksPerLoad();
  }

  /// Byte and nibble (0: low, 1: high) of the code of B[kk][nn].
  void codePosition(int64_t kk, int64_t nn, int64_t &byte,
                    int64_t &nibble) const {
    const int64_t s = kk / kStep, r = kk % kStep, half = r / 16,
                  t = (r % 16) / 4, i = r % 4 + 4 * half;
    const int64_t nt = nn / kTileN, g = nn % kTileN, lane = 4 * g + t;
    const int64_t word =
        ((nt * kLoads() + s / kStepsPerLoad) * kLanes + lane) * kStepsPerLoad +
        s % kStepsPerLoad;
    byte = 4 * word + i / 2;
    nibble = i % 2;
  }
  /// Byte of the scale of block `b` of column `nn` in sign group `group`.
  int64_t scalePosition(int64_t group, int64_t b, int64_t nn) const {
    const int64_t bpl = blocksPerLoad(), nt = nn / kTileN, c = nn % kTileN;
    return (((group * nTiles() + nt) * kLoads() + b / bpl) * 4 + c / 2) * 2 *
               bpl +
           (c % 2) * bpl + b % bpl;
  }
};

} // namespace mlir::mx::nvvm

#endif // MX_DIALECT_MXNVVM_UTILS_GEMVLAYOUT_H
