//===- InitAll.h - Register everything mx-mlir provides ---------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Registration entry points for embedders: the mx dialects (and, as they are
// added, the mx passes and pipelines). Upstream dialects are not included:
// tools register those themselves.
//
//===----------------------------------------------------------------------===//

#ifndef MX_INITALL_H
#define MX_INITALL_H

#include "mx/Conversion/Passes.h"
#include "mx/Dialect/MX/IR/MXDialect.h"
#include "mx/Dialect/MX/Transforms/Passes.h"
#include "mx/Dialect/MXNVVM/IR/MXNVVMDialect.h"
#include "mx/Dialect/MXX86/IR/MXX86Dialect.h"
#include "mx/Pipelines/Pipelines.h"
#include "mx/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"

namespace mlir::mx {

/// Adds the mx dialect and its target dialects (mx_x86, mx_nvvm) to
/// `registry`.
inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<MXDialect, x86::MXX86Dialect, nvvm::MXNVVMDialect>();
}

/// Registers the mx passes and pipelines with the global registry.
inline void registerAllPasses() {
  registerMXPasses();
  registerMXConversionPasses();
  registerMXModuleTransformsPasses();
  registerMXPipelines();
}

} // namespace mlir::mx

#endif // MX_INITALL_H
