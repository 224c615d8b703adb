//===- LegalizeForLLVMExport.cpp - Lower mx_x86 ops to LLVM intrinsics ----===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Every mx_x86 op is one LLVM intrinsic call: a single pattern on
// MXX86IntrinsicOpInterface lowers them all, so a new x86 primitive needs
// only its ODS definition.
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXX86ToLLVM/MXX86ToLLVM.h"

#include "mx/Dialect/MXX86/IR/MXX86Dialect.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::mx {
#define GEN_PASS_DEF_CONVERTMXX86TOLLVMPASS
#include "mx/Conversion/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;
using namespace mlir::mx;

namespace {

/// op(operands) -> llvm.call_intrinsic "<intrinsic>"(operands).
struct IntrinsicOpLowering
    : OpInterfaceRewritePattern<x86::MXX86IntrinsicOpInterface> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(x86::MXX86IntrinsicOpInterface op,
                                PatternRewriter &rewriter) const override {
    auto call = LLVM::CallIntrinsicOp::create(
        rewriter, op->getLoc(), op->getResult(0).getType(),
        rewriter.getStringAttr(op.getIntrinsicName()), op->getOperands());
    rewriter.replaceOp(op, call.getResults());
    return success();
  }
};

struct ConvertMXX86ToLLVMPass
    : mlir::mx::impl::ConvertMXX86ToLLVMPassBase<ConvertMXX86ToLLVMPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMXX86LegalizeForLLVMExportPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void mlir::mx::populateMXX86LegalizeForLLVMExportPatterns(
    RewritePatternSet &patterns) {
  patterns.add<IntrinsicOpLowering>(patterns.getContext());
}
