//===- MXNVVMDialect.cpp - NVIDIA kernel primitives of mx-mlir ------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MXNVVM/IR/MXNVVMDialect.h"

#include "mx/Dialect/MXNVVM/Utils/GEMVLayout.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::nvvm;

#include "mx/Dialect/MXNVVM/IR/MXNVVMDialect.cpp.inc"

void MXNVVMDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mx/Dialect/MXNVVM/IR/MXNVVM.cpp.inc"
      >();
}

LogicalResult MmaBlockScaleOp::verify() {
  if (getScaleVec() != 2 && getScaleVec() != 4)
    return emitOpError("scale_vec must be 2 or 4, got ") << getScaleVec();
  if (getUe4m3() && getScaleVec() != 4)
    return emitOpError("ue4m3 scales need scale_vec = 4 (one scale per 16 "
                       "positions)");
  return success();
}

LogicalResult Tcgen05MatmulOp::verify() {
  ::mx::ref::Format fa = getLhsFormat().getReferenceFormat();
  ::mx::ref::Format fb = getRhsFormat().getReferenceFormat();
  for (auto [name, f] :
       {std::pair<StringRef, const ::mx::ref::Format &>{"lhs", fa},
        {"rhs", fb}}) {
    if (f.elem != ::mx::ref::ElemKind::E2M1)
      return emitOpError(name) << " elements must be E2M1 (FP4)";
    if (f.scale == ::mx::ref::ScaleKind::E5M2)
      return emitOpError(name)
             << " scales must be E8M0 or E4M3 (the tensor core takes ue8m0 "
                "or ue4m3), got E5M2";
  }
  if (fa.scale != fb.scale)
    return emitOpError("lhs and rhs scales must have the same format");
  if (fa.blockSize != fb.blockSize || fa.blockSize % 16 != 0)
    return emitOpError("lhs and rhs must have the same block size, a "
                       "multiple of 16");
  const int64_t k = static_cast<int64_t>(getK());
  if (k < 1)
    return emitOpError("k must be positive, got ") << k;
  auto check = [&](StringRef name, const ::mx::ref::Format &f, Value neg,
                   Value g, FormatAttr attr, Value pos) -> LogicalResult {
    if (f.asymmetric != static_cast<bool>(neg))
      return emitOpError(name)
             << (f.asymmetric ? " format is asymmetric: its negative "
                                "scales are required"
                              : " format is symmetric: no negative "
                                "scales expected");
    if (f.tensorScale != static_cast<bool>(g))
      return emitOpError(name)
             << (f.tensorScale ? " format needs its tensor scale"
                               : " format has no tensor scale");
    for (Value scales : {pos, neg}) {
      if (!scales)
        continue;
      Type t = cast<MemRefType>(scales.getType()).getElementType();
      if (t != attr.getScaleType())
        return emitOpError(name) << " scales must be " << attr.getScaleType()
                                 << " for " << attr << ", got " << t;
    }
    return success();
  };
  if (failed(check("lhs", fa, getLhsNegScales(), getLhsTensorScale(),
                   getLhsFormat(), getLhsScales())) ||
      failed(check("rhs", fb, getRhsNegScales(), getRhsTensorScale(),
                   getRhsFormat(), getRhsScales())))
    return failure();
  int64_t kBytes = (k + 1) / 2;
  auto lhsT = cast<MemRefType>(getLhs().getType());
  if (!ShapedType::isDynamic(lhsT.getDimSize(1)) &&
      lhsT.getDimSize(1) != kBytes)
    return emitOpError("lhs must have ")
           << kBytes << " bytes of codes a row for k = " << k << ", got "
           << lhsT.getDimSize(1);
  auto rhsT = cast<MemRefType>(getRhs().getType());
  if (!ShapedType::isDynamic(rhsT.getDimSize(0)) && rhsT.getDimSize(0) != k)
    return emitOpError("rhs must have k = ")
           << k << " rows, got " << rhsT.getDimSize(0);
  if (getAcc().getType().getShape() != getOut().getType().getShape() ||
      getAcc().getType().getElementType() !=
          getOut().getType().getElementType())
    return emitOpError("acc and out must have the same shape and element "
                       "type");
  return success();
}

#define GET_OP_CLASSES
#include "mx/Dialect/MXNVVM/IR/MXNVVM.cpp.inc"

/// Checks that `t` can be stored in the GEMV layout and that the byte
/// arrays have its sizes.
static LogicalResult verifyGEMVLayout(Operation *op, QTensorType t,
                                      RankedTensorType codes,
                                      RankedTensorType scales) {
  ::mx::ref::Format f = t.getFormat().getReferenceFormat();
  if (t.getRank() != 2 || t.getAxis() != 0)
    return op->emitOpError("the weight must be rank 2 and blocked along axis "
                           "0 (K), got ")
           << t;
  if (f.elem != ::mx::ref::ElemKind::E2M1 ||
      !GEMVLayout::supportsBlockSize(f.blockSize))
    return op->emitOpError("the GEMV layout holds E2M1 (FP4) weights with "
                           "block size 16 or 32, got ")
           << t.getFormat();
  if (ShapedType::isDynamic(t.getShape()[0]) ||
      ShapedType::isDynamic(t.getShape()[1]))
    return op->emitOpError("the weight shape must be static, got ") << t;
  GEMVLayout l(t.getShape()[0], t.getShape()[1], f.blockSize,
               f.asymmetric ? 2 : 1);
  if (codes.getDimSize(0) != l.codeBytes())
    return op->emitOpError("codes must have ")
           << l.codeBytes() << " bytes for " << t << ", got " << codes;
  if (scales.getDimSize(0) != l.scaleBytes())
    return op->emitOpError("scales must have ")
           << l.scaleBytes() << " bytes for " << t << ", got " << scales;
  return success();
}

LogicalResult GEMVWeightOp::verify() {
  QTensorType t = getResult().getType();
  if (t.hasTensorScale() != static_cast<bool>(getTensorScale()))
    return emitOpError(t.hasTensorScale() ? "the format needs its tensor scale"
                                          : "the format has no tensor scale");
  return verifyGEMVLayout(*this, t, getCodes().getType(),
                          getScales().getType());
}

LogicalResult ToGEMVLayoutOp::verify() {
  return verifyGEMVLayout(*this, getWeight().getType(), getCodes().getType(),
                          getScales().getType());
}
