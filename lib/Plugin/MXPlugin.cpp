//===- MXPlugin.cpp - The mx dialect and passes as an mlir-opt plugin -----===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Lets the stock mlir-opt of the LLVM 22 packages use mx-mlir:
//   mlir-opt --load-dialect-plugin=libMXPlugin.so \
//            --load-pass-plugin=libMXPlugin.so \
//            --pass-pipeline='builtin.module(mx-quantize-matmul{...})'
//
//===----------------------------------------------------------------------===//

#include "mx/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "MXDialect", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            mlir::mx::registerAllDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "MXPasses", LLVM_VERSION_STRING,
          []() { mlir::mx::registerAllPasses(); }};
}
