//===- MXX86ToLLVM.h - Lower mx_x86 ops to LLVM intrinsics ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXX86TOLLVM_MXX86TOLLVM_H
#define MX_CONVERSION_MXX86TOLLVM_MXX86TOLLVM_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mx {

#define GEN_PASS_DECL_CONVERTMXX86TOLLVMPASS
#include "mx/Conversion/Passes.h.inc"

/// Adds the one generic pattern that lowers every op implementing
/// MXX86IntrinsicOpInterface to `llvm.call_intrinsic` of its intrinsic.
void populateMXX86LegalizeForLLVMExportPatterns(RewritePatternSet &patterns);

} // namespace mlir::mx

#endif // MX_CONVERSION_MXX86TOLLVM_MXX86TOLLVM_H
