//===- ConstantQuantize.cpp - Quantize constants at compile time ----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// `mx.quantize` of an `arith.constant` is evaluated with the reference
// library, which is the definition of the numerics, and replaced by `mx.pack`
// of constant storage parts: packed element bytes, scale codes and the NVFP4
// tensor scale. The result is bit-identical to quantizing at run time.
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MX/IR/MXOps.h"
#include "mx/Dialect/MX/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::mx;
namespace ref = ::mx::ref;

namespace {

struct ConstantQuantize : OpRewritePattern<QuantizeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(QuantizeOp op,
                                PatternRewriter &rewriter) const override {
    DenseElementsAttr input;
    if (!matchPattern(op.getInput(), m_Constant(&input)))
      return rewriter.notifyMatchFailure(op, "input is not a constant");
    QTensorType qt = op.getResult().getType();
    if (!input.getType().hasStaticShape())
      return failure();
    std::optional<float> g;
    if (Value ts = op.getTensorScale()) {
      FloatAttr gAttr;
      if (!matchPattern(ts, m_Constant(&gAttr)))
        return rewriter.notifyMatchFailure(op, "tensor scale not constant");
      g = gAttr.getValue().convertToFloat();
    }
    std::vector<float> data;
    data.reserve(input.getNumElements());
    for (APFloat v : input.getValues<APFloat>()) {
      bool lost = false;
      v.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
      data.push_back(v.convertToFloat());
    }
    ref::Format f = qt.getFormat().getReferenceFormat();
    std::vector<int64_t> shape(qt.getShape().begin(), qt.getShape().end());
    ref::QuantizedTensor q = ref::quantize(f, shape, qt.getAxis(), data.data(), g);
    std::vector<uint8_t> packed = ref::packCodes(f.elem, shape, q.codes);

    Location loc = op.getLoc();
    auto bytesAttr = [&](RankedTensorType t, const std::vector<uint8_t> &v) {
      return DenseElementsAttr::getFromRawBuffer(
          t, ArrayRef<char>(reinterpret_cast<const char *>(v.data()),
                            v.size()));
    };
    Value dataV = arith::ConstantOp::create(
        rewriter, loc, bytesAttr(qt.getDataType(), packed));
    Value pos = arith::ConstantOp::create(
        rewriter, loc, bytesAttr(qt.getScalesType(), q.scales[0]));
    Value neg;
    if (f.asymmetric)
      neg = arith::ConstantOp::create(
          rewriter, loc, bytesAttr(qt.getScalesType(), q.scales[1]));
    Value gV;
    if (f.tensorScale)
      gV = arith::ConstantOp::create(rewriter, loc,
                                     rewriter.getF32FloatAttr(q.tensorScale));
    rewriter.replaceOpWithNewOp<PackOp>(op, qt, dataV, pos, neg, gV);
    return success();
  }
};

} // namespace

void mlir::mx::populateMXConstantQuantizePatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantQuantize>(patterns.getContext());
}
