//===- Pipelines.cpp - mx pass pipelines ----------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Pipelines/Pipelines.h"

#include "mx/Conversion/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

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

void mlir::mx::buildMXLowerToLLVMPipeline(OpPassManager &pm,
                                          const MXLowerToLLVMOptions &options) {
  pm.addPass(createConvertMXToLinalgPass());
  pm.addPass(createConvertElementwiseToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  if (options.readOnlyExternalTensors)
    pm.addPass(std::make_unique<ReadOnlyExternalTensorArgs>());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  if (options.bufferDeallocation)
    bufferization::buildBufferDeallocationPipeline(pm);
  // bufferization.clone (left by deallocation at function returns) becomes
  // memref.alloc + memref.copy.
  pm.addPass(createConvertBufferizationToMemRefPass());

  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::mx::registerMXPipelines() {
  PassPipelineRegistration<MXLowerToLLVMOptions>(
      "mx-lower-to-llvm",
      "Lower a tensor-level module with mx ops to the LLVM dialect: "
      "convert-mx-to-linalg, one-shot bufferization (function boundaries "
      "included), loops, LLVM",
      buildMXLowerToLLVMPipeline);
}
