//===- LoweringUtils.cpp - Tensor helpers of the mx-to-linalg lowering ----===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::linalg_lowering;
namespace ref = ::mx::ref;

using arith::CmpFPredicate;
using arith::CmpIPredicate;
using utils::IteratorType;

Value linalg_lowering::dimOf(ImplicitLocOpBuilder &b, Value tensor, int64_t d) {
  auto t = cast<RankedTensorType>(tensor.getType());
  if (!t.isDynamicDim(d))
    return arith::ConstantIndexOp::create(b, t.getDimSize(d));
  return tensor::DimOp::create(b, tensor, d);
}

/// A tensor.empty of `shape` (dynamic entries taken from `sizes`).
Value linalg_lowering::emptyTensor(ImplicitLocOpBuilder &b,
                                   ArrayRef<int64_t> shape,
                                   ArrayRef<Value> sizes, Type elemType) {
  SmallVector<Value> dyn;
  for (auto [d, s] : llvm::zip(shape, sizes))
    if (ShapedType::isDynamic(d))
      dyn.push_back(s);
  return tensor::EmptyOp::create(b, shape, elemType, dyn);
}

Value linalg_lowering::filled(ImplicitLocOpBuilder &b, ArrayRef<int64_t> shape,
                              ArrayRef<Value> sizes, Value value) {
  Value e = emptyTensor(b, shape, sizes, value.getType());
  return linalg::FillOp::create(b, ValueRange{value}, ValueRange{e})
      .getResult(0);
}

SmallVector<Value> linalg_lowering::loopIndices(ImplicitLocOpBuilder &b,
                                                unsigned n) {
  SmallVector<Value> idx;
  for (unsigned i = 0; i < n; ++i)
    idx.push_back(linalg::IndexOp::create(b, i));
  return idx;
}

/// The dequantized f32 value (§2.7) of element `idx` whose block has scale
/// index `sidx`.
Value linalg_lowering::dequantValue(ImplicitLocOpBuilder &b, NumericBuilder &nb,
                                    const Parts &p, ArrayRef<Value> idx,
                                    ArrayRef<Value> sidx) {
  const ref::Format &f = p.format;
  Value q = nb.decode(f.elem, fetchCode(b, nb, f, p.data, idx));
  Value sc = fetchScaleCode(b, p.pos, sidx);
  if (f.asymmetric) {
    Value positive =
        arith::CmpFOp::create(b, CmpFPredicate::OGT, q, nb.f32(0.0f));
    sc = nb.select(positive, sc, fetchScaleCode(b, p.neg, sidx));
  }
  Value s = nb.decodeScale(f.scale, sc);
  if (f.tensorScale)
    s = arith::MulFOp::create(b, p.g, s);
  return arith::MulFOp::create(b, q, s);
}

/// The logical size of dimension `d` of quantized value `q`, or null if it
/// cannot be recovered (the dynamic innermost size of packed FP4 storage).
Value linalg_lowering::logicalDim(ImplicitLocOpBuilder &b, Value q,
                                  const Parts &p, int64_t d) {
  QTensorType t = p.type;
  if (!ShapedType::isDynamic(t.getShape()[d]))
    return arith::ConstantIndexOp::create(b, t.getShape()[d]);
  bool packedDim = p.format.elem == ref::ElemKind::E2M1 && d == t.getRank() - 1;
  if (!packedDim)
    return tensor::DimOp::create(b, p.data, d);
  if (auto quant = q.getDefiningOp<QuantizeOp>())
    return tensor::DimOp::create(b, quant.getInput(), d);
  return {};
}
