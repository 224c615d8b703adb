//===- MXToLinalg.cpp - Lower mx ops to linalg/arith/scf/tensor -----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Every mx op becomes tensor-level code with the exact semantics of
// docs/Spec.md: linalg.generic ops whose scalar bodies are built by
// NumericBuilder, operating on the raw storage parts of `!mx.qtensor`
// (docs/Spec.md §7). Producers end in `mx.pack`, consumers start with
// `mx.unpack`; the pairs fold away, so no quantized type survives. This file
// orders and drives the op families (Quantize.cpp, Dequantize.cpp,
// Matmul.cpp).
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXToLinalg/MXToLinalg.h"

#include "Lowering.h"
#include "mx/Dialect/MX/IR/MXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::mx {
#define GEN_PASS_DEF_CONVERTMXTOLINALGPASS
#include "mx/Conversion/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;
using namespace mlir::mx;
namespace ref = ::mx::ref;

using namespace mlir::mx::linalg_lowering;

namespace {

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct ConvertMXToLinalgPass
    : mlir::mx::impl::ConvertMXToLinalgPassBase<ConvertMXToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(lowerMXOps(getOperation())))
      signalPassFailure();
  }
};

} // namespace

LogicalResult mlir::mx::lowerMXOps(Operation *root) {
  // Consumers first: they may need the logical sizes of their operands, which
  // the (not yet lowered) producers still carry.
  SmallVector<Operation *> consumers, producers;
  root->walk([&](Operation *op) {
    if (isa<DequantizeOp, MatmulOp, BlockMacOp>(op))
      consumers.push_back(op);
    else if (isa<QuantizeOp>(op))
      producers.push_back(op);
  });
  IRRewriter rewriter(root->getContext());
  for (Operation *op : consumers) {
    LogicalResult r =
        llvm::TypeSwitch<Operation *, LogicalResult>(op)
            .Case([&](DequantizeOp o) { return lowerDequantize(rewriter, o); })
            .Case([&](MatmulOp o) { return lowerMatmul(rewriter, o); })
            .Case([&](BlockMacOp o) { return lowerBlockMac(rewriter, o); });
    if (failed(r))
      return failure();
  }
  for (Operation *op : producers)
    if (failed(lowerQuantize(rewriter, cast<QuantizeOp>(op))))
      return failure();
  // Fold unpack(pack(parts)) and erase dead pack/unpack ops.
  RewritePatternSet patterns(root->getContext());
  GreedyRewriteConfig config;
  if (failed(applyPatternsGreedily(root, std::move(patterns), config)))
    return root->emitError("mx lowering did not converge");
  WalkResult res = root->walk([&](Operation *op) {
    if (isa<MXDialect>(op->getDialect())) {
      op->emitOpError("quantized values must be produced by mx.quantize or "
                      "consumed by mx.dequantize/mx.matmul/mx.block_mac "
                      "within the lowered code; pass raw parts across "
                      "function boundaries (mx.pack / mx.unpack)");
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(res.wasInterrupted());
}
