/*===- MXGPURuntime.h - C API of the mx GPU runtime ---------------*- C -*-===*\
|*                                                                            *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * What a caller of code compiled by --mx-lower-to-nvvm (memory=device, the
 * default) uses from libmx_gpu_runtime.a: the stream the work runs on, the
 * error state, and the device buffers returned or needed by the entry
 * functions. docs/GPU.md ("Memory model and ABI") describes the calling
 * convention; examples/torch/ shows it from PyTorch.
 *
 * The functions the generated host code calls (mgpu*, mxGpuAlloc, ...) are
 * declared in lib/Runtime/MXGPURuntime.cpp and are not part of this API.
 */
#ifndef MX_RUNTIME_MXGPURUNTIME_H
#define MX_RUNTIME_MXGPURUNTIME_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Runs every later call of this thread on `stream` (a CUstream /
 * cudaStream_t; 0 is the legacy default stream). While a caller stream is
 * set, compiled entry functions enqueue their work and return without
 * synchronizing: the results are ready when the stream has reached them. */
void mxGpuSetStream(void *stream);
/* Back to the runtime's own stream, on which every kernel launch is
 * followed by a synchronization (the behaviour of executables). */
void mxGpuResetStream(void);

/* Error handling. Mode 0 (default, for executables): a CUDA error prints
 * "mx-gpu-runtime: <call> failed: <CUDA error> (<code>)[ in kernel <name>]"
 * to stderr and exits with status 1. Mode 1 (for libraries): the first
 * error is recorded, later runtime calls of this thread do nothing until
 * mxGpuClearError, and mxGpuGetLastError returns it. */
void mxGpuSetErrorMode(int mode);
/* The recorded CUDA error code (0 if none) and, if `message` is not null,
 * its text. */
int mxGpuGetLastError(const char **message);
void mxGpuClearError(void);

/* Frees a buffer returned by a compiled entry function (memory=device),
 * in stream order on the current stream. */
void mxGpuFree(int64_t devicePointer);

/* Releases the device copies of compile-time constants (uploaded on first
 * use and kept for every later call). */
void mxGpuReleaseConstants(void);

#ifdef __cplusplus
}
#endif

#endif /* MX_RUNTIME_MXGPURUNTIME_H */
