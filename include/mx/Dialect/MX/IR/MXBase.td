//===- MXBase.td - MX dialect definition ------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MX_IR_MXBASE_TD
#define MX_DIALECT_MX_IR_MXBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def MX_Dialect : Dialect {
  let name = "mx";
  let cppNamespace = "::mlir::mx";
  let summary = "Block-scaled (microscaling) number formats and their matmuls";
  let description = [{
    The `mx` dialect models block-scaled formats: OCP MXFP4, MXFP6, MXFP8 and
    MXINT8, the asymmetric AMXFP4 (separate scales for the positive and the
    negative elements of a block) and NVFP4 (E4M3 block scales plus a
    per-tensor binary32 scale). A format is described by `#mx.format`, a
    quantized tensor by `!mx.qtensor`, and the ops quantize, dequantize,
    multiply block by block (`mx.block_mac`) and as a whole matrix
    (`mx.matmul`), and convert to and from the raw storage parts
    (`mx.pack`, `mx.unpack`).

    The numerics of every op are those of the project's normative
    specification `docs/Spec.md` (rounding, scale rules, NaN/Inf blocks, signed
    zero, partial blocks, the MAC and its accumulation order), bit for bit.
    They deliberately differ from upstream `arith.scaling_truncf` /
    `arith-expand` where those deviate from the specification.
  }];
  let useDefaultAttributePrinterParser = 1;
  let useDefaultTypePrinterParser = 1;
}

class MX_Op<string mnemonic, list<Trait> traits = []>
    : Op<MX_Dialect, mnemonic, traits>;

class MX_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<MX_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

class MX_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<MX_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

#endif // MX_DIALECT_MX_IR_MXBASE_TD
