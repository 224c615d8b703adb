//===- MXOps.td - MX dialect operations -------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MX_IR_MXOPS_TD
#define MX_DIALECT_MX_IR_MXOPS_TD

include "mx/Dialect/MX/IR/MXTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpAsmInterface.td"

def MX_FloatTensor : TensorOf<[F32, F16, BF16]>;
def MX_ScaleTensor : RankedTensorOf<[F8E8M0FNU, F8E5M2, F8E4M3FN]>;

//===----------------------------------------------------------------------===//
// mx.quantize
//===----------------------------------------------------------------------===//

def MX_QuantizeOp : MX_Op<"quantize", [Pure]> {
  let summary = "Quantize a float tensor to a block-scaled format";
  let description = [{
    Computes element codes and block scales of the result format from the
    data, by direct casting (no calibration), as docs/Spec.md §2 defines:

    * f16 and bf16 inputs are first converted to f32 (exactly);
    * a block holding any NaN or ±Inf gets scale code 0xFF in every scale
      array and element code 0 (§2.2); other blocks are not affected;
    * E8M0 scales follow the format's scale rule (`floor`, `even`, `ceil`,
      `rceil`), FP8-valued scales are amax / max_element rounded in the scale
      format (§2.3, §2.4); asymmetric formats compute one scale from the
      largest positive element and one from the largest negative magnitude;
    * an element is divided by its scale in f32 and rounded with the format's
      rounding mode, saturating, keeping the sign of zero (except MXINT8);
      an element whose scale is +0 becomes its signed zero (§2.5);
    * NVFP4 computes the per-tensor scale g from the whole input tensor
      (§2.6), unless `tensor_scale` supplies one (a positive finite f32).

    Input and result shapes are identical; the result's blocked axis is the
    axis along which blocks are formed.

    ```mlir
    %q = mx.quantize %x : tensor<4x64xf32>
           -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
    %w = mx.quantize %y tensor_scale(%g) : tensor<64x8xbf16>
           -> !mx.qtensor<64x8, #mx.format<nvfp4>, axis = 0>
    ```
  }];
  let arguments = (ins MX_FloatTensor:$input, Optional<F32>:$tensor_scale);
  let results = (outs MX_QTensorType:$result);
  let assemblyFormat = [{
    $input (`tensor_scale` `(` $tensor_scale^ `)`)? attr-dict `:` type($input)
    `->` qualified(type($result))
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// mx.dequantize
//===----------------------------------------------------------------------===//

def MX_DequantizeOp : MX_Op<"dequantize", [Pure]> {
  let summary = "Dequantize a block-scaled tensor to floats";
  let description = [{
    Decodes every element from its code and its block's scale as docs/Spec.md
    §2.7 defines: asymmetric formats use the positive scale for elements
    that decode to a value > 0 and the negative scale otherwise; a NaN scale
    code (0xFF) gives NaN; NVFP4 multiplies the block scale by the per-tensor
    scale first; the product code × scale is one f32 multiplication. An f16
    or bf16 result is that f32 value rounded to nearest even.

    `dequantize(quantize(x))` is lossy and is never folded to `x`.

    ```mlir
    %y = mx.dequantize %q : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
           -> tensor<4x64xf32>
    ```
  }];
  let arguments = (ins MX_QTensorType:$input);
  let results = (outs MX_FloatTensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` qualified(type($input)) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// mx.block_mac
//===----------------------------------------------------------------------===//

def MX_BlockMacOp : MX_Op<"block_mac", [Pure]> {
  let summary = "Multiply-accumulate of one block pair, as the MAC engine does";
  let description = [{
    Models the block-scaled multiply-accumulate engine of docs/Spec.md §6.2 for
    one block of `lhs` and the matching block of `rhs`: both operands are 1-D
    quantized tensors holding exactly one block each (their common length is
    at most the block size; a shorter length is a partial block). The result
    is `fp32(acc + c)`, where the block contribution `c` is formed as follows:

    1. if any scale of either block is NaN, or any element decodes to NaN or
       ±Inf, `c` is NaN;
    2. otherwise the elements are split into sign groups: one group for a
       symmetric operand, groups `+` (value > 0) and `-` (the rest) for an
       asymmetric one. For every present pair of groups `(σ, τ)`, in the fixed
       order `(+,+), (+,-), (-,+), (-,-)`, the **exact** sum `S` of the
       element-value products over the positions in both groups is rounded
       once to f32 and scaled: `term = fp32(fp32(S32 · sa_σ) · sb_τ)`;
    3. `c` is the left-to-right f32 sum of the terms. An empty group
       contributes `+0`.

    The scales enter as their decoded values; for NVFP4 that is the block
    scale itself, without the per-tensor scale, which `mx.matmul` applies
    after all blocks.

    `mx.matmul` is defined in terms of this op: for every output element
    `acc` starts at `+0`, is updated by `mx.block_mac` for blocks
    0, 1, ..., nb-1 in ascending order, is multiplied by the per-tensor
    scales (A's first), and is finally added to the accumulator input.

    ```mlir
    %r = mx.block_mac %acc, %a, %b
           : !mx.qtensor<32, #mx.format<amxfp4>, axis = 0>,
             !mx.qtensor<32, #mx.format<mxfp4>, axis = 0>
    ```
  }];
  let arguments = (ins F32:$acc, MX_QTensorType:$lhs, MX_QTensorType:$rhs);
  let results = (outs F32:$result);
  let assemblyFormat = [{
    $acc `,` $lhs `,` $rhs attr-dict `:` qualified(type($lhs)) `,`
    qualified(type($rhs))
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// mx.matmul
//===----------------------------------------------------------------------===//

def MX_MatmulOp : MX_Op<"matmul", [Pure, AllTypesMatch<["acc", "result"]>]> {
  let summary = "Block-scaled matrix multiplication with an accumulator";
  let description = [{
    Computes `result = acc + lhs × rhs` for `lhs` = A[M,K] blocked along K
    (axis 1) and `rhs` = B[K,N] blocked along K (axis 0), or, batched, for
    A[Bt,M,K] (axis 2), B[Bt,K,N] (axis 1) and an accumulator [Bt,M,N], one
    independent matmul per batch index (an NVFP4 per-tensor scale covers the
    whole batched operand, as docs/Spec.md §2.6 takes the whole operand). Both
    operands must
    use the same block size, so that block b of both covers the same K
    range; their formats may otherwise differ (e.g. `amxfp4` × `mxfp4`).

    Mode `exact` (the default) is the normative semantics of docs/Spec.md
    §6.2: for each output element, f32 accumulation starting from `+0` of
    the block contributions computed as by `mx.block_mac`, in ascending
    block order; then the NVFP4 per-tensor scales (A's, then B's); then one
    f32 addition of the accumulator element (converted to f32 exactly, or
    rounded to f32 if it is f64); finally a single round-to-nearest-even
    conversion to the result type (overflow to ±Inf).

    Mode `emulate` (§6.5) dequantizes both operands to f32 and accumulates
    the products over k in ascending order with separate f32 multiply and
    add, then adds the accumulator element.

    ```mlir
    %c = mx.matmul %a, %b, %init
           : !mx.qtensor<16x64, #mx.format<amxfp4>, axis = 1>,
             !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<16x8xf32>
    %e = mx.matmul %a, %b, %init {mode = #mx.matmul_mode<emulate>}
           : !mx.qtensor<16x64, #mx.format<amxfp4>, axis = 1>,
             !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<16x8xbf16>
    ```
  }];
  let arguments = (ins MX_QTensorType:$lhs, MX_QTensorType:$rhs,
                   RankedTensorOf<[F16, BF16, F32, F64]>:$acc,
                   DefaultValuedAttr<MX_MatmulModeAttr,
                                     "::mlir::mx::MatmulMode::exact">:$mode);
  let results = (outs RankedTensorOf<[F16, BF16, F32, F64]>:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs `,` $acc attr-dict `:` qualified(type($lhs)) `,`
    qualified(type($rhs)) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// mx.pack / mx.unpack
//===----------------------------------------------------------------------===//

def MX_PackOp : MX_Op<"pack", [Pure, AttrSizedOperandSegments]> {
  let summary = "Assemble a quantized tensor from its raw storage parts";
  let description = [{
    Reinterprets raw storage as a quantized tensor, following the storage
    layout documented on `!mx.qtensor` (docs/Spec.md §7): the packed element
    codes as `i8` bytes, one scale array (two for asymmetric formats: the
    positive scales, then `neg_scales`), and the per-tensor `f32` scale for
    NVFP4. All part types are determined by the result type; the verifier
    checks them. This is how pre-quantized weights enter a program.

    The bytes are taken as they are: padding nibbles and FP6 high bits are
    ignored by every consumer, and `mx.unpack` returns them unchanged, so
    `unpack(pack(parts))` folds to `parts` and `pack(unpack(q))` to `q`.

    ```mlir
    %q = mx.pack %codes, %scales
           : tensor<4x32xi8>, tensor<4x2xf8E8M0FNU>
           -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
    %a = mx.pack %codes, %pos neg_scales(%neg : tensor<4x2xf8E5M2>)
           : tensor<4x32xi8>, tensor<4x2xf8E5M2>
           -> !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>
    %n = mx.pack %codes, %s8 tensor_scale(%g)
           : tensor<4x32xi8>, tensor<4x4xf8E4M3FN>
           -> !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I8]>:$data, MX_ScaleTensor:$scales,
                   Optional<MX_ScaleTensor>:$neg_scales,
                   Optional<F32>:$tensor_scale);
  let results = (outs MX_QTensorType:$result);
  let assemblyFormat = [{
    $data `,` $scales
    (`neg_scales` `(` $neg_scales^ `:` type($neg_scales) `)`)?
    (`tensor_scale` `(` $tensor_scale^ `)`)?
    attr-dict `:` type($data) `,` type($scales) `->` qualified(type($result))
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def MX_UnpackOp : MX_Op<"unpack", [Pure, AttrSizedResultSegments]> {
  let summary = "Split a quantized tensor into its raw storage parts";
  let description = [{
    The inverse of `mx.pack`: returns the packed element codes (`i8`), the
    scale array (and, for asymmetric formats, the negative scale array) and,
    for NVFP4, the per-tensor `f32` scale, in the storage layout documented
    on `!mx.qtensor`. The result types follow from the operand type, so only
    the operand type is written.

    ```mlir
    %codes, %scales = mx.unpack %q
        : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
    // %codes : tensor<4x32xi8>, %scales : tensor<4x2xf8E8M0FNU>
    %c, %pos, %neg = mx.unpack %a
        : !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>
    %d, %s8, %g = mx.unpack %n
        : !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
    ```
  }];
  let arguments = (ins MX_QTensorType:$input);
  let results = (outs RankedTensorOf<[I8]>:$data, MX_ScaleTensor:$scales,
                 Optional<MX_ScaleTensor>:$neg_scales,
                 Optional<F32>:$tensor_scale);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasFolder = 1;
  let builders = [
    OpBuilder<(ins "::mlir::Value":$input)>
  ];
}

#endif // MX_DIALECT_MX_IR_MXOPS_TD
