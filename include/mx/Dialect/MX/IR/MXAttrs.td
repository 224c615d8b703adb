//===- MXAttrs.td - MX dialect attributes -----------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MX_IR_MXATTRS_TD
#define MX_DIALECT_MX_IR_MXATTRS_TD

include "mx/Dialect/MX/IR/MXBase.td"
include "mx/Dialect/MX/IR/MXEnums.td"

def MX_FormatAttr : MX_Attr<"Format", "format"> {
  let summary = "A block-scaled number format: a docs/Spec.md preset with overrides";
  let description = [{
    Describes one block-scaled format completely: the element type, the scale
    type, the block size, the scale rule, the rounding mode, whether each
    block has two scales (asymmetric: one for its positive and one for its
    other elements) and whether the tensor carries a per-tensor binary32
    scale (NVFP4).

    Every valid format is one of the presets of docs/Spec.md §3, possibly
    modified by the overrides of §3.1, and prints in that short form:

    | preset | element | block | scales | rule | rounding |
    |---|---|---|---|---|---|
    | `mxfp4` | `f4E2M1FN` | 32 | one `f8E8M0FNU` | floor | rne |
    | `amxfp4` | `f4E2M1FN` | 32 | two `f8E5M2` (positive, negative) | nearest | rna |
    | `amxfp4-pot` | `f4E2M1FN` | 32 | two `f8E8M0FNU` (positive, negative) | floor | rna |
    | `nvfp4` | `f4E2M1FN` | 16 | one `f8E4M3FN` + per-tensor f32 | nearest | rne |
    | `mxfp6-e2m3` | `f6E2M3FN` | 32 | one `f8E8M0FNU` | floor | rne |
    | `mxfp6-e3m2` | `f6E3M2FN` | 32 | one `f8E8M0FNU` | floor | rne |
    | `mxfp8-e4m3` | `f8E4M3FN` | 32 | one `f8E8M0FNU` | floor | rne |
    | `mxfp8-e5m2` | `f8E5M2` | 32 | one `f8E8M0FNU` | floor | rne |
    | `mxint8` | `i8` (k/64) | 32 | one `f8E8M0FNU` | floor | rne |

    Overrides follow the preset name as `key = value` pairs:

    * `rounding = rne | rna`: element rounding and the rounding of FP8-valued
      scales;
    * `scale_rule = floor | even | ceil | rceil`: the E8M0 scale rule, only
      for presets with `f8E8M0FNU` scales;
    * `block_size = 8 | 16 | 32 | 64 | 128 | 256`.

    The explicit form names every field; it parses to the same attribute and
    prints in the preset form. Its keys are `element` and `scale` (types,
    required), `block_size` (default 32), `scale_rule` (default `floor` for
    `f8E8M0FNU` scales, else `nearest`, the FP8 scale
    round(amax / max_element)), `rounding` (default `rne`), and the flags
    `asymmetric` and `tensor_scale`.

    The verifier rejects every combination that is not a preset with valid
    overrides, e.g. a power-of-two scale rule on an FP8 scale, a block size
    that is not a power of two in [8, 256], or asymmetric scales on FP8
    elements, with a message that names the problem.

    Example:

    ```mlir
    #mx.format<mxfp4>
    #mx.format<amxfp4-pot, scale_rule = even>
    #mx.format<mxfp4, rounding = rna, block_size = 64>
    #mx.format<element = f4E2M1FN, scale = f8E5M2, rounding = rna, asymmetric>
    ```
  }];
  let parameters = (ins
    "::mlir::Type":$element_type,
    "::mlir::Type":$scale_type,
    "unsigned":$block_size,
    EnumParameter<MX_ScaleRule>:$scale_rule,
    EnumParameter<MX_RoundingMode>:$rounding,
    "bool":$asymmetric,
    "bool":$tensor_scale
  );
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The reference-library view of this format.
    ::mx::ref::Format getReferenceFormat() const;
    /// Builds the attribute of a reference-library format.
    static FormatAttr get(::mlir::MLIRContext *context,
                          const ::mx::ref::Format &format);
    /// The attribute of a named preset, or null.
    static FormatAttr getPreset(::mlir::MLIRContext *context,
                                ::llvm::StringRef name);
    /// 2 for asymmetric formats, else 1.
    unsigned getNumScaleArrays() const { return getAsymmetric() ? 2 : 1; }
  }];
}

def MX_MatmulModeAttr : EnumAttr<MX_Dialect, MX_MatmulMode, "matmul_mode"> {
  let summary = "Accumulation mode of mx.matmul: exact (default) or emulate";
  let assemblyFormat = "`<` $value `>`";
}

#endif // MX_DIALECT_MX_IR_MXATTRS_TD
