//===- MX.cpp - C API of mx-mlir ------------------------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx-c/MX.h"

#include "mx/Dialect/MX/IR/MXDialect.h"
#include "mx/InitAll.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"
#include "mlir/CAPI/Support.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/LLVMIR/ROCDLDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

#include <mutex>

using namespace mlir;
namespace ref = ::mx::ref;

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(MX, mx, mlir::mx::MXDialect)

void mxRegisterPipelineDialects(MlirDialectRegistry registry) {
  DialectRegistry &r = *unwrap(registry);
  // The pipelines can meet any upstream op at tensor level and create many:
  // register them all, with their interface implementations.
  registerAllDialects(r);
  registerAllExtensions(r);
  registerAllToLLVMIRTranslations(r);
  mlir::mx::registerAllDialects(r);
}

void mxRegisterPasses(void) {
  static std::once_flag once;
  std::call_once(once, [] { mlir::mx::registerAllPasses(); });
}

static void report(MlirStringCallback cb, void *userData,
                   const std::string &msg) {
  if (cb)
    cb(mlirStringRefCreate(msg.data(), msg.size()), userData);
}

MlirAttribute mxFormatAttrGet(MlirContext ctx, MlirStringRef preset,
                              MlirStringRef rounding, MlirStringRef scaleRule,
                              unsigned blockSize, MlirStringCallback onError,
                              void *userData) {
  std::string name(preset.data, preset.length);
  std::optional<ref::Format> f = ref::getPreset(name);
  if (!f) {
    report(onError, userData, "unknown format preset '" + name + "'");
    return {nullptr};
  }
  auto apply = [&](const char *key, std::string value) {
    std::string err = ref::applyOverride(*f, key, value);
    if (!err.empty())
      report(onError, userData, err);
    return err.empty();
  };
  if (rounding.length &&
      !apply("rounding", std::string(rounding.data, rounding.length)))
    return {nullptr};
  if (scaleRule.length &&
      !apply("scale-rule", std::string(scaleRule.data, scaleRule.length)))
    return {nullptr};
  if (blockSize && !apply("block-size", std::to_string(blockSize)))
    return {nullptr};
  std::string err = ref::verifyFormat(*f);
  if (!err.empty()) {
    report(onError, userData, err);
    return {nullptr};
  }
  return wrap(Attribute(mlir::mx::FormatAttr::get(unwrap(ctx), *f)));
}

bool mxAttributeIsAFormat(MlirAttribute attr) {
  return isa<mlir::mx::FormatAttr>(unwrap(attr));
}

unsigned mxFormatAttrGetBlockSize(MlirAttribute attr) {
  return cast<mlir::mx::FormatAttr>(unwrap(attr)).getBlockSize();
}

MlirType mxQTensorTypeGet(MlirContext ctx, intptr_t rank, const int64_t *shape,
                          MlirAttribute format, unsigned axis) {
  auto f = dyn_cast_or_null<mlir::mx::FormatAttr>(unwrap(format));
  if (!f)
    return {nullptr};
  return wrap(Type(mlir::mx::QTensorType::getChecked(
      [&] { return emitError(UnknownLoc::get(unwrap(ctx))); }, unwrap(ctx),
      ArrayRef<int64_t>(shape, rank), f, axis)));
}

/// Runs `pipeline` (passes for the module itself, without a
/// `builtin.module(...)` wrapper) on `module`.
static MlirLogicalResult runPipeline(MlirModule module,
                                     const std::string &pipeline) {
  mxRegisterPasses();
  ModuleOp m = unwrap(module);
  PassManager pm(m.getContext());
  if (failed(parsePassPipeline(pipeline, pm, llvm::errs())))
    return mlirLogicalResultFailure();
  return wrap(pm.run(m));
}

MlirLogicalResult mxQuantizeMatmul(MlirModule module, MlirStringRef options) {
  return runPipeline(module, "mx-quantize-matmul{" +
                                 std::string(options.data, options.length) +
                                 "}");
}

MlirLogicalResult mxLowerToLLVM(MlirModule module) {
  return runPipeline(module, "mx-lower-to-llvm");
}

MlirLogicalResult mxLowerToNVVM(MlirModule module, MlirStringRef options) {
  return runPipeline(module, "mx-lower-to-nvvm{" +
                                 std::string(options.data, options.length) +
                                 "}");
}
