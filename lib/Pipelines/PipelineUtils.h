//===- PipelineUtils.h - Pieces shared by the mx pipelines ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Internal to the MXPipelines library: the stages that several pipelines
// share and the registration of pipelines with validated options.
//
//===----------------------------------------------------------------------===//

#ifndef MX_LIB_PIPELINES_PIPELINEUTILS_H
#define MX_LIB_PIPELINES_PIPELINEUTILS_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

namespace mlir::mx::detail {

/// The tensor-level part shared by the CPU and GPU pipelines: mx ops to
/// linalg, bufferization of the whole module, deallocation.
void buildTensorToBuffersPipeline(OpPassManager &pm,
                                  bool readOnlyExternalTensors,
                                  bool deallocation);

/// Shared by the GPU pipelines: buffers, parallel loops tiled by
/// `blockSize` and mapped to blocks and threads, host buffers mapped into
/// the device, kernels outlined.
void buildBuffersToGPUKernelsPipeline(OpPassManager &pm, int64_t blockSize,
                                      bool deviceMemory = false);

/// The end of every host lowering: memref, arith, index, func and cf to the
/// LLVM dialect, then the leftover casts.
void addHostToLLVMPasses(OpPassManager &pm);

using ErrorHandler = function_ref<LogicalResult(const Twine &)>;

/// Checks the options both GPU pipelines share.
LogicalResult checkGPUCommon(StringRef pipeline, StringRef format,
                             int64_t blockSize, ErrorHandler error);

/// Registers a pipeline whose options are checked by `validate` (which
/// reports through the error handler) before `build` runs.
template <typename Options>
void registerValidatedPipeline(StringRef name, StringRef description,
                               LogicalResult (*validate)(const Options &,
                                                         ErrorHandler),
                               void (*build)(OpPassManager &,
                                             const Options &)) {
  registerPassPipeline(
      name, description,
      [validate, build](OpPassManager &pm, StringRef optionsStr,
                        ErrorHandler error) -> LogicalResult {
        std::unique_ptr<Options> options =
            Options::createFromString(optionsStr);
        if (!options || failed(validate(*options, error)))
          return failure();
        build(pm, *options);
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> handler) {
        handler(Options());
      });
}

} // namespace mlir::mx::detail

#endif // MX_LIB_PIPELINES_PIPELINEUTILS_H
