//===- MXToLinalg.h - Lower mx ops to linalg --------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXTOLINALG_MXTOLINALG_H
#define MX_CONVERSION_MXTOLINALG_MXTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir::mx {

#define GEN_PASS_DECL_CONVERTMXTOLINALGPASS
#include "mx/Conversion/Passes.h.inc"

/// Lowers every mx op nested in `root` (see convert-mx-to-linalg). Emits a
/// diagnostic and fails on what it cannot lower.
LogicalResult lowerMXOps(Operation *root);

} // namespace mlir::mx

#endif // MX_CONVERSION_MXTOLINALG_MXTOLINALG_H
