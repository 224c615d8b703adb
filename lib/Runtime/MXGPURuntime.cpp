//===- MXGPURuntime.cpp - mgpu* runtime on the CUDA driver API ------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The functions that MLIR's GPU-to-LLVM lowering calls (MLIR 22 signatures),
// implemented on the CUDA driver API. libcuda.so.1 is loaded with dlopen on
// first use, so building needs no CUDA at all, and a GPU machine needs only
// its driver. Errors print the driver's message and abort, after flushing
// stdout; CUDA_ERROR_DEINITIALIZED at exit (module unload from a global
// destructor) is ignored.
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>

namespace {

using CUresult = int;
using CUdevice = int;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUevent = void *;
using CUdeviceptr = unsigned long long;

constexpr CUresult kSuccess = 0;
constexpr CUresult kDeinitialized = 4;
constexpr CUresult kHostMemoryAlreadyRegistered = 712;
constexpr CUresult kHostMemoryNotRegistered = 713;
constexpr int kJitErrorLogBuffer = 5;
constexpr int kJitErrorLogBufferSize = 6;
constexpr int kJitOptimizationLevel = 7;
constexpr unsigned kHostRegisterPortable = 0x01;
constexpr unsigned kHostRegisterDeviceMap = 0x02;

struct Driver {
  void *lib = nullptr;
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuMemHostRegister)(void *, size_t, unsigned);
  CUresult (*cuMemHostUnregister)(void *);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  // Loaded only with MX_GPU_TIMING set.
  CUresult (*cuEventCreate)(CUevent *, unsigned) = nullptr;
  CUresult (*cuEventRecord)(CUevent, CUstream) = nullptr;
  CUresult (*cuEventSynchronize)(CUevent) = nullptr;
  CUresult (*cuEventElapsedTime)(float *, CUevent, CUevent) = nullptr;
  CUresult (*cuEventDestroy)(CUevent) = nullptr;
};

[[noreturn]] void fatal(const char *what, CUresult r, const Driver *d) {
  const char *msg = "unknown error";
  if (d && d->cuGetErrorString)
    d->cuGetErrorString(r, &msg);
  fflush(stdout);
  fprintf(stderr, "mx-gpu-runtime: %s failed: %s (%d)\n", what, msg, r);
  abort();
}

template <typename F> void load(void *lib, F &fn, const char *name) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  if (!fn) {
    fflush(stdout);
    fprintf(stderr, "mx-gpu-runtime: libcuda.so.1 has no %s\n", name);
    abort();
  }
}

/// The driver, loaded and initialized on first use (modules load from a
/// global constructor, before main and before C++ static initializers).
Driver &driver() {
  static Driver d = [] {
    Driver d;
    d.lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
    if (!d.lib) {
      fflush(stdout);
      fprintf(stderr, "mx-gpu-runtime: cannot load libcuda.so.1: %s\n",
              dlerror());
      abort();
    }
    load(d.lib, d.cuInit, "cuInit");
    load(d.lib, d.cuDeviceGet, "cuDeviceGet");
    load(d.lib, d.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
    load(d.lib, d.cuCtxSetCurrent, "cuCtxSetCurrent");
    load(d.lib, d.cuModuleLoadDataEx, "cuModuleLoadDataEx");
    load(d.lib, d.cuModuleLoadData, "cuModuleLoadData");
    load(d.lib, d.cuModuleUnload, "cuModuleUnload");
    load(d.lib, d.cuModuleGetFunction, "cuModuleGetFunction");
    load(d.lib, d.cuLaunchKernel, "cuLaunchKernel");
    load(d.lib, d.cuStreamCreate, "cuStreamCreate");
    load(d.lib, d.cuStreamSynchronize, "cuStreamSynchronize");
    load(d.lib, d.cuStreamDestroy, "cuStreamDestroy_v2");
    load(d.lib, d.cuMemHostRegister, "cuMemHostRegister_v2");
    load(d.lib, d.cuMemHostUnregister, "cuMemHostUnregister");
    load(d.lib, d.cuMemAlloc, "cuMemAlloc_v2");
    load(d.lib, d.cuMemFree, "cuMemFree_v2");
    load(d.lib, d.cuMemcpyAsync, "cuMemcpyAsync");
    load(d.lib, d.cuGetErrorString, "cuGetErrorString");
    if (getenv("MX_GPU_TIMING")) {
      load(d.lib, d.cuEventCreate, "cuEventCreate");
      load(d.lib, d.cuEventRecord, "cuEventRecord");
      load(d.lib, d.cuEventSynchronize, "cuEventSynchronize");
      load(d.lib, d.cuEventElapsedTime, "cuEventElapsedTime");
      load(d.lib, d.cuEventDestroy, "cuEventDestroy_v2");
    }
    CUresult r = d.cuInit(0);
    if (r != kSuccess)
      fatal("cuInit", r, &d);
    CUdevice dev;
    if ((r = d.cuDeviceGet(&dev, 0)) != kSuccess)
      fatal("cuDeviceGet", r, &d);
    CUcontext ctx;
    if ((r = d.cuDevicePrimaryCtxRetain(&ctx, dev)) != kSuccess)
      fatal("cuDevicePrimaryCtxRetain", r, &d);
    if ((r = d.cuCtxSetCurrent(ctx)) != kSuccess)
      fatal("cuCtxSetCurrent", r, &d);
    return d;
  }();
  return d;
}

void check(CUresult r, const char *what) {
  if (r != kSuccess)
    fatal(what, r, &driver());
}

/// The part of a ranked memref descriptor that precedes sizes and strides.
struct DescriptorHead {
  char *allocated;
  char *aligned;
  int64_t offset;
  int64_t sizes[1]; // `rank` sizes, then `rank` strides
};

/// Pointer and byte size of a densely packed memref.
void denseRange(int64_t rank, void *desc, int64_t elemSize, char *&ptr,
                size_t &bytes) {
  auto *d = static_cast<DescriptorHead *>(desc);
  int64_t n = 1;
  for (int64_t i = 0; i < rank; ++i)
    n *= d->sizes[i];
  ptr = d->aligned + d->offset * elemSize;
  bytes = static_cast<size_t>(n * elemSize);
}

/// MX_GPU_TIMING: the GPU time of every kernel (by function and launch
/// shape), measured with events around each launch and printed to stderr at
/// exit, in launch order.
struct KernelTime {
  void *function;
  unsigned grid[3], block[3];
  long launches;
  double ms;
};
constexpr int kMaxTimed = 512;
KernelTime timed[kMaxTimed];
int numTimed = 0;

void printTimes() {
  for (int i = 0; i < numTimed; ++i) {
    const KernelTime &t = timed[i];
    fprintf(stderr,
            "mx-gpu-timing: kernel %d grid %ux%ux%u block %ux%ux%u launches "
            "%ld total %.4f ms\n",
            i, t.grid[0], t.grid[1], t.grid[2], t.block[0], t.block[1],
            t.block[2], t.launches, t.ms);
  }
}

KernelTime &timeSlot(void *function, const unsigned grid[3],
                     const unsigned block[3]) {
  for (int i = 0; i < numTimed; ++i) {
    KernelTime &t = timed[i];
    if (t.function == function && t.grid[0] == grid[0] &&
        t.grid[1] == grid[1] && t.grid[2] == grid[2] &&
        t.block[0] == block[0] && t.block[1] == block[1] &&
        t.block[2] == block[2])
      return t;
  }
  if (numTimed == 0)
    atexit(printTimes);
  if (numTimed == kMaxTimed)
    return timed[kMaxTimed - 1];
  KernelTime &t = timed[numTimed++];
  t.function = function;
  for (int i = 0; i < 3; ++i) {
    t.grid[i] = grid[i];
    t.block[i] = block[i];
  }
  return t;
}

} // namespace

extern "C" {

void *mgpuModuleLoadJIT(void *data, int optLevel) {
  Driver &d = driver();
  static char log[16384];
  log[0] = 0;
  int opts[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize,
                kJitOptimizationLevel};
  void *vals[] = {log, reinterpret_cast<void *>(sizeof(log)),
                  reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
  CUmodule m = nullptr;
  CUresult r = d.cuModuleLoadDataEx(&m, data, 3, opts, vals);
  if (r != kSuccess) {
    fflush(stdout);
    fprintf(stderr, "mx-gpu-runtime: PTX JIT log:\n%s\n", log);
    fatal("cuModuleLoadDataEx", r, &d);
  }
  return m;
}

void *mgpuModuleLoad(void *data, size_t /*size*/) {
  CUmodule m = nullptr;
  check(driver().cuModuleLoadData(&m, data), "cuModuleLoadData");
  return m;
}

void mgpuModuleUnload(void *module) {
  CUresult r = driver().cuModuleUnload(module);
  if (r != kSuccess && r != kDeinitialized)
    fatal("cuModuleUnload", r, &driver());
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  CUfunction f = nullptr;
  check(driver().cuModuleGetFunction(&f, module, name), "cuModuleGetFunction");
  return f;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  // A grid over an empty range (e.g. a dynamic dimension of size 0) does
  // nothing; the driver would reject it.
  if (gridX == 0 || gridY == 0 || gridZ == 0)
    return;
  Driver &d = driver();
  CUevent start = nullptr, stop = nullptr;
  if (d.cuEventCreate) {
    check(d.cuEventCreate(&start, 0), "cuEventCreate");
    check(d.cuEventCreate(&stop, 0), "cuEventCreate");
    check(d.cuEventRecord(start, stream), "cuEventRecord");
  }
  check(d.cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ,
                         smem, stream, params, extra),
        "cuLaunchKernel");
  if (d.cuEventCreate) {
    check(d.cuEventRecord(stop, stream), "cuEventRecord");
    check(d.cuEventSynchronize(stop), "cuEventSynchronize");
    float ms = 0;
    check(d.cuEventElapsedTime(&ms, start, stop), "cuEventElapsedTime");
    const unsigned grid[3] = {unsigned(gridX), unsigned(gridY),
                              unsigned(gridZ)};
    const unsigned block[3] = {unsigned(blockX), unsigned(blockY),
                               unsigned(blockZ)};
    KernelTime &t = timeSlot(function, grid, block);
    ++t.launches;
    t.ms += ms;
    d.cuEventDestroy(start);
    d.cuEventDestroy(stop);
  }
}

void *mgpuStreamCreate() {
  CUstream s = nullptr;
  check(driver().cuStreamCreate(&s, 0), "cuStreamCreate");
  return s;
}

void mgpuStreamSynchronize(void *stream) {
  check(driver().cuStreamSynchronize(stream), "cuStreamSynchronize");
}

void mgpuStreamDestroy(void *stream) {
  check(driver().cuStreamDestroy(stream), "cuStreamDestroy");
}

void mgpuMemHostRegister(void *ptr, uint64_t bytes) {
  if (!bytes)
    return;
  CUresult r = driver().cuMemHostRegister(
      ptr, bytes, kHostRegisterPortable | kHostRegisterDeviceMap);
  if (r != kSuccess && r != kHostMemoryAlreadyRegistered)
    fatal("cuMemHostRegister", r, &driver());
}

void mgpuMemHostUnregister(void *ptr) {
  CUresult r = driver().cuMemHostUnregister(ptr);
  if (r != kSuccess && r != kHostMemoryNotRegistered && r != kDeinitialized)
    fatal("cuMemHostUnregister", r, &driver());
}

void mgpuMemHostRegisterMemRef(int64_t rank, void *desc, int64_t elemSize) {
  char *ptr;
  size_t bytes;
  denseRange(rank, desc, elemSize, ptr, bytes);
  mgpuMemHostRegister(ptr, bytes);
}

void mgpuMemHostUnregisterMemRef(int64_t rank, void *desc, int64_t elemSize) {
  char *ptr;
  size_t bytes;
  denseRange(rank, desc, elemSize, ptr, bytes);
  if (bytes)
    mgpuMemHostUnregister(ptr);
}

void *mgpuMemAlloc(uint64_t bytes, void * /*stream*/, bool /*hostShared*/) {
  CUdeviceptr p = 0;
  if (bytes)
    check(driver().cuMemAlloc(&p, bytes), "cuMemAlloc");
  return reinterpret_cast<void *>(p);
}

void mgpuMemFree(void *ptr, void * /*stream*/) {
  if (ptr)
    check(driver().cuMemFree(reinterpret_cast<CUdeviceptr>(ptr)), "cuMemFree");
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream) {
  check(driver().cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                               reinterpret_cast<CUdeviceptr>(src), bytes,
                               stream),
        "cuMemcpyAsync");
}

} // extern "C"
