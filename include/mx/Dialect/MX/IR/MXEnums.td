//===- MXEnums.td - MX dialect enums ----------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MX_IR_MXENUMS_TD
#define MX_DIALECT_MX_IR_MXENUMS_TD

include "mlir/IR/EnumAttr.td"

def MX_ScaleRule : I32EnumAttr<"ScaleRule", "how a block scale is computed", [
    I32EnumAttrCase<"floor", 0>,
    I32EnumAttrCase<"even", 1>,
    I32EnumAttrCase<"ceil", 2>,
    I32EnumAttrCase<"rceil", 3>,
    I32EnumAttrCase<"nearest", 4>
  ]> {
  let cppNamespace = "::mlir::mx";
  let genSpecializedAttr = 0;
}

def MX_RoundingMode : I32EnumAttr<"RoundingMode",
    "rounding of element values and FP8-valued scales", [
    I32EnumAttrCase<"rne", 0>,
    I32EnumAttrCase<"rna", 1>
  ]> {
  let cppNamespace = "::mlir::mx";
  let genSpecializedAttr = 0;
}

def MX_MatmulMode : I32EnumAttr<"MatmulMode",
    "accumulation semantics of mx.matmul", [
    I32EnumAttrCase<"exact", 0>,
    I32EnumAttrCase<"emulate", 1>
  ]> {
  let cppNamespace = "::mlir::mx";
  let genSpecializedAttr = 0;
}

#endif // MX_DIALECT_MX_IR_MXENUMS_TD
