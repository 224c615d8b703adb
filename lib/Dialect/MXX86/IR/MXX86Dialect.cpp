//===- MXX86Dialect.cpp - x86 kernel primitives of mx-mlir ----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MXX86/IR/MXX86Dialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::mx::x86;

#include "mx/Dialect/MXX86/IR/MXX86Dialect.cpp.inc"
#include "mx/Dialect/MXX86/IR/MXX86Interfaces.cpp.inc"

void MXX86Dialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mx/Dialect/MXX86/IR/MXX86.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "mx/Dialect/MXX86/IR/MXX86.cpp.inc"
