//===- GEMVLayoutTest.cpp - The NVIDIA GEMV layout and its decoding -------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The layout is a bijection onto its bytes, and the decode kernel's reading
// of it (the lane's word, prmt of the magnitude table with and without the
// sign bits flipped, the difference of two integer MMAs) gives the exact
// integer block sums Σ (2a)(2b) of docs/Spec.md §6.3, modelled here with
// PTX's prmt semantics and the m16n8k32 fragment layout.
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MXNVVM/Utils/GEMVLayout.h"
#include "mx/Reference/MXReference.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

using mlir::mx::nvvm::GEMVLayout;

namespace {

/// PTX prmt.b32 (default mode): byte i of the result is byte (sel_i & 7) of
/// {hi, lo}, or its sign bit replicated if sel_i & 8.
uint32_t prmt(uint32_t lo, uint32_t hi, uint32_t sel) {
  uint64_t pool = (uint64_t(hi) << 32) | lo;
  uint32_t r = 0;
  for (int i = 0; i < 4; ++i) {
    uint32_t s = (sel >> (4 * i)) & 0xF;
    uint8_t byte = uint8_t(pool >> (8 * (s & 7)));
    if (s & 8)
      byte = (byte & 0x80) ? 0xFF : 0x00;
    r |= uint32_t(byte) << (8 * i);
  }
  return r;
}

TEST(GEMVLayout, CodePositionsAreABijection) {
  for (auto [k, n] :
       {std::pair<int64_t, int64_t>{256, 64}, {100, 24}, {33, 9}}) {
    GEMVLayout l(k, n, 32, 1);
    std::set<int64_t> seen;
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t nn = 0; nn < n; ++nn) {
        int64_t byte, nibble;
        l.codePosition(kk, nn, byte, nibble);
        ASSERT_GE(byte, 0);
        ASSERT_LT(byte, l.codeBytes());
        ASSERT_TRUE(seen.insert(2 * byte + nibble).second);
      }
    for (int64_t bs : {16, 32})
      for (int64_t groups : {1, 2}) {
        GEMVLayout s(k, n, bs, groups);
        std::set<int64_t> pos;
        for (int64_t g = 0; g < groups; ++g)
          for (int64_t b = 0; b < s.numBlocks(); ++b)
            for (int64_t nn = 0; nn < n; ++nn) {
              int64_t p = s.scalePosition(g, b, nn);
              ASSERT_GE(p, 0);
              ASSERT_LT(p, s.scaleBytes());
              ASSERT_TRUE(pos.insert(p).second);
            }
      }
  }
}

TEST(GEMVLayout, DecodedBlockSumsAreExact) {
  const int64_t k = 256, n = 16;
  GEMVLayout l(k, n, 32, 1);
  std::mt19937 rng(5);
  std::vector<uint8_t> b(k * n), a(k); // codes, B[k][n] and one row of A
  for (uint8_t &c : b)
    c = rng() & 0xF;
  for (uint8_t &c : a)
    c = rng() & 0xF;
  std::vector<uint8_t> bytes(l.codeBytes(), 0);
  for (int64_t kk = 0; kk < k; ++kk)
    for (int64_t nn = 0; nn < n; ++nn) {
      int64_t byte, nibble;
      l.codePosition(kk, nn, byte, nibble);
      bytes[byte] |= b[kk * n + nn] << (4 * nibble);
    }
  std::array<int8_t, 16> twice = mx::ref::getE2M1TwiceValues();
  uint32_t tLo = 0, tHi = 0;
  for (int m = 0; m < 4; ++m) {
    tLo |= uint32_t(uint8_t(twice[m])) << (8 * m);
    tHi |= uint32_t(uint8_t(twice[m + 4])) << (8 * m);
  }
  for (int64_t nt = 0; nt < l.nTiles(); ++nt)
    for (int64_t s = 0; s < k / 32; ++s) {
      // B[32][8] of this MMA as the lanes' decoded registers hold it.
      int32_t bx[32][8], bz[32][8];
      for (int64_t lane = 0; lane < 32; ++lane) {
        const int64_t g = lane / 4, t = lane % 4;
        const int64_t word =
            ((nt * l.kLoads() + s / 4) * 32 + lane) * 4 + s % 4;
        uint32_t w = 0;
        for (int i = 0; i < 4; ++i)
          w |= uint32_t(bytes[4 * word + i]) << (8 * i);
        uint32_t f = w ^ 0x88888888u;
        uint32_t regs[2][2] = {{prmt(tLo, tHi, w), prmt(tLo, tHi, w >> 16)},
                               {prmt(tLo, tHi, f), prmt(tLo, tHi, f >> 16)}};
        for (int r = 0; r < 2; ++r)
          for (int e = 0; e < 4; ++e) {
            bx[16 * r + 4 * t + e][g] = int8_t(regs[0][r] >> (8 * e));
            bz[16 * r + 4 * t + e][g] = int8_t(regs[1][r] >> (8 * e));
          }
      }
      for (int64_t c = 0; c < 8; ++c) {
        int64_t want = 0, got = 0;
        for (int64_t kk = 0; kk < 32; ++kk) {
          const int64_t pos = 32 * s + kk;
          const int64_t av = twice[a[pos]];
          want += av * twice[b[pos * n + 8 * nt + c]];
          got += av * (bx[kk][c] - bz[kk][c]);
        }
        ASSERT_EQ(got, want)
            << "tile " << nt << " k-step " << s << " col " << c;
      }
    }
}

} // namespace
