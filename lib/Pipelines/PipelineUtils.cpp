//===- PipelineUtils.cpp - Pieces shared by the mx pipelines --------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "PipelineUtils.h"

#include "mx/Conversion/Passes.h"
#include "mx/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::mx::detail;

/// The tensor-level part shared by the CPU and GPU pipelines: mx ops to
/// linalg, bufferization of the whole module, deallocation.
void mlir::mx::detail::buildTensorToBuffersPipeline(
    OpPassManager &pm, bool readOnlyExternalTensors, bool deallocation) {
  pm.addPass(mx::createConvertMXToLinalgPass());
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  if (readOnlyExternalTensors)
    pm.addPass(mx::createMXReadOnlyExternalTensorArgsPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  if (deallocation)
    bufferization::buildBufferDeallocationPipeline(pm);
  // bufferization.clone (left by deallocation at function returns) becomes
  // memref.alloc + memref.copy.
  pm.addPass(createConvertBufferizationToMemRefPass());
}

/// Shared by the GPU pipelines: buffers, parallel loops tiled by
/// `blockSize` and mapped to blocks and threads, host buffers mapped into
/// the device, kernels outlined.
void mlir::mx::detail::buildBuffersToGPUKernelsPipeline(OpPassManager &pm,
                                                        int64_t blockSize,
                                                        bool deviceMemory) {
  buildTensorToBuffersPipeline(pm, /*readOnlyExternalTensors=*/true,
                               /*deallocation=*/true);
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createParallelLoopTilingPass({blockSize},
                                          /*noMinMaxBounds=*/true));
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addPass(createCanonicalizerPass());
  if (deviceMemory)
    pm.addPass(mx::createMXGPUDeviceBuffersPass());
  else
    pm.addPass(mx::createMXGPUHostBuffersPass());
  // Constants and index arithmetic are recomputed in the kernels rather
  // than passed as kernel parameters.
  pm.addNestedPass<func::FuncOp>(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
}

/// The end of every host lowering: memref, arith, index, func and cf to the
/// LLVM dialect, then the leftover casts.
void mlir::mx::detail::addHostToLLVMPasses(OpPassManager &pm) {
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

/// Checks the options both GPU pipelines share.
LogicalResult mlir::mx::detail::checkGPUCommon(StringRef pipeline,
                                               StringRef format,
                                               int64_t blockSize,
                                               ErrorHandler error) {
  if (format != "isa" && format != "bin" && format != "fatbin")
    return error(pipeline + ": format must be isa, bin or fatbin, got '" +
                 format + "'");
  if (blockSize < 1 || blockSize > 1024)
    return error(pipeline + ": block-size must be in [1, 1024], got " +
                 Twine(blockSize));
  return success();
}
