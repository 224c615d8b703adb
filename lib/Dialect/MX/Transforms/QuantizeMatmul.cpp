//===- QuantizeMatmul.cpp - linalg matmuls to mx.matmul -------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MX/IR/MXOps.h"
#include "mx/Dialect/MX/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/FormatVariadic.h"

namespace mlir::mx {
#define GEN_PASS_DEF_MXQUANTIZEMATMULPASS
#include "mx/Dialect/MX/Transforms/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;
using namespace mlir::mx;
namespace ref = ::mx::ref;

namespace {

/// What the rewrite needs to know about both operands.
struct Formats {
  FormatAttr lhs, rhs;
};

bool isSupportedFloat(Type t) { return t.isF32() || t.isF16() || t.isBF16(); }

/// Why `op` (a linalg contraction on tensors) cannot be rewritten, or "".
std::string unsupportedReason(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics())
    return "operands are not tensors";
  for (OpOperand &o : op->getOpOperands()) {
    auto t = dyn_cast<RankedTensorType>(o.get().getType());
    if (!t)
      return "operands must be ranked tensors";
    if (!isSupportedFloat(t.getElementType()))
      return "element type " + llvm::formatv("{0}", t.getElementType()).str() +
             " is not f32, f16 or bf16";
  }
  return {};
}

Value dimOf(OpBuilder &b, Location loc, Value t, int64_t d) {
  auto tt = cast<RankedTensorType>(t.getType());
  if (!tt.isDynamicDim(d))
    return arith::ConstantIndexOp::create(b, loc, tt.getDimSize(d));
  return tensor::DimOp::create(b, loc, t, d);
}

/// linalg.transpose of a rank-2 tensor.
Value transpose2d(OpBuilder &b, Location loc, Value t) {
  auto tt = cast<RankedTensorType>(t.getType());
  SmallVector<int64_t> shape = {tt.getDimSize(1), tt.getDimSize(0)};
  SmallVector<Value> dyn;
  if (ShapedType::isDynamic(shape[0]))
    dyn.push_back(dimOf(b, loc, t, 1));
  if (ShapedType::isDynamic(shape[1]))
    dyn.push_back(dimOf(b, loc, t, 0));
  Value init = tensor::EmptyOp::create(b, loc, shape, tt.getElementType(), dyn);
  return linalg::TransposeOp::create(b, loc, t, init, ArrayRef<int64_t>{1, 0})
      .getResult()[0];
}

Value quantize(OpBuilder &b, Location loc, Value t, FormatAttr f,
               unsigned axis) {
  auto tt = cast<RankedTensorType>(t.getType());
  auto qt = QTensorType::get(b.getContext(), tt.getShape(), f, axis);
  return QuantizeOp::create(b, loc, qt, t, /*tensor_scale=*/Value());
}

/// Inserts a unit dimension at `pos` of a rank-1 tensor.
Value expand(OpBuilder &b, Location loc, Value t, unsigned pos) {
  auto tt = cast<RankedTensorType>(t.getType());
  SmallVector<int64_t> shape(tt.getShape());
  shape.insert(shape.begin() + pos, 1);
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0, e = shape.size(); d < e; ++d) {
    if (d == (int64_t)pos)
      sizes.push_back(b.getIndexAttr(1));
    else if (ShapedType::isDynamic(shape[d]))
      sizes.push_back(dimOf(b, loc, t, 0));
    else
      sizes.push_back(b.getIndexAttr(shape[d]));
  }
  auto rt = RankedTensorType::get(shape, tt.getElementType());
  SmallVector<ReassociationIndices> reassoc = {{0, 1}};
  return tensor::ExpandShapeOp::create(b, loc, rt, t, reassoc, sizes);
}

Value collapse(OpBuilder &b, Location loc, Value t) {
  SmallVector<ReassociationIndices> reassoc = {{0, 1}};
  return tensor::CollapseShapeOp::create(b, loc, t, reassoc);
}

/// The maps of a plain or transposed linalg.matmul: transA, transB.
std::optional<std::pair<bool, bool>> matmulTransposes(linalg::MatmulOp op) {
  MLIRContext *ctx = op.getContext();
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  AffineExpr m, n, k;
  bindDims(ctx, m, n, k);
  auto map = [&](ArrayRef<AffineExpr> e) {
    return AffineMap::get(3, 0, e, ctx);
  };
  bool transA = maps[0] == map({k, m});
  bool transB = maps[1] == map({n, k});
  if ((!transA && maps[0] != map({m, k})) ||
      (!transB && maps[1] != map({k, n})) || maps[2] != map({m, n}))
    return std::nullopt;
  return std::make_pair(transA, transB);
}

bool isPlainBatchMatmul(linalg::BatchMatmulOp op) {
  MLIRContext *ctx = op.getContext();
  AffineExpr bt, m, n, k;
  bindDims(ctx, bt, m, n, k);
  auto map = [&](ArrayRef<AffineExpr> e) {
    return AffineMap::get(4, 0, e, ctx);
  };
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  return maps[0] == map({bt, m, k}) && maps[1] == map({bt, k, n}) &&
         maps[2] == map({bt, m, n});
}

/// Why a matmul-like op cannot be rewritten ("" if it can); nullopt if it is
/// not a matmul-like op at all.
std::optional<std::string> whyNot(Operation *op) {
  if (!isa<linalg::MatmulOp, linalg::BatchMatmulOp, linalg::MatvecOp,
           linalg::VecmatOp>(op))
    return std::nullopt;
  std::string why = unsupportedReason(cast<linalg::LinalgOp>(op));
  if (!why.empty())
    return why;
  if (auto mm = dyn_cast<linalg::MatmulOp>(op); mm && !matmulTransposes(mm))
    return std::string("indexing maps are not a (possibly transposed) matmul");
  if (auto bm = dyn_cast<linalg::BatchMatmulOp>(op);
      bm && !isPlainBatchMatmul(bm))
    return std::string("indexing maps are not a plain batch matmul");
  return std::string();
}

bool canRewrite(Operation *op) {
  std::optional<std::string> w = whyNot(op);
  return w && w->empty();
}

struct MatmulPattern : OpRewritePattern<linalg::MatmulOp> {
  MatmulPattern(MLIRContext *ctx, Formats f, llvm::Statistic *done)
      : OpRewritePattern(ctx), formats(f), done(done) {}
  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!canRewrite(op))
      return failure();
    auto [transA, transB] = *matmulTransposes(op);
    Location loc = op.getLoc();
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1];
    Value init = op.getDpsInits()[0];
    if (transA)
      a = transpose2d(rewriter, loc, a);
    if (transB)
      b = transpose2d(rewriter, loc, b);
    Value qa = quantize(rewriter, loc, a, formats.lhs, 1);
    Value qb = quantize(rewriter, loc, b, formats.rhs, 0);
    rewriter.replaceOpWithNewOp<MatmulOp>(op, init.getType(), qa, qb, init);
    ++*done;
    return success();
  }
  Formats formats;
  llvm::Statistic *done;
};

struct BatchMatmulPattern : OpRewritePattern<linalg::BatchMatmulOp> {
  BatchMatmulPattern(MLIRContext *ctx, Formats f, llvm::Statistic *done)
      : OpRewritePattern(ctx), formats(f), done(done) {}
  LogicalResult matchAndRewrite(linalg::BatchMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!canRewrite(op))
      return failure();
    Location loc = op.getLoc();
    Value qa = quantize(rewriter, loc, op.getDpsInputs()[0], formats.lhs, 2);
    Value qb = quantize(rewriter, loc, op.getDpsInputs()[1], formats.rhs, 1);
    Value init = op.getDpsInits()[0];
    rewriter.replaceOpWithNewOp<MatmulOp>(op, init.getType(), qa, qb, init);
    ++*done;
    return success();
  }
  Formats formats;
  llvm::Statistic *done;
};

/// linalg.matvec (A[M,K] x[K]) and linalg.vecmat (x[K] B[K,N]) as rank-2
/// matmuls with a unit N or M.
template <typename OpT, bool IsMatvec>
struct VectorPattern : OpRewritePattern<OpT> {
  VectorPattern(MLIRContext *ctx, Formats f, llvm::Statistic *done)
      : OpRewritePattern<OpT>(ctx), formats(f), done(done) {}
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    if (!canRewrite(op))
      return failure();
    Location loc = op.getLoc();
    Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
    Value init = op.getDpsInits()[0];
    Value a, b, acc;
    if (IsMatvec) {
      a = lhs;
      b = expand(rewriter, loc, rhs, 1);    // [K,1]
      acc = expand(rewriter, loc, init, 1); // [M,1]
    } else {
      a = expand(rewriter, loc, lhs, 0); // [1,K]
      b = rhs;
      acc = expand(rewriter, loc, init, 0); // [1,N]
    }
    Value qa = quantize(rewriter, loc, a, formats.lhs, 1);
    Value qb = quantize(rewriter, loc, b, formats.rhs, 0);
    Value r = MatmulOp::create(rewriter, loc, acc.getType(), qa, qb, acc);
    rewriter.replaceOp(op, collapse(rewriter, loc, r));
    ++*done;
    return success();
  }
  Formats formats;
  llvm::Statistic *done;
};

struct MXQuantizeMatmulPass
    : mlir::mx::impl::MXQuantizeMatmulPassBase<MXQuantizeMatmulPass> {
  using Base::Base;

  /// The format of one operand: its preset with the pass's overrides.
  FailureOr<ref::Format> operandFormat(StringRef side, StringRef preset) {
    Operation *root = getOperation();
    std::optional<ref::Format> f = ref::getPreset(preset.str());
    if (!f) {
      std::string names;
      for (std::string_view n : ref::getPresetNames())
        names += (names.empty() ? "" : ", ") + std::string(n);
      return root->emitError("mx-quantize-matmul: unknown ")
             << side << "-format '" << preset << "'; expected one of " << names;
    }
    auto apply = [&](StringRef key, StringRef value) -> LogicalResult {
      std::string err = ref::applyOverride(*f, key.str(), value.str());
      if (!err.empty())
        return root->emitError("mx-quantize-matmul: ")
               << side << "-format '" << preset << "': " << err;
      return success();
    };
    if (!rounding.empty() && failed(apply("rounding", rounding)))
      return failure();
    if (!scaleRule.empty() && failed(apply("scale-rule", scaleRule)))
      return failure();
    if (blockSize != 0 &&
        failed(apply("block-size", std::to_string(blockSize))))
      return failure();
    return *f;
  }

  void runOnOperation() override {
    Operation *root = getOperation();
    MLIRContext *ctx = &getContext();
    FailureOr<ref::Format> fa = operandFormat("lhs", lhsFormat);
    FailureOr<ref::Format> fb = operandFormat("rhs", rhsFormat);
    if (failed(fa) || failed(fb))
      return signalPassFailure();
    if (fa->blockSize != fb->blockSize) {
      root->emitError("mx-quantize-matmul: lhs-format '")
          << lhsFormat << "' has block size " << fa->blockSize
          << " but rhs-format '" << rhsFormat << "' has block size "
          << fb->blockSize
          << "; docs/Spec.md §5 needs the same block size along K (set "
             "block-size)";
      return signalPassFailure();
    }
    Formats formats{FormatAttr::get(ctx, *fa), FormatAttr::get(ctx, *fb)};
    // Ops left unchanged are counted and, with report=true, explained.
    root->walk([&](Operation *op) {
      std::optional<std::string> why = whyNot(op);
      if (!why || why->empty())
        return;
      ++numSkipped;
      if (report)
        op->emitRemark("mx-quantize-matmul: not quantized: ") << *why;
    });

    RewritePatternSet patterns(ctx);
    patterns.add<MatmulPattern, BatchMatmulPattern,
                 VectorPattern<linalg::MatvecOp, true>,
                 VectorPattern<linalg::VecmatOp, false>>(ctx, formats,
                                                         &numRewritten);
    if (foldConstants)
      populateMXConstantQuantizePatterns(patterns);
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(applyPatternsGreedily(root, std::move(patterns), config))) {
      root->emitError("mx-quantize-matmul: rewriting did not converge");
      return signalPassFailure();
    }
  }
};

} // namespace
