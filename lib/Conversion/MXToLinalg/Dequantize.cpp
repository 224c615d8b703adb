//===- Dequantize.cpp - Lower mx.dequantize to linalg ---------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::linalg_lowering;
namespace ref = ::mx::ref;

using arith::CmpFPredicate;
using arith::CmpIPredicate;
using utils::IteratorType;

//===----------------------------------------------------------------------===//
// mx.dequantize
//===----------------------------------------------------------------------===//

LogicalResult linalg_lowering::lowerDequantize(RewriterBase &rewriter,
                                               DequantizeOp op) {
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  b.setInsertionPoint(op);
  NumericBuilder nb(b);
  Parts p = unpack(b, op.getInput());
  auto rt = cast<RankedTensorType>(op.getResult().getType());
  unsigned rank = rt.getRank(), axis = p.type.getAxis();
  int64_t bs = p.format.blockSize;
  SmallVector<Value> sizes;
  for (unsigned d = 0; d < rank; ++d) {
    Value s = logicalDim(b, op.getInput(), p, d);
    if (!s)
      return op.emitOpError("cannot recover the dynamic innermost size of a "
                            "packed FP4 tensor; give it a static size or "
                            "dequantize the mx.quantize result directly");
    sizes.push_back(s);
  }
  Value out0 = emptyTensor(b, rt.getShape(), sizes, rt.getElementType());
  SmallVector<IteratorType> par(rank, IteratorType::parallel);
  auto g = linalg::GenericOp::create(
      b, TypeRange{rt}, ValueRange{}, ValueRange{out0},
      SmallVector<AffineMap>(1, b.getMultiDimIdentityMap(rank)), par,
      [&](OpBuilder &ob, Location loc, ValueRange) {
        ImplicitLocOpBuilder lb(loc, ob);
        NumericBuilder ln(lb);
        SmallVector<Value> idx = loopIndices(lb, rank);
        SmallVector<Value> sidx(idx);
        sidx[axis] = arith::DivUIOp::create(lb, sidx[axis], ln.index(bs));
        Value y = dequantValue(lb, ln, p, idx, sidx);
        linalg::YieldOp::create(
            lb, ValueRange{fromF32(lb, y, rt.getElementType())});
      });
  rewriter.replaceOp(op, g.getResult(0));
  return success();
}
