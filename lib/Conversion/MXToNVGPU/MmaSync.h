//===- MmaSync.h - The mma.sync matmul kernels (internal) -------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The warp-level mma.sync kernels of convert-mx-matmul-to-gpu-mma: one warp
// per 16x8 output tile, `warps` warps per thread block along N. The lane's
// place in the fragments is shared (MmaSync.cpp); the k loop is either the
// exact integer MMA (IntegerMMA.cpp) or the native block-scaled MMA of
// sm_120a (BlockScaleMMA.cpp). Internal to the MXToNVGPU library.
//
//===----------------------------------------------------------------------===//

#ifndef MX_LIB_CONVERSION_MXTONVGPU_MMASYNC_H
#define MX_LIB_CONVERSION_MXTONVGPU_MMASYNC_H

#include "mx/Conversion/MXCommon/GPUKernelUtils.h"

namespace mlir::mx::nvgpu_kernels {

constexpr int64_t kTileM = 16, kTileN = 8, kMmaK = 32, kNativeK = 64,
                  kWarpSize = 32;

/// Where a lane sits in the m16n8 fragments of its warp's tile: group g
/// (lane / 4) and thread-in-group t (lane % 4), the tile origin row, its two
/// rows of A (g, g + 8) and its column of B (g), its four accumulator
/// elements (rows g, g + 8; columns 2t, 2t + 1); masked positions clamped.
struct MmaSyncFragment {
  Value grp, tig, m0;
  SmallVector<Value> rowsA, rowsAValid;
  Value colB, colBValid, colBByte, colBNib;
  SmallVector<Value> colsC, colsCValid;
};

/// 2v (i32) of the E2M1 `code` (i32), or its + and - parts for an
/// asymmetric operand.
SmallVector<Value> twiceParts(ImplicitLocOpBuilder &kb, Value code, bool asym);

/// Why `op` cannot take the decode (GEMV) kernel, M <= 16 (empty if it can).
std::string getDecodeGEMVIneligibility(MatmulOp op);

/// Replaces `op` (eligible for the decode kernel) by the activation
/// fragment kernel and the GEMV kernel of `warps` warps per n-tile
/// (DecodeGEMV.cpp); the weight in the GEMV layout comes from an
/// mx_nvvm.gemv_weight, a compile-time repack of a constant, or a run-time
/// mx_nvvm.to_gemv_layout (with a remark under `report`).
void lowerToDecodeGEMV(RewriterBase &rewriter, MatmulOp op, int64_t warps,
                       bool report);

/// Lowers a run-time mx_nvvm.to_gemv_layout into gather kernels.
LogicalResult lowerToGEMVLayout(RewriterBase &rewriter, Operation *op);

/// The lane's fragment positions in the tile of `warps`-warp blocks.
MmaSyncFragment buildMmaSyncFragment(ImplicitLocOpBuilder &kb,
                                     gpu::LaunchOp launch,
                                     const kernel::GPUMatmul &mm,
                                     int64_t warps);

/// The exact k loop: s32 block sums on the integer MMA (m16n8k32 s8), then
/// the f32 epilogue in block order. The lane's four f32 results.
SmallVector<Value> buildIntegerMMALoop(ImplicitLocOpBuilder &kb,
                                       const kernel::GPUMatmul &mm,
                                       const MmaSyncFragment &f);

/// The k loop of the native block-scaled MMA (sm_120a, `scaleVec` scales per
/// 64 positions): the lane's four f32 results, before the tensor scales.
SmallVector<Value> buildBlockScaleMMALoop(ImplicitLocOpBuilder &kb,
                                          const kernel::GPUMatmul &mm,
                                          const MmaSyncFragment &f,
                                          int64_t scaleVec);

/// Why `op` (eligible for the integer MMA) cannot take the native
/// block-scaled MMA (empty if it can); sets `scaleVec`.
std::string getBlockScaleMMAIneligibility(MatmulOp op, int64_t &scaleVec);

} // namespace mlir::mx::nvgpu_kernels

#endif // MX_LIB_CONVERSION_MXTONVGPU_MMASYNC_H
