//===- MatmulKernelDriver.cpp - Kernel selection for mx.matmul ------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXCommon/MatmulKernelDriver.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::mx;
namespace ref = ::mx::ref;

void mlir::mx::lowerEligibleMatmuls(Operation *root, bool report,
                                    Pass::Statistic &rewritten,
                                    Pass::Statistic &skipped,
                                    MatmulIneligibility why,
                                    MatmulKernelBuilder lower) {
  SmallVector<MatmulOp> ops;
  root->walk([&](MatmulOp op) { ops.push_back(op); });
  IRRewriter rewriter(root->getContext());
  for (MatmulOp op : ops) {
    if (std::string reason = why(op); !reason.empty()) {
      ++skipped;
      if (report)
        op.emitRemark() << "left to convert-mx-to-linalg: " << reason;
      continue;
    }
    ++rewritten;
    lower(rewriter, op);
  }
}

LogicalResult mlir::mx::checkCountOption(Operation *root, StringRef pass,
                                         StringRef option, int64_t count,
                                         int64_t maxCount) {
  if (count < 1 || count > maxCount)
    return root->emitError() << pass << ": " << option << " must be in [1, "
                             << maxCount << "], got " << count;
  return success();
}

std::string mlir::mx::getGPUMatmulIneligibility(MatmulOp op, ref::Format &fa,
                                                ref::Format &fb) {
  auto ta = cast<QTensorType>(op.getLhs().getType());
  auto tb = cast<QTensorType>(op.getRhs().getType());
  fa = ta.getFormat().getReferenceFormat();
  fb = tb.getFormat().getReferenceFormat();
  if (op.getMode() != MatmulMode::exact)
    return "mode emulate";
  if (ta.getRank() != 2)
    return "batched (rank-3) matmul";
  if (ShapedType::isDynamic(tb.getShape()[0]))
    return "dynamic K";
  return {};
}
