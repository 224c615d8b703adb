//===- MXToAMDGPU.h - mx.matmul on AMD matrix cores -------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXTOAMDGPU_MXTOAMDGPU_H
#define MX_CONVERSION_MXTOAMDGPU_MXTOAMDGPU_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace amdgpu {
class AMDGPUDialect;
} // namespace amdgpu
namespace arith {
class ArithDialect;
} // namespace arith
namespace bufferization {
class BufferizationDialect;
} // namespace bufferization
namespace gpu {
class GPUDialect;
} // namespace gpu
namespace LLVM {
class LLVMDialect;
} // namespace LLVM
namespace memref {
class MemRefDialect;
} // namespace memref
namespace NVVM {
class NVVMDialect;
} // namespace NVVM
namespace nvgpu {
class NVGPUDialect;
} // namespace nvgpu
namespace scf {
class SCFDialect;
} // namespace scf
namespace tensor {
class TensorDialect;
} // namespace tensor
namespace vector {
class VectorDialect;
} // namespace vector
} // namespace mlir

namespace mlir::mx {

#define GEN_PASS_DECL_CONVERTMXMATMULTOAMDGPUMFMAPASS
#include "mx/Conversion/Passes.h.inc"

} // namespace mlir::mx

#endif // MX_CONVERSION_MXTOAMDGPU_MXTOAMDGPU_H
