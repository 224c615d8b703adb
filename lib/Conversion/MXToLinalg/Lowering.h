//===- Lowering.h - Pieces of the mx-to-linalg lowering ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Internal to the MXToLinalg library: the tensor helpers shared by the op
// families, and one lowering entry point per family (Quantize.cpp,
// Dequantize.cpp, Matmul.cpp); MXToLinalg.cpp orders and drives them.
//
//===----------------------------------------------------------------------===//

#ifndef MX_LIB_CONVERSION_MXTOLINALG_LOWERING_H
#define MX_LIB_CONVERSION_MXTOLINALG_LOWERING_H

#include "mx/Dialect/MX/IR/MXOps.h"
#include "mx/Dialect/MX/Utils/NumericBuilder.h"
#include "mx/Dialect/MX/Utils/StorageAccess.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::mx::linalg_lowering {

/// Size of dimension `d` of a ranked tensor (a constant if static).
Value dimOf(ImplicitLocOpBuilder &b, Value tensor, int64_t d);
/// tensor.empty of `shape` (dynamic sizes from `sizes`).
Value emptyTensor(ImplicitLocOpBuilder &b, ArrayRef<int64_t> shape,
                  ArrayRef<Value> sizes, Type elem);
/// A tensor of `shape` filled with `v`.
Value filled(ImplicitLocOpBuilder &b, ArrayRef<int64_t> shape,
             ArrayRef<Value> sizes, Value v);
/// linalg.index 0 .. n-1.
SmallVector<Value> loopIndices(ImplicitLocOpBuilder &b, unsigned n);
/// The dequantized f32 value (Spec §2.7) of element `idx` whose block has
/// scale index `sidx`.
Value dequantValue(ImplicitLocOpBuilder &b, NumericBuilder &nb, const Parts &p,
                   ArrayRef<Value> idx, ArrayRef<Value> sidx);
/// The logical size of dimension `d` of quantized value `q`, or null if it
/// cannot be recovered (the dynamic innermost size of packed FP4 storage).
Value logicalDim(ImplicitLocOpBuilder &b, Value q, const Parts &p, int64_t d);

/// The lowering of each op family: replaces `op` by tensor-level code.
LogicalResult lowerQuantize(RewriterBase &rewriter, QuantizeOp op);
LogicalResult lowerDequantize(RewriterBase &rewriter, DequantizeOp op);
LogicalResult lowerMatmul(RewriterBase &rewriter, MatmulOp op);
LogicalResult lowerBlockMac(RewriterBase &rewriter, BlockMacOp op);

} // namespace mlir::mx::linalg_lowering

#endif // MX_LIB_CONVERSION_MXTOLINALG_LOWERING_H
