//===- Pipelines.h - mx pass pipelines --------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_PIPELINES_PIPELINES_H
#define MX_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace mlir::mx {

/// Options of the `mx-lower-to-llvm` pipeline.
struct MXLowerToLLVMOptions : public PassPipelineOptions<MXLowerToLLVMOptions> {
  PassOptions::Option<bool> bufferDeallocation{
      *this, "buffer-deallocation",
      llvm::cl::desc("Free the buffers that bufferization allocates (run the "
                     "buffer-deallocation pipeline)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> readOnlyExternalTensors{
      *this, "read-only-external-tensors",
      llvm::cl::desc("Treat the tensor arguments of external function "
                     "declarations (e.g. printMemrefI32) as read-only during "
                     "bufferization, unless annotated otherwise"),
      llvm::cl::init(true)};
  PassOptions::Option<std::string> cpuKernels{
      *this, "cpu-kernels",
      llvm::cl::desc("Kernels for eligible FP4 x FP4 mx.matmul ops: auto "
                     "(avx512 when the host CPU has AVX-512 F/BW/VL, VBMI "
                     "and VNNI, else generic), avx512 (convert-mx-matmul-to-"
                     "avx512; the code then needs such a CPU) or generic "
                     "(portable scalar loops only)"),
      llvm::cl::init("auto")};
  PassOptions::Option<int64_t> cpuThreads{
      *this, "cpu-threads",
      llvm::cl::desc("Threads for the AVX-512 kernels: above 1, their output "
                     "columns are split into that many chunks run on OpenMP "
                     "threads, and the code then needs libomp at run time"),
      llvm::cl::init(1)};
};

/// Whether `mx-lower-to-llvm` with these options uses the AVX-512 kernels.
bool usesAVX512Kernels(const MXLowerToLLVMOptions &options);

/// Options of the `mx-lower-to-nvvm` pipeline.
struct MXLowerToNVVMOptions : public PassPipelineOptions<MXLowerToNVVMOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc("Target GPU: sm_90a (Hopper), sm_100a or sm_120a "
                     "(Blackwell)"),
      llvm::cl::init("sm_90a")};
  PassOptions::Option<std::string> ptx{
      *this, "ptx",
      llvm::cl::desc("PTX ISA version, e.g. 80 (default: the oldest that "
                     "supports the chip: 80 for sm_90a, 86 for sm_100a (88 "
                     "with matmul-kernels=block-scale), 87 for sm_120a)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("Embedded kernel format: isa (PTX, JIT-compiled by the "
                     "driver; needs no CUDA to build), bin or fatbin (run "
                     "ptxas at compile time)"),
      llvm::cl::init("isa")};
  PassOptions::Option<int64_t> blockSize{
      *this, "block-size",
      llvm::cl::desc("Threads per block of the generated kernels"),
      llvm::cl::init(128)};
  PassOptions::Option<std::string> matmulKernels{
      *this, "matmul-kernels",
      llvm::cl::desc("FP4 x FP4 mx.matmul kernels: mma (integer tensor-core "
                     "MMA, bit-exact; convert-mx-matmul-to-gpu-mma), "
                     "block-scale (sm_100a: tcgen05.mma.block_scale, sm_120a: "
                     "the warp-level block-scaled MMA; the native FP4 MMA "
                     "where the scales map onto it; within a tolerance, "
                     "not bit-exact) or simt (one thread per output element)"),
      llvm::cl::init("mma")};
  PassOptions::Option<std::string> memory{
      *this, "memory",
      llvm::cl::desc("Where buffers live: device (entry functions take and "
                     "return device buffers, constants are uploaded once, "
                     "intermediates come from a stream-ordered pool, no host "
                     "synchronization; mx-gpu-device-buffers) or host "
                     "(page-locked host memory mapped into the device, "
                     "synchronous launches; for driver-only smoke tests; "
                     "mx-gpu-host-buffers)"),
      llvm::cl::init("device")};
};

/// Builds `mx-lower-to-nvvm`: mx ops to linalg, bufferization, parallel loops
/// mapped to GPU blocks and threads, host buffers mapped into the device,
/// kernels outlined and compiled for `chip`, host code to LLVM.
void buildMXLowerToNVVMPipeline(OpPassManager &pm,
                                const MXLowerToNVVMOptions &options);

/// Options of the `mx-lower-to-rocdl` pipeline.
struct MXLowerToROCDLOptions
    : public PassPipelineOptions<MXLowerToROCDLOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("Target AMD GPU, e.g. gfx950"),
      llvm::cl::init("gfx950")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("Embedded kernel format: isa (AMDGPU assembly text), "
                     "bin or fatbin (need the ROCm device libraries)"),
      llvm::cl::init("isa")};
  PassOptions::Option<int64_t> blockSize{
      *this, "block-size",
      llvm::cl::desc("Threads per block of the generated kernels"),
      llvm::cl::init(256)};
  PassOptions::Option<std::string> matmulKernels{
      *this, "matmul-kernels",
      llvm::cl::desc("mx.matmul kernels: simt (exact, one thread per output "
                     "element) or scaled-mfma (gfx950: amdgpu.scaled_mfma "
                     "for FP4/FP6/FP8 with E8M0 scales; within a tolerance, "
                     "not bit-exact; convert-mx-matmul-to-amdgpu-mfma)"),
      llvm::cl::init("simt")};
};

/// Builds `mx-lower-to-rocdl`: as mx-lower-to-nvvm, for AMD GPUs.
void buildMXLowerToROCDLPipeline(OpPassManager &pm,
                                 const MXLowerToROCDLOptions &options);

/// Builds `mx-lower-to-llvm`: mx ops to linalg, bufferization of the whole
/// module (function boundaries included), loops, and the LLVM dialect.
void buildMXLowerToLLVMPipeline(OpPassManager &pm,
                                const MXLowerToLLVMOptions &options);

/// Register one pipeline each with the global registry.
void registerMXLowerToLLVMPipeline();
void registerMXLowerToNVVMPipeline();
void registerMXLowerToROCDLPipeline();

/// Registers all mx pipelines with the global registry.
void registerMXPipelines();

} // namespace mlir::mx

#endif // MX_PIPELINES_PIPELINES_H
