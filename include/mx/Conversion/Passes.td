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
    docs/Spec.md: `linalg.generic` ops whose scalar bodies encode and decode
    element codes with integer arithmetic (RNE and RNA, saturation, signed
    zero), compute every scale rule, apply the NaN/Inf block rule and the
    zero-scale rule, and form the MAC's per-group sums exactly in 128-bit
    integers before their single rounding to f32. Nothing relies on upstream
    `arith.truncf`/`arith.extf` for f4, f6, f8 or E8M0 (see docs/Spec.md §8).

    Quantized values are carried as their storage parts (docs/Spec.md §7):
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

def ConvertMXMatmulToAVX512Pass : Pass<"convert-mx-matmul-to-avx512"> {
  let summary = "Lower FP4 x FP4 mx.matmul ops to AVX-512 VNNI vector code";
  let description = [{
    Replaces every eligible `mx.matmul` by vector code for x86 CPUs with
    AVX-512 (F, BW, VL, VBMI) and VNNI, bit-identical to the exact mode of docs/Spec.md
    §6.2. Eligible: rank 2, mode `exact`, both operands with E2M1 elements
    (`mxfp4`, `amxfp4`, `amxfp4-pot`, `nvfp4` and their overrides), a block
    size that is a multiple of 4, static K that is a multiple of the block
    size and static N that is a multiple of 64 (M may be dynamic). Other
    matmuls are left for `convert-mx-to-linalg` (with `report=true`, a remark
    says why).

    The weights are read in their storage layout (docs/Spec.md §7: B[K,N]
    packed along N, as `mx.pack` or `mx.quantize` leaves them), so
    pre-quantized weights need no repacking. Per k-quad the kernel loads
    four rows of packed codes, splits the nibbles, decodes them with a byte
    table lookup (`vpermb`) to small unsigned integers (2·|v| or 2·v + 12),
    interleaves the four rows into 32-bit lanes (two-source byte and word
    shuffles) and multiplies them with the activation codes (2·v, signed,
    split into their positive and negative parts for asymmetric formats) in
    `vpdpbusd`: exact 32-bit block sums for 16 output columns per
    instruction. The +12 bias of symmetric weights is removed with a
    per-block correction computed once per activation row. Each block's
    terms are then formed and added in f32 in the order of §6.2, one output
    column per vector lane, so the result is the same bit for bit.

    The generated code uses `llvm.x86.avx512.permvar.qi.512` and
    `llvm.x86.avx512.vpdpbusd.512`, and every function that contains a
    rewritten matmul gets the `target_features` it needs: run it only on
    CPUs that have them (`mx-lower-to-llvm` selects this pass with
    `cpu-kernels=auto` only when the host CPU has them).
  }];
  let options = [
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark for every mx.matmul that is left to "
           "convert-mx-to-linalg, saying why">,
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "Split the output columns into up to this many equal chunks "
           "(whole 64/128-column tiles) computed by one scf.forall; "
           "mx-lower-to-llvm runs it on OpenMP threads">
  ];
  let statistics = [
    Statistic<"numRewritten", "rewritten", "mx.matmul ops lowered to AVX-512 code">,
    Statistic<"numSkipped", "skipped", "mx.matmul ops left to convert-mx-to-linalg">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::mx::x86::MXX86Dialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ConvertMXX86ToLLVMPass : Pass<"convert-mx-x86-to-llvm"> {
  let summary = "Lower mx_x86 kernel primitives to LLVM x86 intrinsics";
  let description = [{
    Replaces every op of the `mx_x86` dialect by `llvm.call_intrinsic` of
    the intrinsic it names through `MXX86IntrinsicOpInterface` (one generic
    pattern, `populateMXX86LegalizeForLLVMExportPatterns`):
    `mx_x86.lookup` becomes `llvm.x86.avx512.permvar.qi.512` and
    `mx_x86.dot_u8s8` `llvm.x86.avx512.vpdpbusd.512`. `mx-lower-to-llvm` runs it after
    bufferization and deallocation, which do not accept the (effect-less
    but unannotated) intrinsic calls.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def ConvertMXMatmulToGPUMMAPass : Pass<"convert-mx-matmul-to-gpu-mma"> {
  let summary = "Lower FP4 x FP4 mx.matmul ops to GPU kernels on integer "
                "tensor cores (mma.sync .s8), bit-exact";
  let description = [{
    Replaces every eligible `mx.matmul` by a `gpu.launch` whose warps form
    the exact block sums of docs/Spec.md §6.2 with `nvgpu.mma.sync` on signed
    8-bit operands (PTX `mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32`,
    sm_80 and later, so sm_90a, sm_100a and sm_120a): every
    E2M1 value v is the integer 2v in [-12, 12], and the s32 accumulator
    holds the exact sum whatever order the tensor core adds in (a block of
    16 fills half of the k = 32 MMA with zeros). Asymmetric
    operands (`amxfp4`, `amxfp4-pot`) are split into their + and - parts
    (one MMA chain per group pair). Each lane then applies the scales to
    the sums of the output elements it owns and accumulates them in f32 in
    the order of §6.2, so the result is the same bit for bit as the
    reference, not merely within a tolerance.

    Eligible: rank 2, mode `exact`, E2M1 elements on both sides (`mxfp4`,
    `amxfp4`, `amxfp4-pot`, `nvfp4` and their overrides), a block size that
    is a multiple of 16 and a static K (M and N may be dynamic; partial
    tiles and a partial last block are masked). Other matmuls are left for
    `convert-mx-to-linalg` (with `report=true`, a remark says why).

    Runs on tensors, before bufferization: the operands are read through
    `bufferization.to_buffer` and the result is a new buffer. One warp
    computes a 16 x 8 output tile, `warps` warps a thread block.

    **Decode (M <= 16).** With `decode=true` (the default) an eligible
    matmul with a static M of at most 16, a static N and a block size of
    16 or 32 takes the decode kernels instead (DecodeGEMV.cpp, docs/GPU.md):
    an activation kernel writes A as MMA registers once, and a GEMV kernel
    streams the weight in the NVIDIA GEMV layout with 16-byte loads, one
    thread block of `decode-warps` warps per 8 columns splitting K, the
    exact f32 fold in ascending block order through shared memory. The
    weight comes from `mx_nvvm.gemv_weight` (a weight kept in that layout
    by the caller), from a constant (repacked at compile time), or else
    from a run-time `mx_nvvm.to_gemv_layout` in every call (`report=true`
    says so). Remaining `mx_nvvm.to_gemv_layout` ops become gather kernels.
  }];
  let options = [
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark for every mx.matmul that is left to "
           "convert-mx-to-linalg, saying why">,
    Option<"warps", "warps", "int64_t", /*default=*/"4",
           "Warps per thread block (each computes 16 x 8 outputs; the "
           "block's warps lie side by side along N), in [1, 32]">,
    Option<"blockScale", "block-scale", "bool", /*default=*/"false",
           "Use the native block-scaled FP4 MMA of sm_120a "
           "(mx_nvvm.mma_block_scale) where the scales map onto it (E8M0 or "
           "E4M3 on both sides): faster, but the tensor core sums in its own "
           "order, so results are within the tolerance of docs/GPU.md, not "
           "bit-exact">,
    Option<"tcgen05", "tcgen05", "bool", /*default=*/"false",
           "With block-scale=true: the sm_100a kernels instead, a 128 x 128 "
           "tile per thread block of four warps with the accumulator and "
           "the scale factors in tensor memory (mx_nvvm.tcgen05_matmul, "
           "tcgen05.mma.block_scale); same eligibility and tolerance">,
    Option<"decode", "decode", "bool", /*default=*/"true",
           "Lower matmuls with M <= 16 (decode) to the GEMV kernels that "
           "stream the weight in the NVIDIA GEMV layout (exact)">,
    Option<"decodeWarps", "decode-warps", "int64_t", /*default=*/"8",
           "Warps per thread block of the GEMV kernel (they split K; one "
           "block per 8 output columns), in [1, 32]; raised to ceil(M/4) "
           "(one folding thread per output) and lowered to what 48 KiB of "
           "shared memory holds for M">
  ];
  let statistics = [
    Statistic<"numRewritten", "rewritten", "mx.matmul ops lowered to tensor-core kernels">,
    Statistic<"numSkipped", "skipped", "mx.matmul ops left to convert-mx-to-linalg">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::mx::nvvm::MXNVVMDialect",
    "::mlir::NVVM::NVVMDialect",
    "::mlir::nvgpu::NVGPUDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ConvertMXQuantizeToGPUPass : Pass<"convert-mx-quantize-to-gpu"> {
  let summary = "Lower mx.quantize ops to coalesced GPU kernels";
  let description = [{
    Replaces every eligible `mx.quantize` by GPU kernels that read the input
    once (twice for a derived NVFP4 tensor scale) with coalesced loads and
    apply the scale selection and encoding of docs/Spec.md §2 through the
    shared builders of QuantizeScalar.h (the same as `convert-mx-to-linalg`,
    so the result is bit-identical to the linalg lowering):

    * blocks along the last axis: one thread per element, rows padded to a
      multiple of 32 positions so a warp holds whole blocks; the block
      statistics (amax, or P and N for asymmetric formats, and the NaN/Inf
      flag) are reduced over the block's lanes with shuffles (max and or do
      not depend on the order) and the block's first lane writes the scale
      codes;
    * blocks along the first axis of a rank-2 tensor: one thread per block
      and column, neighbouring lanes on neighbouring columns; a thread forms
      its block's statistics, then its codes;
    * NVFP4 without a supplied tensor scale: g (§2.6) comes from amax_T,
      the atomic maximum of the bit patterns of |x| (for non-negative
      binary32 values the integer order is the numeric order and every NaN
      lies above +Inf, so one word also says whether the tensor holds a
      NaN or Inf), formed by a reduction kernel before the quantization
      kernel, in stream order. g is computed from that word where it is
      used (in device memory mode the host never reads it unless the
      function returns it).

    FP4 codes of neighbouring positions of the last stored axis are paired
    into bytes by neighbouring lanes (§7); other elements take one byte.

    Eligible: rank 1 or 2, a block size that divides 32 when blocked along
    the last axis, f32, f16 or bf16 input: every preset. Others are left for
    `convert-mx-to-linalg` (`report=true` says why). Runs on tensors,
    before bufferization.
  }];
  let options = [
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark for every mx.quantize left to convert-mx-to-linalg, "
           "saying why">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ConvertMXMatmulToAMDGPUMFMAPass : Pass<"convert-mx-matmul-to-amdgpu-mfma"> {
  let summary = "Lower block-scaled mx.matmul ops to gfx950 scaled MFMA "
                "kernels (amdgpu.scaled_mfma), not bit-exact";
  let description = [{
    Replaces every eligible `mx.matmul` by a `gpu.launch` whose waves (64
    lanes) compute 16 x 16 output tiles with
    `amdgpu.scaled_mfma 16x16x128` (`v_mfma_scale_f32_16x16x128_f8f6f4`,
    gfx950): the element codes go to the matrix core as they are stored
    (FP4, FP6 or FP8, each operand its own type), with one E8M0 scale per 32
    elements; asymmetric operands with E8M0 scales (`amxfp4-pot`) are split
    by sign into two (four) MFMAs that accumulate together. Lane l holds row
    (A) / column (B) l % 16 and the 32 positions 32·(l / 16) .. + 31 of each
    128-position chunk, and rows 4·(l / 16) .. + 3 of column l % 16 of the
    result.

    The matrix core sums the products of a chunk and the accumulator in its
    own order and precision: the results are within the tolerance of
    docs/GPU.md, not bit-identical to docs/Spec.md §6.2, so this path is only
    taken when selected (`mx-lower-to-rocdl` with
    `matmul-kernels=scaled-mfma`). Eligible: rank 2, mode `exact`, FP4/FP6/
    FP8 elements with E8M0 scales on both sides (`mxfp4`, `amxfp4-pot`,
    `mxfp6-*`, `mxfp8-*`), a block size that is a multiple of 32 and a
    static K. `amxfp4` (E5M2 scales), `nvfp4` (E4M3 scales) and `mxint8`
    stay on the exact kernels of `convert-mx-to-linalg` (with `report=true`,
    a remark says why).
  }];
  let options = [
    Option<"report", "report", "bool", /*default=*/"false",
           "Emit a remark for every mx.matmul that is left to "
           "convert-mx-to-linalg, saying why">,
    Option<"waves", "waves", "int64_t", /*default=*/"4",
           "Waves (64 lanes) per thread block, side by side along N, each "
           "computing 16 x 16 outputs; in [1, 16]">
  ];
  let statistics = [
    Statistic<"numRewritten", "rewritten", "mx.matmul ops lowered to scaled MFMA kernels">,
    Statistic<"numSkipped", "skipped", "mx.matmul ops left to convert-mx-to-linalg">
  ];
  let dependentDialects = [
    "::mlir::amdgpu::AMDGPUDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ConvertMXNVVMToNVVMPass : Pass<"convert-mx-nvvm-to-nvvm"> {
  let summary = "Lower mx_nvvm.* kernel primitives to NVVM ops";
  let description = [{
    Replaces `mx_nvvm.mma_block_scale` by `nvvm.mma.block_scale` (PTX
    `mma.sync.aligned.m16n8k64.row.col.kind::mxf4nvf4.block_scale`, sm_120a)
    and expands every `mx_nvvm.tcgen05_matmul` into its sm_100a kernel body:
    a workgroup buffer added to the enclosing `gpu.func` (or `gpu.launch`)
    for the operands and an mbarrier, `nvvm.tcgen05.alloc` / `dealloc` of
    256 tensor-memory columns, `nvvm.tcgen05.st` of the scale factors,
    `nvvm.tcgen05.mma.block_scale` issued by one thread with
    `nvvm.tcgen05.commit` and `nvvm.mbarrier.try_wait.parity`,
    `nvvm.tcgen05.ld` of the accumulator. `mx-lower-to-nvvm` runs it after
    bufferization and deallocation, which do not accept NVVM ops or
    `gpu.barrier` (they declare no memory effects).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::NVVM::NVVMDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

#endif // MX_CONVERSION_PASSES_TD
