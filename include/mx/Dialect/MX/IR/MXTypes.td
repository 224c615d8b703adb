//===- MXTypes.td - MX dialect types ----------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MX_IR_MXTYPES_TD
#define MX_DIALECT_MX_IR_MXTYPES_TD

include "mx/Dialect/MX/IR/MXAttrs.td"

def MX_QTensorType : MX_Type<"QTensor", "qtensor"> {
  let summary = "A tensor quantized to a block-scaled format";
  let description = [{
    A value-semantics tensor of logical shape `shape` whose elements are
    stored as codes of `format`, grouped in blocks of `block_size`
    consecutive elements along the blocked axis `axis`. The last block of a
    line is partial when the axis length is not a multiple of the block size
    (docs/Spec.md §4). Dimensions may be dynamic (`?`).

    ```mlir
    !mx.qtensor<128x4096, #mx.format<mxfp4>, axis = 1>   // A[M,K], blocked along K
    !mx.qtensor<4096x?, #mx.format<amxfp4>, axis = 0>    // B[K,N], blocked along K
    ```

    **Storage (docs/Spec.md §7).** `mx.unpack` / `mx.pack` convert to and from
    plain builtin tensors; a downstream compiler can feed pre-quantized
    weights in through `mx.pack`. For a tensor of shape `[d0, ..., dn]`
    blocked along axis `a`:

    * **element codes**: `tensor<[d0, ..., dn']xi8>`, row-major, packed
      along the innermost dimension. FP4 (`f4E2M1FN`) holds two codes per
      byte, element 2j in the low nibble and 2j+1 in the high nibble of byte
      j, so `dn' = ceil(dn / 2)`, and an odd row ends in a zero high nibble.
      FP6 holds one code per byte in its low 6 bits, FP8 and MXINT8 one code
      per byte (`dn' = dn`).
    * **scales**: one array `tensor<[d0, ..., ceil(da / bs), ..., dn]xS>`
      where `S` is the scale type (`f8E8M0FNU`, `f8E5M2`, `f8E4M3FN`), one
      byte per scale code, row-major. Asymmetric formats have two arrays of
      the same shape: the positive scales first, then the negative ones.
    * **per-tensor scale** (NVFP4 only): one `f32`.

    For a matmul `C = A[M,K] x B[K,N]`, A is blocked along axis 1 and B
    along axis 0, so their scale arrays have the shapes `[M, K/bs]` and
    `[K/bs, N]` of docs/Spec.md §5.
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t">:$shape,
    "::mlir::mx::FormatAttr":$format,
    "unsigned":$axis
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    int64_t getRank() const { return getShape().size(); }
    /// The shape of each scale array: `shape` with the blocked axis replaced
    /// by its number of blocks.
    ::llvm::SmallVector<int64_t> getScaleShape() const;
    /// The shape of the packed element-code byte array.
    ::llvm::SmallVector<int64_t> getPackedShape() const;
    /// `tensor<packed shape x i8>`.
    ::mlir::RankedTensorType getDataType() const;
    /// `tensor<scale shape x scale type>`.
    ::mlir::RankedTensorType getScalesType() const;
    unsigned getNumScaleArrays() const {
      return getFormat().getNumScaleArrays();
    }
    bool hasTensorScale() const { return getFormat().getTensorScale(); }
    unsigned getBlockSize() const { return getFormat().getBlockSize(); }
  }];
}

#endif // MX_DIALECT_MX_IR_MXTYPES_TD
