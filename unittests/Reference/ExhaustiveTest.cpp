//===- ExhaustiveTest.cpp - Every code, every midpoint --------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Exhaustive checks of the element and scale encodings against the tables of
// docs/Spec.md §1, and of value rounding at every midpoint between adjacent
// element values (RNE and RNA), their binary32 neighbours and saturation.
//
//===----------------------------------------------------------------------===//

#include "mx/Reference/MXReference.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mx::ref;

namespace {

const ElemKind kAllElems[] = {ElemKind::E2M1, ElemKind::E2M3, ElemKind::E3M2,
                              ElemKind::E4M3, ElemKind::E5M2, ElemKind::INT8};

bool same(float a, float b) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) && std::isnan(b);
  return floatToBits(a) == floatToBits(b);
}

// docs/Spec.md §1.2, transcribed.
TEST(Exhaustive, E2M1Table) {
  const float table[16] = {0.0f,  0.5f,  1.0f,  1.5f,  2.0f,  3.0f,
                           4.0f,  6.0f,  -0.0f, -0.5f, -1.0f, -1.5f,
                           -2.0f, -3.0f, -4.0f, -6.0f};
  for (unsigned c = 0; c < 16; ++c)
    EXPECT_TRUE(same(decodeElem(ElemKind::E2M1, (uint8_t)c), table[c]))
        << "code " << c;
}

// docs/Spec.md §1.3, transcribed.
TEST(Exhaustive, FP6Tables) {
  const float e2m3[32] = {0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875,
                          1, 1.125, 1.25, 1.375, 1.5, 1.625, 1.75, 1.875,
                          2, 2.25,  2.5,  2.75,  3,   3.25,  3.5,  3.75,
                          4, 4.5,   5,    5.5,   6,   6.5,   7,    7.5};
  const float e3m2[32] = {0,      0.0625, 0.125, 0.1875, 0.25,  0.3125, 0.375,
                          0.4375, 0.5,    0.625, 0.75,   0.875, 1,      1.25,
                          1.5,    1.75,   2,     2.5,    3,     3.5,    4,
                          5,      6,      7,     8,      10,    12,     14,
                          16,     20,     24,    28};
  for (unsigned c = 0; c < 32; ++c) {
    EXPECT_TRUE(same(decodeElem(ElemKind::E2M3, (uint8_t)c), e2m3[c]));
    EXPECT_TRUE(same(decodeElem(ElemKind::E2M3, (uint8_t)(c + 32)), -e2m3[c]));
    EXPECT_TRUE(same(decodeElem(ElemKind::E3M2, (uint8_t)c), e3m2[c]));
    EXPECT_TRUE(same(decodeElem(ElemKind::E3M2, (uint8_t)(c + 32)), -e3m2[c]));
  }
}

/// Independent evaluation of the §1.1 formula for the FP8 formats.
float fp8Formula(unsigned c, int ebits, int mbits, bool ieeeSpecials) {
  int bias = (1 << (ebits - 1)) - 1;
  unsigned s = c >> 7, e = (c >> mbits) & ((1u << ebits) - 1),
           m = c & ((1u << mbits) - 1);
  unsigned eAll = (1u << ebits) - 1, mAll = (1u << mbits) - 1;
  float mag;
  if (ieeeSpecials && e == eAll)
    mag = m ? std::numeric_limits<float>::quiet_NaN()
            : std::numeric_limits<float>::infinity();
  else if (!ieeeSpecials && e == eAll && m == mAll)
    mag = std::numeric_limits<float>::quiet_NaN();
  else if (e == 0)
    mag = (float)m * std::pow(2.0f, (float)(1 - bias - mbits));
  else
    mag = (float)((1u << mbits) + m) *
          std::pow(2.0f, (float)((int)e - bias - mbits));
  return s ? -mag : mag;
}

TEST(Exhaustive, FP8Tables) {
  for (unsigned c = 0; c < 256; ++c) {
    EXPECT_TRUE(same(decodeElem(ElemKind::E4M3, (uint8_t)c),
                     fp8Formula(c, 4, 3, false)))
        << "e4m3 code " << c;
    EXPECT_TRUE(
        same(decodeElem(ElemKind::E5M2, (uint8_t)c), fp8Formula(c, 5, 2, true)))
        << "e5m2 code " << c;
  }
  // The examples of §1.4.
  EXPECT_EQ(decodeElem(ElemKind::E4M3, 0x01), std::ldexp(1.0f, -9));
  EXPECT_EQ(decodeElem(ElemKind::E4M3, 0x08), std::ldexp(1.0f, -6));
  EXPECT_EQ(decodeElem(ElemKind::E4M3, 0x38), 1.0f);
  EXPECT_EQ(decodeElem(ElemKind::E4M3, 0x7D), 416.0f);
  EXPECT_EQ(decodeElem(ElemKind::E4M3, 0x7E), 448.0f);
  EXPECT_TRUE(std::isnan(decodeElem(ElemKind::E4M3, 0x7F)));
  EXPECT_TRUE(std::isnan(decodeElem(ElemKind::E4M3, 0xFF)));
  EXPECT_EQ(decodeElem(ElemKind::E5M2, 0x01), std::ldexp(1.0f, -16));
  EXPECT_EQ(decodeElem(ElemKind::E5M2, 0x3C), 1.0f);
  EXPECT_EQ(decodeElem(ElemKind::E5M2, 0x7B), 57344.0f);
  EXPECT_EQ(decodeElem(ElemKind::E5M2, 0x7C),
            std::numeric_limits<float>::infinity());
  EXPECT_EQ(decodeElem(ElemKind::E5M2, 0xFC),
            -std::numeric_limits<float>::infinity());
  for (unsigned c : {0x7Du, 0x7Eu, 0x7Fu, 0xFDu, 0xFEu, 0xFFu})
    EXPECT_TRUE(std::isnan(decodeElem(ElemKind::E5M2, (uint8_t)c)));
}

TEST(Exhaustive, INT8Table) {
  for (int k = -128; k < 128; ++k)
    EXPECT_EQ(decodeElem(ElemKind::INT8, (uint8_t)k), (float)k / 64.0f);
  EXPECT_EQ(decodeElem(ElemKind::INT8, 0x80), -2.0f);
  // No negative zero: -0.0 and tiny negatives give code 0x00.
  EXPECT_EQ(encodeElem(ElemKind::INT8,
                       roundElem(ElemKind::INT8, -0.0f, Rounding::RNE)),
            0x00);
  EXPECT_EQ(encodeElem(ElemKind::INT8,
                       roundElem(ElemKind::INT8, -0.001f, Rounding::RNE)),
            0x00);
  EXPECT_FALSE(std::signbit(roundElem(ElemKind::INT8, -0.001f, Rounding::RNA)));
  // Saturation to +-127/64, never 0x80.
  EXPECT_EQ(encodeElem(ElemKind::INT8,
                       roundElem(ElemKind::INT8, -5.0f, Rounding::RNE)),
            0x81);
}

TEST(Exhaustive, EveryCodeReencodesToItself) {
  for (ElemKind k : kAllElems) {
    unsigned ncodes = 1u << getElemInfo(k).bits;
    for (unsigned c = 0; c < ncodes; ++c) {
      float v = decodeElem(k, (uint8_t)c);
      if (!std::isfinite(v))
        continue;
      if (getElemInfo(k).isInt && c == 0x80)
        continue; // -2.0 decodes but is never produced (saturation, §1.5)
      // A representable value is a fixed point of rounding in both modes.
      EXPECT_TRUE(same(roundElem(k, v, Rounding::RNE), v) ||
                  (getElemInfo(k).isInt && v == 0))
          << getElemInfo(k).mlirName << " code " << c;
      EXPECT_TRUE(same(roundElem(k, v, Rounding::RNA), v));
      EXPECT_EQ(encodeElem(k, v), (uint8_t)c)
          << getElemInfo(k).mlirName << " code " << c;
    }
  }
}

TEST(Exhaustive, SignedZero) {
  EXPECT_EQ(encodeElem(ElemKind::E2M1, -0.0f), 8);
  EXPECT_EQ(encodeElem(ElemKind::E2M3, -0.0f), 32);
  EXPECT_EQ(encodeElem(ElemKind::E3M2, -0.0f), 32);
  EXPECT_EQ(encodeElem(ElemKind::E4M3, -0.0f), 0x80);
  EXPECT_EQ(encodeElem(ElemKind::E5M2, -0.0f), 0x80);
  for (ElemKind k : kAllElems) {
    if (getElemInfo(k).isInt)
      continue;
    float r = roundElem(k, -1e-30f, Rounding::RNE);
    EXPECT_TRUE(r == 0 && std::signbit(r)) << getElemInfo(k).mlirName;
    r = roundElem(k, -0.0f, Rounding::RNA);
    EXPECT_TRUE(r == 0 && std::signbit(r));
  }
}

/// Every midpoint between adjacent values, in both signs and both modes, plus
/// the binary32 neighbours of the midpoint.
TEST(Exhaustive, Midpoints) {
  for (ElemKind k : kAllElems) {
    const ElemInfo &info = getElemInfo(k);
    std::vector<std::pair<float, uint8_t>> pos; // positive finite values
    unsigned ncodes = 1u << info.bits;
    for (unsigned c = 0; c < ncodes; ++c) {
      float v = decodeElem(k, (uint8_t)c);
      if (std::isfinite(v) && v >= 0 && !std::signbit(v))
        pos.push_back({v, (uint8_t)c});
    }
    std::sort(pos.begin(), pos.end());
    ASSERT_GT(pos.size(), 4u);
    unsigned checked = 0;
    for (size_t i = 0; i + 1 < pos.size(); ++i) {
      float lo = pos[i].first, hi = pos[i + 1].first;
      float mid = (lo + hi) / 2; // exact: one more significant bit
      ASSERT_EQ((double)mid, ((double)lo + (double)hi) / 2);
      // RNE picks the value whose code has LSB 0 (the even significand).
      float evenV = (pos[i].second & 1) == 0 ? lo : hi;
      ASSERT_NE(pos[i].second & 1, pos[i + 1].second & 1);
      for (float sgn : {1.0f, -1.0f}) {
        float rneWant = sgn * evenV;
        if (info.isInt && evenV == 0)
          rneWant = 0.0f; // INT8 has no -0
        EXPECT_TRUE(same(roundElem(k, sgn * mid, Rounding::RNE), rneWant))
            << info.mlirName << " mid " << sgn * mid;
        float rnaWant = sgn * hi;
        if (info.isInt && sgn < 0)
          rnaWant = -hi; // INT8: symmetric too
        EXPECT_TRUE(same(roundElem(k, sgn * mid, Rounding::RNA), rnaWant))
            << info.mlirName << " mid " << sgn * mid;
        float below = std::nextafter(mid, 0.0f),
              above = std::nextafter(mid, 1e30f);
        for (Rounding r : {Rounding::RNE, Rounding::RNA}) {
          float wantLo = sgn * lo;
          if (info.isInt && lo == 0)
            wantLo = 0.0f;
          EXPECT_TRUE(same(roundElem(k, sgn * below, r), wantLo))
              << info.mlirName << " below " << sgn * mid;
          EXPECT_TRUE(same(roundElem(k, sgn * above, r), sgn * hi))
              << info.mlirName << " above " << sgn * mid;
        }
      }
      ++checked;
    }
    EXPECT_EQ(checked, pos.size() - 1);
    // Saturation: the midpoint above max and anything larger give max.
    float maxV = pos.back().first;
    float step = maxV - pos[pos.size() - 2].first;
    for (float v : {maxV + step / 2, maxV + step, 1e30f,
                    std::numeric_limits<float>::infinity()})
      for (Rounding r : {Rounding::RNE, Rounding::RNA}) {
        EXPECT_EQ(roundElem(k, v, r), maxV) << info.mlirName << " " << v;
        EXPECT_EQ(roundElem(k, -v, r), -maxV);
      }
  }
}

TEST(Exhaustive, E2M1TiesOfTheSpec) {
  // docs/Spec.md §1.7 "Ties for E2M1" and §9 example 9.
  struct Tie {
    float x, rne, rna;
  } ties[] = {{0.25f, 0, 0.5f}, {0.75f, 1, 1}, {1.25f, 1, 1.5f},
              {1.75f, 2, 2},    {2.5f, 2, 3},  {3.5f, 4, 4},
              {5.0f, 4, 6},     {7.0f, 6, 6},  {-0.3f, -0.5f, -0.5f}};
  for (const Tie &t : ties) {
    EXPECT_EQ(roundElem(ElemKind::E2M1, t.x, Rounding::RNE), t.rne) << t.x;
    EXPECT_EQ(roundElem(ElemKind::E2M1, t.x, Rounding::RNA), t.rna) << t.x;
  }
  float r = roundElem(ElemKind::E2M1, -0.25f, Rounding::RNE);
  EXPECT_TRUE(r == 0 && std::signbit(r));
  EXPECT_EQ(roundElem(ElemKind::E4M3, 464.0f, Rounding::RNE), 448.0f);
  EXPECT_EQ(roundElem(ElemKind::E5M2, 61440.0f, Rounding::RNE), 57344.0f);
}

TEST(Exhaustive, E8M0Codes) {
  for (unsigned c = 0; c < 255; ++c) {
    float s = decodeScale(ScaleKind::E8M0, (uint8_t)c);
    EXPECT_EQ((double)s, std::ldexp(1.0, (int)c - 127)) << "code " << c;
  }
  EXPECT_EQ(floatToBits(decodeScale(ScaleKind::E8M0, 0x00)), 0x00400000u);
  EXPECT_EQ(decodeScale(ScaleKind::E8M0, 127), 1.0f);
  EXPECT_EQ(decodeScale(ScaleKind::E8M0, 254), std::ldexp(1.0f, 127));
  EXPECT_TRUE(std::isnan(decodeScale(ScaleKind::E8M0, 0xFF)));
  // FP8 scales decode like the elements of §1.4.
  for (unsigned c = 0; c < 256; ++c) {
    EXPECT_TRUE(same(decodeScale(ScaleKind::E5M2, (uint8_t)c),
                     decodeElem(ElemKind::E5M2, (uint8_t)c)));
    EXPECT_TRUE(same(decodeScale(ScaleKind::E4M3, (uint8_t)c),
                     decodeElem(ElemKind::E4M3, (uint8_t)c)));
  }
}

TEST(Exhaustive, E8M0ScaleRules) {
  // docs/Spec.md §9 example 8 (E2M1).
  struct Row {
    float amax;
    uint8_t floor, even, ceil, rceil;
  } rows[] = {{4.0f, 127, 127, 127, 127}, {5.0f, 127, 127, 128, 127},
              {6.0f, 127, 127, 128, 127}, {6.5f, 127, 127, 128, 128},
              {7.0f, 127, 128, 128, 128}, {7.5f, 127, 128, 128, 128},
              {12.0f, 128, 128, 129, 128}};
  for (const Row &r : rows) {
    EXPECT_EQ(computeE8M0Code(r.amax, ElemKind::E2M1, ScaleRule::Floor),
              r.floor);
    EXPECT_EQ(computeE8M0Code(r.amax, ElemKind::E2M1, ScaleRule::Even), r.even);
    EXPECT_EQ(computeE8M0Code(r.amax, ElemKind::E2M1, ScaleRule::Ceil), r.ceil);
    EXPECT_EQ(computeE8M0Code(r.amax, ElemKind::E2M1, ScaleRule::RCeil),
              r.rceil);
  }
  // Zero block and clamps.
  EXPECT_EQ(computeE8M0Code(0.0f, ElemKind::E2M1, ScaleRule::Floor), 0);
  EXPECT_EQ(computeE8M0Code(1e-45f, ElemKind::E2M1, ScaleRule::Floor), 0);
  EXPECT_EQ(computeE8M0Code(3e38f, ElemKind::E2M1, ScaleRule::Even), 253);
  // rceil of a quotient that underflows to 0 gives E = -127.
  EXPECT_EQ(computeE8M0Code(1e-45f, ElemKind::E5M2, ScaleRule::RCeil), 0);
}

TEST(Exhaustive, ResultTypes) {
  EXPECT_EQ(resultBits(1.0f, ResultType::F16), 0x3C00u);
  EXPECT_EQ(resultBits(65504.0f, ResultType::F16), 0x7BFFu);
  EXPECT_EQ(resultBits(65520.0f, ResultType::F16), 0x7C00u); // tie -> Inf
  EXPECT_EQ(resultBits(-std::ldexp(1.0f, -24), ResultType::F16), 0x8001u);
  EXPECT_EQ(resultBits(1.0f + std::ldexp(1.0f, -8), ResultType::BF16), 0x3F80u);
  EXPECT_EQ(resultBits(1.0f + 3 * std::ldexp(1.0f, -8), ResultType::BF16),
            0x3F82u);
  EXPECT_EQ(resultBits(3.4e38f, ResultType::BF16), 0x7F80u);
}

} // namespace
