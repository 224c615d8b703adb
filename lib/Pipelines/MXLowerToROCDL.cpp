//===- MXLowerToROCDL.cpp - The mx-lower-to-rocdl pipeline ----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Pipelines/Pipelines.h"

#include "PipelineUtils.h"
#include "mx/Conversion/Passes.h"

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
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::mx::detail;

void mlir::mx::buildMXLowerToROCDLPipeline(
    OpPassManager &pm, const MXLowerToROCDLOptions &options) {
  if (options.matmulKernels == "scaled-mfma")
    pm.addPass(mx::createConvertMXMatmulToAMDGPUMFMAPass());
  buildBuffersToGPUKernelsPipeline(pm, options.blockSize);
  GpuROCDLAttachTargetOptions target;
  target.chip = options.chip;
  pm.addPass(createGpuROCDLAttachTarget(target));
  pm.addPass(createSCFToControlFlowPass());
  ConvertGpuOpsToROCDLOpsOptions rocdl;
  rocdl.chipset = options.chip;
  rocdl.runtime = gpu::amd::Runtime::HIP;
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToROCDLOps(rocdl));
  pm.addPass(createGpuToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  addHostToLLVMPasses(pm);
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = options.format;
  pm.addPass(createGpuModuleToBinaryPass(binary));
}

void mlir::mx::registerMXLowerToROCDLPipeline() {
  registerValidatedPipeline<MXLowerToROCDLOptions>(
      "mx-lower-to-rocdl",
      "Lower a tensor-level module with mx ops to AMD GPU kernels (ISA "
      "embedded by gpu-module-to-binary) and LLVM host code",
      [](const MXLowerToROCDLOptions &o, ErrorHandler error) -> LogicalResult {
        if (!StringRef(o.chip).starts_with("gfx"))
          return error("mx-lower-to-rocdl: chip must be an AMD GPU such as "
                       "gfx950, got '" +
                       o.chip + "'");
        if (o.matmulKernels != "simt" && o.matmulKernels != "scaled-mfma")
          return error("mx-lower-to-rocdl: matmul-kernels must be simt or "
                       "scaled-mfma, got '" +
                       o.matmulKernels + "'");
        if (o.matmulKernels == "scaled-mfma" && o.chip != "gfx950")
          return error("mx-lower-to-rocdl: matmul-kernels=scaled-mfma needs "
                       "chip=gfx950 (the scaled MFMA instructions), got "
                       "chip=" +
                       o.chip);
        return checkGPUCommon("mx-lower-to-rocdl", o.format, o.blockSize,
                              error);
      },
      buildMXLowerToROCDLPipeline);
}
