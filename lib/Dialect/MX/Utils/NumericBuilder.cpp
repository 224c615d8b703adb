//===- NumericBuilder.cpp - IR builders for the spec numerics -------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MX/Utils/NumericBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace mlir::mx;
namespace ref = ::mx::ref;

using arith::CmpFPredicate;
using arith::CmpIPredicate;

Value NumericBuilder::i1(bool v) {
  return arith::ConstantIntOp::create(b, v ? 1 : 0, 1);
}
Value NumericBuilder::i32(int64_t v) {
  return arith::ConstantIntOp::create(b, v, 32);
}
Value NumericBuilder::i64(int64_t v) {
  return arith::ConstantIntOp::create(b, v, 64);
}
Value NumericBuilder::i128(int64_t v) {
  return arith::ConstantIntOp::create(b, v, 128);
}
Value NumericBuilder::f32(float v) {
  return arith::ConstantFloatOp::create(b, b.getF32Type(), APFloat(v));
}
Value NumericBuilder::index(int64_t v) {
  return arith::ConstantIndexOp::create(b, v);
}
Value NumericBuilder::select(Value cond, Value a, Value c) {
  return arith::SelectOp::create(b, cond, a, c);
}

Value NumericBuilder::bits(Value v) {
  return arith::BitcastOp::create(b, b.getI32Type(), v);
}
Value NumericBuilder::fromBits(Value v) {
  return arith::BitcastOp::create(b, b.getF32Type(), v);
}
Value NumericBuilder::signBit(Value v) {
  return arith::ShRUIOp::create(b, bits(v), i32(31));
}
Value NumericBuilder::isNaN(Value v) {
  return arith::CmpFOp::create(b, CmpFPredicate::UNO, v, v);
}
Value NumericBuilder::abs(Value v) {
  return fromBits(arith::AndIOp::create(b, bits(v), i32(0x7FFFFFFF)));
}
Value NumericBuilder::isFinite(Value v) {
  Value a = abs(v);
  // ordered and < +Inf
  return arith::CmpFOp::create(b, CmpFPredicate::OLT, a,
                               f32(std::numeric_limits<float>::infinity()));
}

Value NumericBuilder::encode(ref::ElemKind kind, ref::Rounding mode, Value v) {
  const ref::ElemInfo &info = ref::getElemInfo(kind);
  Value w = bits(v);
  Value sign = arith::ShRUIOp::create(b, w, i32(31));
  Value e32 = arith::AndIOp::create(b, arith::ShRUIOp::create(b, w, i32(23)),
                                    i32(0xFF));
  Value m32 = arith::AndIOp::create(b, w, i32(0x7FFFFF));
  Value isSub = arith::CmpIOp::create(b, CmpIPredicate::eq, e32, i32(0));
  // Significand S and exponent ea with |v| = S * 2^ea.
  Value s = select(isSub, m32, arith::OrIOp::create(b, m32, i32(0x800000)));
  Value ea = arith::SubIOp::create(b, select(isSub, i32(1), e32), i32(150));

  // Exponent of the quantum ulp = 2^q.
  Value q;
  if (info.isInt) {
    q = i32(-6);
  } else {
    Value e = arith::MaxSIOp::create(b, arith::SubIOp::create(b, e32, i32(127)),
                                     i32(1 - info.bias));
    q = arith::SubIOp::create(b, e, i32(info.mbits));
  }
  // n = S * 2^(ea - q) = S >> shift; shift >= 17 for every in-range input,
  // and a shift beyond 25 rounds to 0 exactly like 25 does (S < 2^24).
  Value shift = arith::SubIOp::create(b, q, ea);
  shift = arith::MinSIOp::create(b, arith::MaxSIOp::create(b, shift, i32(1)),
                                 i32(25));
  Value k = arith::ShRUIOp::create(b, s, shift);
  Value one = i32(1);
  Value mask =
      arith::SubIOp::create(b, arith::ShLIOp::create(b, one, shift), one);
  Value rem = arith::AndIOp::create(b, s, mask);
  Value half =
      arith::ShLIOp::create(b, one, arith::SubIOp::create(b, shift, one));
  Value up;
  if (mode == ref::Rounding::RNE) {
    Value gt = arith::CmpIOp::create(b, CmpIPredicate::ugt, rem, half);
    Value eq = arith::CmpIOp::create(b, CmpIPredicate::eq, rem, half);
    Value odd = arith::CmpIOp::create(b, CmpIPredicate::ne,
                                      arith::AndIOp::create(b, k, one), i32(0));
    up = arith::OrIOp::create(b, gt, arith::AndIOp::create(b, eq, odd));
  } else {
    up = arith::CmpIOp::create(b, CmpIPredicate::uge, rem, half);
  }
  k = arith::AddIOp::create(b, k,
                            arith::ExtUIOp::create(b, b.getI32Type(), up));

  if (info.isInt) {
    // |v| >= 2 (including Inf) saturates; otherwise k <= 128 before the clamp.
    Value big = arith::CmpIOp::create(b, CmpIPredicate::uge, e32, i32(128));
    k = select(big, i32(127), arith::MinSIOp::create(b, k, i32(127)));
    Value neg = arith::SubIOp::create(b, i32(0), k);
    Value code = select(
        arith::CmpIOp::create(b, CmpIPredicate::ne, sign, i32(0)), neg, k);
    return arith::AndIOp::create(b, code, i32(0xFF));
  }
  // code = ((e + bias) << m) + k - 2^m, uniformly for subnormal and normal
  // results (a carry into the exponent is a carry of the code), saturated.
  Value e = arith::AddIOp::create(b, q, i32(info.mbits));
  Value codeMag = arith::AddIOp::create(
      b,
      arith::ShLIOp::create(b, arith::AddIOp::create(b, e, i32(info.bias)),
                            i32(info.mbits)),
      arith::SubIOp::create(b, k, i32(1 << info.mbits)));
  int maxCode = ref::encodeElem(kind, info.maxValue);
  codeMag = arith::MinSIOp::create(b, codeMag, i32(maxCode));
  return arith::OrIOp::create(
      b, codeMag, arith::ShLIOp::create(b, sign, i32(info.bits - 1)));
}

Value NumericBuilder::signedZeroCode(ref::ElemKind kind, Value x) {
  const ref::ElemInfo &info = ref::getElemInfo(kind);
  if (info.isInt)
    return i32(0);
  return arith::ShLIOp::create(b, signBit(x), i32(info.bits - 1));
}

Value NumericBuilder::decode(ref::ElemKind kind, Value code) {
  const ref::ElemInfo &info = ref::getElemInfo(kind);
  if (info.isInt) {
    Value c8 = arith::TruncIOp::create(b, b.getI8Type(), code);
    Value f = arith::SIToFPOp::create(b, b.getF32Type(), c8);
    return arith::MulFOp::create(b, f, f32(1.0f / 64.0f));
  }
  unsigned eb = info.ebits, mb = info.mbits;
  Value sign = arith::AndIOp::create(
      b, arith::ShRUIOp::create(b, code, i32(eb + mb)), i32(1));
  Value e = arith::AndIOp::create(b, arith::ShRUIOp::create(b, code, i32(mb)),
                                  i32((1 << eb) - 1));
  Value m = arith::AndIOp::create(b, code, i32((1 << mb) - 1));
  // Subnormal: m * 2^(1 - bias - mb), exact.
  Value sub =
      arith::MulFOp::create(b, arith::UIToFPOp::create(b, b.getF32Type(), m),
                            f32(std::ldexp(1.0f, 1 - info.bias - (int)mb)));
  // Normal: build the binary32 bits.
  Value nbits = arith::OrIOp::create(
      b,
      arith::ShLIOp::create(
          b, arith::AddIOp::create(b, e, i32(127 - info.bias)), i32(23)),
      arith::ShLIOp::create(b, m, i32(23 - mb)));
  Value mag = select(arith::CmpIOp::create(b, CmpIPredicate::eq, e, i32(0)),
                     sub, fromBits(nbits));
  if (kind == ref::ElemKind::E5M2) {
    Value eAll = arith::CmpIOp::create(b, CmpIPredicate::eq, e, i32(31));
    Value mZero = arith::CmpIOp::create(b, CmpIPredicate::eq, m, i32(0));
    Value special = select(mZero, f32(std::numeric_limits<float>::infinity()),
                           f32(std::numeric_limits<float>::quiet_NaN()));
    mag = select(eAll, special, mag);
  } else if (kind == ref::ElemKind::E4M3) {
    Value nan = arith::CmpIOp::create(b, CmpIPredicate::eq,
                                      arith::AndIOp::create(b, code, i32(0x7F)),
                                      i32(0x7F));
    mag = select(nan, f32(std::numeric_limits<float>::quiet_NaN()), mag);
  }
  Value neg = arith::NegFOp::create(b, mag);
  return select(arith::CmpIOp::create(b, CmpIPredicate::ne, sign, i32(0)), neg,
                mag);
}

Value NumericBuilder::decodeScale(ref::ScaleKind kind, Value code) {
  if (kind == ref::ScaleKind::E5M2)
    return decode(ref::ElemKind::E5M2, code);
  if (kind == ref::ScaleKind::E4M3)
    return decode(ref::ElemKind::E4M3, code);
  Value c = arith::AndIOp::create(b, code, i32(0xFF));
  Value v = select(arith::CmpIOp::create(b, CmpIPredicate::eq, c, i32(0)),
                   i32(0x00400000), arith::ShLIOp::create(b, c, i32(23)));
  v = select(arith::CmpIOp::create(b, CmpIPredicate::eq, c, i32(0xFF)),
             i32(0x7FC00000), v);
  return fromBits(v);
}

Value NumericBuilder::splat(VectorType t, int64_t v) {
  return arith::ConstantOp::create(
      b, DenseElementsAttr::get(
             t, IntegerAttr::get(t.getElementType(),
                                 APInt(t.getElementTypeBitWidth(), v,
                                       /*isSigned=*/true))));
}

Value NumericBuilder::splatF32(int64_t n, float v) {
  auto t = VectorType::get({n}, b.getF32Type());
  return arith::ConstantOp::create(
      b, DenseElementsAttr::get(t, b.getF32FloatAttr(v)));
}

Value NumericBuilder::decodeScaleVector(ref::ScaleKind kind, Value codes) {
  const int64_t n = cast<VectorType>(codes.getType()).getNumElements();
  auto i32v = VectorType::get({n}, b.getI32Type());
  auto f32v = VectorType::get({n}, b.getF32Type());
  if (kind == ref::ScaleKind::E5M2) {
    // E5M2 is the upper byte of a binary16: the conversion is exact.
    auto i16v = VectorType::get({n}, b.getI16Type());
    Value w = arith::ExtUIOp::create(b, i16v, codes);
    w = arith::ShLIOp::create(b, w, splat(i16v, 8));
    Value h =
        arith::BitcastOp::create(b, VectorType::get({n}, b.getF16Type()), w);
    return arith::ExtFOp::create(b, f32v, h, /*fastmath=*/nullptr);
  }
  Value c = arith::ExtUIOp::create(b, i32v, codes);
  if (kind == ref::ScaleKind::E4M3) {
    // Sign and the 7 low bits moved into binary32 position give the value
    // times 2^-120 (subnormal codes become binary32 subnormals); the
    // multiplication by 2^120 is exact. 0x7F / 0xFF are NaN.
    Value mag = arith::AndIOp::create(b, c, splat(i32v, 0x7F));
    Value sign = arith::ShLIOp::create(
        b, arith::AndIOp::create(b, c, splat(i32v, 0x80)), splat(i32v, 24));
    Value bits = arith::OrIOp::create(
        b, arith::ShLIOp::create(b, mag, splat(i32v, 20)), sign);
    Value v = arith::MulFOp::create(b, arith::BitcastOp::create(b, f32v, bits),
                                    splatF32(n, 0x1p120f));
    Value nan = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, mag,
                                      splat(i32v, 0x7F));
    return arith::SelectOp::create(b, nan, splatF32(n, NAN), v);
  }
  // E8M0: 2^(c-127); 0x00 is 2^-127 (a binary32 subnormal), 0xFF is NaN.
  Value v = arith::ShLIOp::create(b, c, splat(i32v, 23));
  v = arith::SelectOp::create(
      b, arith::CmpIOp::create(b, arith::CmpIPredicate::eq, c, splat(i32v, 0)),
      splat(i32v, 0x00400000), v);
  v = arith::SelectOp::create(
      b,
      arith::CmpIOp::create(b, arith::CmpIPredicate::eq, c, splat(i32v, 0xFF)),
      splat(i32v, 0x7FC00000), v);
  return arith::BitcastOp::create(b, f32v, v);
}

Value NumericBuilder::e8m0Code(ref::ElemKind elem, ref::ScaleRule rule,
                               Value amax) {
  const ref::ElemInfo &info = ref::getElemInfo(elem);
  Value w = bits(amax);
  Value e32 = arith::ShRUIOp::create(b, w, i32(23));
  Value m32 = arith::AndIOp::create(b, w, i32(0x7FFFFF));
  Value isSub = arith::CmpIOp::create(b, CmpIPredicate::eq, e32, i32(0));
  // Subnormal amax: the leading bit of m32 is at position p = 31 - clz.
  Value p = arith::SubIOp::create(b, i32(31),
                                  math::CountLeadingZerosOp::create(b, m32));
  Value eSub = arith::SubIOp::create(b, p, i32(149));
  Value eNorm = arith::SubIOp::create(b, e32, i32(127));
  Value e = select(isSub, eSub, eNorm);
  Value expVal;
  switch (rule) {
  case ref::ScaleRule::Floor:
  case ref::ScaleRule::Nearest:
    expVal = e;
    break;
  case ref::ScaleRule::Ceil: {
    // A power of two has a single significant bit.
    Value one = i32(1);
    Value single = arith::CmpIOp::create(
        b, CmpIPredicate::eq,
        arith::AndIOp::create(b, m32, arith::SubIOp::create(b, m32, one)),
        i32(0));
    Value pow2 =
        select(isSub, single,
               arith::CmpIOp::create(b, CmpIPredicate::eq, m32, i32(0)));
    expVal = select(pow2, e, arith::AddIOp::create(b, e, one));
    break;
  }
  case ref::ScaleRule::Even: {
    // Normalized 23-bit fraction of amax; bump when sig >= 2 - 2^-(t+1).
    Value shl = arith::SubIOp::create(b, i32(23), p);
    Value fracSub = arith::AndIOp::create(
        b,
        arith::ShLIOp::create(b, m32, arith::MaxSIOp::create(b, shl, i32(0))),
        i32(0x7FFFFF));
    Value frac = select(isSub, fracSub, m32);
    int64_t thr = (1 << 23) - (1 << (22 - info.evenBits));
    Value bump = arith::CmpIOp::create(b, CmpIPredicate::sge, frac, i32(thr));
    expVal = select(bump, arith::AddIOp::create(b, e, i32(1)), e);
    break;
  }
  case ref::ScaleRule::RCeil:
    break;
  }
  Value E;
  if (rule == ref::ScaleRule::RCeil) {
    Value d = arith::DivFOp::create(b, amax, f32(info.maxValue));
    Value dw = bits(d);
    Value de = arith::ShRUIOp::create(b, dw, i32(23));
    Value dm = arith::AndIOp::create(b, dw, i32(0x7FFFFF));
    Value normal = arith::AddIOp::create(
        b, arith::SubIOp::create(b, de, i32(127)),
        arith::ExtUIOp::create(
            b, b.getI32Type(),
            arith::CmpIOp::create(b, CmpIPredicate::ne, dm, i32(0))));
    Value subE = select(
        arith::CmpIOp::create(b, CmpIPredicate::ule, dw, i32(0x00400000)),
        i32(-127), i32(-126));
    E = select(arith::CmpIOp::create(b, CmpIPredicate::eq, de, i32(0)), subE,
               normal);
  } else {
    E = arith::SubIOp::create(b, expVal, i32(info.emax));
  }
  E = arith::MinSIOp::create(b, arith::MaxSIOp::create(b, E, i32(-127)),
                             i32(127));
  Value code = arith::AddIOp::create(b, E, i32(127));
  Value zero = arith::CmpFOp::create(b, CmpFPredicate::OEQ, amax, f32(0.0f));
  return select(zero, i32(0), code);
}

Value NumericBuilder::units(Value value) {
  Value scaled = arith::MulFOp::create(b, value, f32(65536.0f));
  Value i = arith::FPToSIOp::create(b, b.getI64Type(), scaled);
  return arith::ExtSIOp::create(b, b.getIntegerType(128), i);
}

Value NumericBuilder::sumToF32(Value s) {
  Type t128 = b.getIntegerType(128);
  Value zero = i128(0);
  Value neg = arith::CmpIOp::create(b, CmpIPredicate::slt, s, zero);
  Value m = select(neg, arith::SubIOp::create(b, zero, s), s);
  Value lz = math::CountLeadingZerosOp::create(b, m);
  Value bitLen = arith::SubIOp::create(b, i128(128), lz);
  // Drop all but 24 significant bits, rounding to nearest even.
  Value shift = arith::MaxSIOp::create(
      b, arith::SubIOp::create(b, bitLen, i128(24)), zero);
  Value q = arith::ShRUIOp::create(b, m, shift);
  Value one = i128(1);
  Value mask =
      arith::SubIOp::create(b, arith::ShLIOp::create(b, one, shift), one);
  Value rem = arith::AndIOp::create(b, m, mask);
  Value half =
      arith::ShRUIOp::create(b, arith::ShLIOp::create(b, one, shift), one);
  Value gt = arith::CmpIOp::create(b, CmpIPredicate::ugt, rem, half);
  Value eq = arith::CmpIOp::create(b, CmpIPredicate::eq, rem, half);
  Value odd = arith::CmpIOp::create(b, CmpIPredicate::ne,
                                    arith::AndIOp::create(b, q, one), zero);
  Value hasShift = arith::CmpIOp::create(b, CmpIPredicate::sgt, shift, zero);
  Value up = arith::AndIOp::create(
      b, hasShift,
      arith::OrIOp::create(b, gt, arith::AndIOp::create(b, eq, odd)));
  q = arith::AddIOp::create(b, q, arith::ExtUIOp::create(b, t128, up));
  // q <= 2^24 is exact in f32; scale by 2^(shift - 32), a normal power of
  // two (|S| < 2^72 and >= 1 unit), so the product is exact.
  Value qf = arith::UIToFPOp::create(
      b, b.getF32Type(), arith::TruncIOp::create(b, b.getI64Type(), q));
  Value sh32 = arith::TruncIOp::create(b, b.getI32Type(), shift);
  Value p2 = fromBits(arith::ShLIOp::create(
      b, arith::AddIOp::create(b, sh32, i32(127 - 32)), i32(23)));
  Value v = arith::MulFOp::create(b, qf, p2);
  v = select(neg, arith::NegFOp::create(b, v), v);
  // An exact zero sum is +0.
  return select(arith::CmpIOp::create(b, CmpIPredicate::eq, m, zero), f32(0.0f),
                v);
}
