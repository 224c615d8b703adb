//===- Matmul.cpp - Lower mx.matmul and mx.block_mac to linalg ------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Both ops add block contributions c_b (Spec §6.2) in ascending block order;
// blockContribution forms one exactly: integer sums of the scaled codes,
// one rounding to f32, the terms in the order of §6.2.
//
//===----------------------------------------------------------------------===//

#include "Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <functional>
#include <limits>

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::linalg_lowering;
namespace ref = ::mx::ref;

using arith::CmpFPredicate;
using arith::CmpIPredicate;
using utils::IteratorType;

//===----------------------------------------------------------------------===//
// Block contribution (§6.2), shared by mx.matmul and mx.block_mac
//===----------------------------------------------------------------------===//

namespace {

/// How to reach one operand's elements and scales for one block.
struct BlockView {
  const Parts *parts;
  /// Logical element index for position k along K.
  std::function<SmallVector<Value>(Value k)> elemIndex;
  /// Scale-array index of the block.
  SmallVector<Value> scaleIndex;
};

/// c_b for positions [k0, k1) of the two views.
/// Exponent u such that every value of `kind` times 2^u is an integer, and
/// the largest such integer.
std::pair<int, double> unitScale(ref::ElemKind kind) {
  const ref::ElemInfo &info = ref::getElemInfo(kind);
  return {info.unitExp, info.unitMax};
}

Value blockContribution(ImplicitLocOpBuilder &b, NumericBuilder &nb,
                        const BlockView &va, const BlockView &vb, Value k0,
                        Value k1) {
  const ref::Format &fa = va.parts->format, &fb = vb.parts->format;
  // The exact group sums S are integers in units of 2^-(ua+ub). Use the
  // narrowest integer type that holds a whole block's sum (i32 for FP4 x FP4
  // and INT8 x INT8, i64 for most FP8 pairs, i128 for E5M2 x E5M2): the
  // single rounding fp32(S) is then one correctly rounded integer-to-float
  // conversion and an exact scaling by a power of two.
  auto [ua, ma] = unitScale(fa.elem);
  auto [ub, mb] = unitScale(fb.elem);
  double bound = ma * mb * (double)fa.blockSize;
  unsigned width = bound < 2147483648.0 ? 32 : bound < 4.6e18 ? 64 : 128;
  auto toUnits = [&](ImplicitLocOpBuilder &lb, NumericBuilder &ln, Value v,
                     int u) -> Value {
    if (width == 128)
      return ln.units(v);
    Value scaled = arith::MulFOp::create(lb, v, ln.f32(std::ldexp(1.0f, u)));
    return arith::FPToSIOp::create(lb, lb.getIntegerType(width), scaled);
  };
  auto zeroOf = [&](NumericBuilder &ln) -> Value {
    if (width == 128)
      return ln.i128(0);
    return width == 64 ? ln.i64(0) : ln.i32(0);
  };
  SmallVector<Value> inits(4, zeroOf(nb));
  inits.push_back(nb.i1(false));
  auto loop = scf::ForOp::create(
      b, k0, k1, nb.index(1), inits,
      [&](OpBuilder &ob, Location loc, Value k, ValueRange iter) {
        ImplicitLocOpBuilder lb(loc, ob);
        NumericBuilder ln(lb);
        Value xa = ln.decode(
            fa.elem, fetchCode(lb, ln, fa, va.parts->data, va.elemIndex(k)));
        Value xb = ln.decode(
            fb.elem, fetchCode(lb, ln, fb, vb.parts->data, vb.elemIndex(k)));
        Value fin = arith::AndIOp::create(lb, ln.isFinite(xa), ln.isFinite(xb));
        Value ia = toUnits(lb, ln, ln.select(fin, xa, ln.f32(0.0f)), ua);
        Value ib = toUnits(lb, ln, ln.select(fin, xb, ln.f32(0.0f)), ub);
        Value prod = arith::MulIOp::create(lb, ia, ib);
        Value zero = zeroOf(ln);
        // Group of each element: + (value > 0) or - (the rest).
        Value negA = fa.asymmetric
                         ? arith::CmpFOp::create(lb, CmpFPredicate::ULE, xa,
                                                 ln.f32(0.0f))
                         : ln.i1(false);
        Value negB = fb.asymmetric
                         ? arith::CmpFOp::create(lb, CmpFPredicate::ULE, xb,
                                                 ln.f32(0.0f))
                         : ln.i1(false);
        SmallVector<Value> next;
        for (int ga = 0; ga < 2; ++ga)
          for (int gb = 0; gb < 2; ++gb) {
            Value inA =
                ga ? negA : arith::XOrIOp::create(lb, negA, ln.i1(true));
            Value inB =
                gb ? negB : arith::XOrIOp::create(lb, negB, ln.i1(true));
            Value sel = arith::AndIOp::create(lb, inA, inB);
            next.push_back(arith::AddIOp::create(lb, iter[ga * 2 + gb],
                                                 ln.select(sel, prod, zero)));
          }
        Value notFin = arith::XOrIOp::create(lb, fin, ln.i1(true));
        next.push_back(arith::OrIOp::create(lb, iter[4], notFin));
        scf::YieldOp::create(lb, next);
      });
  auto sum32 = [&](Value sum) -> Value {
    if (width == 128)
      return nb.sumToF32(sum);
    Value f = arith::SIToFPOp::create(b, b.getF32Type(), sum);
    return arith::MulFOp::create(b, f, nb.f32(std::ldexp(1.0f, -(ua + ub))));
  };
  auto scaleOf = [&](const BlockView &v, bool negGroup) {
    const Parts &p = *v.parts;
    Value arr = (negGroup && p.format.asymmetric) ? p.neg : p.pos;
    return nb.decodeScale(p.format.scale, fetchScaleCode(b, arr, v.scaleIndex));
  };
  Value saP = scaleOf(va, false), saN = scaleOf(va, true);
  Value sbP = scaleOf(vb, false), sbN = scaleOf(vb, true);
  Value bad = loop.getResult(4);
  for (Value s : {saP, saN, sbP, sbN})
    bad = arith::OrIOp::create(b, bad, nb.isNaN(s));
  Value c;
  for (int ga = 0; ga < (fa.asymmetric ? 2 : 1); ++ga)
    for (int gb = 0; gb < (fb.asymmetric ? 2 : 1); ++gb) {
      Value s32 = sum32(loop.getResult(ga * 2 + gb));
      Value t = arith::MulFOp::create(
          b, arith::MulFOp::create(b, s32, ga ? saN : saP), gb ? sbN : sbP);
      c = c ? Value(arith::AddFOp::create(b, c, t)) : t;
    }
  return nb.select(bad, nb.f32(std::numeric_limits<float>::quiet_NaN()), c);
}

} // namespace

//===----------------------------------------------------------------------===//
// mx.matmul
//===----------------------------------------------------------------------===//

LogicalResult linalg_lowering::lowerMatmul(RewriterBase &rewriter,
                                           MatmulOp op) {
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  b.setInsertionPoint(op);
  NumericBuilder nb(b);
  Parts pa = unpack(b, op.getLhs());
  Parts pb = unpack(b, op.getRhs());
  Value acc = op.getAcc();
  auto rt = cast<RankedTensorType>(op.getResult().getType());
  unsigned rank = rt.getRank(), nbatch = rank - 2;
  Value kSize = dimOf(b, pb.data, nbatch); // B[..,K,N] is packed along N
  SmallVector<Value> sizes;
  for (unsigned d = 0; d < rank; ++d)
    sizes.push_back(dimOf(b, acc, d));
  int64_t bs = pa.format.blockSize;
  Value nBlocks = arith::DivUIOp::create(
      b, arith::AddIOp::create(b, kSize, nb.index(bs - 1)), nb.index(bs));
  bool emulate = op.getMode() == MatmulMode::emulate;
  Value out0 = emptyTensor(b, rt.getShape(), sizes, rt.getElementType());
  SmallVector<IteratorType> par(rank, IteratorType::parallel);
  auto gen = linalg::GenericOp::create(
      b, TypeRange{rt}, ValueRange{acc}, ValueRange{out0},
      SmallVector<AffineMap>(2, b.getMultiDimIdentityMap(rank)), par,
      [&](OpBuilder &ob, Location loc, ValueRange args) {
        ImplicitLocOpBuilder lb(loc, ob);
        NumericBuilder ln(lb);
        SmallVector<Value> idx = loopIndices(lb, rank);
        SmallVector<Value> batch(idx.begin(), idx.begin() + nbatch);
        Value m = idx[nbatch], n = idx[nbatch + 1];
        auto at = [&](Value x, Value y) {
          SmallVector<Value> v(batch);
          v.push_back(x);
          v.push_back(y);
          return v;
        };
        Value r;
        if (emulate) {
          auto loop = scf::ForOp::create(
              lb, ln.index(0), kSize, ln.index(1), ValueRange{ln.f32(0.0f)},
              [&](OpBuilder &fb, Location floc, Value k, ValueRange iter) {
                ImplicitLocOpBuilder kb(floc, fb);
                NumericBuilder kn(kb);
                Value bk = arith::DivUIOp::create(kb, k, kn.index(bs));
                Value ya = dequantValue(kb, kn, pa, at(m, k), at(m, bk));
                Value yb = dequantValue(kb, kn, pb, at(k, n), at(bk, n));
                Value prod = arith::MulFOp::create(kb, ya, yb);
                scf::YieldOp::create(
                    kb, ValueRange{arith::AddFOp::create(kb, iter[0], prod)});
              });
          r = loop.getResult(0);
        } else {
          auto loop = scf::ForOp::create(
              lb, ln.index(0), nBlocks, ln.index(1), ValueRange{ln.f32(0.0f)},
              [&](OpBuilder &fb, Location floc, Value blk, ValueRange iter) {
                ImplicitLocOpBuilder kb(floc, fb);
                NumericBuilder kn(kb);
                Value k0 = arith::MulIOp::create(kb, blk, kn.index(bs));
                Value k1 = arith::MinUIOp::create(
                    kb, arith::AddIOp::create(kb, k0, kn.index(bs)), kSize);
                BlockView va{&pa, [&](Value k) { return at(m, k); },
                             at(m, blk)};
                BlockView vb{&pb, [&](Value k) { return at(k, n); },
                             at(blk, n)};
                Value c = blockContribution(kb, kn, va, vb, k0, k1);
                scf::YieldOp::create(
                    kb, ValueRange{arith::AddFOp::create(kb, iter[0], c)});
              });
          r = loop.getResult(0);
          if (pa.format.tensorScale)
            r = arith::MulFOp::create(lb, r, pa.g);
          if (pb.format.tensorScale)
            r = arith::MulFOp::create(lb, r, pb.g);
        }
        Value fin = arith::AddFOp::create(lb, toF32(lb, args[0]), r);
        linalg::YieldOp::create(
            lb, ValueRange{fromF32(lb, fin, rt.getElementType())});
      });
  rewriter.replaceOp(op, gen.getResult(0));
  return success();
}

//===----------------------------------------------------------------------===//
// mx.block_mac
//===----------------------------------------------------------------------===//

LogicalResult linalg_lowering::lowerBlockMac(RewriterBase &rewriter,
                                             BlockMacOp op) {
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  b.setInsertionPoint(op);
  NumericBuilder nb(b);
  Parts pa = unpack(b, op.getLhs());
  Parts pb = unpack(b, op.getRhs());
  Value zero = nb.index(0);
  BlockView va{&pa, [](Value k) { return SmallVector<Value>{k}; }, {zero}};
  BlockView vb{&pb, [](Value k) { return SmallVector<Value>{k}; }, {zero}};
  Value c =
      blockContribution(b, nb, va, vb, zero, nb.index(pa.type.getShape()[0]));
  rewriter.replaceOp(op, arith::AddFOp::create(b, op.getAcc(), c).getResult());
  return success();
}
