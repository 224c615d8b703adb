//===- MXOps.cpp - MX dialect operations ----------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MX/IR/MXOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::mx;

#define GET_OP_CLASSES
#include "mx/Dialect/MX/IR/MXOps.cpp.inc"

namespace {
/// A shape as `4x?x8`, for diagnostics.
std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s;
  for (int64_t x : shape) {
    if (!s.empty())
      s += "x";
    s += ShapedType::isDynamic(x) ? std::string("?") : std::to_string(x);
  }
  return s;
}

bool sameDim(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}
} // namespace

//===----------------------------------------------------------------------===//
// QuantizeOp / DequantizeOp
//===----------------------------------------------------------------------===//

LogicalResult QuantizeOp::verify() {
  auto in = dyn_cast<RankedTensorType>(getInput().getType());
  if (!in)
    return emitOpError("expects a ranked input tensor");
  QTensorType q = getResult().getType();
  if (in.getShape() != q.getShape())
    return emitOpError("input shape ")
           << shapeStr(in.getShape()) << " does not match the quantized shape "
           << shapeStr(q.getShape());
  if (getTensorScale() && !q.hasTensorScale())
    return emitOpError("tensor_scale requires a format with a per-tensor "
                       "scale (nvfp4), got ")
           << q.getFormat();
  return success();
}

LogicalResult DequantizeOp::verify() {
  auto out = dyn_cast<RankedTensorType>(getResult().getType());
  if (!out)
    return emitOpError("expects a ranked result tensor");
  QTensorType q = getInput().getType();
  if (out.getShape() != q.getShape())
    return emitOpError("result shape ")
           << shapeStr(out.getShape()) << " does not match the quantized shape "
           << shapeStr(q.getShape());
  return success();
}

//===----------------------------------------------------------------------===//
// BlockMacOp
//===----------------------------------------------------------------------===//

LogicalResult BlockMacOp::verify() {
  QTensorType lhs = getLhs().getType(), rhs = getRhs().getType();
  for (auto [name, t] : {std::pair<StringRef, QTensorType>{"lhs", lhs},
                         std::pair<StringRef, QTensorType>{"rhs", rhs}}) {
    if (t.getRank() != 1)
      return emitOpError() << name
                           << " must be a 1-D quantized tensor holding one "
                              "block, got rank "
                           << t.getRank();
    int64_t len = t.getShape()[0];
    if (ShapedType::isDynamic(len))
      return emitOpError() << name << " must have a static length";
    if (len > (int64_t)t.getBlockSize())
      return emitOpError() << name << " length " << len
                           << " exceeds its block size " << t.getBlockSize()
                           << "; mx.block_mac takes exactly one block";
  }
  if (lhs.getShape()[0] != rhs.getShape()[0])
    return emitOpError("lhs length ")
           << lhs.getShape()[0] << " does not match rhs length "
           << rhs.getShape()[0];
  if (lhs.getBlockSize() != rhs.getBlockSize())
    return emitOpError("lhs block size ")
           << lhs.getBlockSize() << " does not match rhs block size "
           << rhs.getBlockSize();
  return success();
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::verify() {
  QTensorType lhs = getLhs().getType(), rhs = getRhs().getType();
  int64_t rank = lhs.getRank();
  if (rank != 2 && rank != 3)
    return emitOpError("lhs must be a rank-2 or rank-3 (batched) quantized "
                       "tensor, got rank ")
           << rank;
  if (rhs.getRank() != rank)
    return emitOpError("rhs must have the rank of lhs (")
           << rank << "), got rank " << rhs.getRank();
  int64_t b = rank - 2; // number of batch dimensions (0 or 1)
  if (lhs.getAxis() != (unsigned)(b + 1))
    return emitOpError("lhs must be blocked along axis ")
           << b + 1 << " (K), got axis " << lhs.getAxis();
  if (rhs.getAxis() != (unsigned)b)
    return emitOpError("rhs must be blocked along axis ")
           << b << " (K), got axis " << rhs.getAxis();
  ArrayRef<int64_t> ls = lhs.getShape(), rs = rhs.getShape();
  if (b && !sameDim(ls[0], rs[0]))
    return emitOpError("lhs batch size (")
           << ls[0] << ") does not match rhs batch size (" << rs[0] << ")";
  int64_t m = ls[b], k = ls[b + 1], kr = rs[b], n = rs[b + 1];
  if (!sameDim(k, kr))
    return emitOpError("lhs K (")
           << k << ") does not match rhs K (" << kr << ")";
  if (lhs.getBlockSize() != rhs.getBlockSize())
    return emitOpError("lhs block size ")
           << lhs.getBlockSize() << " does not match rhs block size "
           << rhs.getBlockSize() << "; both operands must be blocked alike "
           << "along K";
  auto acc = cast<RankedTensorType>(getAcc().getType());
  if (acc.getRank() != rank)
    return emitOpError("expected a rank-")
           << rank << " accumulator, got rank " << acc.getRank();
  if (b && !sameDim(acc.getShape()[0], ls[0]))
    return emitOpError("accumulator dimension 0 (")
           << acc.getShape()[0] << ") does not match the batch size (" << ls[0]
           << ")";
  if (!sameDim(acc.getShape()[b], m))
    return emitOpError("accumulator dimension ")
           << b << " (" << acc.getShape()[b] << ") does not match lhs M (" << m
           << ")";
  if (!sameDim(acc.getShape()[b + 1], n))
    return emitOpError("accumulator dimension ")
           << b + 1 << " (" << acc.getShape()[b + 1]
           << ") does not match rhs N (" << n << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// PackOp / UnpackOp
//===----------------------------------------------------------------------===//

/// Checks the raw parts of a quantized tensor against its type.
static LogicalResult verifyParts(Operation *op, QTensorType q, Type data,
                                 Type scales, Type negScales, bool hasG) {
  if (data != q.getDataType())
    return op->emitOpError("expected element codes of type ")
           << q.getDataType() << " for " << q << ", got " << data;
  if (scales != q.getScalesType())
    return op->emitOpError("expected scales of type ")
           << q.getScalesType() << " for " << q << ", got " << scales;
  FormatAttr f = q.getFormat();
  if (f.getAsymmetric() && !negScales)
    return op->emitOpError("format ")
           << f << " has two scale arrays: neg_scales is required";
  if (!f.getAsymmetric() && negScales)
    return op->emitOpError("neg_scales is only valid for asymmetric formats, "
                           "got ")
           << f;
  if (negScales && negScales != q.getScalesType())
    return op->emitOpError("expected neg_scales of type ")
           << q.getScalesType() << ", got " << negScales;
  if (f.getTensorScale() && !hasG)
    return op->emitOpError("format ") << f << " requires a tensor_scale";
  if (!f.getTensorScale() && hasG)
    return op->emitOpError("tensor_scale is only valid for formats with a "
                           "per-tensor scale (nvfp4), got ")
           << f;
  return success();
}

LogicalResult PackOp::verify() {
  return verifyParts(*this, getResult().getType(), getData().getType(),
                     getScales().getType(),
                     getNegScales() ? getNegScales().getType() : Type(),
                     static_cast<bool>(getTensorScale()));
}

OpFoldResult PackOp::fold(FoldAdaptor) {
  // pack(unpack(q)) -> q: the bytes are carried unchanged both ways.
  auto unpack = getData().getDefiningOp<UnpackOp>();
  if (!unpack || unpack.getInput().getType() != getResult().getType())
    return {};
  if (getScales() != unpack.getScales() ||
      getNegScales() != unpack.getNegScales() ||
      getTensorScale() != unpack.getTensorScale())
    return {};
  return unpack.getInput();
}

LogicalResult UnpackOp::verify() {
  return verifyParts(*this, getInput().getType(), getData().getType(),
                     getScales().getType(),
                     getNegScales() ? getNegScales().getType() : Type(),
                     static_cast<bool>(getTensorScale()));
}

LogicalResult UnpackOp::fold(FoldAdaptor, SmallVectorImpl<OpFoldResult> &out) {
  // unpack(pack(parts)) -> parts.
  auto pack = getInput().getDefiningOp<PackOp>();
  if (!pack)
    return failure();
  out.push_back(pack.getData());
  out.push_back(pack.getScales());
  if (pack.getNegScales())
    out.push_back(pack.getNegScales());
  if (pack.getTensorScale())
    out.push_back(pack.getTensorScale());
  return success();
}

/// Result types of `mx.unpack` for `q` and the result segment sizes.
static void inferUnpackResults(QTensorType q, SmallVectorImpl<Type> &types,
                               std::array<int32_t, 4> &segments) {
  types.push_back(q.getDataType());
  types.push_back(q.getScalesType());
  segments = {1, 1, 0, 0};
  if (q.getFormat().getAsymmetric()) {
    types.push_back(q.getScalesType());
    segments[2] = 1;
  }
  if (q.hasTensorScale()) {
    types.push_back(Float32Type::get(q.getContext()));
    segments[3] = 1;
  }
}

void UnpackOp::build(OpBuilder &builder, OperationState &state, Value input) {
  state.addOperands(input);
  SmallVector<Type> types;
  std::array<int32_t, 4> segments;
  inferUnpackResults(cast<QTensorType>(input.getType()), types, segments);
  state.addTypes(types);
  llvm::copy(segments,
             state.getOrAddProperties<Properties>().resultSegmentSizes.begin());
}

ParseResult UnpackOp::parse(OpAsmParser &parser, OperationState &state) {
  OpAsmParser::UnresolvedOperand input;
  QTensorType type;
  if (parser.parseOperand(input) ||
      parser.parseOptionalAttrDict(state.attributes) || parser.parseColon() ||
      parser.parseType(type) ||
      parser.resolveOperand(input, type, state.operands))
    return failure();
  SmallVector<Type> types;
  std::array<int32_t, 4> segments;
  inferUnpackResults(type, types, segments);
  state.addTypes(types);
  llvm::copy(segments,
             state.getOrAddProperties<Properties>().resultSegmentSizes.begin());
  return success();
}

void UnpackOp::print(OpAsmPrinter &p) {
  p << ' ' << getInput();
  p.printOptionalAttrDict((*this)->getAttrs(), {"resultSegmentSizes"});
  p << " : " << getInput().getType();
}
