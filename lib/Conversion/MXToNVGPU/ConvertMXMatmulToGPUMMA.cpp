//===- ConvertMXMatmulToGPUMMA.cpp - mx.matmul on NVIDIA tensor cores -----===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The pass convert-mx-matmul-to-gpu-mma: kernel selection for NVIDIA GPUs.
// Every eligible FP4 x FP4 mx.matmul becomes a gpu.launch whose body is one
// of three kernel kinds:
//
//   * the exact integer MMA (IntegerMMA.cpp), the default;
//   * with block-scale=true, the sm_120a block-scaled mma.sync
//     (BlockScaleMMA.cpp), or with tcgen05=true the sm_100a tensor-memory
//     tile mx_nvvm.tcgen05_matmul (expanded by convert-mx-nvvm-to-nvvm),
//     where the scale formats allow; otherwise the integer MMA, with a
//     remark.
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXToNVGPU/MXToNVGPU.h"

#include "MmaSync.h"
#include "mx/Conversion/MXCommon/MatmulKernelDriver.h"
#include "mx/Dialect/MXNVVM/IR/MXNVVMDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::mx {
#define GEN_PASS_DEF_CONVERTMXMATMULTOGPUMMAPASS
#include "mx/Conversion/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::kernel;
using namespace mlir::mx::nvgpu_kernels;
namespace ref = ::mx::ref;

namespace {

// mx_nvvm.tcgen05_matmul: a 128 x 128 tile per thread block of four warps.
constexpr int64_t kTcgen05Tile = 128, kTcgen05Threads = 128;

/// Why `op` cannot take the tensor-core path (empty if it can).
std::string ineligibility(MatmulOp op) {
  ref::Format fa, fb;
  if (std::string why = getGPUMatmulIneligibility(op, fa, fb); !why.empty())
    return why;
  if (fa.elem != ref::ElemKind::E2M1 || fb.elem != ref::ElemKind::E2M1)
    return "element formats other than E2M1 (FP4)";
  if (fa.blockSize != fb.blockSize || fa.blockSize % 16 != 0)
    return "block size not a multiple of 16";
  return {};
}

/// One 128 x 128 tile per block: the whole body is mx_nvvm.tcgen05_matmul.
void lowerToTcgen05(RewriterBase &rewriter, MatmulOp op) {
  lowerMatmulToLaunch(
      rewriter, op, {kTcgen05Tile, kTcgen05Tile, kTcgen05Threads},
      [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp, const GPUMatmul &mm) {
        auto fmt = [](Value q) {
          return cast<QTensorType>(q.getType()).getFormat();
        };
        mlir::mx::nvvm::Tcgen05MatmulOp::create(
            kb, mm.a.data, mm.a.pos, mm.a.neg, mm.gA(), mm.b.data, mm.b.pos,
            mm.b.neg, mm.gB(), mm.accBuf, mm.out, fmt(op.getLhs()),
            fmt(op.getRhs()), kb.getI64IntegerAttr(mm.kSize));
      });
}

/// One warp per 16 x 8 tile, `warps` warps per block; `scaleVec` 0: the
/// exact integer MMA, else the sm_120a block-scaled MMA.
void lowerToMmaSync(RewriterBase &rewriter, MatmulOp op, int64_t warps,
                    int64_t scaleVec) {
  lowerMatmulToLaunch(
      rewriter, op, {kTileN * warps, kTileM, nvgpu_kernels::kWarpSize * warps},
      [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp launch, const GPUMatmul &mm) {
        MmaSyncFragment f = buildMmaSyncFragment(kb, launch, mm, warps);
        SmallVector<Value> results =
            scaleVec ? buildBlockScaleMMALoop(kb, mm, f, scaleVec)
                     : buildIntegerMMALoop(kb, mm, f);
        for (int64_t i = 0; i < 4; ++i)
          storeResult(kb, mm, results[i], f.rowsA[i / 2], f.rowsAValid[i / 2],
                      f.colsC[i % 2], f.colsCValid[i % 2]);
      });
}

struct ConvertMXMatmulToGPUMMAPass
    : mlir::mx::impl::ConvertMXMatmulToGPUMMAPassBase<
          ConvertMXMatmulToGPUMMAPass> {
  using Base::Base;
  void runOnOperation() override {
    if (tcgen05 && !blockScale) {
      getOperation()->emitError()
          << getArgument()
          << ": tcgen05=true selects the sm_100a form of the block-scaled "
             "MMA and needs block-scale=true";
      return signalPassFailure();
    }
    if (failed(checkCountOption(getOperation(), getArgument(), "warps", warps,
                                32)) ||
        failed(checkCountOption(getOperation(), getArgument(), "decode-warps",
                                decodeWarps, 32)))
      return signalPassFailure();
    auto lower = [&](RewriterBase &rewriter, MatmulOp op) {
      if (decode && !blockScale) {
        std::string whyNot = getDecodeGEMVIneligibility(op);
        if (whyNot.empty())
          return lowerToDecodeGEMV(rewriter, op, decodeWarps, report);
      }
      int64_t scaleVec = 0;
      if (blockScale) {
        std::string whyNot = getBlockScaleMMAIneligibility(op, scaleVec);
        if (!whyNot.empty()) {
          scaleVec = 0;
          if (report)
            op.emitRemark() << "exact integer MMA instead of the block-scaled "
                               "MMA: "
                            << whyNot;
        }
      }
      if (scaleVec && tcgen05)
        lowerToTcgen05(rewriter, op);
      else
        lowerToMmaSync(rewriter, op, warps, scaleVec);
    };
    lowerEligibleMatmuls(getOperation(), report, numRewritten, numSkipped,
                         ineligibility, lower);
    // Weights packed at run time: gather kernels (constants fold).
    SmallVector<Operation *> packs;
    getOperation()->walk(
        [&](mlir::mx::nvvm::ToGEMVLayoutOp op) { packs.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (Operation *op : packs)
      if (failed(lowerToGEMVLayout(rewriter, op)))
        return signalPassFailure();
    // A weight in the GEMV layout is read only by the decode kernels.
    SmallVector<Operation *> dead;
    WalkResult bad = getOperation()->walk([&](mlir::mx::nvvm::GEMVWeightOp op) {
      if (op->use_empty()) {
        dead.push_back(op);
        return WalkResult::advance();
      }
      op.emitOpError("is only supported as the weight of an mx.matmul "
                     "that takes the decode kernels (M <= 16, "
                     "decode=true)");
      return WalkResult::interrupt();
    });
    for (Operation *op : dead)
      op->erase();
    if (bad.wasInterrupted())
      return signalPassFailure();
  }
};

} // namespace
