//===- MXToGPU.h - GPU lowering support passes ------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXTOGPU_MXTOGPU_H
#define MX_CONVERSION_MXTOGPU_MXTOGPU_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class ModuleOp;
namespace gpu {
class GPUDialect;
} // namespace gpu
namespace memref {
class MemRefDialect;
} // namespace memref
} // namespace mlir

namespace mlir::mx {

#define GEN_PASS_DECL_MXGPUHOSTBUFFERSPASS
#include "mx/Conversion/Passes.h.inc"

} // namespace mlir::mx

#endif // MX_CONVERSION_MXTOGPU_MXTOGPU_H
