//===- MXPrint.cpp - printMemref* for ahead-of-time executables -----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// printMemrefI32 / printMemrefF32 for executables built ahead of time (the
// GPU machine has no libmlir_runner_utils). The data lines use the format of
// MLIR's runner utilities, so the same FileCheck lines apply.
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstdio>

namespace {

struct Unranked {
  int64_t rank;
  void *descriptor;
};

struct Head {
  void *allocated;
  void *aligned;
  int64_t offset;
  int64_t rest[1]; // sizes, then strides
};

template <typename T, typename P>
void printDim(const T *base, const int64_t *sizes, const int64_t *strides,
              int64_t rank, int64_t dim, P print) {
  printf("[");
  for (int64_t i = 0; i < sizes[dim]; ++i) {
    if (i)
      printf(dim + 1 == rank ? ",  " : ", \n ");
    const T *p = base + i * strides[dim];
    if (dim + 1 == rank)
      print(*p);
    else
      printDim(p, sizes, strides, rank, dim + 1, print);
  }
  printf("]");
}

template <typename T, typename P> void printMemref(Unranked m, P print) {
  auto *h = static_cast<Head *>(m.descriptor);
  const int64_t *sizes = h->rest, *strides = h->rest + m.rank;
  printf("Unranked Memref base@ = %p rank = %lld offset = %lld sizes = [",
         h->aligned, (long long)m.rank, (long long)h->offset);
  for (int64_t i = 0; i < m.rank; ++i)
    printf(i ? ", %lld" : "%lld", (long long)sizes[i]);
  printf("] strides = [");
  for (int64_t i = 0; i < m.rank; ++i)
    printf(i ? ", %lld" : "%lld", (long long)strides[i]);
  printf("] data = \n");
  const T *base = static_cast<const T *>(h->aligned) + h->offset;
  if (m.rank == 0)
    print(*base);
  else
    printDim(base, sizes, strides, m.rank, 0, print);
  printf("\n");
}

} // namespace

extern "C" void printMemrefI32(int64_t rank, void *desc) {
  printMemref<int32_t>({rank, desc}, [](int32_t v) { printf("%d", v); });
}

extern "C" void printMemrefF32(int64_t rank, void *desc) {
  printMemref<float>({rank, desc}, [](float v) { printf("%g", v); });
}
