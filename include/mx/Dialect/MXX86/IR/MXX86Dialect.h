//===- MXX86Dialect.h - x86 kernel primitives of mx-mlir --------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MXX86_IR_MXX86DIALECT_H
#define MX_DIALECT_MXX86_IR_MXX86DIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "mx/Dialect/MXX86/IR/MXX86Dialect.h.inc"
#include "mx/Dialect/MXX86/IR/MXX86Interfaces.h.inc"

#define GET_OP_CLASSES
#include "mx/Dialect/MXX86/IR/MXX86.h.inc"

#endif // MX_DIALECT_MXX86_IR_MXX86DIALECT_H
