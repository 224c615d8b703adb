//===- ReadOnlyExternalTensorArgs.cpp - Read-only external tensors --------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir::mx {
#define GEN_PASS_DEF_MXREADONLYEXTERNALTENSORARGSPASS
#include "mx/Transforms/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;

namespace {

struct MXReadOnlyExternalTensorArgsPass
    : mlir::mx::impl::MXReadOnlyExternalTensorArgsPassBase<
          MXReadOnlyExternalTensorArgsPass> {
  using Base::Base;
  void runOnOperation() override {
    getOperation().walk([](func::FuncOp f) {
      if (!f.isExternal())
        return;
      for (auto [i, t] : llvm::enumerate(f.getArgumentTypes()))
        if (isa<TensorType>(t) && !f.getArgAttr(i, "bufferization.access"))
          f.setArgAttr(i, "bufferization.access",
                       StringAttr::get(f.getContext(), "read"));
    });
  }
};

} // namespace
