//===- QuantizeScalar.h - The quantization steps of one block ---*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// docs/Spec.md §2 as scalar IR builders, shared by every lowering of
// mx.quantize: the linalg lowering (convert-mx-to-linalg) and the fused GPU
// kernels (the decode activation kernel). One owner for the numerics of
// scale selection and element encoding.
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MX_UTILS_QUANTIZESCALAR_H
#define MX_DIALECT_MX_UTILS_QUANTIZESCALAR_H

#include "mx/Dialect/MX/Utils/NumericBuilder.h"

namespace mlir::mx {

/// The running block statistics of §2.1/§2.2 after one more value `v` (f32;
/// 0 for a position past the end): `stats` holds amax (symmetric) or P and
/// N (asymmetric), then the NaN/Inf flag (i1).
SmallVector<Value> accumulateBlockStatistics(ImplicitLocOpBuilder &b,
                                             const ::mx::ref::Format &f,
                                             Value v, ValueRange stats);
/// The initial statistics: zeros and false.
SmallVector<Value> initialBlockStatistics(ImplicitLocOpBuilder &b,
                                          const ::mx::ref::Format &f);

/// NVFP4's tensor scale g (§2.6) from amax_T = max |x| over the tensor
/// (f32) and whether the tensor holds a NaN or Inf (i1).
Value tensorScaleFromAmax(ImplicitLocOpBuilder &b, Value amax, Value bad);

/// The scale of one sign group of a block (§2.3-§2.6): its code (i32) and
/// the divisor (f32) the elements are divided by. `m` is the group's
/// statistic, `bad` whether the block holds a NaN or Inf, `g` NVFP4's
/// tensor scale (null otherwise).
std::pair<Value, Value> blockScale(ImplicitLocOpBuilder &b,
                                   const ::mx::ref::Format &f, Value m,
                                   Value bad, Value g);

/// The element code (i32) of `v` (f32) in a block with divisor `div` (and,
/// for an asymmetric format, `divNeg` for the non-positive values) (§2.7).
Value elementCode(ImplicitLocOpBuilder &b, const ::mx::ref::Format &f, Value v,
                  Value div, Value divNeg);

} // namespace mlir::mx

#endif // MX_DIALECT_MX_UTILS_QUANTIZESCALAR_H
