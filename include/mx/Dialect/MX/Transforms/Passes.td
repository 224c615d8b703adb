//===- Passes.td - mx dialect transformation passes -------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MX_TRANSFORMS_PASSES_TD
#define MX_DIALECT_MX_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def MXQuantizeMatmulPass : Pass<"mx-quantize-matmul"> {
  let summary = "Rewrite linalg matmuls into block-scaled mx matmuls";
  let description = [{
    Rewrites every `linalg.matmul` (also with transposed operands written
    with `indexing_maps`), `linalg.batch_matmul`, `linalg.matvec` and
    `linalg.vecmat` on tensors of f32, f16 or bf16 into `mx.quantize` of both
    operands (the lhs blocked along K in its rows, the rhs along K in its
    columns), `mx.matmul`, and its result in the original element type,
    accumulating into the original init operand. Static and dynamic sizes
    work, and a K that is not a multiple of the block size gives a partial
    last block (docs/Spec.md §4).

    `lhs-format` and `rhs-format` name presets of docs/Spec.md §3; `rounding`,
    `scale-rule` and `block-size`, when given, override both. The two
    operands must end up with the same block size.

    Anything else (integer matmuls, broadcasting maps, other ops) is left
    unchanged; with `report=true` a remark on each such op says why.

    With `fold-constants` (the default), operands that are `arith.constant`
    tensors, such as a model's weights, are quantized at compile time
    through the reference library and stored as packed constants
    (`mx.pack` of the element bytes and scales), bit-identical to
    quantizing at run time.

    Example: `--mx-quantize-matmul="lhs-format=amxfp4 rhs-format=mxfp4"`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::mx::MXDialect"
  ];
  let options = [
    Option<"lhsFormat", "lhs-format", "std::string", "\"mxfp4\"",
           "Preset of the lhs (activations): mxfp4, amxfp4, amxfp4-pot, "
           "nvfp4, mxfp6-e2m3, mxfp6-e3m2, mxfp8-e4m3, mxfp8-e5m2, mxint8">,
    Option<"rhsFormat", "rhs-format", "std::string", "\"mxfp4\"",
           "Preset of the rhs (weights), as for lhs-format">,
    Option<"rounding", "rounding", "std::string", "\"\"",
           "Override the rounding of both operands: rne or rna">,
    Option<"scaleRule", "scale-rule", "std::string", "\"\"",
           "Override the E8M0 scale rule of both operands: floor, even, "
           "ceil or rceil">,
    Option<"blockSize", "block-size", "unsigned", "0",
           "Override the block size of both operands: 8, 16, 32, 64, 128 "
           "or 256 (0: the presets' own)">,
    Option<"foldConstants", "fold-constants", "bool", "true",
           "Quantize constant operands at compile time">,
    Option<"report", "report", "bool", "false",
           "Emit a remark for every matmul-like op that is left unchanged, "
           "saying why">
  ];
  let statistics = [
    Statistic<"numRewritten", "rewritten", "Number of matmul-like ops rewritten">,
    Statistic<"numSkipped", "skipped", "Number of matmul-like ops left unchanged">
  ];
}

#endif // MX_DIALECT_MX_TRANSFORMS_PASSES_TD
