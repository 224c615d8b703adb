//===- NumericBuilder.h - IR builders for the spec numerics -----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Scalar arith/math IR that computes exactly what mx::ref computes: element
// encode (round_F of docs/Spec.md §1.7) and decode, scale codes and values,
// the exact i128 block sums and their single rounding to f32. The builders
// work on scalars, so they can be used inside linalg.generic bodies and
// loops; decodeScaleVector is the lane-wise form for the vector kernels.
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MX_UTILS_NUMERICBUILDER_H
#define MX_DIALECT_MX_UTILS_NUMERICBUILDER_H

#include "mx/Reference/MXReference.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::mx {

class NumericBuilder {
public:
  explicit NumericBuilder(ImplicitLocOpBuilder &b) : b(b) {}

  Value i1(bool v);
  Value i32(int64_t v);
  Value i64(int64_t v);
  Value i128(int64_t v);
  Value f32(float v);
  Value index(int64_t v);

  /// The f32 bit pattern of `v` as i32.
  Value bits(Value f32Value);
  /// The f32 with bit pattern `bits` (i32).
  Value fromBits(Value i32Bits);
  /// 1 if the sign bit of f32 `v` is set (i32).
  Value signBit(Value f32Value);
  /// |v| by clearing the sign bit (no libm/libdevice call).
  Value abs(Value f32Value);
  /// Whether f32 `v` is finite (i1).
  Value isFinite(Value f32Value);
  /// Whether f32 `v` is NaN (i1).
  Value isNaN(Value f32Value);

  /// Code (i32, in the low bits) of round_F(v, mode) for an f32 `v` that is
  /// not NaN: saturating, signed zero kept (INT8: +0, two's complement byte).
  Value encode(::mx::ref::ElemKind kind, ::mx::ref::Rounding mode, Value v);
  /// Code (i32) of the signed zero of f32 `x` (INT8: 0).
  Value signedZeroCode(::mx::ref::ElemKind kind, Value x);
  /// f32 value of an element code (i32; only the format's low bits are used).
  Value decode(::mx::ref::ElemKind kind, Value code);
  /// f32 value of a scale code (i32, 0..255): E8M0 2^(c-127) / NaN, FP8 as
  /// decoded.
  Value decodeScale(::mx::ref::ScaleKind kind, Value code);
  /// decodeScale lane by lane: the f32 values (vector<N x f32>) of N scale
  /// codes (vector<N x i8>), for the vector kernels.
  Value decodeScaleVector(::mx::ref::ScaleKind kind, Value codes);
  /// A constant vector of type `t` with every element `v`.
  Value splat(VectorType t, int64_t v);
  /// A constant vector<n x f32> with every element `v`.
  Value splatF32(int64_t n, float v);
  /// E8M0 code (i32) of §2.3 for a finite f32 block maximum >= 0.
  Value e8m0Code(::mx::ref::ElemKind elem, ::mx::ref::ScaleRule rule,
                 Value amax);
  /// Element value (f32, finite) in units of 2^-16, as i128.
  Value units(Value value);
  /// fp32 of an exact sum `s` (i128) in units of 2^-32 (RNE).
  Value sumToF32(Value s);
  /// arith.select shorthand.
  Value select(Value cond, Value a, Value c);

private:
  ImplicitLocOpBuilder &b;
};

} // namespace mlir::mx

#endif // MX_DIALECT_MX_UTILS_NUMERICBUILDER_H
