//===- TargetInfo.h - Facts about the targets of the mx kernels -*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// What the kernel passes and the pipelines need to know about a target, in
// one place: the x86 features the AVX-512 kernels use, and per NVIDIA chip
// its PTX version and which native block-scaled MMA it has.
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_MXCOMMON_TARGETINFO_H
#define MX_CONVERSION_MXCOMMON_TARGETINFO_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir::mx {

//===----------------------------------------------------------------------===//
// x86
//===----------------------------------------------------------------------===//

/// The CPU features the AVX-512 kernels use (LLVM names, without "+").
ArrayRef<StringRef> getAVX512KernelFeatures();

/// Whether the host CPU has every feature of getAVX512KernelFeatures().
bool hostHasAVX512KernelFeatures();

//===----------------------------------------------------------------------===//
// NVIDIA
//===----------------------------------------------------------------------===//

/// The native block-scaled FP4 MMA of an NVIDIA chip.
enum class NVBlockScaleMMA {
  None,    ///< no FP4 tensor cores (sm_90a)
  MmaSync, ///< warp-level mma.sync ... block_scale (sm_120a)
  Tcgen05, ///< tcgen05.mma ... block_scale on tensor memory (sm_100a)
};
NVBlockScaleMMA getNVBlockScaleMMA(StringRef chip);

/// The default PTX version for a chip, or "" for an unknown chip; with
/// `matmulKernels` = "block-scale" the version the native block-scaled MMA of
/// the chip needs (sm_100a: 88, for tcgen05.mma's .block16 / .block32).
std::string getDefaultPTXVersion(StringRef chip, StringRef matmulKernels = "");

} // namespace mlir::mx

#endif // MX_CONVERSION_MXCOMMON_TARGETINFO_H
