//===- ConvertMXNVVMToNVVM.cpp - Lower mx_nvvm ops to NVVM ----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The pass convert-mx-nvvm-to-nvvm: mx_nvvm.mma_block_scale becomes
// nvvm.mma.block_scale, and every mx_nvvm.tcgen05_matmul is expanded into
// its sm_100a kernel body (Tcgen05.cpp).
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXNVVMToNVVM/MXNVVMToNVVM.h"

#include "mx/Dialect/MXNVVM/IR/MXNVVMDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::mx {
#define GEN_PASS_DEF_CONVERTMXNVVMTONVVMPASS
#include "mx/Conversion/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;
using namespace mlir::mx;

namespace {

/// mx_nvvm.mma_block_scale -> nvvm.mma.block_scale on the vectors' elements.
struct MmaBlockScaleLowering
    : OpRewritePattern<mlir::mx::nvvm::MmaBlockScaleOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlir::mx::nvvm::MmaBlockScaleOp op,
                                PatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    auto elements = [&](Value v) {
      SmallVector<Value> r;
      for (int64_t i = 0, e = cast<VectorType>(v.getType()).getNumElements();
           i < e; ++i)
        r.push_back(vector::ExtractOp::create(b, v, ArrayRef<int64_t>{i}));
      return r;
    };
    Value zero16 = arith::ConstantOp::create(b, b.getI16IntegerAttr(0));
    auto resT = LLVM::LLVMStructType::getLiteral(
        b.getContext(), SmallVector<Type>(4, b.getF32Type()));
    auto mma = NVVM::MmaBlockScaleOp::create(
        b, resT, elements(op.getA()), elements(op.getB()),
        elements(op.getAcc()), op.getScaleA(), zero16, zero16, op.getScaleB(),
        zero16, zero16, {16, 8, 64},
        std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::e2m1,
                                      NVVM::MMATypes::e2m1},
        op.getScaleVec() == 2 ? NVVM::ScaleVecSize::X2 : NVVM::ScaleVecSize::X4,
        op.getUe4m3() ? NVVM::BlockScaleFormat::UE4M3
                      : NVVM::BlockScaleFormat::UE8M0,
        NVVM::MMABlockScaleKind::MXF4NVF4);
    SmallVector<Value> d;
    for (int64_t i = 0; i < 4; ++i)
      d.push_back(
          LLVM::ExtractValueOp::create(b, mma.getRes(), ArrayRef<int64_t>{i}));
    rewriter.replaceOp(
        op, vector::FromElementsOp::create(b, op.getResult().getType(), d));
    return success();
  }
};

/// mx_nvvm.barrier -> gpu.barrier.
struct BarrierLowering : OpRewritePattern<mlir::mx::nvvm::BarrierOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mlir::mx::nvvm::BarrierOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<gpu::BarrierOp>(op);
    return success();
  }
};

struct ConvertMXNVVMToNVVMPass
    : mlir::mx::impl::ConvertMXNVVMToNVVMPassBase<ConvertMXNVVMToNVVMPass> {
  using Base::Base;
  void runOnOperation() override {
    // The sm_100a tiles add a workgroup buffer to their kernel: expanded by
    // a walk of their own before the patterns.
    IRRewriter rewriter(&getContext());
    SmallVector<mlir::mx::nvvm::Tcgen05MatmulOp> tiles;
    getOperation()->walk(
        [&](mlir::mx::nvvm::Tcgen05MatmulOp op) { tiles.push_back(op); });
    for (mlir::mx::nvvm::Tcgen05MatmulOp op : tiles)
      if (failed(expandTcgen05Matmul(rewriter, op)))
        return signalPassFailure();
    // Shared-memory buffers become workgroup attributions of their kernel.
    SmallVector<mlir::mx::nvvm::WorkgroupBufferOp> buffers;
    getOperation()->walk(
        [&](mlir::mx::nvvm::WorkgroupBufferOp op) { buffers.push_back(op); });
    for (mlir::mx::nvvm::WorkgroupBufferOp op : buffers) {
      auto func = op->getParentOfType<gpu::GPUFuncOp>();
      if (!func) {
        op.emitOpError("must be inside an outlined gpu.func (run "
                       "gpu-kernel-outlining first)");
        return signalPassFailure();
      }
      BlockArgument arg =
          func.addWorkgroupAttribution(op.getBuffer().getType(), op.getLoc());
      op.getBuffer().replaceAllUsesWith(arg);
      op.erase();
    }
    RewritePatternSet patterns(&getContext());
    populateMXNVVMToNVVMPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void mlir::mx::populateMXNVVMToNVVMPatterns(RewritePatternSet &patterns) {
  patterns.add<MmaBlockScaleLowering, BarrierLowering>(patterns.getContext());
}
