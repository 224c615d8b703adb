//===- Pipelines.cpp - Registration of the mx pipelines -------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Pipelines/Pipelines.h"

void mlir::mx::registerMXPipelines() {
  registerMXLowerToLLVMPipeline();
  registerMXLowerToNVVMPipeline();
  registerMXLowerToROCDLPipeline();
}
