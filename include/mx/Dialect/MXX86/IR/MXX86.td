//===- MXX86.td - x86 kernel primitives of mx-mlir --------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MXX86_IR_MXX86_TD
#define MX_DIALECT_MXX86_IR_MXX86_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def MXX86_Dialect : Dialect {
  let name = "mx_x86";
  let cppNamespace = "::mlir::mx::x86";
  let summary = "x86 instructions used by the mx CPU kernels";
  let description = [{
    The primitives that the x86 kernel generators of mx-mlir
    (`convert-mx-matmul-to-avx512`) build their loops from: one op per
    instruction, side-effect free so that the tensor-level and buffer-level
    passes see through them. Every op implements
    `MXX86IntrinsicOpInterface`, which names its LLVM intrinsic;
    `convert-mx-x86-to-llvm` lowers all of them with one generic pattern
    into `llvm.call_intrinsic`. The core `mx` dialect stays target-free: a
    new x86 kernel (AMX, AVX10) adds its instructions here.
  }];
}

def MXX86_IntrinsicOpInterface : OpInterface<"MXX86IntrinsicOpInterface"> {
  let description = [{
    An op that is exactly one LLVM intrinsic call with the op's operands and
    single result.
  }];
  let cppNamespace = "::mlir::mx::x86";
  let methods = [
    StaticInterfaceMethod<"The name of the LLVM intrinsic",
                          "::llvm::StringRef", "getIntrinsicName">
  ];
}

/// An x86 instruction: `intrinsic` is the LLVM intrinsic it lowers to.
class MXX86_IntrOp<string mnemonic, string intrinsic, list<Trait> traits = []>
    : Op<MXX86_Dialect, mnemonic,
         !listconcat(traits, [Pure, MXX86_IntrinsicOpInterface])> {
  let extraClassDeclaration = [{
    static ::llvm::StringRef getIntrinsicName() { return "}] # intrinsic # [{"; }
  }];
}

def MXX86_LookupOp : MXX86_IntrOp<"lookup", "llvm.x86.avx512.permvar.qi.512",
    [AllTypesMatch<["table", "indices", "result"]>]> {
  let summary = "64-entry byte table lookup (AVX-512 VBMI vpermb)";
  let description = [{
    For every byte i: result[i] = table[indices[i] & 63]; the two high bits
    of an index are ignored. It is the instruction `vpermb` (AVX-512 VBMI),
    a primitive of the FP4 kernels of `convert-mx-matmul-to-avx512` (with a
    16-entry table repeated four times, the low nibble of a byte selects its
    entry whatever the high bits hold). `convert-mx-x86-to-llvm` turns it
    into `llvm.x86.avx512.permvar.qi.512`.

    ```mlir
    %codes = mx_x86.lookup %table, %idx : vector<64xi8>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[64], [I8]>:$table,
                       VectorOfLengthAndType<[64], [I8]>:$indices);
  let results = (outs VectorOfLengthAndType<[64], [I8]>:$result);
  let assemblyFormat = "$table `,` $indices attr-dict `:` type($result)";
}

def MXX86_DotU8S8Op : MXX86_IntrOp<"dot_u8s8", "llvm.x86.avx512.vpdpbusd.512",
    [AllTypesMatch<["acc", "result"]>, AllTypesMatch<["lhs", "rhs"]>]> {
  let summary = "Four-way u8 x s8 dot products accumulated in i32 (vpdpbusd)";
  let description = [{
    result[j] = acc[j] + sum over t in 0..3 of zext(lhs[4j+t]) * sext(rhs[4j+t])
    in 32-bit wrapping arithmetic: the instruction `vpdpbusd` (AVX-512
    VNNI). `convert-mx-x86-to-llvm` turns it into
    `llvm.x86.avx512.vpdpbusd.512`.

    ```mlir
    %s1 = mx_x86.dot_u8s8 %s0, %w, %x : vector<64xi8> -> vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfLengthAndType<[16], [I32]>:$acc,
                       VectorOfLengthAndType<[64], [I8]>:$lhs,
                       VectorOfLengthAndType<[64], [I8]>:$rhs);
  let results = (outs VectorOfLengthAndType<[16], [I32]>:$result);
  let assemblyFormat =
      "$acc `,` $lhs `,` $rhs attr-dict `:` type($lhs) `->` type($result)";
}

#endif // MX_DIALECT_MXX86_IR_MXX86_TD
