//===- Passes.td - mx conversion passes -------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_PASSES_TD
#define MX_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertMXToLinalgPass : Pass<"convert-mx-to-linalg"> {
  let summary = "Lower mx ops to linalg, arith, math, scf and tensor";
  let description = [{
    Replaces every `mx.quantize`, `mx.dequantize`, `mx.matmul` and
    `mx.block_mac` by tensor-level code with the exact semantics of
    FORMATS.md: `linalg.generic` ops whose scalar bodies encode and decode
    element codes with integer arithmetic (RNE and RNA, saturation, signed
    zero), compute every scale rule, apply the NaN/Inf block rule and the
    zero-scale rule, and form the MAC's per-group sums exactly in 128-bit
    integers before their single rounding to f32. Nothing relies on upstream
    `arith.truncf`/`arith.extf` for f4, f6, f8 or E8M0 (see FORMATS.md §8).

    Quantized values are carried as their storage parts (FORMATS.md §7):
    producers end in `mx.pack`, consumers start with `mx.unpack`, and the
    pairs fold away. A quantized value that crosses a function boundary
    cannot be lowered and is reported.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // MX_CONVERSION_PASSES_TD
