//===- MXGPURuntime.cpp - mgpu* runtime on the CUDA driver API ------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The functions that MLIR's GPU-to-LLVM lowering calls (MLIR 22 signatures)
// and those of the device-resident memory model (mxGpu*, called by the host
// code that mx-gpu-device-buffers writes), implemented on the CUDA driver
// API. libcuda.so.1 is loaded with dlopen on first use, so building needs no
// CUDA at all, and a GPU machine needs only its driver.
//
// Streams: every launch, allocation and copy goes to the current stream,
// the caller's (mxGpuSetStream) or the runtime's own. Only on the runtime's
// own stream are launches followed by a synchronization (mgpuStreamSynchronize
// after every synchronous gpu.launch_func), which executables and the
// zero-copy host mode rely on.
//
// Errors: see include/mx/Runtime/MXGPURuntime.h. CUDA_ERROR_DEINITIALIZED at
// exit (module unload from a global destructor) is ignored.
//
//===----------------------------------------------------------------------===//

#include "mx/Runtime/MXGPURuntime.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <mutex>
#include <unistd.h>
#include <vector>

namespace {

using CUresult = int;
using CUdevice = int;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUevent = void *;
using CUmemoryPool = void *;
using CUdeviceptr = unsigned long long;

constexpr CUresult kSuccess = 0;
constexpr CUresult kDeinitialized = 4;
constexpr CUresult kNotFound = 500;
constexpr CUresult kHostMemoryAlreadyRegistered = 712;
constexpr CUresult kHostMemoryNotRegistered = 713;
constexpr int kJitErrorLogBuffer = 5;
constexpr int kJitErrorLogBufferSize = 6;
constexpr int kJitOptimizationLevel = 7;
constexpr unsigned kHostRegisterPortable = 0x01;
constexpr unsigned kHostRegisterDeviceMap = 0x02;
constexpr int kMemPoolAttrReleaseThreshold = 4;

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
  CUresult (*cuMemHostRegister)(void *, size_t, unsigned);
  CUresult (*cuMemHostUnregister)(void *);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  // The stream-ordered pool (CUDA 11.2 drivers and later).
  CUresult (*cuMemAllocAsync)(CUdeviceptr *, size_t, CUstream) = nullptr;
  CUresult (*cuMemFreeAsync)(CUdeviceptr, CUstream) = nullptr;
  CUresult (*cuDeviceGetDefaultMemPool)(CUmemoryPool *, CUdevice) = nullptr;
  CUresult (*cuMemPoolSetAttribute)(CUmemoryPool, int, void *) = nullptr;
  // Loaded only with MX_GPU_TIMING set.
  CUresult (*cuEventCreate)(CUevent *, unsigned) = nullptr;
  CUresult (*cuEventRecord)(CUevent, CUstream) = nullptr;
  CUresult (*cuEventSynchronize)(CUevent) = nullptr;
  CUresult (*cuEventElapsedTime)(float *, CUevent, CUevent) = nullptr;
  CUresult (*cuEventDestroy)(CUevent) = nullptr;
  CUstream ownStream = nullptr;
};

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

int errorMode = 0;
thread_local int lastError = 0;
thread_local char lastMessage[512];

/// Reports a failed driver call `what` (in kernel `kernel`, if any). Mode 0:
/// exits with status 1; mode 1: records the first error.
void fail(const char *what, CUresult r, const Driver *d,
          const char *kernel = nullptr) {
  const char *name = "CUDA_ERROR_UNKNOWN", *msg = "unknown error";
  if (d && d->cuGetErrorName)
    d->cuGetErrorName(r, &name);
  if (d && d->cuGetErrorString)
    d->cuGetErrorString(r, &msg);
  char text[sizeof(lastMessage)];
  snprintf(text, sizeof(text), "%s failed: %s (%s, %d)%s%s", what, name, msg, r,
           kernel ? " in kernel " : "", kernel ? kernel : "");
  if (errorMode == 1) {
    if (!lastError) {
      lastError = r ? r : -1;
      memcpy(lastMessage, text, sizeof(text));
    }
    return;
  }
  fprintf(stderr, "mx-gpu-runtime: %s\n", text);
  // Not exit(): the module destructors would call back into the runtime.
  fflush(nullptr);
  _exit(1);
}

/// A failure without a CUDA error code (no driver, missing entry point).
void failSetup(const char *text) {
  if (errorMode == 1) {
    if (!lastError) {
      lastError = -1;
      snprintf(lastMessage, sizeof(lastMessage), "%s", text);
    }
    return;
  }
  fprintf(stderr, "mx-gpu-runtime: %s\n", text);
  // Not exit(): the module destructors would call back into the runtime.
  fflush(nullptr);
  _exit(1);
}

template <typename F> bool load(void *lib, F &fn, const char *name) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  return fn != nullptr;
}

/// The driver, loaded and initialized on first use (modules load from a
/// global constructor, before main and before C++ static initializers).
/// Null (with the error reported) when there is no usable driver.
Driver *driverOrNull() {
  static Driver *d = []() -> Driver * {
    static Driver d;
    d.lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
    if (!d.lib) {
      char text[400];
      snprintf(text, sizeof(text),
               "cannot load libcuda.so.1 (no NVIDIA driver?): %s", dlerror());
      failSetup(text);
      return nullptr;
    }
    bool ok =
        load(d.lib, d.cuGetErrorString, "cuGetErrorString") &&
        load(d.lib, d.cuGetErrorName, "cuGetErrorName") &&
        load(d.lib, d.cuInit, "cuInit") &&
        load(d.lib, d.cuDeviceGet, "cuDeviceGet") &&
        load(d.lib, d.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain") &&
        load(d.lib, d.cuCtxSetCurrent, "cuCtxSetCurrent") &&
        load(d.lib, d.cuModuleLoadDataEx, "cuModuleLoadDataEx") &&
        load(d.lib, d.cuModuleLoadData, "cuModuleLoadData") &&
        load(d.lib, d.cuModuleUnload, "cuModuleUnload") &&
        load(d.lib, d.cuModuleGetFunction, "cuModuleGetFunction") &&
        load(d.lib, d.cuLaunchKernel, "cuLaunchKernel") &&
        load(d.lib, d.cuStreamCreate, "cuStreamCreate") &&
        load(d.lib, d.cuStreamSynchronize, "cuStreamSynchronize") &&
        load(d.lib, d.cuMemHostRegister, "cuMemHostRegister_v2") &&
        load(d.lib, d.cuMemHostUnregister, "cuMemHostUnregister") &&
        load(d.lib, d.cuMemAlloc, "cuMemAlloc_v2") &&
        load(d.lib, d.cuMemFree, "cuMemFree_v2") &&
        load(d.lib, d.cuMemcpyAsync, "cuMemcpyAsync");
    if (!ok) {
      failSetup("libcuda.so.1 lacks a driver API entry point this runtime "
                "needs: the driver is too old");
      return nullptr;
    }
    // Optional: the stream-ordered pool. Without it (drivers before CUDA
    // 11.2) device-mode allocations report the driver as too old.
    load(d.lib, d.cuMemAllocAsync, "cuMemAllocAsync");
    load(d.lib, d.cuMemFreeAsync, "cuMemFreeAsync");
    load(d.lib, d.cuDeviceGetDefaultMemPool, "cuDeviceGetDefaultMemPool");
    load(d.lib, d.cuMemPoolSetAttribute, "cuMemPoolSetAttribute");
    if (getenv("MX_GPU_TIMING") &&
        !(load(d.lib, d.cuEventCreate, "cuEventCreate") &&
          load(d.lib, d.cuEventRecord, "cuEventRecord") &&
          load(d.lib, d.cuEventSynchronize, "cuEventSynchronize") &&
          load(d.lib, d.cuEventElapsedTime, "cuEventElapsedTime") &&
          load(d.lib, d.cuEventDestroy, "cuEventDestroy_v2")))
      d.cuEventCreate = nullptr;
    CUresult r = d.cuInit(0);
    if (r != kSuccess)
      return fail("cuInit", r, &d), nullptr;
    CUdevice dev;
    if ((r = d.cuDeviceGet(&dev, 0)) != kSuccess)
      return fail("cuDeviceGet", r, &d), nullptr;
    CUcontext ctx;
    if ((r = d.cuDevicePrimaryCtxRetain(&ctx, dev)) != kSuccess)
      return fail("cuDevicePrimaryCtxRetain", r, &d), nullptr;
    if ((r = d.cuCtxSetCurrent(ctx)) != kSuccess)
      return fail("cuCtxSetCurrent", r, &d), nullptr;
    // The pool keeps freed memory for reuse instead of returning it to the
    // device at every synchronization: intermediates of later calls are
    // served from it without a driver allocation.
    CUmemoryPool pool = nullptr;
    if (d.cuDeviceGetDefaultMemPool && d.cuMemPoolSetAttribute &&
        d.cuDeviceGetDefaultMemPool(&pool, dev) == kSuccess) {
      uint64_t keep = UINT64_MAX;
      d.cuMemPoolSetAttribute(pool, kMemPoolAttrReleaseThreshold, &keep);
    }
    if ((r = d.cuStreamCreate(&d.ownStream, 0)) != kSuccess)
      return fail("cuStreamCreate", r, &d), nullptr;
    return &d;
  }();
  if (!d && !lastError)
    failSetup("no usable NVIDIA driver (an earlier error said why)");
  return d;
}

/// The driver, or null when it is unusable or an error is pending (mode 1):
/// then the caller does nothing.
Driver *driver() {
  if (lastError)
    return nullptr;
  return driverOrNull();
}

bool check(CUresult r, const char *what, const char *kernel = nullptr) {
  if (r == kSuccess)
    return true;
  fail(what, r, driverOrNull(), kernel);
  return false;
}

//===----------------------------------------------------------------------===//
// Streams, kernel names, timing
//===----------------------------------------------------------------------===//

thread_local bool callerStreamSet = false;
thread_local CUstream callerStream = nullptr;

CUstream currentStream(Driver &d) {
  return callerStreamSet ? callerStream : d.ownStream;
}

/// Kernel names by function handle, for error messages and timing.
std::mutex namesMutex;
std::vector<std::pair<void *, std::vector<char>>> kernelNames;

const char *kernelName(void *function) {
  std::lock_guard<std::mutex> lock(namesMutex);
  for (auto &[f, name] : kernelNames)
    if (f == function)
      return name.data();
  return "?";
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
            "%ld total %.4f ms (%s)\n",
            i, t.grid[0], t.grid[1], t.grid[2], t.block[0], t.block[1],
            t.block[2], t.launches, t.ms, kernelName(t.function));
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

/// Device copies of compile-time constants, by host address.
struct DeviceConstant {
  const void *host;
  size_t bytes;
  CUdeviceptr device;
};
std::mutex constantsMutex;
std::vector<DeviceConstant> constants;

} // namespace

extern "C" {

//===----------------------------------------------------------------------===//
// Public API (include/mx/Runtime/MXGPURuntime.h)
//===----------------------------------------------------------------------===//

void mxGpuSetStream(void *stream) {
  callerStreamSet = true;
  callerStream = stream;
}

void mxGpuResetStream(void) {
  callerStreamSet = false;
  callerStream = nullptr;
}

void mxGpuSetErrorMode(int mode) { errorMode = mode; }

int mxGpuGetLastError(const char **message) {
  if (message)
    *message = lastError ? lastMessage : "";
  return lastError;
}

void mxGpuClearError(void) {
  lastError = 0;
  lastMessage[0] = 0;
}

void mxGpuFree(int64_t ptr) {
  Driver *d = driver();
  if (!d || !ptr)
    return;
  if (!d->cuMemFreeAsync)
    return failSetup("the driver is too old for device memory mode (no "
                     "cuMemFreeAsync; CUDA 11.2 or later is needed)");
  check(d->cuMemFreeAsync(static_cast<CUdeviceptr>(ptr), currentStream(*d)),
        "cuMemFreeAsync");
}

void mxGpuReleaseConstants(void) {
  Driver *d = driver();
  std::lock_guard<std::mutex> lock(constantsMutex);
  if (d) {
    check(d->cuStreamSynchronize(currentStream(*d)), "cuStreamSynchronize");
    for (DeviceConstant &c : constants)
      d->cuMemFree(c.device);
  }
  constants.clear();
}

//===----------------------------------------------------------------------===//
// Called by the host code of memory=device (mx-gpu-device-buffers)
//===----------------------------------------------------------------------===//

/// A device buffer of `bytes` from the stream-ordered pool, on the current
/// stream (0 for an empty buffer or after an error).
int64_t mxGpuAlloc(int64_t bytes) {
  Driver *d = driver();
  if (!d || bytes <= 0)
    return 0;
  if (!d->cuMemAllocAsync)
    return failSetup("the driver is too old for device memory mode (no "
                     "cuMemAllocAsync; CUDA 11.2 or later is needed)"),
           0;
  CUdeviceptr p = 0;
  if (!check(
          d->cuMemAllocAsync(&p, static_cast<size_t>(bytes), currentStream(*d)),
          "cuMemAllocAsync"))
    return 0;
  return static_cast<int64_t>(p);
}

/// Device-to-device copy of `bytes`, in stream order.
void mxGpuCopy(int64_t dst, int64_t src, int64_t bytes) {
  Driver *d = driver();
  if (!d || bytes <= 0)
    return;
  check(d->cuMemcpyAsync(static_cast<CUdeviceptr>(dst),
                         static_cast<CUdeviceptr>(src),
                         static_cast<size_t>(bytes), currentStream(*d)),
        "cuMemcpyAsync");
}

/// Copies a device buffer into host memory and waits for it: the host code
/// is about to pass it to a host function (e.g. printMemrefI32).
void mxGpuCopyToHost(int64_t hostDst, int64_t src, int64_t bytes) {
  Driver *d = driver();
  if (!d || bytes <= 0)
    return;
  CUstream s = currentStream(*d);
  if (check(d->cuMemcpyAsync(static_cast<CUdeviceptr>(hostDst),
                             static_cast<CUdeviceptr>(src),
                             static_cast<size_t>(bytes), s),
            "cuMemcpyAsync (device to host)"))
    check(d->cuStreamSynchronize(s), "cuStreamSynchronize");
}

/// The device copy of the constant at `host` (`bytes` long): uploaded on the
/// first call (which waits for the copy), the same buffer ever after.
int64_t mxGpuDeviceConstant(int64_t host, int64_t bytes) {
  Driver *d = driver();
  if (!d || bytes <= 0)
    return 0;
  const void *h = reinterpret_cast<const void *>(host);
  std::lock_guard<std::mutex> lock(constantsMutex);
  for (const DeviceConstant &c : constants)
    if (c.host == h && c.bytes == static_cast<size_t>(bytes))
      return static_cast<int64_t>(c.device);
  CUdeviceptr p = 0;
  if (!check(d->cuMemAlloc(&p, static_cast<size_t>(bytes)),
             "cuMemAlloc (constant)"))
    return 0;
  CUstream s = currentStream(*d);
  if (!check(d->cuMemcpyAsync(p, reinterpret_cast<CUdeviceptr>(h),
                              static_cast<size_t>(bytes), s),
             "cuMemcpyAsync (constant upload)") ||
      !check(d->cuStreamSynchronize(s), "cuStreamSynchronize")) {
    d->cuMemFree(p);
    return 0;
  }
  constants.push_back({h, static_cast<size_t>(bytes), p});
  return static_cast<int64_t>(p);
}

//===----------------------------------------------------------------------===//
// mgpu* (MLIR's GPU-to-LLVM lowering)
//===----------------------------------------------------------------------===//

void *mgpuModuleLoadJIT(void *data, int optLevel) {
  Driver *d = driver();
  if (!d)
    return nullptr;
  static char log[16384];
  log[0] = 0;
  int opts[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize,
                kJitOptimizationLevel};
  void *vals[] = {log, reinterpret_cast<void *>(sizeof(log)),
                  reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
  CUmodule m = nullptr;
  CUresult r = d->cuModuleLoadDataEx(&m, data, 3, opts, vals);
  if (r != kSuccess) {
    if (errorMode == 0) {
      fflush(stdout);
      fprintf(stderr, "mx-gpu-runtime: PTX JIT log:\n%s\n", log);
    }
    fail("cuModuleLoadDataEx", r, d);
    return nullptr;
  }
  return m;
}

void *mgpuModuleLoad(void *data, size_t /*size*/) {
  Driver *d = driver();
  CUmodule m = nullptr;
  if (d)
    check(d->cuModuleLoadData(&m, data), "cuModuleLoadData");
  return m;
}

void mgpuModuleUnload(void *module) {
  Driver *d = driverOrNull();
  if (!d || !module)
    return;
  CUresult r = d->cuModuleUnload(module);
  if (r != kSuccess && r != kDeinitialized)
    check(r, "cuModuleUnload");
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  Driver *d = driver();
  CUfunction f = nullptr;
  if (!d || !module)
    return nullptr;
  if (!check(d->cuModuleGetFunction(&f, module, name), "cuModuleGetFunction",
             name))
    return nullptr;
  // Generated code looks the function up before every launch: record
  // each one once.
  std::lock_guard<std::mutex> lock(namesMutex);
  for (auto &entry : kernelNames)
    if (entry.first == f)
      return f;
  kernelNames.emplace_back(f, std::vector<char>(name, name + strlen(name) + 1));
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
  Driver *d = driver();
  if (!d || !function)
    return;
  const char *name = kernelName(function);
  CUevent start = nullptr, stop = nullptr;
  if (d->cuEventCreate) {
    check(d->cuEventCreate(&start, 0), "cuEventCreate", name);
    check(d->cuEventCreate(&stop, 0), "cuEventCreate", name);
    check(d->cuEventRecord(start, stream), "cuEventRecord", name);
  }
  if (!check(d->cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY,
                               blockZ, smem, stream, params, extra),
             "cuLaunchKernel", name)) {
    if (start)
      d->cuEventDestroy(start);
    if (stop)
      d->cuEventDestroy(stop);
    return;
  }
  if (d->cuEventCreate) {
    check(d->cuEventRecord(stop, stream), "cuEventRecord", name);
    check(d->cuEventSynchronize(stop), "kernel execution", name);
    float ms = 0;
    check(d->cuEventElapsedTime(&ms, start, stop), "cuEventElapsedTime", name);
    const unsigned grid[3] = {unsigned(gridX), unsigned(gridY),
                              unsigned(gridZ)};
    const unsigned block[3] = {unsigned(blockX), unsigned(blockY),
                               unsigned(blockZ)};
    KernelTime &t = timeSlot(function, grid, block);
    ++t.launches;
    t.ms += ms;
    d->cuEventDestroy(start);
    d->cuEventDestroy(stop);
  }
  // The runtime's own stream is synchronized after every launch (by
  // mgpuStreamSynchronize below); name the kernel if it failed.
  if (!callerStreamSet)
    check(d->cuStreamSynchronize(stream), "kernel execution", name);
}

/// The current stream: generated code creates one per launch and destroys
/// it afterwards; all of them are the one current stream here.
void *mgpuStreamCreate() {
  Driver *d = driver();
  return d ? currentStream(*d) : nullptr;
}

void mgpuStreamSynchronize(void *stream) {
  Driver *d = driver();
  if (d && !callerStreamSet)
    check(d->cuStreamSynchronize(stream), "cuStreamSynchronize");
}

void mgpuStreamDestroy(void * /*stream*/) {}

void mgpuMemHostRegister(void *ptr, uint64_t bytes) {
  Driver *d = driver();
  if (!d || !bytes)
    return;
  CUresult r = d->cuMemHostRegister(
      ptr, bytes, kHostRegisterPortable | kHostRegisterDeviceMap);
  if (r != kSuccess && r != kHostMemoryAlreadyRegistered)
    check(r, "cuMemHostRegister");
}

void mgpuMemHostUnregister(void *ptr) {
  Driver *d = driverOrNull();
  if (!d)
    return;
  CUresult r = d->cuMemHostUnregister(ptr);
  if (r != kSuccess && r != kHostMemoryNotRegistered && r != kDeinitialized &&
      r != kNotFound)
    check(r, "cuMemHostUnregister");
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
  return reinterpret_cast<void *>(mxGpuAlloc(static_cast<int64_t>(bytes)));
}

void mgpuMemFree(void *ptr, void * /*stream*/) {
  mxGpuFree(reinterpret_cast<int64_t>(ptr));
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void * /*stream*/) {
  mxGpuCopy(reinterpret_cast<int64_t>(dst), reinterpret_cast<int64_t>(src),
            static_cast<int64_t>(bytes));
}

} // extern "C"
