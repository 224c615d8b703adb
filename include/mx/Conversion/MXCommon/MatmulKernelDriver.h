//===- MatmulKernelDriver.h - Kernel selection for mx.matmul ----*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The one driver of every matmul-kernel pass (x86, NVIDIA, AMD): each
// mx.matmul is checked by the pass's eligibility function; an eligible op is
// rewritten into the kernel, any other is left to the generic lowering
// (convert-mx-to-linalg) and, with report=true, gets a remark that says why.
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXCOMMON_MATMULKERNELDRIVER_H
#define MX_CONVERSION_MXCOMMON_MATMULKERNELDRIVER_H

#include "mx/Dialect/MX/IR/MXOps.h"

#include "mlir/Pass/Pass.h"

#include <string>

namespace mlir {
class RewriterBase;
namespace mx {

/// Why a kernel cannot take `op`: empty if it can.
using MatmulIneligibility = function_ref<std::string(MatmulOp)>;
/// Rewrites an eligible `op` into the kernel.
using MatmulKernelBuilder = function_ref<void(RewriterBase &, MatmulOp)>;

/// Lowers every mx.matmul under `root` that `why` accepts with `lower`,
/// counting both kinds and, with `report`, remarking on the others.
void lowerEligibleMatmuls(Operation *root, bool report,
                          Pass::Statistic &rewritten, Pass::Statistic &skipped,
                          MatmulIneligibility why, MatmulKernelBuilder lower);

/// Checks a pass's count option (warps, waves): an error on `root` naming
/// `pass` and `option` unless `count` is in [1, `maxCount`].
LogicalResult checkCountOption(Operation *root, StringRef pass,
                               StringRef option, int64_t count,
                               int64_t maxCount);

/// Why no GPU matrix-instruction kernel takes `op`, whatever the target
/// (empty if one may): emulate mode, batched, dynamic K. Sets the operands'
/// formats.
std::string getGPUMatmulIneligibility(MatmulOp op, ::mx::ref::Format &lhs,
                                      ::mx::ref::Format &rhs);

} // namespace mx
} // namespace mlir

#endif // MX_CONVERSION_MXCOMMON_MATMULKERNELDRIVER_H
