//===- Pipelines.cpp - mx pass pipelines ----------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Pipelines/Pipelines.h"

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
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;

namespace {
/// Tensors are values: an external function cannot change a tensor it is
/// passed. Marks the tensor arguments of body-less func.func declarations
/// (runtime helpers such as printMemrefI32) as read-only for one-shot
/// bufferization, unless they already say otherwise; without it every call
/// would need a copy, and a copy of an unranked tensor is impossible.
struct ReadOnlyExternalTensorArgs
    : PassWrapper<ReadOnlyExternalTensorArgs, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ReadOnlyExternalTensorArgs)
  StringRef getArgument() const final {
    return "mx-read-only-external-tensor-args";
  }
  void runOnOperation() override {
    getOperation().walk([](func::FuncOp f) {
      if (!f.isExternal())
        return;
      for (auto [i, t] : llvm::enumerate(f.getArgumentTypes()))
        if (isa<TensorType>(t) && !f.getArgAttr(i, "bufferization.access"))
          f.setArgAttr(i, "bufferization.access",
                       StringAttr::get(f.getContext(), "read"));
    });
  }
};
} // namespace

/// The tensor-level part shared by the CPU and GPU pipelines: mx ops to
/// linalg, bufferization of the whole module, deallocation.
static void buildTensorToBuffersPipeline(OpPassManager &pm,
                                         bool readOnlyExternalTensors,
                                         bool deallocation) {
  pm.addPass(mx::createConvertMXToLinalgPass());
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  if (readOnlyExternalTensors)
    pm.addPass(std::make_unique<ReadOnlyExternalTensorArgs>());
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

std::string mlir::mx::getDefaultPTXVersion(StringRef chip,
                                           StringRef matmulKernels) {
  if (chip == "sm_90a" || chip == "sm_90")
    return "80";
  if (chip == "sm_100a")
    return matmulKernels == "block-scale" ? "88" : "86";
  if (chip == "sm_100")
    return "86";
  if (chip == "sm_120a" || chip == "sm_120")
    return "87";
  return "";
}

/// Shared by the GPU pipelines: buffers, parallel loops tiled by
/// `blockSize` and mapped to blocks and threads, host buffers mapped into
/// the device, kernels outlined.
static void buildBuffersToGPUKernelsPipeline(OpPassManager &pm,
                                             int64_t blockSize) {
  buildTensorToBuffersPipeline(pm, /*readOnlyExternalTensors=*/true,
                               /*deallocation=*/true);
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addPass(createParallelLoopTilingPass({blockSize},
                                          /*noMinMaxBounds=*/true));
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  pm.addPass(createCanonicalizerPass());
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
static void addHostToLLVMPasses(OpPassManager &pm) {
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

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

void mlir::mx::buildMXLowerToNVVMPipeline(OpPassManager &pm,
                                          const MXLowerToNVVMOptions &options) {
  if (options.matmulKernels != "simt") {
    mx::ConvertMXMatmulToGPUMMAPassOptions mma;
    mma.blockScale = options.matmulKernels == "block-scale";
    mma.tcgen05 = mma.blockScale && options.chip == "sm_100a";
    pm.addPass(mx::createConvertMXMatmulToGPUMMAPass(mma));
  }
  buildBuffersToGPUKernelsPipeline(pm, options.blockSize);
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

using ErrorHandler = function_ref<LogicalResult(const Twine &)>;

/// Checks the options both GPU pipelines share.
static LogicalResult checkGPUCommon(StringRef pipeline, StringRef format,
                                    int64_t blockSize, ErrorHandler error) {
  if (format != "isa" && format != "bin" && format != "fatbin")
    return error(pipeline + ": format must be isa, bin or fatbin, got '" +
                 format + "'");
  if (blockSize < 1 || blockSize > 1024)
    return error(pipeline + ": block-size must be in [1, 1024], got " +
                 Twine(blockSize));
  return success();
}

/// Registers a pipeline whose options are checked by `validate` (which
/// reports through the error handler) before `build` runs.
template <typename Options>
static void registerValidatedPipeline(StringRef name, StringRef description,
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
      [](function_ref<void(const detail::PassOptions &)> handler) {
        handler(Options());
      });
}

void mlir::mx::registerMXPipelines() {
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
        if (o.matmulKernels == "block-scale" && o.chip != "sm_100a" &&
            o.chip != "sm_120a")
          return error("mx-lower-to-nvvm: matmul-kernels=block-scale needs "
                       "chip=sm_100a (tcgen05.mma.block_scale) or sm_120a "
                       "(the warp-level block-scaled MMA); sm_90a has no FP4 "
                       "tensor cores, got chip=" +
                       o.chip);
        return checkGPUCommon("mx-lower-to-nvvm", o.format, o.blockSize, error);
      },
      buildMXLowerToNVVMPipeline);
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
