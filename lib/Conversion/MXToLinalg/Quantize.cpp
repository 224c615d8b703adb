//===- Quantize.cpp - Lower mx.quantize to linalg -------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// mx.quantize in four linalg.generic steps: block statistics (Spec §2.1,
// §2.2), scale codes and divisors (§2.3, §2.4, §2.6), element codes, and
// for FP4 the packing of §7; NVFP4 first derives its tensor scale g (§2.6)
// unless one is given.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mx/Dialect/MX/Utils/QuantizeScalar.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::linalg_lowering;
namespace ref = ::mx::ref;

using arith::CmpFPredicate;
using arith::CmpIPredicate;
using utils::IteratorType;

namespace {

/// The quantization of one mx.quantize, step by step; each step reads the
/// shapes fixed by the constructor and the results of the steps before it.
class QuantizeLowering {
public:
  QuantizeLowering(RewriterBase &rewriter, QuantizeOp op);
  void run();

private:
  /// NVFP4's per-tensor scale g derived from the input (§2.6).
  Value deriveTensorScale();
  /// Per block: amax (or P and N for asymmetric formats) and whether it
  /// holds a NaN or Inf (§2.1, §2.2).
  linalg::GenericOp blockStatistics();
  /// Per block: the scale codes and the effective divisors.
  linalg::GenericOp scaleCodes(linalg::GenericOp stats);
  /// One i8 code per element.
  Value elementCodes(Value divPos, Value divNeg);
  /// FP4 codes two a byte along the innermost dimension (§7).
  Value packFP4(Value codes);

  RewriterBase &rewriter;
  QuantizeOp op;
  ImplicitLocOpBuilder b;
  NumericBuilder nb;
  QTensorType qt;
  ref::Format f;
  const ref::ElemInfo &info;
  Value x;
  RankedTensorType xt;
  unsigned rank, axis, nstat;
  int64_t bs;
  SmallVector<Value> sizes, ssizes;
  SmallVector<int64_t> sshape;
  Value len, g;
  SmallVector<IteratorType> par;
};

QuantizeLowering::QuantizeLowering(RewriterBase &rewriter, QuantizeOp op)
    : rewriter(rewriter), op(op), b(op.getLoc(), rewriter), nb(b),
      qt(op.getResult().getType()), f(qt.getFormat().getReferenceFormat()),
      info(ref::getElemInfo(f.elem)), x(op.getInput()),
      xt(cast<RankedTensorType>(x.getType())), rank(xt.getRank()),
      axis(qt.getAxis()), nstat(f.asymmetric ? 2 : 1), bs(f.blockSize),
      par(rank, IteratorType::parallel) {}

Value QuantizeLowering::deriveTensorScale() {
  Value amax0 = filled(b, {}, {}, nb.f32(0.0f));
  Value bad0 = filled(b, {}, {}, nb.i1(false));
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, {}, b.getContext()),
                                 AffineMap::get(rank, 0, {}, b.getContext())};
  SmallVector<IteratorType> its(rank, IteratorType::reduction);
  auto red = linalg::GenericOp::create(
      b, TypeRange{amax0.getType(), bad0.getType()}, ValueRange{x},
      ValueRange{amax0, bad0}, maps, its,
      [&](OpBuilder &ob, Location loc, ValueRange args) {
        ImplicitLocOpBuilder lb(loc, ob);
        NumericBuilder ln(lb);
        Value v = toF32(lb, args[0]);
        Value a = ln.abs(v);
        Value m = arith::MaxNumFOp::create(lb, args[1], a);
        Value bad = arith::OrIOp::create(
            lb, args[2],
            arith::XOrIOp::create(lb, ln.isFinite(v), ln.i1(true)));
        linalg::YieldOp::create(lb, ValueRange{m, bad});
      });
  Value amax = tensor::ExtractOp::create(b, red.getResult(0), ValueRange{});
  Value bad = tensor::ExtractOp::create(b, red.getResult(1), ValueRange{});
  return tensorScaleFromAmax(b, amax, bad);
}

linalg::GenericOp QuantizeLowering::blockStatistics() {
  SmallVector<Value> statInits;
  for (unsigned i = 0; i < nstat; ++i)
    statInits.push_back(filled(b, sshape, ssizes, nb.f32(0.0f)));
  statInits.push_back(filled(b, sshape, ssizes, nb.i1(false)));
  // A [bs] operand gives the block-position loop its bound.
  Value blockDummy = emptyTensor(b, {bs}, {nb.index(bs)}, b.getI8Type());
  SmallVector<AffineMap> statMaps;
  statMaps.push_back(AffineMap::get(rank + 1, 0, b.getAffineDimExpr(rank)));
  SmallVector<AffineExpr> outExprs;
  for (unsigned d = 0; d < rank; ++d)
    outExprs.push_back(b.getAffineDimExpr(d));
  for (unsigned i = 0; i <= nstat; ++i)
    statMaps.push_back(AffineMap::get(rank + 1, 0, outExprs, b.getContext()));
  SmallVector<IteratorType> statIts(rank, IteratorType::parallel);
  statIts.push_back(IteratorType::reduction);
  SmallVector<Type> statTypes;
  for (Value v : statInits)
    statTypes.push_back(v.getType());
  return linalg::GenericOp::create(
      b, statTypes, ValueRange{blockDummy}, statInits, statMaps, statIts,
      [&](OpBuilder &ob, Location loc, ValueRange args) {
        ImplicitLocOpBuilder lb(loc, ob);
        NumericBuilder ln(lb);
        SmallVector<Value> idx = loopIndices(lb, rank + 1);
        Value j = idx.pop_back_val();
        Value pos = arith::AddIOp::create(
            lb, arith::MulIOp::create(lb, idx[axis], ln.index(bs)), j);
        Value inRange = arith::CmpIOp::create(lb, CmpIPredicate::ult, pos, len);
        Value last = arith::SubIOp::create(lb, len, ln.index(1));
        idx[axis] = arith::MinUIOp::create(lb, pos, last);
        Value v = toF32(lb, tensor::ExtractOp::create(lb, x, idx));
        v = ln.select(inRange, v, ln.f32(0.0f));
        SmallVector<Value> out =
            accumulateBlockStatistics(lb, f, v, args.drop_front());
        linalg::YieldOp::create(lb, out);
      });
}

linalg::GenericOp QuantizeLowering::scaleCodes(linalg::GenericOp stats) {
  Type f32 = b.getF32Type();
  Type scaleTy = qt.getFormat().getScaleType();
  SmallVector<Value> scaleInits;
  for (unsigned i = 0; i < nstat; ++i)
    scaleInits.push_back(emptyTensor(b, sshape, ssizes, scaleTy));
  for (unsigned i = 0; i < nstat; ++i)
    scaleInits.push_back(emptyTensor(b, sshape, ssizes, f32));
  SmallVector<AffineMap> scaleMaps(2 * nstat + nstat + 1,
                                   b.getMultiDimIdentityMap(rank));
  SmallVector<Type> scaleTypes;
  for (Value v : scaleInits)
    scaleTypes.push_back(v.getType());
  return linalg::GenericOp::create(
      b, scaleTypes, stats.getResults(), scaleInits, scaleMaps, par,
      [&](OpBuilder &ob, Location loc, ValueRange args) {
        ImplicitLocOpBuilder lb(loc, ob);
        NumericBuilder ln(lb);
        Value bad = args[nstat];
        SmallVector<Value> codes, divs;
        for (unsigned i = 0; i < nstat; ++i) {
          auto [code, div] = blockScale(lb, f, args[i], bad, g);
          Value c8 = arith::TruncIOp::create(lb, lb.getI8Type(), code);
          codes.push_back(arith::BitcastOp::create(lb, scaleTy, c8));
          divs.push_back(div);
        }
        SmallVector<Value> out(codes);
        out.append(divs);
        linalg::YieldOp::create(lb, out);
      });
}

Value QuantizeLowering::elementCodes(Value divPos, Value divNeg) {
  Value codes0 = emptyTensor(b, xt.getShape(), sizes, b.getI8Type());
  auto codes = linalg::GenericOp::create(
      b, TypeRange{codes0.getType()}, ValueRange{x}, ValueRange{codes0},
      SmallVector<AffineMap>(2, b.getMultiDimIdentityMap(rank)), par,
      [&](OpBuilder &ob, Location loc, ValueRange args) {
        ImplicitLocOpBuilder lb(loc, ob);
        NumericBuilder ln(lb);
        Value v = toF32(lb, args[0]);
        SmallVector<Value> sidx = loopIndices(lb, rank);
        sidx[axis] = arith::DivUIOp::create(lb, sidx[axis], ln.index(bs));
        Value div = tensor::ExtractOp::create(lb, divPos, sidx);
        Value dn = f.asymmetric
                       ? Value(tensor::ExtractOp::create(lb, divNeg, sidx))
                       : Value();
        Value code = elementCode(lb, f, v, div, dn);
        linalg::YieldOp::create(
            lb, ValueRange{arith::TruncIOp::create(lb, lb.getI8Type(), code)});
      });

  return codes.getResult(0);
}

Value QuantizeLowering::packFP4(Value data) {
  SmallVector<int64_t> pshape = qt.getPackedShape();
  SmallVector<Value> psizes(sizes);
  Value inner = sizes.back();
  psizes.back() = arith::DivUIOp::create(
      b, arith::AddIOp::create(b, inner, nb.index(1)), nb.index(2));
  Value packed0 = emptyTensor(b, pshape, psizes, b.getI8Type());
  Value codesT = data;
  auto packed = linalg::GenericOp::create(
      b, TypeRange{packed0.getType()}, ValueRange{}, ValueRange{packed0},
      SmallVector<AffineMap>(1, b.getMultiDimIdentityMap(rank)), par,
      [&](OpBuilder &ob, Location loc, ValueRange) {
        ImplicitLocOpBuilder lb(loc, ob);
        NumericBuilder ln(lb);
        SmallVector<Value> idx = loopIndices(lb, rank);
        Value j2 = arith::MulIOp::create(lb, idx.back(), ln.index(2));
        SmallVector<Value> lo(idx), hi(idx);
        lo.back() = j2;
        Value hiPos = arith::AddIOp::create(lb, j2, ln.index(1));
        Value hiIn =
            arith::CmpIOp::create(lb, CmpIPredicate::ult, hiPos, inner);
        hi.back() = arith::MinUIOp::create(
            lb, hiPos, arith::SubIOp::create(lb, inner, ln.index(1)));
        Value cl = arith::ExtUIOp::create(
            lb, lb.getI32Type(), tensor::ExtractOp::create(lb, codesT, lo));
        Value ch = arith::ExtUIOp::create(
            lb, lb.getI32Type(), tensor::ExtractOp::create(lb, codesT, hi));
        ch = ln.select(hiIn, ch, ln.i32(0));
        Value byte = arith::OrIOp::create(
            lb, arith::AndIOp::create(lb, cl, ln.i32(0xF)),
            arith::ShLIOp::create(
                lb, arith::AndIOp::create(lb, ch, ln.i32(0xF)), ln.i32(4)));
        linalg::YieldOp::create(
            lb, ValueRange{arith::TruncIOp::create(lb, lb.getI8Type(), byte)});
      });
  return packed.getResult(0);
}

void QuantizeLowering::run() {
  b.setInsertionPoint(op);
  for (unsigned d = 0; d < rank; ++d)
    sizes.push_back(dimOf(b, x, d));
  len = sizes[axis];
  Value nBlocks = arith::DivUIOp::create(
      b, arith::AddIOp::create(b, len, nb.index(bs - 1)), nb.index(bs));
  sshape = qt.getScaleShape();
  ssizes = sizes;
  ssizes[axis] = nBlocks;

  if (f.tensorScale)
    g = op.getTensorScale() ? op.getTensorScale() : deriveTensorScale();
  linalg::GenericOp stats = blockStatistics();
  linalg::GenericOp scales = scaleCodes(stats);
  Value divPos = scales.getResult(nstat);
  Value divNeg = f.asymmetric ? scales.getResult(nstat + 1) : Value();
  Value data = elementCodes(divPos, divNeg);
  if (f.elem == ref::ElemKind::E2M1)
    data = packFP4(data);

  auto pack = PackOp::create(b, qt, data, scales.getResult(0),
                             f.asymmetric ? scales.getResult(1) : Value(),
                             f.tensorScale ? g : Value());
  rewriter.replaceOp(op, pack.getResult());
}

} // namespace

LogicalResult linalg_lowering::lowerQuantize(RewriterBase &rewriter,
                                             QuantizeOp op) {
  QuantizeLowering(rewriter, op).run();
  return success();
}
