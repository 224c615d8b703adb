//===- QuantizeKernel.cpp - FP4 mx.quantize as one coalesced GPU kernel ---===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The pass convert-mx-quantize-to-gpu (Passes.td has the contract).
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXToNVGPU/MXToNVGPU.h"

#include "mx/Conversion/MXCommon/GPUKernelUtils.h"
#include "mx/Dialect/MX/Utils/NumericBuilder.h"
#include "mx/Dialect/MX/Utils/QuantizeScalar.h"
#include "mx/Dialect/MX/Utils/StorageAccess.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::mx {
#define GEN_PASS_DEF_CONVERTMXQUANTIZETOGPUPASS
#include "mx/Conversion/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::kernel;
namespace ref = ::mx::ref;

namespace {

constexpr int64_t kThreads = 256, kWarp = 32;

std::string ineligibility(QuantizeOp op) {
  QTensorType qt = op.getResult().getType();
  ref::Format f = qt.getFormat().getReferenceFormat();
  auto xt = cast<RankedTensorType>(op.getInput().getType());
  if (xt.getRank() < 1 || xt.getRank() > 2 || qt.getAxis() != xt.getRank() - 1)
    return "not rank 1 or 2 blocked along the last axis";
  if (f.elem != ref::ElemKind::E2M1)
    return "element format other than E2M1 (FP4)";
  if (f.blockSize != 16 && f.blockSize != 32)
    return "block size other than 16 or 32";
  if (f.tensorScale)
    return "a per-tensor scale (NVFP4 derives it from the whole tensor)";
  if (!xt.getElementType().isF32() && !xt.getElementType().isF16() &&
      !xt.getElementType().isBF16())
    return "input element type other than f32, f16, bf16";
  return {};
}

void lowerQuantize(RewriterBase &rewriter, QuantizeOp op) {
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  b.setInsertionPoint(op);
  NumericBuilder nb(b);
  QTensorType qt = op.getResult().getType();
  ref::Format f = qt.getFormat().getReferenceFormat();
  const int64_t bs = f.blockSize;
  const int64_t groups = f.asymmetric ? 2 : 1;
  Value xt = op.getInput();
  Value x = readBuffer(b, xt);
  const int64_t rank = cast<RankedTensorType>(xt.getType()).getRank();
  Value rows = rank == 2 ? Value(tensor::DimOp::create(b, xt, 0)) : nb.index(1);
  Value len = tensor::DimOp::create(b, xt, rank - 1);
  // Indices of (row, position) in a buffer of this rank.
  auto at = [&](Value r, Value c) {
    return rank == 2 ? SmallVector<Value>{r, c} : SmallVector<Value>{c};
  };
  // Storage of the result (§7): codes [R, ceil(L/2)], scales [R, ceil(L/bs)].
  auto dataT = qt.getDataType(), scalesT = qt.getScalesType();
  auto ceilDiv = [&](Value v, int64_t d) {
    return arith::DivUIOp::create(
        b, arith::AddIOp::create(b, v, nb.index(d - 1)), nb.index(d));
  };
  auto alloc = [&](RankedTensorType t, Value inner) {
    SmallVector<Value> dyn;
    if (rank == 2 && t.isDynamicDim(0))
      dyn.push_back(rows);
    if (t.isDynamicDim(rank - 1))
      dyn.push_back(inner);
    return memref::AllocOp::create(
        b, MemRefType::get(t.getShape(), t.getElementType()), dyn);
  };
  Value data = alloc(dataT, ceilDiv(len, 2));
  SmallVector<Value> scales;
  for (int64_t g = 0; g < groups; ++g)
    scales.push_back(alloc(scalesT, ceilDiv(len, bs)));
  // One thread per position of rows padded to a multiple of 32.
  Value padded = arith::MulIOp::create(b, ceilDiv(len, kWarp), nb.index(kWarp));
  Value total = arith::MulIOp::create(b, rows, padded);
  Value one = nb.index(1);
  buildLaunch(
      b, ceilDiv(total, kThreads), one, kThreads,
      [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp launch) {
        NumericBuilder kn(kb);
        Value i = arith::AddIOp::create(
            kb,
            arith::MulIOp::create(kb, launch.getBlockIds().x,
                                  kn.index(kThreads)),
            launch.getThreadIds().x);
        Value row = arith::DivUIOp::create(kb, i, padded);
        Value k = arith::RemUIOp::create(kb, i, padded);
        Value rowValid = ltU(kb, row, rows);
        Value valid = andOpt(kb, rowValid, ltU(kb, k, len));
        Value rowC = clampIdx(kb, row, rows), kC = clampIdx(kb, k, len);
        Value v = toF32(kb, memref::LoadOp::create(kb, x, at(rowC, kC)));
        v = arith::SelectOp::create(kb, valid, v, kn.f32(0.0f));
        LaneQuantization lq = quantizeLane(kb, f, v, valid);
        SmallVector<Value> codes = lq.scaleCodes;
        Value code = lq.code;
        auto shfl = [&](Value val, int32_t off) {
          return gpu::ShuffleOp::create(kb, val, off, int32_t(kWarp),
                                        gpu::ShuffleMode::XOR)
              .getShuffleResult();
        };
        code = arith::AndIOp::create(kb, code, kn.i32(0xF));
        // The even lane of a pair stores the byte (element 2j low, 2j+1 high).
        Value hi = shfl(code, 1);
        Value byte = arith::OrIOp::create(
            kb, code, arith::ShLIOp::create(kb, hi, kn.i32(4)));
        Value even = arith::CmpIOp::create(
            kb, arith::CmpIPredicate::eq,
            arith::RemUIOp::create(kb, k, kn.index(2)), kn.index(0));
        {
          auto ifOp = scf::IfOp::create(kb, andOpt(kb, valid, even), false);
          OpBuilder::InsertionGuard g2(kb);
          kb.setInsertionPointToStart(ifOp.thenBlock());
          memref::StoreOp::create(
              kb, arith::TruncIOp::create(kb, kb.getI8Type(), byte), data,
              at(rowC, arith::DivUIOp::create(kb, kC, kn.index(2))));
        }
        Value leader = arith::CmpIOp::create(
            kb, arith::CmpIPredicate::eq,
            arith::RemUIOp::create(kb, k, kn.index(bs)), kn.index(0));
        auto ifOp = scf::IfOp::create(kb, andOpt(kb, valid, leader), false);
        OpBuilder::InsertionGuard g2(kb);
        kb.setInsertionPointToStart(ifOp.thenBlock());
        Type scaleTy = scalesT.getElementType();
        for (int64_t g = 0; g < groups; ++g) {
          Value c8 = arith::TruncIOp::create(kb, kb.getI8Type(), codes[g]);
          memref::StoreOp::create(
              kb, arith::BitcastOp::create(kb, scaleTy, c8), scales[g],
              at(rowC, arith::DivUIOp::create(kb, kC, kn.index(bs))));
        }
      });
  auto tensorOf = [&](Value m, RankedTensorType t) {
    return bufferization::ToTensorOp::create(b, t, m, /*restrict=*/true,
                                             /*writable=*/true)
        .getResult();
  };
  auto pack = PackOp::create(
      b, qt, tensorOf(data, dataT), tensorOf(scales[0], scalesT),
      groups == 2 ? tensorOf(scales[1], scalesT) : Value(), Value());
  rewriter.replaceOp(op, pack.getResult());
}

struct ConvertMXQuantizeToGPUPass
    : mlir::mx::impl::ConvertMXQuantizeToGPUPassBase<
          ConvertMXQuantizeToGPUPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<QuantizeOp> ops;
    getOperation()->walk([&](QuantizeOp op) {
      if (op->getParentOfType<gpu::LaunchOp>())
        return;
      std::string why = ineligibility(op);
      if (why.empty())
        ops.push_back(op);
      else if (report)
        op.emitRemark() << "mx.quantize left to convert-mx-to-linalg: " << why;
    });
    IRRewriter rewriter(&getContext());
    for (QuantizeOp op : ops)
      lowerQuantize(rewriter, op);
  }
};

} // namespace
