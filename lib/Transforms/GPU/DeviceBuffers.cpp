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
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

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
    findHostBuffers();
    sinkReadsIntoLaunches();
    if (failed(placeHostAccesses()))
      return failure();
    SmallVector<Operation *> ops;
    module.walk([&](Operation *op) {
      if (op->getParentOfType<gpu::GPUModuleOp>() ||
          op->getParentOfType<gpu::LaunchOp>())
        return;
      if (isa<memref::AllocOp>(op) && hostBuffers.contains(op->getResult(0)))
        return;
      if (auto d = dyn_cast<memref::DeallocOp>(op);
          d && hostBuffers.contains(rootBuffer(d.getMemref())))
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
  /// Whether the buffer `m` is only read and written by host code: never by
  /// a kernel, a copy, a return or an external function (e.g. the
  /// bookkeeping arrays of bufferization's deallocation helper). Arguments
  /// of module functions it is passed to are checked the same way and
  /// recorded.
  bool usedOnlyOnHost(Value m, int depth = 0) {
    if (depth > 8)
      return false;
    for (OpOperand &use : m.getUses()) {
      Operation *u = use.getOwner();
      if (u->getParentOfType<gpu::LaunchOp>())
        return false;
      if (isa<memref::LoadOp, memref::StoreOp, memref::DeallocOp,
              memref::DimOp>(u))
        continue;
      if (isa<memref::CastOp, ViewLikeOpInterface>(u) &&
          u->getNumResults() == 1 && u->getOperand(0) == m) {
        if (!usedOnlyOnHost(u->getResult(0), depth + 1))
          return false;
        continue;
      }
      if (auto call = dyn_cast<func::CallOp>(u)) {
        auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee());
        if (!callee || callee.isExternal())
          return false;
        BlockArgument arg = callee.getArgument(use.getOperandNumber());
        if (!usedOnlyOnHost(arg, depth + 1))
          return false;
        hostBuffers.insert(arg);
        continue;
      }
      return false;
    }
    return true;
  }

  /// Allocations that stay in host memory (usedOnlyOnHost).
  void findHostBuffers() {
    module.walk([&](memref::AllocOp a) {
      if (!a->getParentOfType<gpu::GPUModuleOp>() &&
          !a->getParentOfType<gpu::LaunchOp>() && usedOnlyOnHost(a))
        hostBuffers.insert(a.getResult());
    });
  }

  /// Whether `v` is computed on the host from a read of memory: a
  /// memref.load, or a pure op of such values.
  static bool readsMemory(Value v, int depth = 0) {
    Operation *d = v.getDefiningOp();
    if (!d || depth > 32)
      return false;
    if (isa<memref::LoadOp>(d))
      return true;
    if (d->getNumRegions() || !isPure(d))
      return false;
    return llvm::any_of(d->getOperands(),
                        [&](Value o) { return readsMemory(o, depth + 1); });
  }

  /// Whether every read behind `v` can move to `launch`: each memref.load
  /// is in the launch's block, and nothing between it and the launch but
  /// other reads uses its buffer (so the kernel reads what the host would).
  bool canSink(Value v, gpu::LaunchOp launch, int depth = 0) {
    if (!readsMemory(v, depth))
      return true;
    Operation *d = v.getDefiningOp();
    if (auto load = dyn_cast<memref::LoadOp>(d)) {
      if (load->getBlock() != launch->getBlock() ||
          !load->isBeforeInBlock(launch) ||
          hostBuffers.contains(rootBuffer(load.getMemref())))
        return false;
      for (Operation *o = load->getNextNode(); o != launch; o = o->getNextNode())
        if (!isa<memref::LoadOp, memref::DimOp>(o) &&
            llvm::is_contained(o->getOperands(), load.getMemref()))
          return false;
      return llvm::all_of(load.getIndices(), [&](Value i) {
        return canSink(i, launch, depth + 1);
      });
    }
    return llvm::all_of(d->getOperands(), [&](Value o) {
      return canSink(o, launch, depth + 1);
    });
  }

  /// Host reads of device buffers whose values feed kernels (e.g. NVFP4's
  /// tensor scale, formed by a reduction kernel) move into those kernels:
  /// the loads and the pure arithmetic on them are cloned into each launch
  /// that uses them; host copies left without uses are erased.
  void sinkReadsIntoLaunches() {
    SmallVector<gpu::LaunchOp> launches;
    module.walk([&](gpu::LaunchOp l) {
      if (!l->getParentOfType<gpu::GPUModuleOp>() &&
          !l->getParentOfType<gpu::LaunchOp>())
        launches.push_back(l);
    });
    // Host ops cloned into some launch, each before its users (an op is
    // recorded after its operands' definitions).
    SetVector<Operation *> moved;
    for (gpu::LaunchOp launch : launches) {
      SetVector<Value> above;
      getUsedValuesDefinedAbove(launch.getBody(), above);
      IRMapping map;
      OpBuilder b = OpBuilder::atBlockBegin(&launch.getBody().front());
      std::function<Value(Value)> clone = [&](Value v) -> Value {
        if (!readsMemory(v))
          return v;
        if (Value m = map.lookupOrNull(v))
          return m;
        Operation *d = v.getDefiningOp();
        for (Value o : d->getOperands())
          map.map(o, clone(o));
        b.clone(*d, map);
        moved.insert(d);
        return map.lookup(v);
      };
      for (Value v : above)
        if (readsMemory(v) && canSink(v, launch))
          replaceAllUsesInRegionWith(v, clone(v), launch.getBody());
    }
    // Erase what no longer has a use, users first.
    for (Operation *op : llvm::reverse(moved))
      if (op->use_empty())
        op->erase();
  }

  /// The buffer `m` is a view of (through view-like ops).
  static Value rootBuffer(Value m) {
    while (true) {
      if (auto cast = m.getDefiningOp<memref::CastOp>())
        m = cast.getSource();
      else if (auto view = m.getDefiningOp<ViewLikeOpInterface>())
        m = view.getViewSource();
      else
        return m;
    }
  }

  /// Host code must not touch device memory. What is left after sinking: a
  /// load outside any loop becomes a one-element copy to the host (which
  /// waits for the stream: e.g. a returned NVFP4 tensor scale), a store
  /// outside any loop a one-thread kernel (e.g. a scalar put into a
  /// tensor); any other host access of a device buffer is an error naming
  /// the op.
  LogicalResult placeHostAccesses() {
    SmallVector<memref::LoadOp> loads;
    SmallVector<memref::StoreOp> stores;
    WalkResult r = module.walk([&](Operation *op) {
      if (op->getParentOfType<gpu::GPUModuleOp>() ||
          op->getParentOfType<gpu::LaunchOp>() || isa<gpu::LaunchOp>(op))
        return WalkResult::advance();
      if (isa<memref::AllocOp, memref::DeallocOp, memref::CopyOp,
              memref::GetGlobalOp, func::CallOp>(op))
        return WalkResult::advance();
      auto effects = dyn_cast<MemoryEffectOpInterface>(op);
      if (!effects || effects.hasNoEffect())
        return WalkResult::advance();
      bool device = llvm::any_of(op->getOperands(), [&](Value o) {
        if (!isa<BaseMemRefType>(o.getType()))
          return false;
        Value root = rootBuffer(o);
        return !root.getDefiningOp<memref::AllocaOp>() &&
               !hostBuffers.contains(root);
      });
      if (!device)
        return WalkResult::advance();
      auto load = dyn_cast<memref::LoadOp>(op);
      if (load && !op->getParentOfType<LoopLikeOpInterface>()) {
        loads.push_back(load);
        return WalkResult::advance();
      }
      if (auto store = dyn_cast<memref::StoreOp>(op);
          store && !op->getParentOfType<LoopLikeOpInterface>()) {
        stores.push_back(store);
        return WalkResult::advance();
      }
      op->emitOpError("mx-gpu-device-buffers: host code ")
          << (isa<memref::LoadOp, memref::StoreOp>(op)
                  ? "accesses device memory in a loop"
                  : "accesses device memory")
          << " (memory=device): this computation was not lowered to a GPU "
             "kernel; compile with memory=host";
      return WalkResult::interrupt();
    });
    if (r.wasInterrupted())
      return failure();
    for (memref::LoadOp load : loads) {
      auto t = dyn_cast<MemRefType>(load.getMemref().getType());
      if (!t || failed(checkBuffer(load, t)))
        return failure();
      ImplicitLocOpBuilder b(load.getLoc(), load);
      // The element's address: base + (offset + sum(index * stride)) bytes.
      auto meta = memref::ExtractStridedMetadataOp::create(b, load.getMemref());
      Value lin = meta.getOffset();
      for (auto [i, s] : llvm::zip(load.getIndices(), meta.getStrides()))
        lin = arith::AddIOp::create(b, lin, arith::MulIOp::create(b, i, s));
      int64_t bytes = elementBytes(t.getElementType());
      Value addr = arith::AddIOp::create(
          b, i64(b, memref::ExtractAlignedPointerAsIndexOp::create(
                        b, load.getMemref())),
          i64(b, arith::MulIOp::create(b, lin,
                                       arith::ConstantIndexOp::create(b, bytes))));
      auto hostT = MemRefType::get({1}, t.getElementType());
      Value host = memref::AllocaOp::create(b, hostT);
      call(b, "mxGpuCopyToHost",
           {pointerOf(b, host), addr,
            arith::ConstantIntOp::create(b, b.getI64Type(), bytes)},
           false);
      Value v = memref::LoadOp::create(
          b, host, ValueRange{arith::ConstantIndexOp::create(b, 0)});
      load.getResult().replaceAllUsesWith(v);
      load.erase();
    }
    for (memref::StoreOp store : stores) {
      ImplicitLocOpBuilder b(store.getLoc(), store);
      Value one = arith::ConstantIndexOp::create(b, 1);
      auto launch = gpu::LaunchOp::create(b, one, one, one, one, one, one);
      Block &body = launch.getBody().front();
      b.setInsertionPointToStart(&body);
      gpu::TerminatorOp::create(b);
      store->moveBefore(&body, body.begin());
    }
    return success();
  }

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
  DenseSet<Value> hostBuffers;
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
