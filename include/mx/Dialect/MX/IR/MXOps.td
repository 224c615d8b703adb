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
    data, by direct casting (no calibration), as FORMATS.md §2 defines:

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
    Decodes every element from its code and its block's scale as FORMATS.md
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
    Models the block-scaled multiply-accumulate engine of FORMATS.md §6.2 for
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
    whole batched operand, as FORMATS.md §2.6 takes the whole operand). Both
    operands must
    use the same block size, so that block b of both covers the same K
    range; their formats may otherwise differ (e.g. `amxfp4` × `mxfp4`).

    Mode `exact` (the default) is the normative semantics of FORMATS.md
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
    layout documented on `!mx.qtensor` (FORMATS.md §7): the packed element
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


//===----------------------------------------------------------------------===//
// x86 kernel primitives (used by convert-mx-matmul-to-avx512)
//===----------------------------------------------------------------------===//

def MX_X86LookupOp : MX_Op<"x86.lookup", [Pure,
    AllTypesMatch<["table", "indices", "result"]>]> {
  let summary = "64-entry byte table lookup (AVX-512 VBMI vpermb)";
  let description = [{
    For every byte i: result[i] = table[indices[i] & 63]; the two high bits
    of an index are ignored. It is the instruction `vpermb` (AVX-512 VBMI),
    a primitive of the FP4 kernels of `convert-mx-matmul-to-avx512` (with a
    16-entry table repeated four times, the low nibble of a byte selects its
    entry whatever the high bits hold). It is a side-effect-free op so that
    the tensor-level and buffer-level passes see through it;
    `mx-lower-to-llvm` turns it into `llvm.x86.avx512.permvar.qi.512`.

    ```mlir
    %codes = mx.x86.lookup %table, %idx : vector<64xi8>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[64], [I8]>:$table,
                       VectorOfLengthAndType<[64], [I8]>:$indices);
  let results = (outs VectorOfLengthAndType<[64], [I8]>:$result);
  let assemblyFormat = "$table `,` $indices attr-dict `:` type($result)";
}

def MX_X86DotU8S8Op : MX_Op<"x86.dot_u8s8", [Pure,
    AllTypesMatch<["acc", "result"]>, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "Four-way u8 x s8 dot products accumulated in i32 (vpdpbusd)";
  let description = [{
    result[j] = acc[j] + sum over t in 0..3 of zext(lhs[4j+t]) * sext(rhs[4j+t])
    in 32-bit wrapping arithmetic: the instruction `vpdpbusd` (AVX-512
    VNNI). `mx-lower-to-llvm` turns it into
    `llvm.x86.avx512.vpdpbusd.512`.

    ```mlir
    %s1 = mx.x86.dot_u8s8 %s0, %w, %x : vector<64xi8> -> vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[16], [I32]>:$acc,
                       VectorOfLengthAndType<[64], [I8]>:$lhs,
                       VectorOfLengthAndType<[64], [I8]>:$rhs);
  let results = (outs VectorOfLengthAndType<[16], [I32]>:$result);
  let assemblyFormat =
      "$acc `,` $lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)";
}

def MX_NVVMMmaBlockScaleOp : MX_Op<"nvvm.mma_block_scale", [Pure,
    AllTypesMatch<["acc", "result"]>]> {
  let summary = "Warp-level block-scaled FP4 MMA m16n8k64 (sm_120a)";
  let description = [{
    One lane's part of the warp-collective
    `mma.sync.aligned.m16n8k64.row.col.kind::mxf4nvf4.block_scale`
    `.scale_vec::{2X,4X}.f32.e2m1.e2m1.f32.{ue8m0,ue4m3}` (PTX ISA 8.7,
    sm_120a): D[16x8] = A[16x64] · B[64x8] with every element of A and B
    multiplied by its block scale, plus C, in f32 (the tensor core's own
    summation order and internal precision: not the exact order of
    FORMATS.md §6.2). `a` holds the lane's four registers of E2M1 codes of
    A (eight codes per register, the first in the low nibble), `b` its two
    registers of B, `acc` its four accumulator elements; `scale_a` and
    `scale_b` hold the lane's scale codes (byte j: the scale of k positions
    [j·64/scale_vec, (j+1)·64/scale_vec)); the byte and thread selectors
    are 0. `scale_vec` is 2 (E8M0 scales per 32 positions) or 4 (per 16;
    E8M0, or unsigned E4M3 with `ue4m3`). The primitive of
    `convert-mx-matmul-to-gpu-mma` with `block-scale=true`; a
    side-effect-free op so that bufferization and deallocation see through
    it; `convert-mx-nvvm-to-nvvm` turns it into `nvvm.mma.block_scale`.

    ```mlir
    %d = mx.nvvm.mma_block_scale %c, %a, %b, %sa, %sb {scale_vec = 2 : i64}
        : vector<4xi32>, vector<2xi32> -> vector<4xf32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[4], [F32]>:$acc,
                       VectorOfLengthAndType<[4], [I32]>:$a,
                       VectorOfLengthAndType<[2], [I32]>:$b,
                       I32:$scale_a, I32:$scale_b,
                       I64Attr:$scale_vec, UnitAttr:$ue4m3);
  let results = (outs VectorOfLengthAndType<[4], [F32]>:$result);
  let assemblyFormat = [{
    $acc `,` $a `,` $b `,` $scale_a `,` $scale_b attr-dict `:` type($a) `,`
    type($b) `->` type($result)
  }];
  let hasVerifier = 1;
}

def MX_NVVMTcgen05MatmulOp : MX_Op<"nvvm.tcgen05_matmul",
    [AttrSizedOperandSegments]> {
  let summary = "One 128 x 128 tile of an FP4 mx.matmul on sm_100a tensor "
                "memory (tcgen05.mma.block_scale)";
  let description = [{
    Collective over a thread block of 128 threads (four warps) inside a
    `gpu.launch` or `gpu.func`: the block (x, y) computes the output tile
    out[128·y .. 128·y + 127, 128·x .. 128·x + 127] (clipped to the shape of
    `out`) of out = acc + A · B, with A the M x K E2M1 codes `lhs` (two a
    byte along K, the first in the low nibble) and their scales, B the K x N
    codes `rhs` (two a byte along N) and their scales, as stored by
    `mx.unpack`; `k` is K. The scales of an asymmetric format come in two
    arrays (+ and -), a format with a per-tensor scale carries it as an f32.

    The tensor core does the whole block-scaled dot product
    (`tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale`, M = N = 128,
    K = 64 per instruction, scale_vec::2X with E8M0 scales per 32 positions,
    scale_vec::4X with E8M0 or unsigned E4M3 scales per 16): one thread
    issues the MMAs, the accumulator and the scale factors live in tensor
    memory, the operands in shared memory (K-major, no swizzle), completion
    is tracked by an mbarrier. Asymmetric operands with E8M0 scales
    (`amxfp4-pot`) are split by sign into two (four) MMAs per 64 positions
    into the same accumulator. The tensor core sums in its own order and
    precision (FORMATS.md §6.6): results are within the tolerance of
    docs/GPU.md, not bit-exact.

    The primitive of `convert-mx-matmul-to-gpu-mma` with `block-scale=true
    tcgen05=true`: it declares its memory effects so that bufferization and
    deallocation accept it, and `convert-mx-nvvm-to-nvvm` expands it into
    the kernel (shared-memory staging, tensor-memory allocation,
    `nvvm.tcgen05.*`, `nvvm.mbarrier.*`).

    ```mlir
    mx.nvvm.tcgen05_matmul lhs(%a, %sa) rhs(%b, %sb) acc(%c) out(%o)
        {k = 256 : i64, lhs_format = #mx.format<mxfp4>,
         rhs_format = #mx.format<mxfp4>}
        : memref<?x128xi8>, memref<?x8xf8E8M0FNU>, memref<256x64xi8>,
          memref<8x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
    ```
  }];
  let arguments = (ins
      Arg<MemRefRankOf<[I8], [2]>, "A codes", [MemRead]>:$lhs,
      Arg<MemRefRankOf<[AnyType], [2]>, "A scales (+)", [MemRead]>:$lhs_scales,
      Arg<Optional<MemRefRankOf<[AnyType], [2]>>, "A scales (-)",
          [MemRead]>:$lhs_neg_scales,
      Optional<F32>:$lhs_tensor_scale,
      Arg<MemRefRankOf<[I8], [2]>, "B codes", [MemRead]>:$rhs,
      Arg<MemRefRankOf<[AnyType], [2]>, "B scales (+)", [MemRead]>:$rhs_scales,
      Arg<Optional<MemRefRankOf<[AnyType], [2]>>, "B scales (-)",
          [MemRead]>:$rhs_neg_scales,
      Optional<F32>:$rhs_tensor_scale,
      Arg<MemRefRankOf<[F16, BF16, F32, F64], [2]>, "accumulator input",
          [MemRead]>:$acc,
      Arg<MemRefRankOf<[F16, BF16, F32, F64], [2]>, "result",
          [MemWrite]>:$out,
      MX_FormatAttr:$lhs_format, MX_FormatAttr:$rhs_format, I64Attr:$k);
  let assemblyFormat = [{
    `lhs` `(` $lhs `,` $lhs_scales (`,` $lhs_neg_scales^)?
      (`tensor_scale` $lhs_tensor_scale^)? `)`
    `rhs` `(` $rhs `,` $rhs_scales (`,` $rhs_neg_scales^)?
      (`tensor_scale` $rhs_tensor_scale^)? `)`
    `acc` `(` $acc `)` `out` `(` $out `)` attr-dict `:` type(operands)
  }];
  let hasVerifier = 1;
}

#endif // MX_DIALECT_MX_IR_MXOPS_TD
