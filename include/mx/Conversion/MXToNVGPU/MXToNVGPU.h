//===- MXToNVGPU.h - mx.matmul on NVIDIA tensor cores -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXTONVGPU_MXTONVGPU_H
#define MX_CONVERSION_MXTONVGPU_MXTONVGPU_H

#include "mlir/Pass/Pass.h"

namespace mlir::mx {

#define GEN_PASS_DECL_CONVERTMXMATMULTOGPUMMAPASS
#define GEN_PASS_DECL_CONVERTMXQUANTIZETOGPUPASS
#include "mx/Conversion/Passes.h.inc"

} // namespace mlir::mx

#endif // MX_CONVERSION_MXTONVGPU_MXTONVGPU_H
