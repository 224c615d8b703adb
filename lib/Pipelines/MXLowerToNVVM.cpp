//===- MXLowerToNVVM.cpp - The mx-lower-to-nvvm pipeline ------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Pipelines/Pipelines.h"

#include "PipelineUtils.h"
#include "mx/Conversion/MXCommon/TargetInfo.h"
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
using namespace mlir::mx;
using namespace mlir::mx::detail;

void mlir::mx::buildMXLowerToNVVMPipeline(OpPassManager &pm,
                                          const MXLowerToNVVMOptions &options) {
  if (options.matmulKernels != "simt") {
    mx::ConvertMXMatmulToGPUMMAPassOptions mma;
    mma.blockScale = options.matmulKernels == "block-scale";
    mma.tcgen05 = mma.blockScale &&
                  getNVBlockScaleMMA(options.chip) == NVBlockScaleMMA::Tcgen05;
    pm.addPass(mx::createConvertMXMatmulToGPUMMAPass(mma));
  }
  pm.addPass(mx::createConvertMXQuantizeToGPUPass());
  buildBuffersToGPUKernelsPipeline(pm, options.blockSize,
                                   options.memory == "device");
  pm.addPass(mx::createConvertMXNVVMToNVVMPass());

  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = options.chip;
  std::string ptx =
      options.ptx.empty()
          ? getDefaultPTXVersion(options.chip, options.matmulKernels)
          : std::string(options.ptx);
  nvvm.cubinFeatures = "+ptx" + ptx;
  nvvm.cubinFormat = options.format;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
}

void mlir::mx::registerMXLowerToNVVMPipeline() {
  registerValidatedPipeline<MXLowerToNVVMOptions>(
      "mx-lower-to-nvvm",
      "Lower a tensor-level module with mx ops to NVIDIA GPU kernels (PTX "
      "embedded by gpu-module-to-binary) and LLVM host code",
      [](const MXLowerToNVVMOptions &o, ErrorHandler error) -> LogicalResult {
        if (o.ptx.empty() && getDefaultPTXVersion(o.chip).empty())
          return error("mx-lower-to-nvvm: unknown chip '" + o.chip +
                       "'; expected sm_90a, sm_100a or sm_120a (other chips "
                       "need an explicit ptx=)");
        if (!o.ptx.empty() && !llvm::all_of(std::string(o.ptx), llvm::isDigit))
          return error("mx-lower-to-nvvm: ptx must be a PTX ISA version such "
                       "as 80 or 87, got '" +
                       o.ptx + "'");
        if (o.matmulKernels != "mma" && o.matmulKernels != "block-scale" &&
            o.matmulKernels != "simt")
          return error("mx-lower-to-nvvm: matmul-kernels must be mma, "
                       "block-scale or simt, got '" +
                       o.matmulKernels + "'");
        if (o.matmulKernels == "block-scale" &&
            getNVBlockScaleMMA(o.chip) == NVBlockScaleMMA::None)
          return error("mx-lower-to-nvvm: matmul-kernels=block-scale needs "
                       "chip=sm_100a (tcgen05.mma.block_scale) or sm_120a "
                       "(the warp-level block-scaled MMA); sm_90a has no FP4 "
                       "tensor cores, got chip=" +
                       o.chip);
        if (o.memory != "device" && o.memory != "host")
          return error("mx-lower-to-nvvm: memory must be device or host, "
                       "got '" +
                       o.memory + "'");
        return checkGPUCommon("mx-lower-to-nvvm", o.format, o.blockSize, error);
      },
      buildMXLowerToNVVMPipeline);
}
