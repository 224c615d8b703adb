//===- mx-gpu-bench-ref.cpp - Expected bits of the GPU benchmark ---------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Usage: mx-gpu-bench-ref LHS RHS M K N SEED OUT
//        mx-gpu-bench-ref hash SEED STREAM COUNT   (prints the generator)
//        mx-gpu-bench-ref quantize FORMAT R L SEED  (prints checksums)
//
// Generates the inputs of one scripts/gpu-bench.sh case from SEED (the
// generator of examples/torch/mx_bench_inputs.py, written again here: the
// two are cross-checked by test/GPU/bench-inputs.test) and writes to OUT
// the bit patterns (little-endian u32, row-major M x N) of
//   C = quantize(x, LHS) x W
// computed by the reference library (docs/Spec.md §2 and §6.2, mode exact,
// init +0): x is M x K f32, W the pre-quantized K x N weight in RHS.
//
//===----------------------------------------------------------------------===//

#include "mx/Reference/MXReference.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace ref = mx::ref;

namespace {

/// The benchmark generator: a 32-bit hash of (seed, stream, index). Every
/// intermediate stays below 2^63, so PyTorch's int64 arithmetic gives the
/// same values.
uint32_t hash32(uint64_t seed, uint64_t stream, uint64_t i) {
  const uint64_t m = 0xFFFFFFFFull;
  uint64_t x =
      (i * 0x9E3779B1ull + seed * 0x85EBCA77ull + stream * 0xC2B2AE3Dull + 1) &
      m;
  x ^= x >> 16;
  x = (x * 0x45D9F3Bull) & m;
  x ^= x >> 16;
  x = (x * 0x45D9F3Bull) & m;
  x ^= x >> 16;
  return static_cast<uint32_t>(x);
}

/// A scale code of `kind` in a moderate range (no overflow, no NaN).
uint8_t scaleCode(ref::ScaleKind kind, uint32_t h) {
  switch (kind) {
  case ref::ScaleKind::E8M0:
    return static_cast<uint8_t>(118 + h % 16);
  case ref::ScaleKind::E4M3:
    return static_cast<uint8_t>(0x20 + h % 0x40);
  case ref::ScaleKind::E5M2:
    return static_cast<uint8_t>(0x34 + h % 0x10);
  }
  return 127;
}

/// The activations x (rows x cols, stream 0): ((h % 2001) - 1000) / 256,
/// exact in binary32.
std::vector<float> activations(uint64_t seed, int64_t rows, int64_t cols) {
  std::vector<float> x(rows * cols);
  for (int64_t i = 0; i < rows * cols; ++i)
    x[i] = (static_cast<float>(hash32(seed, 0, i) % 2001) - 1000.0f) / 256.0f;
  return x;
}

} // namespace

int main(int argc, char **argv) {
  if (argc == 5 && std::string(argv[1]) == "hash") {
    const uint64_t seed = strtoull(argv[2], nullptr, 10);
    const uint64_t stream = strtoull(argv[3], nullptr, 10);
    for (uint64_t i = 0, n = strtoull(argv[4], nullptr, 10); i < n; ++i)
      printf("%u\n", hash32(seed, stream, i));
    return 0;
  }
  if (argc == 6 && std::string(argv[1]) == "quantize") {
    // The quantization of x (R x L, stream 0) to FORMAT along L: weighted
    // checksums of the packed codes and of each scale array (§7 storage),
    // sum_i byte_i * (hash32(7, 9, i) & 0xFFFF), as the benchmark computes
    // them on the GPU.
    std::optional<ref::Format> f = ref::getPreset(argv[2]);
    const int64_t r = atoll(argv[3]), l = atoll(argv[4]);
    const uint64_t seed = strtoull(argv[5], nullptr, 10);
    if (!f || r < 1 || l < 1) {
      fprintf(stderr, "mx-gpu-bench-ref: bad quantize case\n");
      return 2;
    }
    std::vector<float> x = activations(seed, r, l);
    ref::QuantizedTensor q = ref::quantize(*f, {r, l}, 1, x.data());
    auto checksum = [](const std::vector<uint8_t> &bytes) {
      int64_t sum = 0;
      for (size_t i = 0; i < bytes.size(); ++i)
        sum += int64_t(bytes[i]) * int64_t(hash32(7, 9, i) & 0xFFFF);
      return sum;
    };
    printf("{\"codes\": %lld, \"scales\": [%lld",
           (long long)checksum(ref::packCodes(f->elem, {r, l}, q.codes)),
           (long long)checksum(q.scales[0]));
    if (f->asymmetric)
      printf(", %lld", (long long)checksum(q.scales[1]));
    printf("]}\n");
    return 0;
  }
  if (argc != 8) {
    fprintf(stderr, "usage: mx-gpu-bench-ref LHS RHS M K N SEED OUT\n");
    return 2;
  }
  std::optional<ref::Format> fa = ref::getPreset(argv[1]);
  std::optional<ref::Format> fb = ref::getPreset(argv[2]);
  if (!fa || !fb || fa->blockSize != fb->blockSize) {
    fprintf(stderr,
            "mx-gpu-bench-ref: unknown presets or block sizes differ "
            "(%s, %s)\n",
            argv[1], argv[2]);
    return 2;
  }
  const int64_t m = atoll(argv[3]), k = atoll(argv[4]), n = atoll(argv[5]);
  const uint64_t seed = strtoull(argv[6], nullptr, 10);
  if (m < 1 || k < 1 || n < 1) {
    fprintf(stderr, "mx-gpu-bench-ref: sizes must be positive\n");
    return 2;
  }
  std::vector<float> x = activations(seed, m, k);
  ref::QuantizedTensor a = ref::quantize(*fa, {m, k}, 1, x.data());
  // W: codes (stream 1: one byte per two codes along N), scales (streams
  // 2 and 3), g = 0.5 for a format with a tensor scale.
  ref::QuantizedTensor w;
  w.format = *fb;
  w.shape = {k, n};
  w.axis = 0;
  const int64_t rowBytes = (n + 1) / 2;
  std::vector<uint8_t> packed(k * rowBytes);
  for (int64_t i = 0; i < k * rowBytes; ++i)
    packed[i] = static_cast<uint8_t>(hash32(seed, 1, i) & 0xFF);
  w.codes = ref::unpackCodes(fb->elem, {k, n}, packed);
  const int64_t nb = (k + fb->blockSize - 1) / fb->blockSize;
  for (int grp = 0; grp < (fb->asymmetric ? 2 : 1); ++grp) {
    w.scales[grp].resize(nb * n);
    for (int64_t i = 0; i < nb * n; ++i)
      w.scales[grp][i] = scaleCode(fb->scale, hash32(seed, 2 + grp, i));
  }
  w.tensorScale = 0.5f;
  std::vector<float> c = ref::matmul(a, w, nullptr);
  FILE *f = fopen(argv[7], "wb");
  if (!f) {
    fprintf(stderr, "mx-gpu-bench-ref: cannot write %s\n", argv[7]);
    return 1;
  }
  for (float v : c) {
    uint32_t bits = ref::floatToBits(v);
    fwrite(&bits, 4, 1, f);
  }
  fclose(f);
  return 0;
}
