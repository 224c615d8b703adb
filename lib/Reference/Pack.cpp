//===- Pack.cpp - Packing of element codes --------------------------------===//
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
      out[r * inner + i] =
          (packed[r * rowBytes + i / 2] >> (4 * (i & 1))) & 0xF;
  return out;
}

} // namespace mx::ref
