//===- downstream-compiler.cpp - Embedding mx-mlir ------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A minimal downstream compiler: it parses a module, quantizes its matmuls
// with the mx passes (through the C++ API, no textual pipeline) and prints
// the result.
//
// usage: downstream-compiler FILE.mlir LHS-PRESET RHS-PRESET
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MX/IR/MXDialect.h"
#include "mx/Dialect/MX/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  if (argc != 4) {
    llvm::errs() << "usage: downstream-compiler FILE.mlir LHS RHS\n";
    return 2;
  }
  mlir::DialectRegistry registry;
  registry.insert<mlir::mx::MXDialect, mlir::arith::ArithDialect,
                  mlir::func::FuncDialect, mlir::linalg::LinalgDialect,
                  mlir::tensor::TensorDialect>();
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &context);
  if (!module)
    return 1;
  mlir::PassManager pm(&context);
  mlir::mx::MXQuantizeMatmulPassOptions options;
  options.lhsFormat = argv[2];
  options.rhsFormat = argv[3];
  pm.addPass(mlir::mx::createMXQuantizeMatmulPass(options));
  if (mlir::failed(pm.run(*module)))
    return 1;
  module->print(llvm::outs());
  return 0;
}
