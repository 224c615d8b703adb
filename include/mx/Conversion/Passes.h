//===- Passes.h - mx conversion passes --------------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_PASSES_H
#define MX_CONVERSION_PASSES_H

#include "mx/Conversion/MXNVVMToNVVM/MXNVVMToNVVM.h"
#include "mx/Conversion/MXToAMDGPU/MXToAMDGPU.h"
#include "mx/Conversion/MXToLinalg/MXToLinalg.h"
#include "mx/Conversion/MXToNVGPU/MXToNVGPU.h"
#include "mx/Conversion/MXToX86/MXToX86.h"
#include "mx/Conversion/MXX86ToLLVM/MXX86ToLLVM.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::mx {

#define GEN_PASS_REGISTRATION
#include "mx/Conversion/Passes.h.inc"

} // namespace mlir::mx

#endif // MX_CONVERSION_PASSES_H
