//===- MXNVVM.td - NVIDIA kernel primitives of mx-mlir ----*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MXNVVM_IR_MXNVVM_TD
#define MX_DIALECT_MXNVVM_IR_MXNVVM_TD

include "mx/Dialect/MX/IR/MXAttrs.td"
include "mx/Dialect/MX/IR/MXTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def MXNVVM_Dialect : Dialect {
  let name = "mx_nvvm";
  let cppNamespace = "::mlir::mx::nvvm";
  let summary = "NVIDIA tensor-core primitives used by the mx GPU kernels";
  let description = [{
    The NVIDIA-specific building blocks of the mx GPU kernel generators
    (`convert-mx-matmul-to-gpu-mma` with `block-scale=true`): the
    warp-level block-scaled MMA of sm_120a and the tensor-memory tile of
    sm_100a. They carry what the generic GPU passes (bufferization,
    deallocation, kernel outlining) must see, side-effect free values or
    declared memory effects, and `convert-mx-nvvm-to-nvvm` expands them
    into the NVVM dialect inside the outlined kernels. The core `mx` dialect
    stays target-free: a new NVIDIA instruction family adds its ops here.
  }];
  let dependentDialects = ["::mlir::mx::MXDialect"];
}

class MXNVVM_Op<string mnemonic, list<Trait> traits = []>
    : Op<MXNVVM_Dialect, mnemonic, traits>;

def MXNVVM_MmaBlockScaleOp : MXNVVM_Op<"mma_block_scale", [Pure,
    AllTypesMatch<["acc", "result"]>]> {
  let summary = "Warp-level block-scaled FP4 MMA m16n8k64 (sm_120a)";
  let description = [{
    One lane's part of the warp-collective
    `mma.sync.aligned.m16n8k64.row.col.kind::mxf4nvf4.block_scale`
    `.scale_vec::{2X,4X}.f32.e2m1.e2m1.f32.{ue8m0,ue4m3}` (PTX ISA 8.7,
    sm_120a): D[16x8] = A[16x64] · B[64x8] with every element of A and B
    multiplied by its block scale, plus C, in f32 (the tensor core's own
    summation order and internal precision: not the exact order of
    docs/Spec.md §6.2). `a` holds the lane's four registers of E2M1 codes of
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
    %d = mx_nvvm.mma_block_scale %c, %a, %b, %sa, %sb {scale_vec = 2 : i64}
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

def MXNVVM_Tcgen05MatmulOp : MXNVVM_Op<"tcgen05_matmul",
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
    precision (docs/Spec.md §6.6): results are within the tolerance of
    docs/GPU.md, not bit-exact.

    The primitive of `convert-mx-matmul-to-gpu-mma` with `block-scale=true
    tcgen05=true`: it declares its memory effects so that bufferization and
    deallocation accept it, and `convert-mx-nvvm-to-nvvm` expands it into
    the kernel (shared-memory staging, tensor-memory allocation,
    `nvvm.tcgen05.*`, `nvvm.mbarrier.*`).

    ```mlir
    mx_nvvm.tcgen05_matmul lhs(%a, %sa) rhs(%b, %sb) acc(%c) out(%o)
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


def MXNVVM_GEMVWeightOp : MXNVVM_Op<"gemv_weight", [Pure]> {
  let summary = "An FP4 weight stored in the NVIDIA GEMV layout";
  let description = [{
    The quantized weight B[K, N] (E2M1 elements, blocked along K with a
    block size of 16 or 32) whose codes and scales are stored in the layout
    that the decode kernels of `convert-mx-matmul-to-gpu-mma` read with
    128-bit loads (docs/QuantizedTensorABI.md, "NVIDIA GEMV layout";
    `include/mx/Dialect/MXNVVM/Utils/GEMVLayout.h`). `codes` and `scales`
    are raw bytes; an asymmetric format has its negative scales after the
    positive ones in `scales`; NVFP4 carries its tensor scale.

    This is how a weight that arrives at run time stays in the kernel's
    layout across calls: a loader packs it once with
    `mx_nvvm.to_gemv_layout`, keeps the two byte arrays on the device, and
    every decode call wraps them again with this op. A matmul with M <= 16
    reads them directly; any other use is an error.

    ```mlir
    %w = mx_nvvm.gemv_weight %codes, %scales
           : tensor<1048576xi8>, tensor<65536xi8>
           -> !mx.qtensor<512x4096, #mx.format<mxfp4>, axis = 0>
    ```
  }];
  let arguments = (ins 1DTensorOf<[I8]>:$codes, 1DTensorOf<[I8]>:$scales,
                       Optional<F32>:$tensor_scale);
  let results = (outs MX_QTensorType:$result);
  let assemblyFormat = [{
    $codes `,` $scales (`tensor_scale` `(` $tensor_scale^ `)`)? attr-dict `:`
    type($codes) `,` type($scales) `->` qualified(type($result))
  }];
  let hasVerifier = 1;
}

def MXNVVM_ToGEMVLayoutOp : MXNVVM_Op<"to_gemv_layout", [Pure]> {
  let summary = "Store an FP4 weight in the NVIDIA GEMV layout";
  let description = [{
    The codes and scales of the weight B[K, N] (E2M1, blocked along K, block
    size 16 or 32) in the layout that `mx_nvvm.gemv_weight` takes. A
    constant weight is repacked at compile time by
    `convert-mx-matmul-to-gpu-mma`; otherwise the op becomes a gather
    kernel, to be run once by a loader, not per call.

    ```mlir
    %codes, %scales = mx_nvvm.to_gemv_layout %w
        : !mx.qtensor<512x4096, #mx.format<mxfp4>, axis = 0>
        -> tensor<1048576xi8>, tensor<65536xi8>
    ```
  }];
  let arguments = (ins MX_QTensorType:$weight);
  let results = (outs 1DTensorOf<[I8]>:$codes, 1DTensorOf<[I8]>:$scales);
  let assemblyFormat = [{
    $weight attr-dict `:` qualified(type($weight)) `->` type($codes) `,`
    type($scales)
  }];
  let hasVerifier = 1;
}


def MXNVVM_BarrierOp : MXNVVM_Op<"barrier", [
    MemoryEffects<[MemRead, MemWrite]>]> {
  let summary = "Thread-block barrier with declared memory effects";
  let description = [{
    `gpu.barrier` for kernels built on tensors, before bufferization: it
    declares that it reads and writes memory (it orders the block's
    shared-memory accesses), which the buffer deallocation passes require of
    every op in a `gpu.launch` body. `convert-mx-nvvm-to-nvvm` turns it into
    `gpu.barrier`.

    ```mlir
    mx_nvvm.barrier
    ```
  }];
  let assemblyFormat = "attr-dict";
}


def MXNVVM_WorkgroupBufferOp : MXNVVM_Op<"workgroup_buffer", [
    MemoryEffects<[MemAlloc<AutomaticAllocationScopeResource>]>]> {
  let summary = "A shared-memory buffer of the enclosing kernel";
  let description = [{
    A workgroup (shared-memory) buffer for kernels built on tensors, before
    bufferization and deallocation: an automatic allocation, which the
    deallocation passes leave alone (a workgroup attribution of the
    `gpu.launch` would become a block argument they cannot handle).
    `convert-mx-nvvm-to-nvvm`, after kernel outlining, turns it into a
    workgroup attribution of the enclosing `gpu.func`.

    ```mlir
    %terms = mx_nvvm.workgroup_buffer : memref<256xf32, #gpu.address_space<workgroup>>
    ```
  }];
  let results = (outs AnyStaticShapeMemRef:$buffer);
  let assemblyFormat = "attr-dict `:` type($buffer)";
}

#endif // MX_DIALECT_MXNVVM_IR_MXNVVM_TD
