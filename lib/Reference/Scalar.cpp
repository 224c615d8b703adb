//===- Scalar.cpp - Element and scale encodings, value rounding -----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Every binary32 operation is a single IEEE float operation (no FMA
// contraction: the library is compiled with -ffp-contract=off). Exact steps
// use double or 128-bit integer arithmetic that provably does not round.
//
//===----------------------------------------------------------------------===//

#include "mx/Reference/MXReference.h"

#include "Support.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace mx::ref {
using namespace mx::ref::detail;

//===----------------------------------------------------------------------===//
// Scalars
//===----------------------------------------------------------------------===//

uint32_t floatToBits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

float bitsToFloat(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

float decodeElem(ElemKind kind, uint8_t code) {
  const ElemInfo &info = getElemInfo(kind);
  if (info.isInt)
    return (float)(int8_t)code / 64.0f;
  unsigned c = code & ((1u << info.bits) - 1);
  bool sign = (c >> (info.ebits + info.mbits)) & 1;
  unsigned e = (c >> info.mbits) & ((1u << info.ebits) - 1);
  unsigned m = c & ((1u << info.mbits) - 1);
  unsigned eAll = (1u << info.ebits) - 1, mAll = (1u << info.mbits) - 1;
  double mag;
  if (kind == ElemKind::E5M2 && e == eAll)
    mag = m == 0 ? (double)kInf : (double)kNaN;
  else if (kind == ElemKind::E4M3 && e == eAll && m == mAll)
    mag = kNaN;
  else if (e == 0)
    mag = std::ldexp((double)m, 1 - info.bias - (int)info.mbits);
  else
    mag = std::ldexp((double)((1u << info.mbits) + m),
                     (int)e - info.bias - (int)info.mbits);
  if (std::isnan(mag))
    return kNaN;
  return (float)(sign ? -mag : mag);
}

float roundElem(ElemKind kind, float v, Rounding mode) {
  const ElemInfo &info = getElemInfo(kind);
  bool neg = std::signbit(v);
  double a = std::fabs((double)v);
  double r;
  if (std::isinf(a)) {
    r = info.maxValue;
  } else if (a == 0.0) {
    r = 0.0;
  } else {
    int ulpExp;
    if (info.isInt)
      ulpExp = -6;
    else
      ulpExp = std::max(floorLog2(a), 1 - info.bias) - (int)info.mbits;
    double n = std::ldexp(a, -ulpExp); // exact
    double k = std::floor(n);
    double frac = n - k; // exact
    if (mode == Rounding::RNE) {
      if (frac > 0.5 || (frac == 0.5 && std::fmod(k, 2.0) == 1.0))
        k += 1.0;
    } else if (frac >= 0.5) {
      k += 1.0;
    }
    r = std::ldexp(k, ulpExp);
    if (r > info.maxValue)
      r = info.maxValue;
  }
  if (info.isInt)
    return (float)((neg && r != 0.0) ? -r : r);
  return (float)(neg ? -r : r);
}

uint8_t encodeElem(ElemKind kind, float value) {
  const ElemInfo &info = getElemInfo(kind);
  if (info.isInt)
    return (uint8_t)(int8_t)std::lround((double)value * 64.0);
  unsigned signBit = 1u << (info.bits - 1);
  unsigned sign = std::signbit(value) ? signBit : 0;
  double a = std::fabs((double)value);
  if (a == 0.0)
    return (uint8_t)sign;
  int emin = 1 - info.bias;
  int e = floorLog2(a);
  unsigned code;
  if (e < emin) { // subnormal
    code = (unsigned)std::ldexp(a, (int)info.mbits - emin);
  } else {
    unsigned m =
        (unsigned)std::ldexp(a, (int)info.mbits - e) - (1u << info.mbits);
    code = ((unsigned)(e + info.bias) << info.mbits) | m;
  }
  return (uint8_t)(sign | code);
}

float decodeScale(ScaleKind kind, uint8_t code) {
  if (kind == ScaleKind::E8M0) {
    if (code == 0xFF)
      return kNaN;
    return (float)std::ldexp(1.0, (int)code - 127);
  }
  return decodeElem(scaleElemKind(kind), code);
}

uint8_t computeE8M0Code(float amax, ElemKind elem, ScaleRule rule) {
  if (amax == 0.0f)
    return 0;
  const ElemInfo &info = getElemInfo(elem);
  double a = amax;
  int e = floorLog2(a);
  bool isPow2 = a == pow2(e);
  int exp = 0;
  switch (rule) {
  case ScaleRule::Floor:
    exp = e - info.emax;
    break;
  case ScaleRule::Ceil:
    exp = (isPow2 ? e : e + 1) - info.emax;
    break;
  case ScaleRule::Even: {
    double sig = a / pow2(e); // exact, in [1, 2)
    double thr = 2.0 - pow2(-(int)(info.evenBits + 1));
    exp = (sig >= thr ? e + 1 : e) - info.emax;
    break;
  }
  case ScaleRule::RCeil: {
    float d = amax / info.maxValue; // one binary32 division
    if (d == 0.0f) {
      exp = -127;
    } else {
      int ed = floorLog2(d);
      exp = ((double)d == pow2(ed)) ? ed : ed + 1;
    }
    break;
  }
  case ScaleRule::Nearest:
    return 0xFF; // not an E8M0 rule; rejected by verifyFormat
  }
  exp = std::max(-127, std::min(127, exp));
  return (uint8_t)(exp + 127);
}

float computeNVFP4TensorScale(const float *data, size_t n) {
  float amax = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(data[i]))
      return 1.0f;
    amax = std::max(amax, std::fabs(data[i]));
  }
  if (amax == 0.0f)
    return 1.0f;
  float g = amax / kNVFP4TensorScaleDivisor;
  return g == 0.0f ? 1.0f : g;
}

namespace {
/// Round binary32 v to an IEEE format with `ebits`/`mbits` (RNE, overflow to
/// Inf). Returns the value exactly.
float roundIeee(float v, int ebits, int mbits) {
  if (std::isnan(v) || std::isinf(v) || v == 0.0f)
    return v;
  int bias = (1 << (ebits - 1)) - 1;
  int emin = 1 - bias;
  double maxf = (2.0 - pow2(-mbits)) * pow2(bias);
  double a = std::fabs((double)v);
  int ulpExp = std::max(floorLog2(a), emin) - mbits;
  double n = std::ldexp(a, -ulpExp);
  double k = std::floor(n);
  double frac = n - k;
  if (frac > 0.5 || (frac == 0.5 && std::fmod(k, 2.0) == 1.0))
    k += 1.0;
  double r = std::ldexp(k, ulpExp);
  float out = r > maxf ? kInf : (float)r;
  return std::signbit(v) ? -out : out;
}
} // namespace

float roundToResultType(float v, ResultType type) {
  switch (type) {
  case ResultType::F32:
    return v;
  case ResultType::F16:
    return roundIeee(v, 5, 10);
  case ResultType::BF16:
    return roundIeee(v, 8, 7);
  }
  return v;
}

uint32_t resultBits(float v, ResultType type) {
  float r = roundToResultType(v, type);
  uint32_t b = floatToBits(r);
  if (type == ResultType::F32)
    return std::isnan(r) ? 0x7FC00000u : b;
  if (type == ResultType::BF16)
    return std::isnan(r) ? 0x7FC0u : (b >> 16);
  // f16 from an exactly representable binary32 value.
  if (std::isnan(r))
    return 0x7E00u;
  uint32_t sign = (b >> 16) & 0x8000u;
  double a = std::fabs((double)r);
  if (std::isinf(a))
    return sign | 0x7C00u;
  if (a == 0.0)
    return sign;
  int e = floorLog2(a);
  if (e < -14)
    return sign | (uint32_t)std::ldexp(a, 24);
  uint32_t m = (uint32_t)std::ldexp(a, 10 - e) - 1024u;
  return sign | ((uint32_t)(e + 15) << 10) | m;
}

} // namespace mx::ref
