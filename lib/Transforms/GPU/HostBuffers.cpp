//===- HostBuffers.cpp - Host buffers mapped into the device --------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"

namespace mlir::mx {
#define GEN_PASS_DEF_MXGPUHOSTBUFFERSPASS
#include "mx/Transforms/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;

namespace {

constexpr int64_t kPageSize = 4096;

Value unranked(OpBuilder &b, Location loc, Value m) {
  auto t = cast<MemRefType>(m.getType());
  auto u = UnrankedMemRefType::get(t.getElementType(), t.getMemorySpace());
  return memref::CastOp::create(b, loc, u, m);
}

struct MXGPUHostBuffersPass
    : mlir::mx::impl::MXGPUHostBuffersPassBase<MXGPUHostBuffersPass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<memref::GetGlobalOp> globals;
    SmallVector<memref::AllocOp> allocs;
    SmallVector<memref::DeallocOp> deallocs;
    getOperation().walk([&](Operation *op) {
      if (op->getParentOfType<gpu::GPUModuleOp>())
        return;
      if (auto g = dyn_cast<memref::GetGlobalOp>(op))
        globals.push_back(g);
      else if (auto a = dyn_cast<memref::AllocOp>(op))
        allocs.push_back(a);
      else if (auto d = dyn_cast<memref::DeallocOp>(op))
        deallocs.push_back(d);
    });
    OpBuilder b(&getContext());
    // Constants: a registered copy of the global.
    for (memref::GetGlobalOp g : globals) {
      auto t = cast<MemRefType>(g.getType());
      if (!t.hasStaticShape() || !t.getLayout().isIdentity()) {
        g.emitOpError("mx-gpu-host-buffers: only static, identity-layout "
                      "globals are supported");
        return signalPassFailure();
      }
      b.setInsertionPointAfter(g);
      auto copy = memref::AllocOp::create(b, g.getLoc(), t,
                                          b.getI64IntegerAttr(kPageSize));
      g.getResult().replaceAllUsesWith(copy.getResult());
      memref::CopyOp::create(b, g.getLoc(), g.getResult(), copy.getResult());
      gpu::HostRegisterOp::create(b, g.getLoc(),
                                  unranked(b, g.getLoc(), copy.getResult()));
    }
    for (memref::AllocOp a : allocs) {
      a.setAlignment(kPageSize);
      b.setInsertionPointAfter(a);
      gpu::HostRegisterOp::create(b, a.getLoc(),
                                  unranked(b, a.getLoc(), a.getResult()));
    }
    for (memref::DeallocOp d : deallocs) {
      b.setInsertionPoint(d);
      if (isa<MemRefType>(d.getMemref().getType()))
        gpu::HostUnregisterOp::create(b, d.getLoc(),
                                      unranked(b, d.getLoc(), d.getMemref()));
    }
  }
};

} // namespace
