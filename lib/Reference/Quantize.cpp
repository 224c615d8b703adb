//===- Quantize.cpp - Block quantization and dequantization ---------------===//
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

namespace {

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
      scale0[blk * scaleStride] = kNaNBlockScaleCode;
      if (f.asymmetric)
        scale1[blk * scaleStride] = kNaNBlockScaleCode;
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
      v = std::min(std::max(v, kNVFP4BlockScaleMin), kNVFP4BlockScaleMax);
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

} // namespace

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

} // namespace mx::ref
