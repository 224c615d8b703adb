//===- Passes.h - mx dialect transformation passes --------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MX_TRANSFORMS_PASSES_H
#define MX_DIALECT_MX_TRANSFORMS_PASSES_H

#include "mx/Dialect/MX/IR/MXDialect.h"

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace arith {
class ArithDialect;
} // namespace arith
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace tensor {
class TensorDialect;
} // namespace tensor
} // namespace mlir

namespace mlir::mx {

#define GEN_PASS_DECL
#include "mx/Dialect/MX/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mx/Dialect/MX/Transforms/Passes.h.inc"

/// Adds the pattern that quantizes `mx.quantize` of an `arith.constant` at
/// compile time (through the reference library) into `mx.pack` of constants.
void populateMXConstantQuantizePatterns(RewritePatternSet &patterns);

} // namespace mlir::mx

#endif // MX_DIALECT_MX_TRANSFORMS_PASSES_H
