//===- GPUKernelUtils.cpp - Shared pieces of the GPU matmul kernels -------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXCommon/GPUKernelUtils.h"

#include "mx/Dialect/MX/Utils/QuantizeScalar.h"
#include "mx/Dialect/MX/Utils/StorageAccess.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::mx;

Value kernel::ltU(ImplicitLocOpBuilder &b, Value x, Value bound) {
  return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, bound);
}

Value kernel::andOpt(ImplicitLocOpBuilder &b, Value x, Value y) {
  if (!x)
    return y;
  if (!y)
    return x;
  return arith::AndIOp::create(b, x, y);
}

Value kernel::clampIdx(ImplicitLocOpBuilder &b, Value x, Value bound) {
  NumericBuilder nb(b);
  return arith::MinUIOp::create(b, x,
                                arith::SubIOp::create(b, bound, nb.index(1)));
}

Value kernel::isNegativeCode(ImplicitLocOpBuilder &b, Value code) {
  NumericBuilder nb(b);
  return arith::CmpIOp::create(b, arith::CmpIPredicate::ne,
                               arith::AndIOp::create(b, code, nb.i32(8)),
                               nb.i32(0));
}

SmallVector<Value> kernel::splitBySign(ImplicitLocOpBuilder &b, Value code,
                                       bool asym) {
  if (!asym)
    return {code};
  NumericBuilder nb(b);
  Value negative = isNegativeCode(b, code);
  return {arith::SelectOp::create(b, negative, nb.i32(0), code),
          arith::SelectOp::create(b, negative, code, nb.i32(0))};
}

Value kernel::maskK(ImplicitLocOpBuilder &b, Value k, int64_t kSize,
                    bool partial, Value &valid) {
  if (!partial)
    return k;
  NumericBuilder nb(b);
  Value kBound = nb.index(kSize);
  valid = andOpt(b, valid, ltU(b, k, kBound));
  return clampIdx(b, k, kBound);
}

int64_t kernel::nativeScaleVec(const ::mx::ref::Format &f) {
  return f.scale == ::mx::ref::ScaleKind::E8M0 && f.blockSize % 32 == 0 ? 2 : 4;
}

Value kernel::packedScaleCodes(ImplicitLocOpBuilder &b, Value scales, Value k0,
                               Value index, bool ofA,
                               const ::mx::ref::Format &f, int64_t nBlocks) {
  NumericBuilder nb(b);
  const int64_t scaleVec = nativeScaleVec(f);
  const int64_t oneCode = ::mx::ref::getScaleOneCode(f.scale);
  Value word;
  for (int64_t j = 0; j < scaleVec; ++j) {
    Value blk = arith::DivUIOp::create(
        b, arith::AddIOp::create(b, k0, nb.index(j * 64 / scaleVec)),
        nb.index(f.blockSize));
    Value inside = ltU(b, blk, nb.index(nBlocks));
    Value blkC = clampIdx(b, blk, nb.index(nBlocks));
    Value code = fetchScaleCode(b, scales,
                                ofA ? SmallVector<Value>{index, blkC}
                                    : SmallVector<Value>{blkC, index});
    code = arith::SelectOp::create(b, inside, code, nb.i32(oneCode));
    if (j)
      code = arith::ShLIOp::create(b, code, nb.i32(8 * j));
    word = word ? Value(arith::OrIOp::create(b, word, code)) : code;
  }
  return word;
}

void kernel::storeResult(ImplicitLocOpBuilder &b, Value r, Value acc, Value out,
                         Value gA, Value gB, Value m, Value mValid, Value n,
                         Value nValid) {
  if (gA)
    r = arith::MulFOp::create(b, r, gA);
  if (gB)
    r = arith::MulFOp::create(b, r, gB);
  Value init = toF32(b, memref::LoadOp::create(b, acc, ValueRange{m, n}));
  Value fin = fromF32(b, arith::AddFOp::create(b, init, r),
                      cast<MemRefType>(out.getType()).getElementType());
  auto ifOp = scf::IfOp::create(b, andOpt(b, mValid, nValid),
                                /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  memref::StoreOp::create(b, fin, out, ValueRange{m, n});
}

void kernel::storeResult(ImplicitLocOpBuilder &b, const GPUMatmul &mm, Value r,
                         Value m, Value mValid, Value n, Value nValid) {
  storeResult(b, r, mm.accBuf, mm.out, mm.gA(), mm.gB(), m, mValid, n, nValid);
}

Value kernel::readBuffer(ImplicitLocOpBuilder &b, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> strides(t.getRank(), ShapedType::kDynamic);
  auto layout =
      StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, strides);
  return bufferization::ToBufferOp::create(
      b, MemRefType::get(t.getShape(), t.getElementType(), layout), v,
      /*read_only=*/true);
}

void kernel::laneTile(ImplicitLocOpBuilder &b, gpu::LaunchOp launch,
                      int64_t lanes, int64_t tileM, int64_t tileN,
                      int64_t tilesPerBlock, Value &lane, Value &m0,
                      Value &n0) {
  NumericBuilder nb(b);
  Value tid = launch.getThreadIds().x;
  Value group = arith::DivUIOp::create(b, tid, nb.index(lanes));
  lane = arith::RemUIOp::create(b, tid, nb.index(lanes));
  m0 = arith::MulIOp::create(b, launch.getBlockIds().y, nb.index(tileM));
  n0 = arith::MulIOp::create(
      b,
      arith::AddIOp::create(b,
                            arith::MulIOp::create(b, launch.getBlockIds().x,
                                                  nb.index(tilesPerBlock)),
                            group),
      nb.index(tileN));
}

void kernel::lowerMatmulToLaunch(
    RewriterBase &rewriter, MatmulOp op, LaunchShape shape,
    function_ref<void(ImplicitLocOpBuilder &, gpu::LaunchOp, const GPUMatmul &)>
        buildBody) {
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  b.setInsertionPoint(op);
  auto toOperand = [&](Value q) {
    Parts p = unpack(b, q);
    KernelOperand o;
    o.format = p.format;
    o.data = readBuffer(b, p.data);
    o.pos = readBuffer(b, p.pos);
    if (p.neg)
      o.neg = readBuffer(b, p.neg);
    o.g = p.g;
    return o;
  };
  GPUMatmul mm;
  mm.op = op;
  mm.a = toOperand(op.getLhs());
  mm.b = toOperand(op.getRhs());
  auto tb = cast<QTensorType>(op.getRhs().getType());
  mm.kSize = tb.getShape()[0];
  mm.blockSize = mm.a.format.blockSize;
  mm.nBlocks = (mm.kSize + mm.blockSize - 1) / mm.blockSize;

  NumericBuilder nb(b);
  Value acc = op.getAcc();
  mm.accBuf = readBuffer(b, acc);
  mm.mSize = tensor::DimOp::create(b, acc, 0);
  mm.nSize = tensor::DimOp::create(b, acc, 1);
  auto rt = cast<RankedTensorType>(op.getResult().getType());
  SmallVector<Value> dynSizes;
  for (int64_t d = 0; d < 2; ++d)
    if (rt.isDynamicDim(d))
      dynSizes.push_back(d ? mm.nSize : mm.mSize);
  auto outT = MemRefType::get(rt.getShape(), rt.getElementType());
  mm.out = memref::AllocOp::create(b, outT, dynSizes);

  auto ceilDiv = [&](Value x, int64_t d) {
    return arith::DivUIOp::create(
        b, arith::AddIOp::create(b, x, nb.index(d - 1)), nb.index(d));
  };
  Value one = nb.index(1);
  auto launch = gpu::LaunchOp::create(b, ceilDiv(mm.nSize, shape.cols),
                                      ceilDiv(mm.mSize, shape.rows), one,
                                      nb.index(shape.threads), one, one);
  {
    OpBuilder::InsertionGuard guard(b);
    Block &body = launch.getBody().front();
    b.setInsertionPointToStart(&body);
    if (body.empty() || !body.back().hasTrait<OpTrait::IsTerminator>())
      gpu::TerminatorOp::create(b);
    b.setInsertionPoint(body.getTerminator());
    ImplicitLocOpBuilder kb(op.getLoc(), b);
    buildBody(kb, launch, mm);
  }
  Value result = bufferization::ToTensorOp::create(b, rt, mm.out,
                                                   /*restrict=*/true,
                                                   /*writable=*/true);
  rewriter.replaceOp(op, result);
}

gpu::LaunchOp kernel::buildLaunch(
    ImplicitLocOpBuilder &b, Value gridX, Value gridY, int64_t threads,
    function_ref<void(ImplicitLocOpBuilder &, gpu::LaunchOp)> buildBody) {
  NumericBuilder nb(b);
  Value one = nb.index(1);
  auto launch =
      gpu::LaunchOp::create(b, gridX, gridY, one, nb.index(threads), one, one);
  OpBuilder::InsertionGuard guard(b);
  Block &body = launch.getBody().front();
  b.setInsertionPointToStart(&body);
  gpu::TerminatorOp::create(b);
  b.setInsertionPoint(body.getTerminator());
  ImplicitLocOpBuilder kb(b.getLoc(), b);
  buildBody(kb, launch);
  return launch;
}

kernel::LaneQuantization kernel::quantizeLane(ImplicitLocOpBuilder &b,
                                              const ::mx::ref::Format &f,
                                              Value v, Value valid, Value g) {
  NumericBuilder nb(b);
  const int64_t groups = f.asymmetric ? 2 : 1;
  SmallVector<Value> stats =
      accumulateBlockStatistics(b, f, v, initialBlockStatistics(b, f));
  auto shfl = [&](Value val, int32_t off) {
    return gpu::ShuffleOp::create(b, val, off, int32_t(32),
                                  gpu::ShuffleMode::XOR)
        .getShuffleResult();
  };
  for (int32_t off = f.blockSize / 2; off >= 1; off /= 2) {
    SmallVector<Value> next;
    for (int64_t grp = 0; grp < groups; ++grp) {
      Value o = shfl(stats[grp], off);
      next.push_back(f.asymmetric
                         ? Value(arith::SelectOp::create(
                               b,
                               arith::CmpFOp::create(
                                   b, arith::CmpFPredicate::OGT, o, stats[grp]),
                               o, stats[grp]))
                         : Value(arith::MaxNumFOp::create(b, stats[grp], o)));
    }
    Value bad = arith::ExtUIOp::create(b, b.getI32Type(), stats.back());
    bad = arith::OrIOp::create(b, bad, shfl(bad, off));
    next.push_back(
        arith::CmpIOp::create(b, arith::CmpIPredicate::ne, bad, nb.i32(0)));
    stats = next;
  }
  LaneQuantization q;
  SmallVector<Value> divs;
  for (int64_t grp = 0; grp < groups; ++grp) {
    auto [code, div] = blockScale(b, f, stats[grp], stats.back(), g);
    q.scaleCodes.push_back(code);
    divs.push_back(div);
  }
  Value code = elementCode(b, f, v, divs[0], groups == 2 ? divs[1] : Value());
  q.code = arith::SelectOp::create(b, valid, code, nb.i32(0));
  return q;
}
