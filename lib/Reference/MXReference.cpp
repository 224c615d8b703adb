//===- MXReference.cpp - Bit-exact reference of FORMATS.md ----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Every binary32 operation below is a single IEEE float operation (no FMA
// contraction: this file is compiled with -ffp-contract=off). Exact steps
// (value rounding, block sums) use double or 128-bit integer arithmetic that
// provably does not round.
//
//===----------------------------------------------------------------------===//

#include "mx/Reference/MXReference.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace mx::ref {

namespace {
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

const ElemInfo kElemInfos[] = {
    {"f4E2M1FN", 4, 2, 1, 1, 6.0f, 2, 1, false},
    {"f6E2M3FN", 6, 2, 3, 1, 7.5f, 2, 3, false},
    {"f6E3M2FN", 6, 3, 2, 3, 28.0f, 4, 2, false},
    {"f8E4M3FN", 8, 4, 3, 7, 448.0f, 8, 3, false},
    {"f8E5M2", 8, 5, 2, 15, 57344.0f, 15, 2, false},
    {"i8", 8, 0, 0, 0, 127.0f / 64.0f, 0, 6, true},
};

struct PresetEntry {
  std::string_view name;
  Format format;
};

Format makeFormat(ElemKind e, ScaleKind s, unsigned bs, ScaleRule r,
                  Rounding rnd, bool asym, bool ts) {
  Format f;
  f.elem = e;
  f.scale = s;
  f.blockSize = bs;
  f.rule = r;
  f.rounding = rnd;
  f.asymmetric = asym;
  f.tensorScale = ts;
  return f;
}

const std::vector<PresetEntry> &getPresetTable() {
  static const std::vector<PresetEntry> table = {
      {"mxfp4", makeFormat(ElemKind::E2M1, ScaleKind::E8M0, 32,
                           ScaleRule::Floor, Rounding::RNE, false, false)},
      {"amxfp4", makeFormat(ElemKind::E2M1, ScaleKind::E5M2, 32,
                            ScaleRule::Nearest, Rounding::RNA, true, false)},
      {"amxfp4-pot", makeFormat(ElemKind::E2M1, ScaleKind::E8M0, 32,
                                ScaleRule::Floor, Rounding::RNA, true, false)},
      {"nvfp4", makeFormat(ElemKind::E2M1, ScaleKind::E4M3, 16,
                           ScaleRule::Nearest, Rounding::RNE, false, true)},
      {"mxfp6-e2m3", makeFormat(ElemKind::E2M3, ScaleKind::E8M0, 32,
                                ScaleRule::Floor, Rounding::RNE, false, false)},
      {"mxfp6-e3m2", makeFormat(ElemKind::E3M2, ScaleKind::E8M0, 32,
                                ScaleRule::Floor, Rounding::RNE, false, false)},
      {"mxfp8-e4m3", makeFormat(ElemKind::E4M3, ScaleKind::E8M0, 32,
                                ScaleRule::Floor, Rounding::RNE, false, false)},
      {"mxfp8-e5m2", makeFormat(ElemKind::E5M2, ScaleKind::E8M0, 32,
                                ScaleRule::Floor, Rounding::RNE, false, false)},
      {"mxint8", makeFormat(ElemKind::INT8, ScaleKind::E8M0, 32,
                            ScaleRule::Floor, Rounding::RNE, false, false)},
  };
  return table;
}

bool isPowerOfTwoBlock(unsigned bs) {
  return bs >= 8 && bs <= 256 && (bs & (bs - 1)) == 0;
}

/// 2^e as a double (exact for the exponents used here).
double pow2(int e) { return std::ldexp(1.0, e); }

/// Exact floor(log2(a)) of a positive finite double.
int floorLog2(double a) {
  int e;
  std::frexp(a, &e);
  return e - 1;
}

ElemKind scaleElemKind(ScaleKind s) {
  return s == ScaleKind::E5M2 ? ElemKind::E5M2 : ElemKind::E4M3;
}

/// Round the exact value n * 2^e (n != 0) to binary32 with RNE.
float f32FromScaledInt(__int128 n, int e) {
  if (n == 0)
    return 0.0f;
  bool neg = n < 0;
  unsigned __int128 m = neg ? (unsigned __int128)(-n) : (unsigned __int128)n;
  int bitLen = 0;
  for (unsigned __int128 t = m; t; t >>= 1)
    ++bitLen;
  int lead = bitLen - 1 + e;
  int lsb = std::max(lead - 23, -149);
  int shift = lsb - e;
  if (shift > 0) {
    unsigned __int128 q = m >> shift;
    unsigned __int128 r = m - (q << shift);
    unsigned __int128 half = (unsigned __int128)1 << (shift - 1);
    if (r > half || (r == half && (q & 1)))
      ++q;
    m = q;
    e = lsb;
  }
  // m now has at most 25 significant bits: the double is exact, and the
  // float conversion is exact unless it overflows (to Inf, as IEEE says).
  double d = std::ldexp((double)(uint64_t)m, e);
  float v = d > (double)std::numeric_limits<float>::max() ? kInf : (float)d;
  return neg ? -v : v;
}

/// Element value in units of 2^-16 (every element value is a multiple).
int64_t elemUnits(float v) { return (int64_t)std::ldexp((double)v, 16); }

/// Largest positive element value P and negative magnitude N of a block.
void blockPN(const float *x, size_t n, size_t stride, float &p, float &nn) {
  p = 0.0f;
  nn = 0.0f;
  for (size_t i = 0; i < n; ++i) {
    float v = x[i * stride];
    if (v > p)
      p = v;
    if (-v > nn)
      nn = -v;
  }
}

/// FP8-valued scale of §2.4 for a block maximum m: returns the code and
/// stores the decoded value.
uint8_t fp8Scale(const Format &f, float m, float &value) {
  ElemKind sk = scaleElemKind(f.scale);
  float s = m / getElemInfo(f.elem).maxValue;
  if (s == 0.0f)
    s = 1.0f;
  value = roundElem(sk, s, f.rounding);
  return encodeElem(sk, value);
}

/// Element value for input x and effective scale s (§2.3-§2.6).
float quantElem(const Format &f, float x, float s) {
  const ElemInfo &info = getElemInfo(f.elem);
  if (s == 0.0f) // zero-scale rule (§2.5)
    return info.isInt ? 0.0f : (std::signbit(x) ? -0.0f : 0.0f);
  float v = x / s;
  if (f.tensorScale)
    v = std::min(std::max(v, -info.maxValue), info.maxValue);
  return roundElem(f.elem, v, f.rounding);
}

/// Quantize one line of n elements (spaced `stride`) in blocks.
void quantizeLine(const Format &f, const float *x, size_t n, size_t stride,
                  float g, uint8_t *codes, size_t codeStride, uint8_t *scale0,
                  uint8_t *scale1, size_t scaleStride) {
  const size_t bs = f.blockSize;
  for (size_t b0 = 0, blk = 0; b0 < n; b0 += bs, ++blk) {
    size_t len = std::min(bs, n - b0);
    const float *bx = x + b0 * stride;
    uint8_t *bc = codes + b0 * codeStride;
    bool finite = true;
    for (size_t i = 0; i < len; ++i)
      finite &= std::isfinite(bx[i * stride]);
    if (!finite) { // §2.2
      scale0[blk * scaleStride] = 0xFF;
      if (f.asymmetric)
        scale1[blk * scaleStride] = 0xFF;
      for (size_t i = 0; i < len; ++i)
        bc[i * codeStride] = 0;
      continue;
    }
    if (f.asymmetric) {
      float p, nn, sp, sn;
      blockPN(bx, len, stride, p, nn);
      uint8_t cp, cn;
      if (f.scale == ScaleKind::E8M0) {
        cp = computeE8M0Code(p, f.elem, f.rule);
        cn = computeE8M0Code(nn, f.elem, f.rule);
        sp = decodeScale(ScaleKind::E8M0, cp);
        sn = decodeScale(ScaleKind::E8M0, cn);
      } else {
        cp = fp8Scale(f, p, sp);
        cn = fp8Scale(f, nn, sn);
      }
      scale0[blk * scaleStride] = cp;
      scale1[blk * scaleStride] = cn;
      for (size_t i = 0; i < len; ++i) {
        float v = bx[i * stride];
        bc[i * codeStride] =
            encodeElem(f.elem, quantElem(f, v, v > 0.0f ? sp : sn));
      }
      continue;
    }
    float amax = 0.0f;
    for (size_t i = 0; i < len; ++i)
      amax = std::max(amax, std::fabs(bx[i * stride]));
    uint8_t c;
    float s;
    if (f.scale == ScaleKind::E8M0) {
      c = computeE8M0Code(amax, f.elem, f.rule);
      s = decodeScale(ScaleKind::E8M0, c);
    } else if (f.tensorScale) { // §2.6
      float sb = amax / getElemInfo(f.elem).maxValue;
      float v = sb / g;
      v = std::min(std::max(v, 0.015625f), 448.0f);
      float s8 = roundElem(ElemKind::E4M3, v, f.rounding);
      c = encodeElem(ElemKind::E4M3, s8);
      s = g * s8;
    } else {
      c = fp8Scale(f, amax, s);
    }
    scale0[blk * scaleStride] = c;
    for (size_t i = 0; i < len; ++i)
      bc[i * codeStride] = encodeElem(f.elem, quantElem(f, bx[i * stride], s));
  }
}

size_t product(const std::vector<int64_t> &shape) {
  size_t n = 1;
  for (int64_t d : shape)
    n *= (size_t)d;
  return n;
}

} // namespace

//===----------------------------------------------------------------------===//
// Names and formats
//===----------------------------------------------------------------------===//

const ElemInfo &getElemInfo(ElemKind kind) {
  return kElemInfos[static_cast<unsigned>(kind)];
}

const char *getScaleTypeName(ScaleKind kind) {
  switch (kind) {
  case ScaleKind::E8M0:
    return "f8E8M0FNU";
  case ScaleKind::E5M2:
    return "f8E5M2";
  case ScaleKind::E4M3:
    return "f8E4M3FN";
  }
  return "?";
}

const char *stringifyScaleRule(ScaleRule rule) {
  switch (rule) {
  case ScaleRule::Floor:
    return "floor";
  case ScaleRule::Even:
    return "even";
  case ScaleRule::Ceil:
    return "ceil";
  case ScaleRule::RCeil:
    return "rceil";
  case ScaleRule::Nearest:
    return "nearest";
  }
  return "?";
}

const char *stringifyRounding(Rounding rounding) {
  return rounding == Rounding::RNE ? "rne" : "rna";
}

std::optional<ScaleRule> parseScaleRule(std::string_view s) {
  for (ScaleRule r : {ScaleRule::Floor, ScaleRule::Even, ScaleRule::Ceil,
                      ScaleRule::RCeil, ScaleRule::Nearest})
    if (s == stringifyScaleRule(r))
      return r;
  return std::nullopt;
}

std::optional<Rounding> parseRounding(std::string_view s) {
  if (s == "rne")
    return Rounding::RNE;
  if (s == "rna")
    return Rounding::RNA;
  return std::nullopt;
}

std::optional<ElemKind> parseElemKind(std::string_view mlirName) {
  for (unsigned i = 0; i < 6; ++i)
    if (mlirName == kElemInfos[i].mlirName)
      return static_cast<ElemKind>(i);
  return std::nullopt;
}

std::optional<ScaleKind> parseScaleKind(std::string_view mlirName) {
  for (ScaleKind k : {ScaleKind::E8M0, ScaleKind::E5M2, ScaleKind::E4M3})
    if (mlirName == getScaleTypeName(k))
      return k;
  return std::nullopt;
}

const std::vector<std::string_view> &getPresetNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const PresetEntry &e : getPresetTable())
      v.push_back(e.name);
    return v;
  }();
  return names;
}

std::optional<Format> getPreset(std::string_view name) {
  for (const PresetEntry &e : getPresetTable())
    if (e.name == name)
      return e.format;
  return std::nullopt;
}

std::optional<std::string_view> getBasePreset(const Format &f) {
  for (const PresetEntry &e : getPresetTable())
    if (e.format.elem == f.elem && e.format.scale == f.scale &&
        e.format.asymmetric == f.asymmetric &&
        e.format.tensorScale == f.tensorScale)
      return e.name;
  return std::nullopt;
}

std::string verifyFormat(const Format &f) {
  const char *elem = getElemInfo(f.elem).mlirName;
  const char *scale = getScaleTypeName(f.scale);
  if (!isPowerOfTwoBlock(f.blockSize))
    return "block size must be a power of two in [8, 256], got " +
           std::to_string(f.blockSize);
  if (f.tensorScale && (f.elem != ElemKind::E2M1 ||
                        f.scale != ScaleKind::E4M3 || f.asymmetric))
    return std::string("a per-tensor scale requires the nvfp4 configuration "
                       "(symmetric f4E2M1FN elements with f8E4M3FN scales), "
                       "got ") +
           elem + " elements with " + (f.asymmetric ? "asymmetric " : "") +
           scale + " scales";
  if (f.asymmetric && f.elem != ElemKind::E2M1)
    return std::string("asymmetric scales require f4E2M1FN elements, got ") +
           elem;
  if (f.asymmetric && f.scale == ScaleKind::E4M3)
    return "asymmetric scales must be f8E5M2 (amxfp4) or f8E8M0FNU "
           "(amxfp4-pot), got f8E4M3FN";
  if (!f.asymmetric && !f.tensorScale && f.scale != ScaleKind::E8M0)
    return std::string("symmetric ") + scale +
           " scales without a per-tensor scale match no preset; use "
           "f8E8M0FNU scales, or f8E4M3FN with a per-tensor scale (nvfp4)";
  if (f.scale == ScaleKind::E8M0 && f.rule == ScaleRule::Nearest)
    return "scale rule 'nearest' requires an FP8 scale type, got f8E8M0FNU";
  if (f.scale != ScaleKind::E8M0 && f.rule != ScaleRule::Nearest)
    return std::string("power-of-two scale rule '") +
           stringifyScaleRule(f.rule) + "' requires f8E8M0FNU scales, got " +
           scale;
  if (!getBasePreset(f))
    return std::string("no preset of FORMATS.md has ") + elem +
           " elements with " + scale + " scales";
  return {};
}

std::string applyOverride(Format &f, std::string_view key,
                          std::string_view value) {
  std::string k(key);
  std::replace(k.begin(), k.end(), '_', '-');
  if (k == "rounding") {
    std::optional<Rounding> r = parseRounding(value);
    if (!r)
      return "unknown rounding '" + std::string(value) +
             "'; expected 'rne' or 'rna'";
    f.rounding = *r;
    return {};
  }
  if (k == "scale-rule") {
    std::optional<ScaleRule> r = parseScaleRule(value);
    if (!r || *r == ScaleRule::Nearest)
      return "unknown scale rule '" + std::string(value) +
             "'; expected 'floor', 'even', 'ceil' or 'rceil'";
    if (f.scale != ScaleKind::E8M0) {
      std::optional<std::string_view> base = getBasePreset(f);
      return "scale-rule applies only to formats with f8E8M0FNU scales; '" +
             std::string(base ? *base : "this format") + "' has " +
             getScaleTypeName(f.scale) + " scales";
    }
    f.rule = *r;
    return {};
  }
  if (k == "block-size") {
    unsigned long v = 0;
    bool ok = !value.empty() && value.size() < 10;
    for (char c : value) {
      ok &= c >= '0' && c <= '9';
      v = v * 10 + (unsigned long)(c - '0');
    }
    if (!ok || !isPowerOfTwoBlock((unsigned)v))
      return "block-size must be a power of two in [8, 256], got '" +
             std::string(value) + "'";
    f.blockSize = (unsigned)v;
    return {};
  }
  return "unknown override '" + std::string(key) +
         "'; expected 'rounding', 'scale-rule' or 'block-size'";
}

std::string formatToString(const Format &f) {
  std::optional<std::string_view> base = getBasePreset(f);
  if (!base)
    return "<invalid>";
  Format p = *getPreset(*base);
  std::string s(*base);
  if (f.rounding != p.rounding)
    s += std::string(", rounding = ") + stringifyRounding(f.rounding);
  if (f.rule != p.rule)
    s += std::string(", scale_rule = ") + stringifyScaleRule(f.rule);
  if (f.blockSize != p.blockSize)
    s += ", block_size = " + std::to_string(f.blockSize);
  return s;
}

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
    unsigned m = (unsigned)std::ldexp(a, (int)info.mbits - e) -
                 (1u << info.mbits);
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
  float g = amax / 2688.0f;
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

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

std::vector<int64_t> QuantizedTensor::getScaleShape() const {
  std::vector<int64_t> s = shape;
  s[axis] = (s[axis] + format.blockSize - 1) / format.blockSize;
  return s;
}

size_t QuantizedTensor::getNumElements() const { return product(shape); }

QuantizedTensor quantize(const Format &format,
                         const std::vector<int64_t> &shape, unsigned axis,
                         const float *data, std::optional<float> tensorScale) {
  QuantizedTensor q;
  q.format = format;
  q.shape = shape;
  q.axis = axis;
  size_t n = product(shape);
  q.codes.assign(n, 0);
  std::vector<int64_t> sshape = q.getScaleShape();
  size_t ns = product(sshape);
  q.scales[0].assign(ns, 0);
  if (format.asymmetric)
    q.scales[1].assign(ns, 0);
  float g = 1.0f;
  if (format.tensorScale)
    g = tensorScale ? *tensorScale : computeNVFP4TensorScale(data, n);
  q.tensorScale = g;
  if (n == 0)
    return q;

  // Row-major strides of the data and of the scale arrays.
  size_t rank = shape.size();
  std::vector<size_t> stride(rank, 1), sstride(rank, 1);
  for (size_t i = rank; i-- > 1;) {
    stride[i - 1] = stride[i] * (size_t)shape[i];
    sstride[i - 1] = sstride[i] * (size_t)sshape[i];
  }
  size_t len = (size_t)shape[axis];
  size_t lines = n / len;
  uint8_t dummy = 0;
  for (size_t line = 0; line < lines; ++line) {
    // Decompose the line index over all dimensions but `axis`.
    size_t rem = line, off = 0, soff = 0;
    for (size_t d = rank; d-- > 0;) {
      if (d == axis)
        continue;
      size_t idx = rem % (size_t)shape[d];
      rem /= (size_t)shape[d];
      off += idx * stride[d];
      soff += idx * sstride[d];
    }
    quantizeLine(format, data + off, len, stride[axis], g, q.codes.data() + off,
                 stride[axis], q.scales[0].data() + soff,
                 format.asymmetric ? q.scales[1].data() + soff : &dummy,
                 sstride[axis]);
  }
  return q;
}

std::vector<float> dequantize(const QuantizedTensor &q) {
  size_t n = q.getNumElements();
  std::vector<float> out(n);
  size_t rank = q.shape.size();
  std::vector<int64_t> sshape = q.getScaleShape();
  std::vector<size_t> sstride(rank, 1);
  for (size_t i = rank; i-- > 1;)
    sstride[i - 1] = sstride[i] * (size_t)sshape[i];
  for (size_t i = 0; i < n; ++i) {
    // Index of the element's block in the scale arrays.
    size_t rem = i, soff = 0;
    for (size_t d = rank; d-- > 0;) {
      size_t idx = rem % (size_t)q.shape[d];
      rem /= (size_t)q.shape[d];
      if (d == q.axis)
        idx /= q.format.blockSize;
      soff += idx * sstride[d];
    }
    float v = decodeElem(q.format.elem, q.codes[i]);
    uint8_t sc = (q.format.asymmetric && !(v > 0.0f)) ? q.scales[1][soff]
                                                      : q.scales[0][soff];
    float s = decodeScale(q.format.scale, sc);
    if (std::isnan(s)) {
      out[i] = kNaN;
      continue;
    }
    if (q.format.tensorScale)
      s = q.tensorScale * s;
    out[i] = v * s;
  }
  return out;
}

std::vector<int64_t> getPackedShape(ElemKind kind,
                                    const std::vector<int64_t> &shape) {
  std::vector<int64_t> s = shape;
  if (kind == ElemKind::E2M1 && !s.empty())
    s.back() = (s.back() + 1) / 2;
  return s;
}

std::vector<uint8_t> packCodes(ElemKind kind, const std::vector<int64_t> &shape,
                               const std::vector<uint8_t> &codes) {
  if (kind != ElemKind::E2M1) {
    std::vector<uint8_t> out(codes);
    if (kind == ElemKind::E2M3 || kind == ElemKind::E3M2)
      for (uint8_t &c : out)
        c &= 0x3F;
    return out;
  }
  size_t inner = shape.empty() ? 1 : (size_t)shape.back();
  size_t rows = inner ? codes.size() / inner : 0;
  size_t rowBytes = (inner + 1) / 2;
  std::vector<uint8_t> out(rows * rowBytes, 0);
  for (size_t r = 0; r < rows; ++r)
    for (size_t i = 0; i < inner; ++i)
      out[r * rowBytes + i / 2] |=
          (uint8_t)((codes[r * inner + i] & 0xF) << (4 * (i & 1)));
  return out;
}

std::vector<uint8_t> unpackCodes(ElemKind kind,
                                 const std::vector<int64_t> &shape,
                                 const std::vector<uint8_t> &packed) {
  if (kind != ElemKind::E2M1) {
    std::vector<uint8_t> out(packed);
    if (kind == ElemKind::E2M3 || kind == ElemKind::E3M2)
      for (uint8_t &c : out)
        c &= 0x3F;
    return out;
  }
  size_t inner = shape.empty() ? 1 : (size_t)shape.back();
  size_t rowBytes = (inner + 1) / 2;
  size_t rows = rowBytes ? packed.size() / rowBytes : 0;
  std::vector<uint8_t> out(rows * inner);
  for (size_t r = 0; r < rows; ++r)
    for (size_t i = 0; i < inner; ++i)
      out[r * inner + i] = (packed[r * rowBytes + i / 2] >> (4 * (i & 1))) & 0xF;
  return out;
}

//===----------------------------------------------------------------------===//
// MAC and matmul
//===----------------------------------------------------------------------===//

float blockContribution(const BlockOperand &a, const BlockOperand &b, size_t n,
                        std::vector<MacTerm> *terms) {
  if (terms)
    terms->clear();
  const Format &fa = *a.format, &fb = *b.format;
  float saPos = decodeScale(fa.scale, a.scalePos);
  float saNeg = fa.asymmetric ? decodeScale(fa.scale, a.scaleNeg) : saPos;
  float sbPos = decodeScale(fb.scale, b.scalePos);
  float sbNeg = fb.asymmetric ? decodeScale(fb.scale, b.scaleNeg) : sbPos;
  if (std::isnan(saPos) || std::isnan(saNeg) || std::isnan(sbPos) ||
      std::isnan(sbNeg))
    return kNaN;
  // Exact group sums in units of 2^-32; index [ga][gb] with 0 = '+' or the
  // single group, 1 = '-'.
  __int128 sum[2][2] = {{0, 0}, {0, 0}};
  for (size_t k = 0; k < n; ++k) {
    float x = decodeElem(fa.elem, a.codes[k * a.stride]);
    float y = decodeElem(fb.elem, b.codes[k * b.stride]);
    if (!std::isfinite(x) || !std::isfinite(y))
      return kNaN;
    int ga = (fa.asymmetric && !(x > 0.0f)) ? 1 : 0;
    int gb = (fb.asymmetric && !(y > 0.0f)) ? 1 : 0;
    sum[ga][gb] += (__int128)elemUnits(x) * (__int128)elemUnits(y);
  }
  int na = fa.asymmetric ? 2 : 1, nbg = fb.asymmetric ? 2 : 1;
  float c = 0.0f;
  bool first = true;
  for (int ga = 0; ga < na; ++ga) {
    float sa = ga == 0 ? saPos : saNeg;
    for (int gb = 0; gb < nbg; ++gb) {
      float sb = gb == 0 ? sbPos : sbNeg;
      float s32 = f32FromScaledInt(sum[ga][gb], -32);
      float t = (s32 * sa) * sb;
      if (terms)
        terms->push_back({fa.asymmetric ? (ga == 0 ? 1 : -1) : 0,
                          fb.asymmetric ? (gb == 0 ? 1 : -1) : 0, sum[ga][gb],
                          s32, sa, sb, t});
      c = first ? t : c + t;
      first = false;
    }
  }
  return c;
}

float blockMac(float acc, const BlockOperand &a, const BlockOperand &b,
               size_t n) {
  return acc + blockContribution(a, b, n);
}

std::vector<float> matmul(const QuantizedTensor &a, const QuantizedTensor &b,
                          const float *init, MatmulMode mode,
                          ResultType resultType) {
  if (a.shape.size() != 2 || b.shape.size() != 2 || a.axis != 1 ||
      b.axis != 0 || a.shape[1] != b.shape[0] ||
      a.format.blockSize != b.format.blockSize)
    return {};
  size_t M = (size_t)a.shape[0], K = (size_t)a.shape[1],
         N = (size_t)b.shape[1];
  std::vector<float> out(M * N);
  if (mode == MatmulMode::Emulate) {
    std::vector<float> da = dequantize(a), db = dequantize(b);
    for (size_t m = 0; m < M; ++m)
      for (size_t n = 0; n < N; ++n) {
        float acc = 0.0f;
        for (size_t k = 0; k < K; ++k) {
          float p = da[m * K + k] * db[k * N + n];
          acc = acc + p;
        }
        float in = init ? init[m * N + n] : 0.0f;
        out[m * N + n] = roundToResultType(in + acc, resultType);
      }
    return out;
  }
  size_t bs = a.format.blockSize;
  size_t nb = (K + bs - 1) / bs;
  for (size_t m = 0; m < M; ++m)
    for (size_t n = 0; n < N; ++n) {
      float acc = 0.0f;
      for (size_t blk = 0; blk < nb; ++blk) {
        size_t k0 = blk * bs, len = std::min(bs, K - k0);
        size_t sa = m * nb + blk, sb = blk * N + n;
        BlockOperand oa{&a.format, a.codes.data() + m * K + k0, 1,
                        a.scales[0][sa],
                        a.format.asymmetric ? a.scales[1][sa] : (uint8_t)0};
        BlockOperand ob{&b.format, b.codes.data() + k0 * N + n, N,
                        b.scales[0][sb],
                        b.format.asymmetric ? b.scales[1][sb] : (uint8_t)0};
        acc = blockMac(acc, oa, ob, len);
      }
      float r = acc;
      if (a.format.tensorScale)
        r = r * a.tensorScale;
      if (b.format.tensorScale)
        r = r * b.tensorScale;
      float in = init ? init[m * N + n] : 0.0f;
      out[m * N + n] = roundToResultType(in + r, resultType);
    }
  return out;
}

} // namespace mx::ref
