//===- GPUKernelUtils.h - Shared pieces of GPU matmul kernels ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What every GPU matmul kernel generator (MXToNVGPU, MXToAMDGPU,
// MXNVVMToNVVM) shares: the kernel's operands as buffers and its launch
// (lowerMatmulToLaunch), index arithmetic, FP4 code handling and the result
// store.
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXCOMMON_GPUKERNELUTILS_H
#define MX_CONVERSION_MXCOMMON_GPUKERNELUTILS_H

#include "mx/Dialect/MX/IR/MXOps.h"
#include "mx/Reference/MXReference.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Support/LLVM.h"

namespace mlir {
class RewriterBase;
namespace gpu {
class LaunchOp;
} // namespace gpu
namespace mx {
namespace kernel {

/// A storage operand of a kernel: the packed codes, the scale arrays and
/// the tensor scale, as buffers.
struct KernelOperand {
  ::mx::ref::Format format;
  Value data, pos, neg, g;
};

/// One mx.matmul being lowered to a GPU kernel: its operands, accumulator
/// and result as buffers, the dynamic sizes M and N, and the static K.
struct GPUMatmul {
  MatmulOp op;
  KernelOperand a, b;
  Value accBuf, out, mSize, nSize;
  int64_t kSize = 0, blockSize = 0, nBlocks = 0;
  /// Tensor scales of the operands (null where the format has none).
  Value gA() const { return a.format.tensorScale ? a.g : Value(); }
  Value gB() const { return b.format.tensorScale ? b.g : Value(); }
};

/// The grid of a matmul kernel: thread blocks of `threads` threads, each
/// covering `cols` output columns (grid x) and `rows` output rows (grid y).
struct LaunchShape {
  int64_t cols, rows, threads;
};

/// Replaces the rank-2 `op` (exact mode, static K) by a gpu.launch of
/// `shape` over freshly allocated output, whose body `buildBody` fills, and
/// a tensor of that output.
void lowerMatmulToLaunch(
    RewriterBase &rewriter, MatmulOp op, LaunchShape shape,
    function_ref<void(ImplicitLocOpBuilder &, gpu::LaunchOp, const GPUMatmul &)>
        buildBody);

/// A gpu.launch of a (`gridX`, `gridY`) grid of `threads`-thread blocks
/// whose body `buildBody` fills.
gpu::LaunchOp buildLaunch(
    ImplicitLocOpBuilder &b, Value gridX, Value gridY, int64_t threads,
    function_ref<void(ImplicitLocOpBuilder &, gpu::LaunchOp)> buildBody);

/// The quantization (docs/Spec.md §2) of one element per lane, the lanes of
/// a block consecutive and aligned in the warp (the block size divides 32):
/// the block statistics reduced over the block's lanes with shuffles (max
/// and or do not depend on the order), the scale code of every sign group
/// and the lane's element code (0 where `valid` is false; `v` must be 0
/// there). `g` is NVFP4's tensor scale (null for other formats). The scalar
/// steps are those of convert-mx-to-linalg.
struct LaneQuantization {
  SmallVector<Value> scaleCodes;
  Value code;
};
LaneQuantization quantizeLane(ImplicitLocOpBuilder &b,
                              const ::mx::ref::Format &f, Value v, Value valid,
                              Value g = Value());

/// `v` as a read-only buffer of any strided layout.
Value readBuffer(ImplicitLocOpBuilder &b, Value v);
/// Lane (within its warp / wave of `lanes`) and the origin (m0, n0) of its
/// `tileM`-row tile of `tileN` columns: thread blocks along y cover rows,
/// along x `tilesPerBlock` tiles side by side.
void laneTile(ImplicitLocOpBuilder &b, gpu::LaunchOp launch, int64_t lanes,
              int64_t tileM, int64_t tileN, int64_t tilesPerBlock, Value &lane,
              Value &m0, Value &n0);

/// x < bound (unsigned).
Value ltU(ImplicitLocOpBuilder &b, Value x, Value bound);
/// x && y, where a null condition is true.
Value andOpt(ImplicitLocOpBuilder &b, Value x, Value y);
/// x clamped to [0, bound): the address of a masked position.
Value clampIdx(ImplicitLocOpBuilder &b, Value x, Value bound);
/// Whether an E2M1 / FP4 `code` (i32) has its sign bit set.
Value isNegativeCode(ImplicitLocOpBuilder &b, Value code);
/// The code itself, or for an asymmetric operand its + and - parts (§6.1):
/// the code where its sign matches, else 0 (the code of +0).
SmallVector<Value> splitBySign(ImplicitLocOpBuilder &b, Value code, bool asym);
/// Position `k` of a chunk: with `partial` (K = `kSize` not a multiple of
/// the chunk), `valid` also requires k < K and the address is clamped.
Value maskK(ImplicitLocOpBuilder &b, Value k, int64_t kSize, bool partial,
            Value &valid);
/// The scales per 64 positions of the native block-scaled MMAs for `f`: 2
/// for E8M0 scales with a block size that is a multiple of 32, else 4.
int64_t nativeScaleVec(const ::mx::ref::Format &f);
/// The scale operand of a native block-scaled MMA for the 64 positions from
/// `k0`: byte j is the scale code of positions [k0 + j·64/sv, + 64/sv) of
/// row (A: `scales`[index, block]) or column (B: `scales`[block, index])
/// `index`, the code of 1.0 past the last of `nBlocks` blocks.
Value packedScaleCodes(ImplicitLocOpBuilder &b, Value scales, Value k0,
                       Value index, bool ofA, const ::mx::ref::Format &f,
                       int64_t nBlocks);
/// Stores fin(acc[m, n] + r · gA · gB) to out[m, n] where mValid && nValid:
/// `r` is an f32 sum before the tensor scales `gA` and `gB` (null if the
/// format has none), `fin` the conversion to the element type of `out`.
void storeResult(ImplicitLocOpBuilder &b, Value r, Value acc, Value out,
                 Value gA, Value gB, Value m, Value mValid, Value n,
                 Value nValid);
/// storeResult into the output of `mm`, with its accumulator and tensor
/// scales.
void storeResult(ImplicitLocOpBuilder &b, const GPUMatmul &mm, Value r, Value m,
                 Value mValid, Value n, Value nValid);

} // namespace kernel
} // namespace mx
} // namespace mlir

#endif // MX_CONVERSION_MXCOMMON_GPUKERNELUTILS_H
