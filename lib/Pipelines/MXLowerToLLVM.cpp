//===- MXLowerToLLVM.cpp - The mx-lower-to-llvm pipeline ------------------===//
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
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::mx::detail;

bool mlir::mx::usesAVX512Kernels(const MXLowerToLLVMOptions &options) {
  if (options.cpuKernels == "avx512")
    return true;
  return options.cpuKernels == "auto" && mx::hostHasAVX512KernelFeatures();
}

void mlir::mx::buildMXLowerToLLVMPipeline(OpPassManager &pm,
                                          const MXLowerToLLVMOptions &options) {
  bool threaded = false;
  if (usesAVX512Kernels(options)) {
    mx::ConvertMXMatmulToAVX512PassOptions kernels;
    kernels.threads = std::max<int64_t>(1, options.cpuThreads);
    threaded = kernels.threads > 1;
    pm.addPass(mx::createConvertMXMatmulToAVX512Pass(kernels));
  }
  buildTensorToBuffersPipeline(pm, options.readOnlyExternalTensors,
                               options.bufferDeallocation);
  pm.addPass(mx::createConvertMXX86ToLLVMPass());

  if (threaded) {
    // The linalg ops (quantization of activations, the kernels' prologues)
    // become parallel loops too; scf.forall -> scf.parallel; then
    // omp.parallel + omp.wsloop for the outermost parallel loops.
    pm.addPass(createConvertLinalgToParallelLoopsPass());
    pm.addPass(createForallToParallelLoopPass());
    ConvertSCFToOpenMPPassOptions omp;
    omp.numThreads = (unsigned)options.cpuThreads;
    pm.addPass(createConvertSCFToOpenMPPass(omp));
  } else {
    pm.addPass(createConvertLinalgToLoopsPass());
  }
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToSCFPass());
  if (threaded) {
    // The memref.alloca_scope ops that convert-scf-to-openmp adds must be
    // lowered before their regions are split into blocks.
    pm.addPass(createLowerAffinePass());
    pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  }
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  if (threaded)
    pm.addPass(createConvertOpenMPToLLVMPass());
  addHostToLLVMPasses(pm);
}

void mlir::mx::registerMXLowerToLLVMPipeline() {
  registerValidatedPipeline<MXLowerToLLVMOptions>(
      "mx-lower-to-llvm",
      "Lower a tensor-level module with mx ops to the LLVM dialect: "
      "convert-mx-matmul-to-avx512 (see cpu-kernels), convert-mx-to-linalg, "
      "one-shot bufferization (function boundaries included), loops, LLVM",
      [](const MXLowerToLLVMOptions &o, ErrorHandler error) -> LogicalResult {
        if (o.cpuKernels != "auto" && o.cpuKernels != "avx512" &&
            o.cpuKernels != "generic")
          return error("mx-lower-to-llvm: cpu-kernels must be auto, avx512 "
                       "or generic, got '" +
                       o.cpuKernels + "'");
        if (o.cpuThreads < 1 || o.cpuThreads > 256)
          return error("mx-lower-to-llvm: cpu-threads must be in [1, 256], "
                       "got " +
                       Twine(o.cpuThreads));
        return success();
      },
      buildMXLowerToLLVMPipeline);
}
