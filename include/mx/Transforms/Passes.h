//===- Passes.h - mx module-level transforms --------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_TRANSFORMS_PASSES_H
#define MX_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace arith {
class ArithDialect;
} // namespace arith
namespace func {
class FuncDialect;
} // namespace func
namespace LLVM {
class LLVMDialect;
} // namespace LLVM
namespace gpu {
class GPUDialect;
} // namespace gpu
namespace memref {
class MemRefDialect;
} // namespace memref
} // namespace mlir

namespace mlir::mx {

#define GEN_PASS_DECL
#include "mx/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mx/Transforms/Passes.h.inc"

} // namespace mlir::mx

#endif // MX_TRANSFORMS_PASSES_H
