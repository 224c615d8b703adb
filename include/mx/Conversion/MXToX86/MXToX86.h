//===- MXToX86.h - mx.matmul on AVX-512 VNNI --------------------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXTOX86_MXTOX86_H
#define MX_CONVERSION_MXTOX86_MXTOX86_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace arith {
class ArithDialect;
} // namespace arith
namespace bufferization {
class BufferizationDialect;
} // namespace bufferization
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace LLVM {
class LLVMDialect;
} // namespace LLVM
namespace memref {
class MemRefDialect;
} // namespace memref
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

#define GEN_PASS_DECL_CONVERTMXMATMULTOAVX512PASS
#define GEN_PASS_DECL_CONVERTMXX86TOLLVMPASS
#include "mx/Conversion/Passes.h.inc"

/// The x86 features the kernels of convert-mx-matmul-to-avx512 need
/// (AVX-512 F/BW/VL for 512-bit byte lookups, VBMI for two-source byte
/// shuffles, VNNI for vpdpbusd), as an LLVM
/// target-feature list.
ArrayRef<StringRef> getAVX512KernelFeatures();

/// Whether the CPU this process runs on has every feature of
/// getAVX512KernelFeatures().
bool hostHasAVX512KernelFeatures();

} // namespace mlir::mx

#endif // MX_CONVERSION_MXTOX86_MXTOX86_H
