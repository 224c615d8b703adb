//===- TargetInfo.cpp - Facts about the targets of the mx kernels ---------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXCommon/TargetInfo.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

ArrayRef<StringRef> mlir::mx::getAVX512KernelFeatures() {
  static const StringRef features[] = {"avx512f", "avx512bw", "avx512vl",
                                       "avx512vnni", "avx512vbmi"};
  return features;
}

bool mlir::mx::hostHasAVX512KernelFeatures() {
  llvm::StringMap<bool> host = llvm::sys::getHostCPUFeatures();
  for (StringRef f : getAVX512KernelFeatures())
    if (!host.lookup(f))
      return false;
  return true;
}

mlir::mx::NVBlockScaleMMA mlir::mx::getNVBlockScaleMMA(StringRef chip) {
  if (chip == "sm_100a")
    return NVBlockScaleMMA::Tcgen05;
  if (chip == "sm_120a")
    return NVBlockScaleMMA::MmaSync;
  return NVBlockScaleMMA::None;
}

std::string mlir::mx::getDefaultPTXVersion(StringRef chip,
                                           StringRef matmulKernels) {
  if (chip == "sm_90a" || chip == "sm_90")
    return "80";
  if (chip == "sm_100a")
    return matmulKernels == "block-scale" ? "88" : "86";
  if (chip == "sm_100")
    return "86";
  if (chip == "sm_120a" || chip == "sm_120")
    return "87";
  return "";
}
