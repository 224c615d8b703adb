//===- MXNVVMDialect.h - NVIDIA kernel primitives of mx-mlir ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MXNVVM_IR_MXNVVMDIALECT_H
#define MX_DIALECT_MXNVVM_IR_MXNVVMDIALECT_H

#include "mx/Dialect/MX/IR/MXDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "mx/Dialect/MXNVVM/IR/MXNVVMDialect.h.inc"

#define GET_OP_CLASSES
#include "mx/Dialect/MXNVVM/IR/MXNVVM.h.inc"

#endif // MX_DIALECT_MXNVVM_IR_MXNVVMDIALECT_H
