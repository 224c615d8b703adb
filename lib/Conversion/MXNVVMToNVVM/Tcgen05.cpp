//===- Tcgen05.cpp - FP4 mx.matmul tiles on sm_100a tensor memory ---------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The expansion of mx_nvvm.tcgen05_matmul: one thread block of four warps
// computes a 128 x 128 output tile with
// tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale (sm_100a), M = N =
// 128, K = 64 per instruction. Per 64 positions of K:
//
//  1. every thread stages one row of A (thread t: row t of the tile) and
//     one row of Bᵀ (column t of B) into shared memory as E2M1 codes, two a
//     byte, the first in the low nibble, in the K-major layout without
//     swizzle of the PTX ISA (§9.7.16.3.3, canonical layout
//     ((8,m),(T,2k)):((1T,SBO),(1,LBO)) with T = 32 codes = 16 bytes): core
//     matrix (8 rows x 16 bytes, rows 16 bytes apart) (r / 8, j / 16) at
//     (r / 8)·SBO + (j / 16)·LBO, SBO = 256, LBO = 128. Rows past M / N and
//     positions past K hold code 0; asymmetric operands get one buffer per
//     sign part;
//  2. every warp writes the scale factors into its 32-lane quarter of
//     tensor memory (tcgen05.st 32x32b.x4: the scale-factor image is
//     replicated to all four quarters, §9.7.16.10.7): lane l, column c
//     holds the scales of row 32c + l, byte j the scale of positions
//     [j·64/sv, (j+1)·64/sv) (sv = 2 or 4; scale factor IDs 0);
//  3. thread 0 issues the MMAs (one per sign-group pair) into the f32
//     accumulator in tensor memory (row i in lane i, column j in column j)
//     and commits them to an mbarrier that every thread waits on before the
//     buffers are refilled.
//
// Then each warp reads its 32 rows of the accumulator (tcgen05.ld
// 32x32b.x32, four times) and stores acc + D·gA·gB. The block allocates 256
// tensor-memory columns: the accumulator (128), the scale factors of A and
// B (4 columns per sign part each).
//
// Not pipelined (one stage, no TMA): the point is the mapping onto the
// instruction. Compile-only here: no sm_100 GPU was available, so the
// layouts follow the PTX ISA as documented, unverified by execution.
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXNVVMToNVVM/MXNVVMToNVVM.h"

#include "mx/Conversion/MXCommon/GPUKernelUtils.h"
#include "mx/Dialect/MXNVVM/IR/MXNVVMDialect.h"

#include "mx/Dialect/MX/IR/MXOps.h"
#include "mx/Dialect/MX/Utils/StorageAccess.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::kernel;
namespace ref = ::mx::ref;

namespace {

constexpr int64_t kTile = 128, kChunk = 64, kRowBytes = kChunk / 2;
// Shared memory: 128 bytes of slack for the alignment, then the mbarrier
// (8 bytes) and the tensor-memory address (4 bytes) in a 128-byte header,
// then 4096 bytes per operand part.
constexpr int64_t kAlign = 128, kHeader = 128, kPartBytes = kTile * kRowBytes;
// Byte offsets between core matrices along K (LBO) and along M / N (SBO).
constexpr int64_t kLBO = 128, kSBO = 256;
// Tensor-memory columns: the accumulator, then the scale factors.
constexpr int64_t kTmemColumns = 256, kScaleColumn = kTile,
                  kScaleColumnsPerPart = 4;

class Tcgen05Kernel {
public:
  Tcgen05Kernel(RewriterBase &rewriter, mlir::mx::nvvm::Tcgen05MatmulOp op)
      : op(op), b(op.getLoc(), rewriter), nb(b) {}
  LogicalResult run();

private:
  Value i32(int64_t v) { return nb.i32(v); }
  Value idx(int64_t v) { return nb.index(v); }
  Value toI32(Value v) {
    return arith::IndexCastUIOp::create(b, b.getI32Type(), v);
  }
  /// A shared-memory pointer `offset` bytes past the aligned base.
  Value sharedPtr(int64_t offset);
  /// A tensor-memory address (i32: lane << 16 | column) as a pointer.
  Value tmemPointer(Value addr);
  /// The tensor-memory address `column` columns past the allocation, in the
  /// lane quarter of the executing warp.
  Value tmemPtr(Value tmem, Value column);
  /// if (cond) { body }
  template <typename Fn> void ifThen(Value cond, Fn body);
  /// The fences and CTA barrier that order tcgen05 operations across threads.
  void syncThreads();
  /// Stages the executing thread's row of the A tile (or of the Bᵀ tile:
  /// B's column), the 64 positions from `k0`, into the operand part(s) in
  /// shared memory.
  void stage(Value k0, bool ofA);
  /// Stores the scale factors of the 64 positions from `k0` of A's rows or
  /// B's columns into tensor memory (one tcgen05.st per sign part).
  void storeScales(Value tmem, Value k0, bool ofA);
  /// The shared-memory descriptor of the operand part at `offset`.
  Value descriptor(int64_t offset);
  /// Stores byte `j` (of 32) of row `row` of operand part `part`.
  void storeByte(Value byte, int64_t part, Value row, int64_t j);
  /// The kernel's prologue: the workgroup buffer on the enclosing kernel,
  /// thread and tile indices, tensor-memory allocation, the mbarrier.
  LogicalResult setUp();
  /// Per 64 positions of K: staging, scale factors, the MMAs, the wait.
  void mainLoop();
  /// Thread 0 issues the block-scaled MMAs of one chunk (one per pair of
  /// sign groups) and commits them to the mbarrier; `first` (i1): the
  /// chunk that starts the accumulation.
  void issueMMAs(Value first);
  /// Each warp reads its 32 accumulator rows and stores acc + D·gA·gB.
  void epilogue();
  NVVM::CTAGroupKindAttr ctaGroup1() {
    return NVVM::CTAGroupKindAttr::get(b.getContext(),
                                       NVVM::CTAGroupKind::CTA_1);
  }

  mlir::mx::nvvm::Tcgen05MatmulOp op;
  ImplicitLocOpBuilder b;
  NumericBuilder nb;
  ref::Format fa, fb;
  int groupsA = 1, groupsB = 1;
  int64_t kSize = 0, nBlocks = 0, scaleVec = 0;
  Value tid, warp, lane, m0, n0, mSize, nSize, smem, base, shared;
  Value mbar, isThread0, isWarp0, tmem;
};

Value Tcgen05Kernel::sharedPtr(int64_t offset) {
  Value addr = arith::AddIOp::create(b, shared, nb.i64(offset));
  return LLVM::IntToPtrOp::create(
      b, LLVM::LLVMPointerType::get(b.getContext(), 3), addr);
}

Value Tcgen05Kernel::tmemPtr(Value tmem, Value column) {
  // Address bits 31-16: lane, 15-0: column.
  Value laneBase = arith::ShLIOp::create(
      b, arith::MulIOp::create(b, toI32(warp), i32(32)), i32(16));
  return tmemPointer(arith::AddIOp::create(
      b, tmem, arith::AddIOp::create(b, laneBase, column)));
}

Value Tcgen05Kernel::tmemPointer(Value addr) {
  return LLVM::IntToPtrOp::create(
      b, LLVM::LLVMPointerType::get(b.getContext(), 6), addr);
}

template <typename Fn> void Tcgen05Kernel::ifThen(Value cond, Fn body) {
  auto ifOp = scf::IfOp::create(b, cond, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  body();
}

void Tcgen05Kernel::syncThreads() {
  NVVM::Tcgen05FenceOp::create(
      b, NVVM::Tcgen05FenceKindAttr::get(
             b.getContext(), NVVM::Tcgen05FenceKind::BEFORE_THREAD_SYNC));
  gpu::BarrierOp::create(b);
  NVVM::Tcgen05FenceOp::create(
      b, NVVM::Tcgen05FenceKindAttr::get(
             b.getContext(), NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC));
}

void Tcgen05Kernel::storeByte(Value byte, int64_t part, Value row, int64_t j) {
  // Core matrix (row / 8, j / 16); row % 8 is 16 bytes apart in it.
  Value off = arith::AddIOp::create(
      b,
      arith::AddIOp::create(
          b,
          arith::MulIOp::create(b, arith::RemUIOp::create(b, row, idx(8)),
                                idx(16)),
          arith::MulIOp::create(b, arith::DivUIOp::create(b, row, idx(8)),
                                idx(kSBO))),
      idx(kHeader + part * kPartBytes + (j % 16) + (j / 16) * kLBO));
  memref::StoreOp::create(b, arith::TruncIOp::create(b, b.getI8Type(), byte),
                          smem,
                          ValueRange{arith::AddIOp::create(b, base, off)});
}

void Tcgen05Kernel::stage(Value k0, bool ofA) {
  const bool partialK = kSize % kChunk != 0;
  const ref::Format &f = ofA ? fa : fb;
  const int groups = f.asymmetric ? 2 : 1, firstPart = ofA ? 0 : groupsA;
  Value bound = ofA ? mSize : nSize;
  Value raw = arith::AddIOp::create(b, ofA ? m0 : n0, tid);
  Value inRange = ltU(b, raw, bound);
  Value r = clampIdx(b, raw, bound);
  // B is stored two codes a byte along N.
  Value rByte, rNib;
  if (!ofA) {
    rByte = arith::DivUIOp::create(b, r, idx(2));
    rNib = toI32(arith::RemUIOp::create(b, r, idx(2)));
  }
  for (int64_t j = 0; j < kRowBytes; ++j) {
    SmallVector<Value> bytes(groups);
    for (int64_t h = 0; h < 2; ++h) {
      Value valid = inRange;
      Value k = maskK(b, arith::AddIOp::create(b, k0, idx(2 * j + h)), kSize,
                      partialK, valid);
      Value code = ofA ? fetchNibble(b, op.getLhs(),
                                     {r, arith::DivUIOp::create(b, k, idx(2))},
                                     i32(h), valid)
                       : fetchNibble(b, op.getRhs(), {k, rByte}, rNib, valid);
      SmallVector<Value> p = splitBySign(b, code, f.asymmetric);
      for (int g = 0; g < groups; ++g) {
        Value v = h ? Value(arith::ShLIOp::create(b, p[g], i32(4))) : p[g];
        bytes[g] = h ? Value(arith::OrIOp::create(b, bytes[g], v)) : v;
      }
    }
    for (int g = 0; g < groups; ++g)
      storeByte(bytes[g], firstPart + g, tid, j);
  }
}

void Tcgen05Kernel::storeScales(Value tmem, Value k0, bool ofA) {
  const ref::Format &f = ofA ? fa : fb;
  Value bound = ofA ? mSize : nSize;
  Value origin = ofA ? m0 : n0;
  auto i32x4 = VectorType::get({4}, b.getI32Type());
  for (int g = 0; g < (f.asymmetric ? 2 : 1); ++g) {
    Value arr = g ? (ofA ? op.getLhsNegScales() : op.getRhsNegScales())
                  : (ofA ? op.getLhsScales() : op.getRhsScales());
    SmallVector<Value> words;
    for (int64_t c = 0; c < 4; ++c) {
      // Row (A) / column (B) 32c + lane of the tile.
      Value r =
          clampIdx(b,
                   arith::AddIOp::create(
                       b, origin, arith::AddIOp::create(b, lane, idx(32 * c))),
                   bound);
      Value word = packedScaleCodes(b, arr, k0, r, ofA, f, nBlocks);
      words.push_back(word);
    }
    int64_t column =
        kScaleColumn + kScaleColumnsPerPart * ((ofA ? 0 : groupsA) + g);
    NVVM::Tcgen05StOp::create(
        b, UnitAttr(),
        NVVM::Tcgen05LdStShapeAttr::get(b.getContext(),
                                        NVVM::Tcgen05LdStShape::SHAPE_32X32B),
        tmemPtr(tmem, i32(column)),
        vector::FromElementsOp::create(b, i32x4, words), Value());
  }
}

Value Tcgen05Kernel::descriptor(int64_t offset) {
  // Start address, LBO and SBO in units of 16 bytes; bits 46-48 = 0b001;
  // no swizzle, base offset 0, relative LBO.
  Value addr = arith::AddIOp::create(b, shared, nb.i64(offset));
  Value start = arith::AndIOp::create(
      b, arith::ShRUIOp::create(b, addr, nb.i64(4)), nb.i64(0x3FFF));
  const int64_t fixed =
      ((kLBO >> 4) << 16) | ((kSBO >> 4) << 32) | (int64_t(1) << 46);
  return arith::OrIOp::create(b, start, nb.i64(fixed));
}

LogicalResult Tcgen05Kernel::setUp() {
  b.setInsertionPoint(op);
  fa = op.getLhsFormat().getReferenceFormat();
  fb = op.getRhsFormat().getReferenceFormat();
  groupsA = fa.asymmetric ? 2 : 1;
  groupsB = fb.asymmetric ? 2 : 1;
  kSize = static_cast<int64_t>(op.getK());
  nBlocks = (kSize + fa.blockSize - 1) / fa.blockSize;
  scaleVec = nativeScaleVec(fa);

  // The workgroup buffer, on the enclosing kernel.
  auto smemT = MemRefType::get(
      {kAlign + kHeader + (groupsA + groupsB) * kPartBytes}, b.getI8Type(),
      AffineMap(),
      gpu::AddressSpaceAttr::get(b.getContext(),
                                 gpu::GPUDialect::getWorkgroupAddressSpace()));
  if (auto func = op->getParentOfType<gpu::GPUFuncOp>())
    smem = func.addWorkgroupAttribution(smemT, op.getLoc());
  else if (auto launch = op->getParentOfType<gpu::LaunchOp>())
    smem = launch.addWorkgroupAttribution(smemT, op.getLoc());
  else
    return op.emitOpError("must be inside a gpu.launch or a gpu.func");

  tid = gpu::ThreadIdOp::create(b, gpu::Dimension::x);
  warp = arith::DivUIOp::create(b, tid, idx(32));
  lane = arith::RemUIOp::create(b, tid, idx(32));
  m0 = arith::MulIOp::create(b, gpu::BlockIdOp::create(b, gpu::Dimension::y),
                             idx(kTile));
  n0 = arith::MulIOp::create(b, gpu::BlockIdOp::create(b, gpu::Dimension::x),
                             idx(kTile));
  mSize = memref::DimOp::create(b, op.getOut(), 0);
  nSize = memref::DimOp::create(b, op.getOut(), 1);

  // The aligned base: `base` as an index into `smem`, `shared` as the
  // shared-window address (i64).
  Value addr = memref::ExtractAlignedPointerAsIndexOp::create(b, smem);
  Value pad = arith::RemUIOp::create(
      b,
      arith::SubIOp::create(b, idx(kAlign),
                            arith::RemUIOp::create(b, addr, idx(kAlign))),
      idx(kAlign));
  base = pad;
  shared = arith::IndexCastUIOp::create(b, b.getI64Type(),
                                        arith::AddIOp::create(b, addr, pad));
  mbar = sharedPtr(0);
  Value slot = sharedPtr(8);
  auto cta1 = ctaGroup1();
  isThread0 = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, tid, idx(0));
  isWarp0 = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, warp, idx(0));

  // Warp 0 allocates the tensor memory; thread 0 sets up the mbarrier.
  ifThen(isWarp0, [&] {
    NVVM::Tcgen05AllocOp::create(b, slot, i32(kTmemColumns), cta1);
    NVVM::Tcgen05RelinquishAllocPermitOp::create(b, cta1);
  });
  ifThen(isThread0, [&] {
    NVVM::MBarrierInitOp::create(b, mbar, i32(1), Value());
    NVVM::FenceMbarrierInitOp::create(b);
  });
  syncThreads();
  tmem = LLVM::LoadOp::create(b, b.getI32Type(), slot);
  return success();
}

void Tcgen05Kernel::issueMMAs(Value first) {
  const bool ue8m0 = fa.scale == ref::ScaleKind::E8M0;
  // idesc (.kind::mxf4nvf4): atype = btype = E2M1 (1), K-major A and B,
  // N >> 3, the scale type (UE8M0 1, UE4M3 0), M >> 7, scale factor IDs 0.
  const int64_t idesc = (1 << 7) | (1 << 10) | ((kTile >> 3) << 17) |
                        (int64_t(ue8m0) << 23) | ((kTile >> 7) << 27);
  auto cta1 = ctaGroup1();
  Value d = tmemPointer(tmem);
  auto sfCol = [&](int part) {
    return tmemPointer(arith::AddIOp::create(
        b, tmem, i32(kScaleColumn + kScaleColumnsPerPart * part)));
  };
  int pair = 0;
  for (int ga = 0; ga < groupsA; ++ga)
    for (int gb = 0; gb < groupsB; ++gb, ++pair) {
      Value accumulate =
          pair ? Value(nb.i1(true))
               : Value(arith::XOrIOp::create(b, first, nb.i1(true)));
      NVVM::Tcgen05MMABlockScaleOp::create(
          b,
          NVVM::MMABlockScaleKindAttr::get(b.getContext(),
                                           NVVM::MMABlockScaleKind::MXF4NVF4),
          cta1,
          NVVM::Tcgen05MMABlockScaleAttr::get(
              b.getContext(), scaleVec == 2
                                  ? NVVM::Tcgen05MMABlockScale::BLOCK32
                                  : NVVM::Tcgen05MMABlockScale::BLOCK16),
          NVVM::Tcgen05MMACollectorOpAttr::get(
              b.getContext(), NVVM::Tcgen05MMACollectorOp::DISCARD),
          d, descriptor(kHeader + ga * kPartBytes),
          descriptor(kHeader + (groupsA + gb) * kPartBytes), i32(idesc),
          accumulate, sfCol(ga), sfCol(groupsA + gb));
    }
  NVVM::Tcgen05CommitOp::create(b, mbar, Value(), cta1);
}

void Tcgen05Kernel::mainLoop() {
  const int64_t chunks = (kSize + kChunk - 1) / kChunk;
  auto loop = scf::ForOp::create(b, idx(0), idx(chunks), idx(1));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value chunk = loop.getInductionVar();
    Value k0 = arith::MulIOp::create(b, chunk, idx(kChunk));
    stage(k0, /*ofA=*/true);
    stage(k0, /*ofA=*/false);
    storeScales(tmem, k0, /*ofA=*/true);
    storeScales(tmem, k0, /*ofA=*/false);
    NVVM::Tcgen05WaitOp::create(
        b, NVVM::Tcgen05WaitKindAttr::get(b.getContext(),
                                          NVVM::Tcgen05WaitKind::STORE));
    // The generic-proxy stores to shared memory become visible to the
    // tensor core (async proxy).
    NVVM::FenceProxyOp::create(
        b,
        NVVM::ProxyKindAttr::get(b.getContext(), NVVM::ProxyKind::async_shared),
        NVVM::SharedSpaceAttr::get(b.getContext(),
                                   NVVM::SharedSpace::shared_cta));
    syncThreads();
    Value first =
        arith::CmpIOp::create(b, arith::CmpIPredicate::eq, chunk, idx(0));
    ifThen(isThread0, [&] { issueMMAs(first); });
    // Every thread waits for the MMAs before the buffers are refilled.
    Value phase = toI32(arith::RemUIOp::create(b, chunk, idx(2)));
    NVVM::MBarrierTryWaitParityOp::create(b, mbar, phase, i32(10000000));
    NVVM::Tcgen05FenceOp::create(
        b, NVVM::Tcgen05FenceKindAttr::get(
               b.getContext(), NVVM::Tcgen05FenceKind::AFTER_THREAD_SYNC));
  }
}

void Tcgen05Kernel::epilogue() {
  // Epilogue: warp w holds rows 32w .. 32w + 31 of the accumulator (lane l:
  // row 32w + l), read 32 columns at a time.
  Value mRaw = arith::AddIOp::create(
      b, m0,
      arith::AddIOp::create(b, arith::MulIOp::create(b, warp, idx(32)), lane));
  Value mValid = ltU(b, mRaw, mSize);
  Value m = clampIdx(b, mRaw, mSize);
  Value gA = op.getLhsTensorScale(), gB = op.getRhsTensorScale();
  auto slices = scf::ForOp::create(b, idx(0), idx(kTile / 32), idx(1));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(slices.getBody());
    Value s = slices.getInductionVar();
    Value col = arith::MulIOp::create(b, s, idx(32));
    Value v = NVVM::Tcgen05LdOp::create(
        b, VectorType::get({32}, b.getI32Type()), UnitAttr(),
        NVVM::Tcgen05LdStShapeAttr::get(b.getContext(),
                                        NVVM::Tcgen05LdStShape::SHAPE_32X32B),
        tmemPtr(tmem, toI32(col)), Value());
    NVVM::Tcgen05WaitOp::create(
        b, NVVM::Tcgen05WaitKindAttr::get(b.getContext(),
                                          NVVM::Tcgen05WaitKind::LOAD));
    auto elems = scf::ForOp::create(b, idx(0), idx(32), idx(1));
    OpBuilder::InsertionGuard guard2(b);
    b.setInsertionPointToStart(elems.getBody());
    Value i = elems.getInductionVar();
    Value r = arith::BitcastOp::create(
        b, b.getF32Type(),
        vector::ExtractOp::create(b, v, ArrayRef<OpFoldResult>{i}));
    Value nRaw = arith::AddIOp::create(b, n0, arith::AddIOp::create(b, col, i));
    storeResult(b, r, op.getAcc(), op.getOut(), gA, gB, m, mValid,
                clampIdx(b, nRaw, nSize), ltU(b, nRaw, nSize));
  }
}

LogicalResult Tcgen05Kernel::run() {
  if (failed(setUp()))
    return failure();
  mainLoop();
  epilogue();
  syncThreads();
  ifThen(isWarp0, [&] {
    NVVM::Tcgen05DeallocOp::create(b, tmemPointer(tmem), i32(kTmemColumns),
                                   ctaGroup1());
  });
  op->erase();
  return success();
}

} // namespace

LogicalResult
mlir::mx::expandTcgen05Matmul(RewriterBase &rewriter,
                              mlir::mx::nvvm::Tcgen05MatmulOp op) {
  return Tcgen05Kernel(rewriter, op).run();
}
