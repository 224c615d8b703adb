//===- StorageAccess.h - Storage parts of quantized values ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Helpers shared by every mx lowering (the generic linalg lowering, the
// x86 and GPU kernels): the storage parts of a `!mx.qtensor` (docs/Spec.md
// §7) as mx.unpack yields them, reading element and scale codes from those
// parts, and exact conversions between f32 and the other float types of
// results and accumulators.
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MX_UTILS_STORAGEACCESS_H
#define MX_DIALECT_MX_UTILS_STORAGEACCESS_H

#include "mx/Dialect/MX/IR/MXOps.h"
#include "mx/Dialect/MX/Utils/NumericBuilder.h"

namespace mlir::mx {

/// The storage parts of a quantized value, with its format.
struct Parts {
  ::mx::ref::Format format;
  QTensorType type;
  Value data, pos, neg, g;
};

/// mx.unpack of `q`, at the builder's insertion point.
Parts unpack(ImplicitLocOpBuilder &b, Value q);

/// The element code (i32) at logical index `idx` of packed `data` (a tensor
/// or a memref).
Value fetchCode(ImplicitLocOpBuilder &b, NumericBuilder &nb,
                const ::mx::ref::Format &f, Value data, ArrayRef<Value> idx);

/// The FP4 code (i32) in nibble `which` (0 low, 1 high; i32) of the byte at
/// `idx` of packed `data` (a memref), or 0 where `valid` (if not null) is
/// false: fetchCode with the byte address and nibble already split, as the
/// GPU kernels hoist them.
Value fetchNibble(ImplicitLocOpBuilder &b, Value data, ArrayRef<Value> idx,
                  Value which, Value valid);

/// The scale code (i32) at `idx` of a scale array (an f8 tensor or memref).
Value fetchScaleCode(ImplicitLocOpBuilder &b, Value scales,
                     ArrayRef<Value> idx);

/// `v` (a float scalar or vector) as f32 of the same shape: exact extension
/// from f16/bf16, RNE truncation from f64.
Value toF32(ImplicitLocOpBuilder &b, Value v);

/// f32 `v` (scalar or vector) converted to element type `t` (RNE).
Value fromF32(ImplicitLocOpBuilder &b, Value v, Type t);

} // namespace mlir::mx

#endif // MX_DIALECT_MX_UTILS_STORAGEACCESS_H
