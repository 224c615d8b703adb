//===- Matmul.cpp - The block MAC and the matmul --------------------------===//
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
  size_t M = (size_t)a.shape[0], K = (size_t)a.shape[1], N = (size_t)b.shape[1];
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
