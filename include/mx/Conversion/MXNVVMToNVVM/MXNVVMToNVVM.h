//===- MXNVVMToNVVM.h - Lower mx_nvvm ops to NVVM ---------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXNVVMTONVVM_MXNVVMTONVVM_H
#define MX_CONVERSION_MXNVVMTONVVM_MXNVVMTONVVM_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mlir::mx {

#define GEN_PASS_DECL_CONVERTMXNVVMTONVVMPASS
#include "mx/Conversion/Passes.h.inc"

namespace nvvm {
class Tcgen05MatmulOp;
} // namespace nvvm

/// Adds the pattern that lowers mx_nvvm.mma_block_scale to
/// nvvm.mma.block_scale (mx_nvvm.tcgen05_matmul needs
/// expandTcgen05Matmul: it changes the enclosing kernel).
void populateMXNVVMToNVVMPatterns(RewritePatternSet &patterns);

/// Expands `op` into the sm_100a kernel body (tensor memory, tcgen05.mma
/// block_scale); fails with an error if it is not inside a gpu.launch or a
/// gpu.func.
LogicalResult expandTcgen05Matmul(RewriterBase &rewriter,
                                  nvvm::Tcgen05MatmulOp op);

} // namespace mlir::mx

#endif // MX_CONVERSION_MXNVVMTONVVM_MXNVVMTONVVM_H
