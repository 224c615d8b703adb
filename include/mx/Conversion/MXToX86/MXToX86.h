//===- MXToX86.h - mx.matmul on AVX-512 VNNI --------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXTOX86_MXTOX86_H
#define MX_CONVERSION_MXTOX86_MXTOX86_H

#include "mlir/Pass/Pass.h"

namespace mlir::mx {

#define GEN_PASS_DECL_CONVERTMXMATMULTOAVX512PASS
#include "mx/Conversion/Passes.h.inc"

} // namespace mlir::mx

#endif // MX_CONVERSION_MXTOX86_MXTOX86_H
