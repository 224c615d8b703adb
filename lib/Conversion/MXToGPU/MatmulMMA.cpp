//===- MatmulMMA.cpp - FP4 x FP4 mx.matmul on integer tensor cores --------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A GPU kernel for mx.matmul C[M,N] = A[M,K] x B[K,N] with E2M1 elements on
// both sides, bit-identical to FORMATS.md §6.2 (mode exact), that forms the
// exact block sums on tensor cores.
//
// Every E2M1 value v has 2v in {-12, ..., 12}: a signed byte. The group sum
// S of a block (§6.2) is therefore Σ (2a)(2b) / 4 with an integer numerator
// of at most 144 · bs in magnitude, which the s32 accumulator of the integer
// tensor-core MMA (mma.sync m16n8k32 .s8.s8.s32, sm_80 and later; a block
// of 16 fills half of k with zeros) holds exactly whatever order the hardware
// adds in. Asymmetric operands are split into their positive and non-positive
// parts (the + and
// - groups of §6.1, disjoint and exact), so every group pair is one MMA
// chain per block.
//
// Everything after the sums is done per output element by the lane that
// owns it in the MMA accumulator fragment, with the same IEEE f32 operations
// as the reference in the same order: S32 = fp32(S) (exact: the integer
// converts exactly and the division by 4 is exact), term =
// fp32(fp32(S32·sa)·sb), the terms of a block left to right in the order
// (+,+), (+,-), (-,+), (-,-), the block into the accumulator in ascending
// block order, the tensor scales, the accumulator input, the result type.
// The result is thus the same bit for bit as the CPU code, not merely
// within a tolerance.
//
// Layout: one warp per 16x8 output tile, `warps` warps per thread block
// along N; grid (ceil(N / (8·warps)), ceil(M / 16)). Rows and columns past
// M and N read code 0 and are not stored; positions past K read code 0 (a
// partial block, §4).
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXToGPU/MXToGPU.h"

#include "../MXToLinalg/MXParts.h"
#include "mx/Dialect/MX/IR/MXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::mx {
#define GEN_PASS_DEF_CONVERTMXMATMULTOGPUMMAPASS
#include "mx/Conversion/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;
using namespace mlir::mx;
namespace ref = ::mx::ref;

namespace {

constexpr int64_t kTileM = 16, kTileN = 8, kMmaK = 32, kWarpSize = 32;

/// Why `op` cannot take the tensor-core path (empty if it can).
std::string ineligibility(MatmulOp op) {
  if (op.getMode() != MatmulMode::exact)
    return "mode emulate";
  auto ta = cast<QTensorType>(op.getLhs().getType());
  auto tb = cast<QTensorType>(op.getRhs().getType());
  if (ta.getRank() != 2)
    return "batched (rank-3) matmul";
  ref::Format fa = ta.getFormat().getReferenceFormat();
  ref::Format fb = tb.getFormat().getReferenceFormat();
  if (fa.elem != ref::ElemKind::E2M1 || fb.elem != ref::ElemKind::E2M1)
    return "element formats other than E2M1 (FP4)";
  if (fa.blockSize != fb.blockSize || fa.blockSize % 16 != 0)
    return "block size not a multiple of 16";
  if (ShapedType::isDynamic(tb.getShape()[0]))
    return "dynamic K";
  return {};
}

/// `v` as a read-only buffer of any strided layout.
Value readBuffer(ImplicitLocOpBuilder &b, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> strides(t.getRank(), ShapedType::kDynamic);
  auto layout =
      StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, strides);
  return bufferization::ToBufferOp::create(
      b, MemRefType::get(t.getShape(), t.getElementType(), layout), v,
      /*read_only=*/true);
}

/// x < bound (unsigned).
Value ltU(ImplicitLocOpBuilder &b, Value x, Value bound) {
  return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, bound);
}

/// x && y, where a null condition is true.
Value andOpt(ImplicitLocOpBuilder &b, Value x, Value y) {
  if (!x)
    return y;
  if (!y)
    return x;
  return arith::AndIOp::create(b, x, y);
}

/// x clamped to [0, bound): the address of a masked position.
Value clampIdx(ImplicitLocOpBuilder &b, Value x, Value bound) {
  NumericBuilder nb(b);
  return arith::MinUIOp::create(b, x,
                                arith::SubIOp::create(b, bound, nb.index(1)));
}

/// A storage operand of the kernel: the packed codes, the scale arrays and
/// the tensor scale, as buffers.
struct Operand {
  ref::Format format;
  Value data, pos, neg, g;
};

class MatmulLowering {
public:
  MatmulLowering(RewriterBase &rewriter, MatmulOp op, int64_t warps)
      : rewriter(rewriter), op(op), b(op.getLoc(), rewriter), warps(warps) {}
  void run();

private:
  /// 2v (i32) of the E2M1 `code` (i32), or its + and - parts for an
  /// asymmetric operand.
  SmallVector<Value> parts(ImplicitLocOpBuilder &kb, Value code, bool asym);
  /// The nibble `which` (0 low, 1 high; i32) of the byte at `idx` of `data`,
  /// or 0 where `valid` is false.
  Value nibble(ImplicitLocOpBuilder &kb, Value data, ArrayRef<Value> idx,
               Value which, Value valid);
  void buildKernel(ImplicitLocOpBuilder &kb, gpu::LaunchOp launch);

  RewriterBase &rewriter;
  MatmulOp op;
  ImplicitLocOpBuilder b;
  int64_t warps;
  Operand a, bo;
  Value accBuf, out, mSize, nSize;
  int64_t kSize = 0, bs = 0, nBlocks = 0, kStep = 0;
};

SmallVector<Value> MatmulLowering::parts(ImplicitLocOpBuilder &kb, Value code,
                                         bool asym) {
  NumericBuilder nb(kb);
  // |2v| by magnitude code 0..7 is 0, 1, 2, 3, 4, 6, 8, 12: byte m of a
  // 64-bit constant.
  Value mag = arith::AndIOp::create(kb, code, nb.i32(7));
  Value shift = arith::ExtUIOp::create(
      kb, kb.getI64Type(), arith::MulIOp::create(kb, mag, nb.i32(8)));
  Value twice = arith::TruncIOp::create(
      kb, kb.getI32Type(),
      arith::ShRUIOp::create(kb, nb.i64(0x0C08060403020100LL), shift));
  twice = arith::AndIOp::create(kb, twice, nb.i32(0xFF));
  Value negative = arith::CmpIOp::create(
      kb, arith::CmpIPredicate::ne, arith::AndIOp::create(kb, code, nb.i32(8)),
      nb.i32(0));
  Value minus = arith::SubIOp::create(kb, nb.i32(0), twice);
  if (!asym)
    return {arith::SelectOp::create(kb, negative, minus, twice)};
  return {arith::SelectOp::create(kb, negative, nb.i32(0), twice),
          arith::SelectOp::create(kb, negative, minus, nb.i32(0))};
}

Value MatmulLowering::nibble(ImplicitLocOpBuilder &kb, Value data,
                             ArrayRef<Value> idx, Value which, Value valid) {
  NumericBuilder nb(kb);
  Value byte = memref::LoadOp::create(kb, data, idx);
  Value c = arith::ExtUIOp::create(kb, kb.getI32Type(), byte);
  c = arith::AndIOp::create(
      kb,
      arith::ShRUIOp::create(kb, c,
                             arith::MulIOp::create(kb, which, nb.i32(4))),
      nb.i32(0xF));
  return valid ? Value(arith::SelectOp::create(kb, valid, c, nb.i32(0))) : c;
}

void MatmulLowering::buildKernel(ImplicitLocOpBuilder &kb,
                                 gpu::LaunchOp launch) {
  NumericBuilder nb(kb);
  const bool asymA = a.format.asymmetric, asymB = bo.format.asymmetric;
  const int groupsA = asymA ? 2 : 1, groupsB = asymB ? 2 : 1;
  Type i32 = kb.getI32Type();
  auto idxToI32 = [&](Value v) {
    return arith::IndexCastOp::create(kb, i32, v);
  };
  auto lt = [&](Value x, Value bound) { return ltU(kb, x, bound); };
  auto land = [&](Value x, Value y) { return andOpt(kb, x, y); };
  auto clamp = [&](Value x, Value bound) { return clampIdx(kb, x, bound); };

  Value tid = launch.getThreadIds().x;
  Value warp = arith::DivUIOp::create(kb, tid, nb.index(kWarpSize));
  Value lane = arith::RemUIOp::create(kb, tid, nb.index(kWarpSize));
  Value grp = arith::DivUIOp::create(kb, lane, nb.index(4));
  Value tig = arith::RemUIOp::create(kb, lane, nb.index(4));
  Value m0 =
      arith::MulIOp::create(kb, launch.getBlockIds().y, nb.index(kTileM));
  Value n0 = arith::MulIOp::create(
      kb,
      arith::AddIOp::create(
          kb,
          arith::MulIOp::create(kb, launch.getBlockIds().x, nb.index(warps)),
          warp),
      nb.index(kTileN));

  // The lane's rows of A (g and g + 8 of the tile) and its column of B (g).
  SmallVector<Value> rowsA, rowsAValid;
  for (int64_t h = 0; h < 2; ++h) {
    Value r = arith::AddIOp::create(
        kb, m0, arith::AddIOp::create(kb, grp, nb.index(8 * h)));
    rowsAValid.push_back(lt(r, mSize));
    rowsA.push_back(clamp(r, mSize));
  }
  Value colRaw = arith::AddIOp::create(kb, n0, grp);
  Value colBValid = lt(colRaw, nSize);
  Value colB = clamp(colRaw, nSize);
  Value colBByte = arith::DivUIOp::create(kb, colB, nb.index(2));
  Value colBNib = idxToI32(arith::RemUIOp::create(kb, colB, nb.index(2)));
  // The lane's accumulator elements: rows g, g + 8; columns 2t, 2t + 1.
  SmallVector<Value> colsC, colsCValid;
  for (int64_t j = 0; j < 2; ++j) {
    Value c = arith::AddIOp::create(
        kb, n0,
        arith::AddIOp::create(kb, arith::MulIOp::create(kb, tig, nb.index(2)),
                              nb.index(j)));
    colsCValid.push_back(lt(c, nSize));
    colsC.push_back(clamp(c, nSize));
  }
  const bool partialK = kSize % kStep != 0;
  Value kBound = nb.index(kSize);

  auto accT = VectorType::get({2, 2}, i32);
  Value zeroAcc = arith::ConstantOp::create(
      kb, DenseElementsAttr::get(accT, kb.getI32IntegerAttr(0)));

  SmallVector<Value> accInit(4, nb.f32(0.0f));
  auto blockLoop = scf::ForOp::create(
      kb, nb.index(0), nb.index(nBlocks), nb.index(1), accInit,
      [&](OpBuilder &ob, Location loc, Value blk, ValueRange accs) {
        ImplicitLocOpBuilder bb(loc, ob);
        NumericBuilder bn(bb);
        SmallVector<Value> sInit(groupsA * groupsB, zeroAcc);
        Value kBlock = arith::MulIOp::create(bb, blk, bn.index(bs));
        auto chunkLoop = scf::ForOp::create(
            bb, bn.index(0), bn.index(bs / kStep), bn.index(1), sInit,
            [&](OpBuilder &cb0, Location cloc, Value chunk, ValueRange sums) {
              ImplicitLocOpBuilder cb(cloc, cb0);
              NumericBuilder cn(cb);
              Value k0 = arith::AddIOp::create(
                  cb, kBlock,
                  arith::MulIOp::create(cb, chunk, cn.index(kStep)));
              Value kLane = arith::AddIOp::create(
                  cb, k0, arith::MulIOp::create(cb, tig, cn.index(4)));
              // The MMA is m16n8k32; a chunk of 16 (block size not a
              // multiple of 32) fills the upper half of k with zeros.
              // A fragment: register r holds row g + 8·(r % 2), columns
              // 4t .. 4t + 3 + 16·(r / 2) of the 16 x 32 tile.
              SmallVector<SmallVector<Value>> aBytes(groupsA);
              for (int64_t r = 0; r < 4; ++r) {
                Value row = rowsA[r % 2];
                for (int64_t e = 0; e < 4; ++e) {
                  if (16 * (r / 2) >= kStep) {
                    for (int ga = 0; ga < groupsA; ++ga)
                      aBytes[ga].push_back(cn.i32(0));
                    continue;
                  }
                  Value k = arith::AddIOp::create(cb, kLane,
                                                  cn.index(16 * (r / 2) + e));
                  Value valid = rowsAValid[r % 2];
                  Value kk = k;
                  if (partialK) {
                    valid = andOpt(cb, valid, ltU(cb, k, kBound));
                    kk = clampIdx(cb, k, kBound);
                  }
                  Value code =
                      nibble(cb, a.data,
                             {row, arith::DivUIOp::create(cb, kk, cn.index(2))},
                             cn.i32(e % 2), valid);
                  SmallVector<Value> p = parts(cb, code, asymA);
                  for (int ga = 0; ga < groupsA; ++ga)
                    aBytes[ga].push_back(p[ga]);
                }
              }
              // B fragment: register r holds rows 4t .. 4t + 3 + 16·r of
              // the 32 x 8 tile, column g.
              SmallVector<SmallVector<Value>> bBytes(groupsB);
              for (int64_t r = 0; r < 2; ++r)
                for (int64_t e = 0; e < 4; ++e) {
                  if (16 * r >= kStep) {
                    for (int gb = 0; gb < groupsB; ++gb)
                      bBytes[gb].push_back(cn.i32(0));
                    continue;
                  }
                  Value k =
                      arith::AddIOp::create(cb, kLane, cn.index(16 * r + e));
                  Value valid = colBValid, kk = k;
                  if (partialK) {
                    valid = andOpt(cb, valid, ltU(cb, k, kBound));
                    kk = clampIdx(cb, k, kBound);
                  }
                  Value code =
                      nibble(cb, bo.data, {kk, colBByte}, colBNib, valid);
                  SmallVector<Value> p = parts(cb, code, asymB);
                  for (int gb = 0; gb < groupsB; ++gb)
                    bBytes[gb].push_back(p[gb]);
                }
              // A fragment as vector<regs x 4 x i8>, one register a row,
              // the first element in the low byte (inserted row by row: no
              // n-D shape_cast in the kernel).
              auto frag = [&](ArrayRef<Value> v, int64_t regs) {
                auto t = VectorType::get({regs, 4}, cb.getI8Type());
                Value f = arith::ConstantOp::create(
                    cb, DenseElementsAttr::get(t, cb.getI8IntegerAttr(0)));
                auto rowT = VectorType::get({4}, cb.getI8Type());
                for (int64_t r = 0; r < regs; ++r) {
                  SmallVector<Value> bytes;
                  for (int64_t e = 0; e < 4; ++e)
                    bytes.push_back(arith::TruncIOp::create(cb, cb.getI8Type(),
                                                            v[4 * r + e]));
                  f = vector::InsertOp::create(
                      cb, vector::FromElementsOp::create(cb, rowT, bytes), f,
                      ArrayRef<int64_t>{r});
                }
                return f;
              };
              SmallVector<Value> next;
              for (int ga = 0; ga < groupsA; ++ga)
                for (int gb = 0; gb < groupsB; ++gb) {
                  int64_t gi = ga * groupsB + gb;
                  next.push_back(nvgpu::MmaSyncOp::create(
                      cb, frag(aBytes[ga], 4), frag(bBytes[gb], 2), sums[gi],
                      cb.getI64ArrayAttr({kTileM, kTileN, kMmaK})));
                }
              scf::YieldOp::create(cb, next);
            });
        // The block's scales for the lane's rows and columns.
        SmallVector<Value> sa, sb; // [h * groupsA + ga], [j * groupsB + gb]
        for (int64_t h = 0; h < 2; ++h)
          for (int ga = 0; ga < groupsA; ++ga)
            sa.push_back(bn.decodeScale(
                a.format.scale,
                fetchScaleCode(bb, ga ? a.neg : a.pos, {rowsA[h], blk})));
        for (int64_t j = 0; j < 2; ++j)
          for (int gb = 0; gb < groupsB; ++gb)
            sb.push_back(bn.decodeScale(
                bo.format.scale,
                fetchScaleCode(bb, gb ? bo.neg : bo.pos, {blk, colsC[j]})));
        SmallVector<Value> next;
        for (int64_t i = 0; i < 4; ++i) {
          int64_t h = i / 2, j = i % 2;
          Value c;
          for (int ga = 0; ga < groupsA; ++ga)
            for (int gb = 0; gb < groupsB; ++gb) {
              Value s = vector::ExtractOp::create(
                  bb, chunkLoop.getResult(ga * groupsB + gb),
                  ArrayRef<int64_t>{h, j});
              // S32 = fp32(S): the integer (< 2^24) converts exactly and
              // the division by 4 is exact.
              Value s32 = arith::MulFOp::create(
                  bb, arith::SIToFPOp::create(bb, bb.getF32Type(), s),
                  bn.f32(0.25f));
              Value t = arith::MulFOp::create(
                  bb, arith::MulFOp::create(bb, s32, sa[h * groupsA + ga]),
                  sb[j * groupsB + gb]);
              c = c ? Value(arith::AddFOp::create(bb, c, t)) : t;
            }
          next.push_back(arith::AddFOp::create(bb, accs[i], c));
        }
        scf::YieldOp::create(bb, next);
      });

  auto rt = cast<RankedTensorType>(op.getResult().getType());
  for (int64_t i = 0; i < 4; ++i) {
    int64_t h = i / 2, j = i % 2;
    Value r = blockLoop.getResult(i);
    if (a.format.tensorScale)
      r = arith::MulFOp::create(kb, r, a.g);
    if (bo.format.tensorScale)
      r = arith::MulFOp::create(kb, r, bo.g);
    Value init = toF32(
        kb, memref::LoadOp::create(kb, accBuf, ValueRange{rowsA[h], colsC[j]}));
    Value fin =
        fromF32(kb, arith::AddFOp::create(kb, init, r), rt.getElementType());
    auto ifOp = scf::IfOp::create(kb, land(rowsAValid[h], colsCValid[j]),
                                  /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(kb);
    kb.setInsertionPointToStart(ifOp.thenBlock());
    memref::StoreOp::create(kb, fin, out, ValueRange{rowsA[h], colsC[j]});
  }
}

void MatmulLowering::run() {
  b.setInsertionPoint(op);
  auto toOperand = [&](Value q) {
    Parts p = unpack(b, q);
    Operand o;
    o.format = p.format;
    o.data = readBuffer(b, p.data);
    o.pos = readBuffer(b, p.pos);
    if (p.neg)
      o.neg = readBuffer(b, p.neg);
    o.g = p.g;
    return o;
  };
  a = toOperand(op.getLhs());
  bo = toOperand(op.getRhs());
  auto tb = cast<QTensorType>(op.getRhs().getType());
  kSize = tb.getShape()[0];
  bs = a.format.blockSize;
  nBlocks = (kSize + bs - 1) / bs;
  kStep = bs % 32 == 0 ? 32 : 16;

  NumericBuilder nb(b);
  Value acc = op.getAcc();
  accBuf = readBuffer(b, acc);
  mSize = tensor::DimOp::create(b, acc, 0);
  nSize = tensor::DimOp::create(b, acc, 1);
  auto rt = cast<RankedTensorType>(op.getResult().getType());
  SmallVector<Value> dynSizes;
  for (int64_t d = 0; d < 2; ++d)
    if (rt.isDynamicDim(d))
      dynSizes.push_back(d ? nSize : mSize);
  auto outT = MemRefType::get(rt.getShape(), rt.getElementType());
  out = memref::AllocOp::create(b, outT, dynSizes);

  auto ceilDiv = [&](Value x, int64_t d) {
    return arith::DivUIOp::create(
        b, arith::AddIOp::create(b, x, nb.index(d - 1)), nb.index(d));
  };
  Value one = nb.index(1);
  auto launch = gpu::LaunchOp::create(b, ceilDiv(nSize, kTileN * warps),
                                      ceilDiv(mSize, kTileM), one,
                                      nb.index(kWarpSize * warps), one, one);
  {
    OpBuilder::InsertionGuard guard(b);
    Block &body = launch.getBody().front();
    b.setInsertionPointToStart(&body);
    if (body.empty() || !body.back().hasTrait<OpTrait::IsTerminator>())
      gpu::TerminatorOp::create(b);
    b.setInsertionPoint(body.getTerminator());
    ImplicitLocOpBuilder kb(op.getLoc(), b);
    buildKernel(kb, launch);
  }
  Value result = bufferization::ToTensorOp::create(b, rt, out,
                                                   /*restrict=*/true,
                                                   /*writable=*/true);
  rewriter.replaceOp(op, result);
}

struct ConvertMXMatmulToGPUMMAPass
    : mlir::mx::impl::ConvertMXMatmulToGPUMMAPassBase<
          ConvertMXMatmulToGPUMMAPass> {
  using Base::Base;
  void runOnOperation() override {
    if (warps < 1 || warps > 32) {
      getOperation()->emitError(
          "convert-mx-matmul-to-gpu-mma: warps must be in [1, 32], got ")
          << warps;
      return signalPassFailure();
    }
    SmallVector<MatmulOp> ops;
    getOperation()->walk([&](MatmulOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (MatmulOp op : ops) {
      std::string why = ineligibility(op);
      if (!why.empty()) {
        ++numSkipped;
        if (report)
          op.emitRemark() << "left to convert-mx-to-linalg: " << why;
        continue;
      }
      ++numRewritten;
      MatmulLowering(rewriter, op, warps).run();
    }
  }
};

} // namespace
