//===- StorageAccess.cpp - Storage parts of quantized values --------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MX/Utils/StorageAccess.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::mx;
namespace ref = ::mx::ref;

Parts mlir::mx::unpack(ImplicitLocOpBuilder &b, Value q) {
  auto u = UnpackOp::create(b, q);
  Parts p;
  p.type = cast<QTensorType>(q.getType());
  p.format = p.type.getFormat().getReferenceFormat();
  p.data = u.getData();
  p.pos = u.getScales();
  p.neg = u.getNegScales();
  p.g = u.getTensorScale();
  return p;
}

/// The element at `idx` of a ranked tensor or memref.
static Value extractAt(ImplicitLocOpBuilder &b, Value array,
                       ArrayRef<Value> idx) {
  if (isa<MemRefType>(array.getType()))
    return memref::LoadOp::create(b, array, idx);
  return tensor::ExtractOp::create(b, array, idx);
}

Value mlir::mx::fetchCode(ImplicitLocOpBuilder &b, NumericBuilder &nb,
                          const ref::Format &f, Value data,
                          ArrayRef<Value> idx) {
  SmallVector<Value> at(idx);
  Value shiftAmt;
  if (f.elem == ref::ElemKind::E2M1) {
    Value last = idx.back();
    at.back() = arith::ShRUIOp::create(b, last, nb.index(1));
    Value nib = arith::AndIOp::create(b, last, nb.index(1));
    shiftAmt = arith::MulIOp::create(
        b, arith::IndexCastOp::create(b, b.getI32Type(), nib), nb.i32(4));
  }
  Value byte = extractAt(b, data, at);
  Value c = arith::ExtUIOp::create(b, b.getI32Type(), byte);
  if (f.elem == ref::ElemKind::E2M1)
    return arith::AndIOp::create(b, arith::ShRUIOp::create(b, c, shiftAmt),
                                 nb.i32(0xF));
  if (f.elem == ref::ElemKind::E2M3 || f.elem == ref::ElemKind::E3M2)
    return arith::AndIOp::create(b, c, nb.i32(0x3F));
  return c;
}

Value mlir::mx::fetchNibble(ImplicitLocOpBuilder &b, Value data,
                            ArrayRef<Value> idx, Value which, Value valid) {
  NumericBuilder nb(b);
  Value byte = memref::LoadOp::create(b, data, idx);
  Value c = arith::ExtUIOp::create(b, b.getI32Type(), byte);
  c = arith::AndIOp::create(
      b,
      arith::ShRUIOp::create(b, c, arith::MulIOp::create(b, which, nb.i32(4))),
      nb.i32(0xF));
  return valid ? Value(arith::SelectOp::create(b, valid, c, nb.i32(0))) : c;
}

Value mlir::mx::fetchScaleCode(ImplicitLocOpBuilder &b, Value scales,
                               ArrayRef<Value> idx) {
  Value s = extractAt(b, scales, idx);
  Value i = arith::BitcastOp::create(b, b.getI8Type(), s);
  return arith::ExtUIOp::create(b, b.getI32Type(), i);
}

/// `t` with element type `elem` (vectors keep their shape).
static Type withElementType(Type t, Type elem) {
  if (auto v = dyn_cast<VectorType>(t))
    return v.clone(elem);
  return elem;
}

Value mlir::mx::toF32(ImplicitLocOpBuilder &b, Value v) {
  Type f32 = b.getF32Type();
  Type elem = getElementTypeOrSelf(v.getType());
  if (elem == f32)
    return v;
  Type t = withElementType(v.getType(), f32);
  if (cast<FloatType>(elem).getWidth() < 32)
    return arith::ExtFOp::create(b, t, v, /*fastmath=*/nullptr);
  return arith::TruncFOp::create(b, t, v, /*roundingmode=*/nullptr,
                                 /*fastmath=*/nullptr);
}

Value mlir::mx::fromF32(ImplicitLocOpBuilder &b, Value v, Type elem) {
  if (elem == getElementTypeOrSelf(v.getType()))
    return v;
  Type t = withElementType(v.getType(), elem);
  if (cast<FloatType>(elem).getWidth() < 32)
    return arith::TruncFOp::create(b, t, v, /*roundingmode=*/nullptr,
                                   /*fastmath=*/nullptr);
  return arith::ExtFOp::create(b, t, v, /*fastmath=*/nullptr);
}
