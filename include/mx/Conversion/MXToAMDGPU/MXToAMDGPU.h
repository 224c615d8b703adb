//===- MXToAMDGPU.h - mx.matmul on AMD matrix cores -------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXTOAMDGPU_MXTOAMDGPU_H
#define MX_CONVERSION_MXTOAMDGPU_MXTOAMDGPU_H

#include "mlir/Pass/Pass.h"

namespace mlir::mx {

#define GEN_PASS_DECL_CONVERTMXMATMULTOAMDGPUMFMAPASS
#include "mx/Conversion/Passes.h.inc"

} // namespace mlir::mx

#endif // MX_CONVERSION_MXTOAMDGPU_MXTOAMDGPU_H
