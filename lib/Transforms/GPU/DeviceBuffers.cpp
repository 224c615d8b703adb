//===- DeviceBuffers.cpp - Host code whose buffers live on the device -----===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// mx-gpu-device-buffers (Passes.td has the contract). A device buffer is an
// i64 device pointer from the runtime, wrapped into a memref descriptor with
// LLVM dialect ops and an unrealized cast, which the memref-to-LLVM
// conversion folds away.
//
//===----------------------------------------------------------------------===//

#include "mx/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::mx {
#define GEN_PASS_DEF_MXGPUDEVICEBUFFERSPASS
#include "mx/Transforms/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;

namespace {

/// Bytes per element of a buffer, 0 if the pass cannot place it.
int64_t elementBytes(Type t) {
  if (t.isIndex())
    return 8;
  if (t.isIntOrFloat())
    return (t.getIntOrFloatBitWidth() + 7) / 8;
  return 0;
}

/// Whether `t` is dense row-major (identity layout or static strides that
/// match it, at any offset).
bool isDense(MemRefType t) {
  if (t.getLayout().isIdentity())
    return true;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(t.getStridesAndOffset(strides, offset)))
    return false;
  int64_t expect = 1;
  for (int64_t i = t.getRank() - 1; i >= 0; --i) {
    if (strides[i] != expect)
      return false;
    if (t.isDynamicDim(i)) {
      if (i > 0)
        return false;
      continue;
    }
    expect *= t.getDimSize(i);
  }
  return true;
}

class HostCode {
public:
  HostCode(ModuleOp module) : module(module) {}

  /// The runtime function `name`: (i64 x `numArgs`) -> i64 or none.
  func::FuncOp runtimeFn(StringRef name, unsigned numArgs, bool hasResult) {
    if (auto f = module.lookupSymbol<func::FuncOp>(name))
      return f;
    OpBuilder b(module.getBodyRegion());
    Type i64 = b.getI64Type();
    SmallVector<Type> args(numArgs, i64);
    SmallVector<Type> results;
    if (hasResult)
      results.push_back(i64);
    auto f = func::FuncOp::create(b, module.getLoc(), name,
                                  b.getFunctionType(args, results));
    f.setPrivate();
    return f;
  }

  Value call(ImplicitLocOpBuilder &b, StringRef name, ValueRange args,
             bool hasResult) {
    func::FuncOp f = runtimeFn(name, args.size(), hasResult);
    auto c = func::CallOp::create(b, f, args);
    return hasResult ? c.getResult(0) : Value();
  }

  static Value i64(ImplicitLocOpBuilder &b, Value index) {
    return arith::IndexCastOp::create(b, b.getI64Type(), index);
  }

  /// The address of the first element of `m` as i64.
  static Value pointerOf(ImplicitLocOpBuilder &b, Value m) {
    Value p = i64(b, memref::ExtractAlignedPointerAsIndexOp::create(b, m));
    auto t = cast<MemRefType>(m.getType());
    if (t.getLayout().isIdentity())
      return p;
    Value offset = memref::ExtractStridedMetadataOp::create(b, m).getOffset();
    Value bytes = arith::MulIOp::create(
        b, offset,
        arith::ConstantIndexOp::create(b, elementBytes(t.getElementType())));
    return arith::AddIOp::create(b, p, i64(b, bytes));
  }

  /// Number of elements of `t` (index), the dynamic sizes from `dynSizes`.
  static Value numElements(ImplicitLocOpBuilder &b, MemRefType t,
                           ValueRange dynSizes, SmallVector<Value> &sizes) {
    Value n = arith::ConstantIndexOp::create(b, 1);
    unsigned dyn = 0;
    for (int64_t d : t.getShape()) {
      Value s = ShapedType::isDynamic(d)
                    ? dynSizes[dyn++]
                    : Value(arith::ConstantIndexOp::create(b, d));
      sizes.push_back(s);
      n = arith::MulIOp::create(b, n, s);
    }
    return n;
  }

  /// A memref of type `t` (identity layout) over the device pointer `ptr`.
  static Value wrap(ImplicitLocOpBuilder &b, MemRefType t, Value ptr,
                    ArrayRef<Value> sizes) {
    MLIRContext *ctx = b.getContext();
    Type i64T = b.getI64Type();
    auto ptrT = LLVM::LLVMPointerType::get(ctx);
    int64_t rank = t.getRank();
    SmallVector<Type> fields = {ptrT, ptrT, i64T};
    if (rank) {
      fields.push_back(LLVM::LLVMArrayType::get(i64T, rank));
      fields.push_back(LLVM::LLVMArrayType::get(i64T, rank));
    }
    auto structT = LLVM::LLVMStructType::getLiteral(ctx, fields);
    Value p = LLVM::IntToPtrOp::create(b, ptrT, ptr);
    Value d = LLVM::UndefOp::create(b, structT);
    d = LLVM::InsertValueOp::create(b, d, p, ArrayRef<int64_t>{0});
    d = LLVM::InsertValueOp::create(b, d, p, ArrayRef<int64_t>{1});
    d = LLVM::InsertValueOp::create(
        b, d, LLVM::ConstantOp::create(b, i64T, b.getI64IntegerAttr(0)),
        ArrayRef<int64_t>{2});
    Value stride = LLVM::ConstantOp::create(b, i64T, b.getI64IntegerAttr(1));
    for (int64_t i = rank - 1; i >= 0; --i) {
      Value size = i64(b, sizes[i]);
      d = LLVM::InsertValueOp::create(b, d, size, ArrayRef<int64_t>{3, i});
      d = LLVM::InsertValueOp::create(b, d, stride, ArrayRef<int64_t>{4, i});
      if (i)
        stride = LLVM::MulOp::create(b, stride, size);
    }
    return UnrealizedConversionCastOp::create(b, TypeRange{t}, ValueRange{d})
        .getResult(0);
  }

  LogicalResult run() {
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (op->getParentOfType<gpu::GPUModuleOp>() ||
          op->getParentOfType<gpu::LaunchOp>())
        return;
      if (isa<memref::GetGlobalOp, memref::AllocOp, memref::DeallocOp,
              memref::CopyOp, func::CallOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      if (failed(rewrite(op)))
        return failure();
    return success();
  }

private:
  LogicalResult checkBuffer(Operation *op, Type type) {
    auto t = dyn_cast<MemRefType>(type);
    if (!t || !isDense(t) || !elementBytes(t.getElementType()))
      return op->emitOpError("mx-gpu-device-buffers: only dense row-major "
                             "memrefs of integer, float or index elements can "
                             "live in device memory, got ")
             << type;
    return success();
  }

  /// A buffer the pass allocates (or uploads): identity layout only, as
  /// the descriptor it builds has offset 0 and row-major strides.
  LogicalResult checkNewBuffer(Operation *op, MemRefType t) {
    if (!t.getLayout().isIdentity() || !elementBytes(t.getElementType()))
      return op->emitOpError("mx-gpu-device-buffers: only identity-layout "
                             "memrefs of integer, float or index elements can "
                             "be allocated in device memory, got ")
             << t;
    return success();
  }

  LogicalResult rewrite(Operation *op) {
    ImplicitLocOpBuilder b(op->getLoc(), op);
    if (auto g = dyn_cast<memref::GetGlobalOp>(op)) {
      if (failed(checkNewBuffer(op, g.getType())) ||
          !g.getType().hasStaticShape())
        return failure();
      MemRefType t = g.getType();
      b.setInsertionPointAfter(g);
      SmallVector<Value> sizes;
      Value n = numElements(b, t, {}, sizes);
      Value bytes = i64(
          b, arith::MulIOp::create(b, n,
                                   arith::ConstantIndexOp::create(
                                       b, elementBytes(t.getElementType()))));
      // Globals have an identity layout (checked above): the aligned
      // pointer is the first element.
      auto extract =
          memref::ExtractAlignedPointerAsIndexOp::create(b, g.getResult());
      Value dev = call(b, "mxGpuDeviceConstant", {i64(b, extract), bytes}, true);
      Value m = wrap(b, t, dev, sizes);
      g.getResult().replaceAllUsesExcept(m, extract);
      return success();
    }
    if (auto a = dyn_cast<memref::AllocOp>(op)) {
      if (failed(checkNewBuffer(op, a.getType())))
        return failure();
      MemRefType t = a.getType();
      SmallVector<Value> sizes;
      Value n = numElements(b, t, a.getDynamicSizes(), sizes);
      Value bytes = i64(
          b, arith::MulIOp::create(b, n,
                                   arith::ConstantIndexOp::create(
                                       b, elementBytes(t.getElementType()))));
      Value dev = call(b, "mxGpuAlloc", {bytes}, true);
      a.getResult().replaceAllUsesWith(wrap(b, t, dev, sizes));
      a.erase();
      return success();
    }
    if (auto d = dyn_cast<memref::DeallocOp>(op)) {
      if (!isa<MemRefType>(d.getMemref().getType()))
        return d.emitOpError("mx-gpu-device-buffers: cannot free an unranked "
                             "memref in device memory");
      call(b, "mxGpuFree", {pointerOf(b, d.getMemref())}, false);
      d.erase();
      return success();
    }
    if (auto c = dyn_cast<memref::CopyOp>(op)) {
      if (failed(checkBuffer(op, c.getSource().getType())) ||
          failed(checkBuffer(op, c.getTarget().getType())))
        return failure();
      auto t = cast<MemRefType>(c.getSource().getType());
      SmallVector<Value> dyn, sizes;
      for (int64_t i = 0; i < t.getRank(); ++i)
        if (t.isDynamicDim(i))
          dyn.push_back(memref::DimOp::create(b, c.getSource(), i));
      Value n = numElements(b, t, dyn, sizes);
      Value bytes = i64(
          b, arith::MulIOp::create(b, n,
                                   arith::ConstantIndexOp::create(
                                       b, elementBytes(t.getElementType()))));
      call(b, "mxGpuCopy",
           {pointerOf(b, c.getTarget()), pointerOf(b, c.getSource()), bytes},
           false);
      c.erase();
      return success();
    }
    auto c = cast<func::CallOp>(op);
    auto callee = module.lookupSymbol<func::FuncOp>(c.getCallee());
    if (!callee || !callee.isExternal() ||
        callee.getName().starts_with("mxGpu"))
      return success();
    // A host function: give it host copies of its memref arguments.
    SmallVector<Value> hostBuffers;
    for (OpOperand &arg : c->getOpOperands()) {
      Value v = arg.get();
      if (!isa<BaseMemRefType>(v.getType()))
        continue;
      Value ranked = v;
      if (auto cast = v.getDefiningOp<memref::CastOp>())
        ranked = cast.getSource();
      if (failed(checkBuffer(op, ranked.getType())))
        return failure();
      auto t = cast<MemRefType>(ranked.getType());
      SmallVector<Value> dyn, sizes;
      for (int64_t i = 0; i < t.getRank(); ++i)
        if (t.isDynamicDim(i))
          dyn.push_back(memref::DimOp::create(b, ranked, i));
      Value n = numElements(b, t, dyn, sizes);
      Value bytes = i64(
          b, arith::MulIOp::create(b, n,
                                   arith::ConstantIndexOp::create(
                                       b, elementBytes(t.getElementType()))));
      auto hostT = MemRefType::get(t.getShape(), t.getElementType());
      Value host = memref::AllocOp::create(b, hostT, dyn);
      call(b, "mxGpuCopyToHost",
           {pointerOf(b, host), pointerOf(b, ranked), bytes}, false);
      if (v.getType() != hostT &&
          !memref::CastOp::areCastCompatible(hostT, v.getType()))
        return op->emitOpError("mx-gpu-device-buffers: cannot pass a host "
                               "copy of ")
               << t << " as " << v.getType();
      arg.set(v.getType() == hostT
                  ? host
                  : Value(memref::CastOp::create(b, v.getType(), host)));
      hostBuffers.push_back(host);
    }
    b.setInsertionPointAfter(c);
    for (Value h : hostBuffers)
      memref::DeallocOp::create(b, h);
    return success();
  }

  ModuleOp module;
};

struct MXGPUDeviceBuffersPass
    : mlir::mx::impl::MXGPUDeviceBuffersPassBase<MXGPUDeviceBuffersPass> {
  using Base::Base;
  void runOnOperation() override {
    if (failed(HostCode(getOperation()).run()))
      signalPassFailure();
  }
};

} // namespace
