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
};

/// Builds `mx-lower-to-llvm`: mx ops to linalg, bufferization of the whole
/// module (function boundaries included), loops, and the LLVM dialect.
void buildMXLowerToLLVMPipeline(OpPassManager &pm,
                                const MXLowerToLLVMOptions &options);

/// Registers the mx pipelines with the global registry.
void registerMXPipelines();

} // namespace mlir::mx

#endif // MX_PIPELINES_PIPELINES_H
