//===- KernelUtils.h - Pieces shared by the GPU matmul kernels --*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Index arithmetic, FP4 code handling and the result store shared by the
// GPU matmul kernel generators (MatmulMMA.cpp, Tcgen05.cpp). Internal to
// the MXToGPU library.
//
//===----------------------------------------------------------------------===//

#ifndef MX_LIB_CONVERSION_MXTOGPU_KERNELUTILS_H
#define MX_LIB_CONVERSION_MXTOGPU_KERNELUTILS_H

#include "mx/Reference/MXReference.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Support/LLVM.h"

namespace mlir {
class RewriterBase;
namespace mx {
class NVVMTcgen05MatmulOp;
namespace kernel {

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
/// The nibble `which` (0 low, 1 high; i32) of the byte at `idx` of `data`,
/// or 0 where `valid` (if not null) is false.
Value nibble(ImplicitLocOpBuilder &b, Value data, ArrayRef<Value> idx,
             Value which, Value valid);
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

/// Expands `op` into the sm_100a kernel body (tensor memory, tcgen05.mma
/// block_scale); fails with an error if it is not inside a gpu.launch or a
/// gpu.func.
LogicalResult expandTcgen05Matmul(RewriterBase &rewriter,
                                  NVVMTcgen05MatmulOp op);

} // namespace kernel
} // namespace mx
} // namespace mlir

#endif // MX_LIB_CONVERSION_MXTOGPU_KERNELUTILS_H
