//===- Support.cpp - Internal helpers of the reference library ------------===//
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

namespace mx::ref::detail {

bool isPowerOfTwoBlock(unsigned bs) {
  return bs >= 8 && bs <= 256 && (bs & (bs - 1)) == 0;
}

double pow2(int e) { return std::ldexp(1.0, e); }

int floorLog2(double a) {
  int e;
  std::frexp(a, &e);
  return e - 1;
}

ElemKind scaleElemKind(ScaleKind s) {
  return s == ScaleKind::E5M2 ? ElemKind::E5M2 : ElemKind::E4M3;
}

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

int64_t elemUnits(float v) { return (int64_t)std::ldexp((double)v, 16); }

size_t product(const std::vector<int64_t> &shape) {
  size_t n = 1;
  for (int64_t d : shape)
    n *= (size_t)d;
  return n;
}

} // namespace mx::ref::detail
