//===- MXToLinalg.cpp - Lower mx ops to linalg/arith/scf/tensor -----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Every mx op becomes tensor-level code with the exact semantics of
// FORMATS.md: linalg.generic ops whose scalar bodies are built by
// NumericBuilder, operating on the raw storage parts of `!mx.qtensor`
// (FORMATS.md §7). Producers end in `mx.pack`, consumers start with
// `mx.unpack`; the pairs fold away, so no quantized type survives.
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXToLinalg/MXToLinalg.h"

#include "MXNumerics.h"
#include "MXParts.h"
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

using arith::CmpFPredicate;
using arith::CmpIPredicate;
using utils::IteratorType;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

Value dimOf(ImplicitLocOpBuilder &b, Value tensor, int64_t d) {
  auto t = cast<RankedTensorType>(tensor.getType());
  if (!t.isDynamicDim(d))
    return arith::ConstantIndexOp::create(b, t.getDimSize(d));
  return tensor::DimOp::create(b, tensor, d);
}

/// A tensor.empty of `shape` (dynamic entries taken from `sizes`).
Value emptyTensor(ImplicitLocOpBuilder &b, ArrayRef<int64_t> shape,
                  ArrayRef<Value> sizes, Type elemType) {
  SmallVector<Value> dyn;
  for (auto [d, s] : llvm::zip(shape, sizes))
    if (ShapedType::isDynamic(d))
      dyn.push_back(s);
  return tensor::EmptyOp::create(b, shape, elemType, dyn);
}

Value filled(ImplicitLocOpBuilder &b, ArrayRef<int64_t> shape,
             ArrayRef<Value> sizes, Value value) {
  Value e = emptyTensor(b, shape, sizes, value.getType());
  return linalg::FillOp::create(b, ValueRange{value}, ValueRange{e})
      .getResult(0);
}

SmallVector<Value> loopIndices(ImplicitLocOpBuilder &b, unsigned n) {
  SmallVector<Value> idx;
  for (unsigned i = 0; i < n; ++i)
    idx.push_back(linalg::IndexOp::create(b, i));
  return idx;
}

/// The dequantized f32 value (§2.7) of element `idx` whose block has scale
/// index `sidx`.
Value dequantValue(ImplicitLocOpBuilder &b, NumericBuilder &nb, const Parts &p,
                   ArrayRef<Value> idx, ArrayRef<Value> sidx) {
  const ref::Format &f = p.format;
  Value q = nb.decode(f.elem, fetchCode(b, nb, f, p.data, idx));
  Value sc = fetchScaleCode(b, p.pos, sidx);
  if (f.asymmetric) {
    Value positive =
        arith::CmpFOp::create(b, CmpFPredicate::OGT, q, nb.f32(0.0f));
    sc = nb.select(positive, sc, fetchScaleCode(b, p.neg, sidx));
  }
  Value s = nb.decodeScale(f.scale, sc);
  if (f.tensorScale)
    s = arith::MulFOp::create(b, p.g, s);
  return arith::MulFOp::create(b, q, s);
}

/// The logical size of dimension `d` of quantized value `q`, or null if it
/// cannot be recovered (the dynamic innermost size of packed FP4 storage).
Value logicalDim(ImplicitLocOpBuilder &b, Value q, const Parts &p, int64_t d) {
  QTensorType t = p.type;
  if (!ShapedType::isDynamic(t.getShape()[d]))
    return arith::ConstantIndexOp::create(b, t.getShape()[d]);
  bool packedDim = p.format.elem == ref::ElemKind::E2M1 && d == t.getRank() - 1;
  if (!packedDim)
    return tensor::DimOp::create(b, p.data, d);
  if (auto quant = q.getDefiningOp<QuantizeOp>())
    return tensor::DimOp::create(b, quant.getInput(), d);
  return {};
}

//===----------------------------------------------------------------------===//
// Block contribution (§6.2), shared by mx.matmul and mx.block_mac
//===----------------------------------------------------------------------===//

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
  switch (kind) {
  case ref::ElemKind::E2M1:
    return {1, 12.0};
  case ref::ElemKind::E2M3:
    return {3, 60.0};
  case ref::ElemKind::E3M2:
    return {4, 448.0};
  case ref::ElemKind::E4M3:
    return {9, 229376.0};
  case ref::ElemKind::E5M2:
    return {16, 57344.0 * 65536.0};
  case ref::ElemKind::INT8:
    return {6, 128.0};
  }
  return {16, 4294967296.0};
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

//===----------------------------------------------------------------------===//
// mx.quantize
//===----------------------------------------------------------------------===//

LogicalResult lowerQuantize(RewriterBase &rewriter, QuantizeOp op) {
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  b.setInsertionPoint(op);
  NumericBuilder nb(b);
  QTensorType qt = op.getResult().getType();
  ref::Format f = qt.getFormat().getReferenceFormat();
  const ref::ElemInfo &info = ref::getElemInfo(f.elem);
  Value x = op.getInput();
  auto xt = cast<RankedTensorType>(x.getType());
  unsigned rank = xt.getRank(), axis = qt.getAxis();
  int64_t bs = f.blockSize;
  Type f32 = b.getF32Type();

  SmallVector<Value> sizes;
  for (unsigned d = 0; d < rank; ++d)
    sizes.push_back(dimOf(b, x, d));
  Value len = sizes[axis];
  Value nBlocks = arith::DivUIOp::create(
      b, arith::AddIOp::create(b, len, nb.index(bs - 1)), nb.index(bs));
  SmallVector<int64_t> sshape = qt.getScaleShape();
  SmallVector<Value> ssizes(sizes);
  ssizes[axis] = nBlocks;

  // NVFP4 per-tensor scale g (§2.6).
  Value g;
  if (f.tensorScale) {
    if (op.getTensorScale()) {
      g = op.getTensorScale();
    } else {
      Value amax0 = filled(b, {}, {}, nb.f32(0.0f));
      Value bad0 = filled(b, {}, {}, nb.i1(false));
      SmallVector<AffineMap> maps = {
          b.getMultiDimIdentityMap(rank),
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
      Value qv = arith::DivFOp::create(b, amax, nb.f32(2688.0f));
      Value fallback = arith::OrIOp::create(
          b, bad,
          arith::OrIOp::create(
              b,
              arith::CmpFOp::create(b, CmpFPredicate::OEQ, amax, nb.f32(0.0f)),
              arith::CmpFOp::create(b, CmpFPredicate::OEQ, qv, nb.f32(0.0f))));
      g = nb.select(fallback, nb.f32(1.0f), qv);
    }
  }

  // 1. Block statistics: amax (or P and N) and the NaN/Inf flag (§2.1-2.2).
  unsigned nstat = f.asymmetric ? 2 : 1;
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
  auto stats = linalg::GenericOp::create(
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
        SmallVector<Value> out;
        if (f.asymmetric) {
          Value p = args[1], n = args[2];
          Value gtP = arith::CmpFOp::create(lb, CmpFPredicate::OGT, v, p);
          out.push_back(ln.select(gtP, v, p));
          Value nv = arith::NegFOp::create(lb, v);
          Value gtN = arith::CmpFOp::create(lb, CmpFPredicate::OGT, nv, n);
          out.push_back(ln.select(gtN, nv, n));
        } else {
          out.push_back(arith::MaxNumFOp::create(lb, args[1], ln.abs(v)));
        }
        out.push_back(arith::OrIOp::create(
            lb, args.back(),
            arith::XOrIOp::create(lb, ln.isFinite(v), ln.i1(true))));
        linalg::YieldOp::create(lb, out);
      });

  // 2. Scale codes and the effective divisors (§2.3, §2.4, §2.6).
  Type scaleTy = qt.getFormat().getScaleType();
  SmallVector<Value> scaleInits;
  for (unsigned i = 0; i < nstat; ++i)
    scaleInits.push_back(emptyTensor(b, sshape, ssizes, scaleTy));
  for (unsigned i = 0; i < nstat; ++i)
    scaleInits.push_back(emptyTensor(b, sshape, ssizes, f32));
  SmallVector<AffineMap> scaleMaps(2 * nstat + nstat + 1,
                                   b.getMultiDimIdentityMap(rank));
  SmallVector<IteratorType> par(rank, IteratorType::parallel);
  SmallVector<Type> scaleTypes;
  for (Value v : scaleInits)
    scaleTypes.push_back(v.getType());
  auto scales = linalg::GenericOp::create(
      b, scaleTypes, stats.getResults(), scaleInits, scaleMaps, par,
      [&](OpBuilder &ob, Location loc, ValueRange args) {
        ImplicitLocOpBuilder lb(loc, ob);
        NumericBuilder ln(lb);
        Value bad = args[nstat];
        SmallVector<Value> codes, divs;
        for (unsigned i = 0; i < nstat; ++i) {
          Value m = args[i];
          Value code, div;
          if (f.scale == ref::ScaleKind::E8M0) {
            code = ln.e8m0Code(f.elem, f.rule, m);
            div = ln.decodeScale(f.scale, code);
          } else if (f.tensorScale) {
            Value sb = arith::DivFOp::create(lb, m, ln.f32(info.maxValue));
            Value v = arith::DivFOp::create(lb, sb, g);
            v = arith::MaxNumFOp::create(lb, v, ln.f32(0.015625f));
            v = arith::MinNumFOp::create(lb, v, ln.f32(448.0f));
            code = ln.encode(ref::ElemKind::E4M3, f.rounding, v);
            Value s8 = ln.decode(ref::ElemKind::E4M3, code);
            div = arith::MulFOp::create(lb, g, s8);
          } else {
            ref::ElemKind sk = f.scale == ref::ScaleKind::E5M2
                                   ? ref::ElemKind::E5M2
                                   : ref::ElemKind::E4M3;
            Value s = arith::DivFOp::create(lb, m, ln.f32(info.maxValue));
            Value isZero =
                arith::CmpFOp::create(lb, CmpFPredicate::OEQ, s, ln.f32(0.0f));
            s = ln.select(isZero, ln.f32(1.0f), s);
            code = ln.encode(sk, f.rounding, s);
            div = ln.decode(sk, code);
          }
          code = ln.select(bad, ln.i32(0xFF), code);
          div = ln.select(bad, ln.f32(std::numeric_limits<float>::quiet_NaN()),
                          div);
          Value c8 = arith::TruncIOp::create(lb, lb.getI8Type(), code);
          codes.push_back(arith::BitcastOp::create(lb, scaleTy, c8));
          divs.push_back(div);
        }
        SmallVector<Value> out(codes);
        out.append(divs);
        linalg::YieldOp::create(lb, out);
      });
  Value divPos = scales.getResult(nstat);
  Value divNeg = f.asymmetric ? scales.getResult(nstat + 1) : Value();

  // 3. Element codes (one per element, i8).
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
        if (f.asymmetric) {
          Value dn = tensor::ExtractOp::create(lb, divNeg, sidx);
          Value positive =
              arith::CmpFOp::create(lb, CmpFPredicate::OGT, v, ln.f32(0.0f));
          div = ln.select(positive, div, dn);
        }
        Value qv = arith::DivFOp::create(lb, v, div);
        Value code = ln.encode(f.elem, f.rounding, qv);
        Value zeroScale =
            arith::CmpFOp::create(lb, CmpFPredicate::OEQ, div, ln.f32(0.0f));
        code = ln.select(zeroScale, ln.signedZeroCode(f.elem, v), code);
        code = ln.select(ln.isNaN(div), ln.i32(0), code);
        linalg::YieldOp::create(
            lb, ValueRange{arith::TruncIOp::create(lb, lb.getI8Type(), code)});
      });

  // 4. Packing (§7): FP4 two codes per byte along the innermost dimension.
  Value data = codes.getResult(0);
  if (f.elem == ref::ElemKind::E2M1) {
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
          linalg::YieldOp::create(lb, ValueRange{arith::TruncIOp::create(
                                          lb, lb.getI8Type(), byte)});
        });
    data = packed.getResult(0);
  }

  auto pack = PackOp::create(b, qt, data, scales.getResult(0),
                             f.asymmetric ? scales.getResult(1) : Value(),
                             f.tensorScale ? g : Value());
  rewriter.replaceOp(op, pack.getResult());
  return success();
}

//===----------------------------------------------------------------------===//
// mx.dequantize
//===----------------------------------------------------------------------===//

LogicalResult lowerDequantize(RewriterBase &rewriter, DequantizeOp op) {
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  b.setInsertionPoint(op);
  NumericBuilder nb(b);
  Parts p = unpack(b, op.getInput());
  auto rt = cast<RankedTensorType>(op.getResult().getType());
  unsigned rank = rt.getRank(), axis = p.type.getAxis();
  int64_t bs = p.format.blockSize;
  SmallVector<Value> sizes;
  for (unsigned d = 0; d < rank; ++d) {
    Value s = logicalDim(b, op.getInput(), p, d);
    if (!s)
      return op.emitOpError("cannot recover the dynamic innermost size of a "
                            "packed FP4 tensor; give it a static size or "
                            "dequantize the mx.quantize result directly");
    sizes.push_back(s);
  }
  Value out0 = emptyTensor(b, rt.getShape(), sizes, rt.getElementType());
  SmallVector<IteratorType> par(rank, IteratorType::parallel);
  auto g = linalg::GenericOp::create(
      b, TypeRange{rt}, ValueRange{}, ValueRange{out0},
      SmallVector<AffineMap>(1, b.getMultiDimIdentityMap(rank)), par,
      [&](OpBuilder &ob, Location loc, ValueRange) {
        ImplicitLocOpBuilder lb(loc, ob);
        NumericBuilder ln(lb);
        SmallVector<Value> idx = loopIndices(lb, rank);
        SmallVector<Value> sidx(idx);
        sidx[axis] = arith::DivUIOp::create(lb, sidx[axis], ln.index(bs));
        Value y = dequantValue(lb, ln, p, idx, sidx);
        linalg::YieldOp::create(
            lb, ValueRange{fromF32(lb, y, rt.getElementType())});
      });
  rewriter.replaceOp(op, g.getResult(0));
  return success();
}

//===----------------------------------------------------------------------===//
// mx.matmul
//===----------------------------------------------------------------------===//

LogicalResult lowerMatmul(RewriterBase &rewriter, MatmulOp op) {
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

LogicalResult lowerBlockMac(RewriterBase &rewriter, BlockMacOp op) {
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
    // The kernel primitives (mx.x86.*, mx.nvvm.*) work on vectors and
    // buffers, not on quantized values: later passes lower them.
    if (isa<MXDialect>(op->getDialect()) &&
        !isa<X86LookupOp, X86DotU8S8Op, NVVMMmaBlockScaleOp,
             NVVMTcgen05MatmulOp>(op)) {
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
