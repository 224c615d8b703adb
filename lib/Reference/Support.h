//===- Support.h - Internal helpers of the reference library ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_LIB_REFERENCE_SUPPORT_H
#define MX_LIB_REFERENCE_SUPPORT_H

#include "mx/Reference/MXReference.h"

#include <limits>

namespace mx::ref::detail {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

/// Whether `bs` is a valid block size: a power of two in [8, 256].
bool isPowerOfTwoBlock(unsigned bs);
/// 2^e as a double (exact for the exponents used here).
double pow2(int e);
/// Exact floor(log2(a)) of a positive finite double.
int floorLog2(double a);
/// The element kind that encodes an FP8 scale kind.
ElemKind scaleElemKind(ScaleKind s);
/// Round the exact value n * 2^e (n != 0) to binary32 with RNE.
float f32FromScaledInt(__int128 n, int e);
/// Element value in units of 2^-16 (every element value is a multiple).
int64_t elemUnits(float v);
/// The number of elements of `shape`.
size_t product(const std::vector<int64_t> &shape);

} // namespace mx::ref::detail

#endif // MX_LIB_REFERENCE_SUPPORT_H
