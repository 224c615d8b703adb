//===- QuantizeScalar.cpp - The quantization steps of one block -----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MX/Utils/QuantizeScalar.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <limits>

using namespace mlir;
using namespace mlir::mx;
namespace ref = ::mx::ref;
using arith::CmpFPredicate;

SmallVector<Value> mlir::mx::initialBlockStatistics(ImplicitLocOpBuilder &b,
                                                    const ref::Format &f) {
  NumericBuilder nb(b);
  SmallVector<Value> s(f.asymmetric ? 2 : 1, nb.f32(0.0f));
  s.push_back(nb.i1(false));
  return s;
}

Value mlir::mx::tensorScaleFromAmax(ImplicitLocOpBuilder &b, Value amax,
                                    Value bad) {
  NumericBuilder nb(b);
  Value q = arith::DivFOp::create(b, amax, nb.f32(ref::kNVFP4TensorScaleDivisor));
  Value fallback = arith::OrIOp::create(
      b, bad,
      arith::OrIOp::create(
          b, arith::CmpFOp::create(b, CmpFPredicate::OEQ, amax, nb.f32(0.0f)),
          arith::CmpFOp::create(b, CmpFPredicate::OEQ, q, nb.f32(0.0f))));
  return nb.select(fallback, nb.f32(1.0f), q);
}

SmallVector<Value> mlir::mx::accumulateBlockStatistics(ImplicitLocOpBuilder &b,
                                                       const ref::Format &f,
                                                       Value v,
                                                       ValueRange stats) {
  NumericBuilder nb(b);
  SmallVector<Value> out;
  if (f.asymmetric) {
    Value p = stats[0], n = stats[1];
    Value gtP = arith::CmpFOp::create(b, CmpFPredicate::OGT, v, p);
    out.push_back(nb.select(gtP, v, p));
    Value nv = arith::NegFOp::create(b, v);
    Value gtN = arith::CmpFOp::create(b, CmpFPredicate::OGT, nv, n);
    out.push_back(nb.select(gtN, nv, n));
  } else {
    out.push_back(arith::MaxNumFOp::create(b, stats[0], nb.abs(v)));
  }
  out.push_back(arith::OrIOp::create(
      b, stats.back(), arith::XOrIOp::create(b, nb.isFinite(v), nb.i1(true))));
  return out;
}

std::pair<Value, Value> mlir::mx::blockScale(ImplicitLocOpBuilder &b,
                                             const ref::Format &f, Value m,
                                             Value bad, Value g) {
  NumericBuilder nb(b);
  const ref::ElemInfo &info = ref::getElemInfo(f.elem);
  Value code, div;
  if (f.scale == ref::ScaleKind::E8M0) {
    code = nb.e8m0Code(f.elem, f.rule, m);
    div = nb.decodeScale(f.scale, code);
  } else if (f.tensorScale) {
    Value sb = arith::DivFOp::create(b, m, nb.f32(info.maxValue));
    Value v = arith::DivFOp::create(b, sb, g);
    v = arith::MaxNumFOp::create(b, v, nb.f32(ref::kNVFP4BlockScaleMin));
    v = arith::MinNumFOp::create(b, v, nb.f32(ref::kNVFP4BlockScaleMax));
    code = nb.encode(ref::ElemKind::E4M3, f.rounding, v);
    Value s8 = nb.decode(ref::ElemKind::E4M3, code);
    div = arith::MulFOp::create(b, g, s8);
  } else {
    ref::ElemKind sk = f.scale == ref::ScaleKind::E5M2 ? ref::ElemKind::E5M2
                                                       : ref::ElemKind::E4M3;
    Value s = arith::DivFOp::create(b, m, nb.f32(info.maxValue));
    Value isZero =
        arith::CmpFOp::create(b, CmpFPredicate::OEQ, s, nb.f32(0.0f));
    s = nb.select(isZero, nb.f32(1.0f), s);
    code = nb.encode(sk, f.rounding, s);
    div = nb.decode(sk, code);
  }
  code = nb.select(bad, nb.i32(ref::kNaNBlockScaleCode), code);
  div = nb.select(bad, nb.f32(std::numeric_limits<float>::quiet_NaN()), div);
  return {code, div};
}

Value mlir::mx::elementCode(ImplicitLocOpBuilder &b, const ref::Format &f,
                            Value v, Value div, Value divNeg) {
  NumericBuilder nb(b);
  if (f.asymmetric) {
    Value positive =
        arith::CmpFOp::create(b, CmpFPredicate::OGT, v, nb.f32(0.0f));
    div = nb.select(positive, div, divNeg);
  }
  Value qv = arith::DivFOp::create(b, v, div);
  Value code = nb.encode(f.elem, f.rounding, qv);
  Value zeroScale =
      arith::CmpFOp::create(b, CmpFPredicate::OEQ, div, nb.f32(0.0f));
  code = nb.select(zeroScale, nb.signedZeroCode(f.elem, v), code);
  return nb.select(nb.isNaN(div), nb.i32(0), code);
}
