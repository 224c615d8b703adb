//===- QuantizeKernel.cpp - mx.quantize as coalesced GPU kernels ---------===//
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
/// Thread blocks of the tensor-amax kernel: enough to fill the GPU, each
/// thread striding over the tensor.
constexpr int64_t kAmaxBlocks = 1024;

std::string ineligibility(QuantizeOp op) {
  QTensorType qt = op.getResult().getType();
  ref::Format f = qt.getFormat().getReferenceFormat();
  auto xt = cast<RankedTensorType>(op.getInput().getType());
  if (xt.getRank() < 1 || xt.getRank() > 2)
    return "rank other than 1 or 2";
  if (qt.getAxis() == xt.getRank() - 1 && 32 % f.blockSize != 0)
    return "blocks along the last axis whose size does not divide 32";
  if (!xt.getElementType().isF32() && !xt.getElementType().isF16() &&
      !xt.getElementType().isBF16())
    return "input element type other than f32, f16, bf16";
  return {};
}

Value ceilDiv(ImplicitLocOpBuilder &b, Value v, int64_t d) {
  NumericBuilder nb(b);
  return arith::DivUIOp::create(b, arith::AddIOp::create(b, v, nb.index(d - 1)),
                                nb.index(d));
}

Value shflXor(ImplicitLocOpBuilder &b, Value v, int32_t off) {
  return gpu::ShuffleOp::create(b, v, off, int32_t(kWarp),
                                gpu::ShuffleMode::XOR)
      .getShuffleResult();
}

/// Thread blocks covering `total` threads, at least one (an empty tensor
/// still launches a valid grid; every lane is masked).
Value gridFor(ImplicitLocOpBuilder &b, Value total) {
  NumericBuilder nb(b);
  return arith::MaxUIOp::create(b, ceilDiv(b, total, kThreads), nb.index(1));
}

/// The global thread index of a one-dimensional launch.
Value globalThread(ImplicitLocOpBuilder &b, gpu::LaunchOp launch) {
  NumericBuilder nb(b);
  return arith::AddIOp::create(
      b, arith::MulIOp::create(b, launch.getBlockIds().x, nb.index(kThreads)),
      launch.getThreadIds().x);
}

void ifThen(ImplicitLocOpBuilder &b, Value cond,
            function_ref<void(ImplicitLocOpBuilder &)> body) {
  auto ifOp = scf::IfOp::create(b, cond, false);
  OpBuilder::InsertionGuard g(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  body(b);
}

/// One mx.quantize being lowered: the input as a buffer of `rows` x `len`
/// positions (rank 1: one row) and the result buffers.
struct QuantizeKernelBuilder {
  QuantizeKernelBuilder(RewriterBase &rewriter, QuantizeOp op)
      : op(op), b(op.getLoc(), rewriter), nb(b),
        qt(op.getResult().getType()), f(qt.getFormat().getReferenceFormat()),
        groups(f.asymmetric ? 2 : 1),
        rank(cast<RankedTensorType>(op.getInput().getType()).getRank()) {
    b.setInsertionPoint(op);
  }

  void build(RewriterBase &rewriter);

private:
  /// Indices of (row, position) in a buffer of this rank.
  SmallVector<Value> at(Value r, Value c) const {
    return rank == 2 ? SmallVector<Value>{r, c} : SmallVector<Value>{c};
  }
  Value load(ImplicitLocOpBuilder &kb, Value r, Value c) const {
    return toF32(kb, memref::LoadOp::create(kb, x, at(r, c)));
  }
  memref::AllocOp alloc(RankedTensorType t, Value d0, Value d1);
  Value deriveTensorScale();
  void storeScales(ImplicitLocOpBuilder &kb, ValueRange codes, Value r,
                   Value c);
  void storeCode(ImplicitLocOpBuilder &kb, Value code, Value valid, Value r,
                 Value c);
  void lastAxisKernel();
  void firstAxisKernel();

  QuantizeOp op;
  ImplicitLocOpBuilder b;
  NumericBuilder nb;
  QTensorType qt;
  ref::Format f;
  int64_t groups, rank;
  Value x, rows, cols, g, data;
  SmallVector<Value> scales;
};

memref::AllocOp QuantizeKernelBuilder::alloc(RankedTensorType t, Value d0,
                                             Value d1) {
  SmallVector<Value> dyn;
  if (rank == 2 && t.isDynamicDim(0))
    dyn.push_back(d0);
  if (t.isDynamicDim(rank - 1))
    dyn.push_back(d1);
  return memref::AllocOp::create(
      b, MemRefType::get(t.getShape(), t.getElementType()), dyn);
}

/// §2.6: amax_T and the NaN/Inf flag in one word, the maximum of the bit
/// patterns of |x| (for non-negative binary32 values the integer order is
/// the numeric order, and every NaN pattern lies above +Inf), reduced per
/// warp with shuffles and across warps with an atomic maximum. Two kernels
/// (clear the word, reduce) in stream order before the quantization kernel;
/// g itself is computed where it is used.
Value QuantizeKernelBuilder::deriveTensorScale() {
  Value zero = nb.index(0), one = nb.index(1);
  auto word = memref::AllocOp::create(
      b, MemRefType::get({1}, b.getI32Type()), ValueRange{});
  buildLaunch(b, one, one, kWarp,
              [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp launch) {
                NumericBuilder kn(kb);
                ifThen(kb,
                       arith::CmpIOp::create(kb, arith::CmpIPredicate::eq,
                                             launch.getThreadIds().x, zero),
                       [&](ImplicitLocOpBuilder &ib) {
                         memref::StoreOp::create(ib, kn.i32(0), word,
                                                 ValueRange{zero});
                       });
              });
  Value total = arith::MulIOp::create(b, rows, cols);
  Value blocks =
      arith::MinUIOp::create(b, gridFor(b, total), nb.index(kAmaxBlocks));
  Value stride = arith::MulIOp::create(b, blocks, nb.index(kThreads));
  buildLaunch(
      b, blocks, one, kThreads,
      [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp launch) {
        NumericBuilder kn(kb);
        auto loop = scf::ForOp::create(kb, globalThread(kb, launch), total,
                                       stride, ValueRange{kn.i32(0)});
        {
          OpBuilder::InsertionGuard guard(kb);
          kb.setInsertionPointToStart(loop.getBody());
          Value i = loop.getInductionVar();
          Value r = arith::DivUIOp::create(kb, i, cols);
          Value c = arith::RemUIOp::create(kb, i, cols);
          Value a = kn.bits(kn.abs(load(kb, r, c)));
          scf::YieldOp::create(
              kb, ValueRange{arith::MaxUIOp::create(
                      kb, loop.getRegionIterArgs()[0], a)});
        }
        Value m = loop.getResult(0);
        for (int32_t off = kWarp / 2; off >= 1; off /= 2)
          m = arith::MaxUIOp::create(kb, m, shflXor(kb, m, off));
        Value lane = arith::RemUIOp::create(kb, launch.getThreadIds().x,
                                            kn.index(kWarp));
        ifThen(kb,
               arith::CmpIOp::create(kb, arith::CmpIPredicate::eq, lane,
                                     kn.index(0)),
               [&](ImplicitLocOpBuilder &ib) {
                 memref::AtomicRMWOp::create(ib, arith::AtomicRMWKind::maxu,
                                             m, word, ValueRange{zero});
               });
      });
  auto wordT = bufferization::ToTensorOp::create(
      b, RankedTensorType::get({1}, b.getI32Type()), word, /*restrict=*/true,
      /*writable=*/true);
  Value bits = tensor::ExtractOp::create(b, wordT, ValueRange{zero});
  Value bad = arith::CmpIOp::create(b, arith::CmpIPredicate::uge, bits,
                                    nb.i32(0x7F800000));
  return tensorScaleFromAmax(b, nb.fromBits(bits), bad);
}

void QuantizeKernelBuilder::storeScales(ImplicitLocOpBuilder &kb,
                                        ValueRange codes, Value r, Value c) {
  Type scaleTy = qt.getScalesType().getElementType();
  for (int64_t grp = 0; grp < groups; ++grp) {
    Value c8 = arith::TruncIOp::create(kb, kb.getI8Type(), codes[grp]);
    memref::StoreOp::create(kb, arith::BitcastOp::create(kb, scaleTy, c8),
                            scales[grp], at(r, c));
  }
}

/// Stores the element code of position (r, c) of the stored tensor. FP4
/// pairs the lanes of c and c ^ 1 (neighbours in the warp) into one byte
/// (§7), which the even lane stores; every lane calls this.
void QuantizeKernelBuilder::storeCode(ImplicitLocOpBuilder &kb, Value code,
                                      Value valid, Value r, Value c) {
  NumericBuilder kn(kb);
  if (f.elem != ref::ElemKind::E2M1) {
    ifThen(kb, valid, [&](ImplicitLocOpBuilder &ib) {
      memref::StoreOp::create(
          ib, arith::TruncIOp::create(ib, ib.getI8Type(), code), data,
          at(r, c));
    });
    return;
  }
  code = arith::AndIOp::create(kb, code, kn.i32(0xF));
  Value hi = shflXor(kb, code, 1);
  Value byte =
      arith::OrIOp::create(kb, code, arith::ShLIOp::create(kb, hi, kn.i32(4)));
  Value even = arith::CmpIOp::create(kb, arith::CmpIPredicate::eq,
                                     arith::RemUIOp::create(kb, c, kn.index(2)),
                                     kn.index(0));
  ifThen(kb, andOpt(kb, valid, even), [&](ImplicitLocOpBuilder &ib) {
    memref::StoreOp::create(
        ib, arith::TruncIOp::create(ib, ib.getI8Type(), byte), data,
        at(r, arith::DivUIOp::create(ib, c, kn.index(2))));
  });
}

/// Blocks along the last axis: one thread per position, rows padded to a
/// multiple of 32 so that the lanes of a block are consecutive in a warp
/// (coalesced loads, statistics reduced with shuffles).
void QuantizeKernelBuilder::lastAxisKernel() {
  const int64_t bs = f.blockSize;
  Value padded = arith::MulIOp::create(b, ceilDiv(b, cols, kWarp),
                                       nb.index(kWarp));
  Value total = arith::MulIOp::create(b, rows, padded);
  buildLaunch(
      b, gridFor(b, total), nb.index(1), kThreads,
      [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp launch) {
        NumericBuilder kn(kb);
        Value i = globalThread(kb, launch);
        Value row = arith::DivUIOp::create(kb, i, padded);
        Value k = arith::RemUIOp::create(kb, i, padded);
        Value valid = andOpt(kb, ltU(kb, row, rows), ltU(kb, k, cols));
        Value rowC = clampIdx(kb, row, rows), kC = clampIdx(kb, k, cols);
        Value v = load(kb, rowC, kC);
        v = arith::SelectOp::create(kb, valid, v, kn.f32(0.0f));
        LaneQuantization lq = quantizeLane(kb, f, v, valid, g);
        storeCode(kb, lq.code, valid, rowC, kC);
        Value leader = arith::CmpIOp::create(
            kb, arith::CmpIPredicate::eq,
            arith::RemUIOp::create(kb, k, kn.index(bs)), kn.index(0));
        ifThen(kb, andOpt(kb, valid, leader), [&](ImplicitLocOpBuilder &ib) {
          storeScales(ib, lq.scaleCodes, rowC,
                      arith::DivUIOp::create(ib, kC, kn.index(bs)));
        });
      });
}

/// Blocks along the first axis of a rank-2 tensor [K, N]: one thread per
/// (block, column), the lanes of a warp on neighbouring columns (every load
/// coalesced across the warp). A thread forms its block's statistics
/// sequentially (max is order-independent), then its elements' codes.
void QuantizeKernelBuilder::firstAxisKernel() {
  const int64_t bs = f.blockSize;
  Value padded = arith::MulIOp::create(b, ceilDiv(b, cols, kWarp),
                                       nb.index(kWarp));
  Value nBlocks = ceilDiv(b, rows, bs);
  Value total = arith::MulIOp::create(b, nBlocks, padded);
  buildLaunch(
      b, gridFor(b, total), nb.index(1), kThreads,
      [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp launch) {
        NumericBuilder kn(kb);
        Value i = globalThread(kb, launch);
        Value blk = arith::DivUIOp::create(kb, i, padded);
        Value n = arith::RemUIOp::create(kb, i, padded);
        Value lineValid = andOpt(kb, ltU(kb, blk, nBlocks), ltU(kb, n, cols));
        Value nC = clampIdx(kb, n, cols);
        Value k0 = arith::MulIOp::create(kb, clampIdx(kb, blk, nBlocks),
                                         kn.index(bs));
        // Position k0 + j of the block: its value (0 past the end) and
        // whether it exists.
        auto element = [&](ImplicitLocOpBuilder &lb, Value j, Value &valid) {
          NumericBuilder ln(lb);
          Value k = arith::AddIOp::create(lb, k0, j);
          valid = andOpt(lb, lineValid, ltU(lb, k, rows));
          Value v = load(lb, clampIdx(lb, k, rows), nC);
          return Value(arith::SelectOp::create(lb, valid, v, ln.f32(0.0f)));
        };
        SmallVector<Value> init = initialBlockStatistics(kb, f);
        auto stats = scf::ForOp::create(kb, kn.index(0), kn.index(bs),
                                        kn.index(1), init);
        {
          OpBuilder::InsertionGuard guard(kb);
          kb.setInsertionPointToStart(stats.getBody());
          Value valid;
          Value v = element(kb, stats.getInductionVar(), valid);
          scf::YieldOp::create(
              kb, accumulateBlockStatistics(kb, f, v,
                                            stats.getRegionIterArgs()));
        }
        ValueRange st = stats.getResults();
        SmallVector<Value> codes, divs;
        for (int64_t grp = 0; grp < groups; ++grp) {
          auto [code, div] = blockScale(kb, f, st[grp], st.back(), g);
          codes.push_back(code);
          divs.push_back(div);
        }
        ifThen(kb, lineValid, [&](ImplicitLocOpBuilder &ib) {
          storeScales(ib, codes, clampIdx(ib, blk, nBlocks), nC);
        });
        auto elems = scf::ForOp::create(kb, kn.index(0), kn.index(bs),
                                        kn.index(1));
        OpBuilder::InsertionGuard guard(kb);
        kb.setInsertionPointToStart(elems.getBody());
        Value valid;
        Value j = elems.getInductionVar();
        Value v = element(kb, j, valid);
        Value code = elementCode(kb, f, v, divs[0],
                                 groups == 2 ? divs[1] : Value());
        code = arith::SelectOp::create(kb, valid, code, kn.i32(0));
        Value k = arith::AddIOp::create(kb, k0, j);
        storeCode(kb, code, valid, clampIdx(kb, k, rows), nC);
      });
}

void QuantizeKernelBuilder::build(RewriterBase &rewriter) {
  Value xt = op.getInput();
  x = readBuffer(b, xt);
  rows = rank == 2 ? Value(tensor::DimOp::create(b, xt, 0)) : nb.index(1);
  cols = tensor::DimOp::create(b, xt, rank - 1);
  const bool lastAxis = qt.getAxis() == rank - 1;
  if (f.tensorScale)
    g = op.getTensorScale() ? op.getTensorScale() : deriveTensorScale();
  // Storage (§7): codes packed along the last stored axis, scales with the
  // blocked axis divided by the block size.
  auto dataT = qt.getDataType(), scalesT = qt.getScalesType();
  Value dataCols = f.elem == ref::ElemKind::E2M1 ? ceilDiv(b, cols, 2) : cols;
  data = alloc(dataT, rows, dataCols);
  for (int64_t grp = 0; grp < groups; ++grp)
    scales.push_back(lastAxis
                         ? alloc(scalesT, rows, ceilDiv(b, cols, f.blockSize))
                         : alloc(scalesT, ceilDiv(b, rows, f.blockSize), cols));
  if (lastAxis)
    lastAxisKernel();
  else
    firstAxisKernel();
  auto tensorOf = [&](Value m, RankedTensorType t) {
    return bufferization::ToTensorOp::create(b, t, m, /*restrict=*/true,
                                             /*writable=*/true)
        .getResult();
  };
  auto pack = PackOp::create(
      b, qt, tensorOf(data, dataT), tensorOf(scales[0], scalesT),
      groups == 2 ? tensorOf(scales[1], scalesT) : Value(),
      f.tensorScale ? g : Value());
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
      QuantizeKernelBuilder(rewriter, op).build(rewriter);
  }
};

} // namespace
