//===- IntegerMMA.cpp - Exact FP4 x FP4 block sums on integer MMA ---------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A GPU kernel for mx.matmul C[M,N] = A[M,K] x B[K,N] with E2M1 elements on
// both sides, bit-identical to docs/Spec.md §6.2 (mode exact), that forms the
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

#include "MmaSync.h"

#include "mx/Dialect/MX/Utils/NumericBuilder.h"
#include "mx/Dialect/MX/Utils/StorageAccess.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::kernel;
using namespace mlir::mx::nvgpu_kernels;

SmallVector<Value> nvgpu_kernels::twiceParts(ImplicitLocOpBuilder &kb,
                                             Value code, bool asym) {
  NumericBuilder nb(kb);
  // |2v| by magnitude code m (0..7): byte m of a 64-bit constant.
  static const uint64_t magnitudes = [] {
    std::array<int8_t, 16> twice = ::mx::ref::getE2M1TwiceValues();
    uint64_t bytes = 0;
    for (unsigned m = 0; m < 8; ++m)
      bytes |= uint64_t(uint8_t(twice[m])) << (8 * m);
    return bytes;
  }();
  Value mag = arith::AndIOp::create(kb, code, nb.i32(7));
  Value shift = arith::ExtUIOp::create(
      kb, kb.getI64Type(), arith::MulIOp::create(kb, mag, nb.i32(8)));
  Value twice = arith::TruncIOp::create(
      kb, kb.getI32Type(),
      arith::ShRUIOp::create(kb, nb.i64((int64_t)magnitudes), shift));
  twice = arith::AndIOp::create(kb, twice, nb.i32(0xFF));
  Value negative = isNegativeCode(kb, code);
  Value minus = arith::SubIOp::create(kb, nb.i32(0), twice);
  if (!asym)
    return {arith::SelectOp::create(kb, negative, minus, twice)};
  return {arith::SelectOp::create(kb, negative, nb.i32(0), twice),
          arith::SelectOp::create(kb, negative, minus, nb.i32(0))};
}

/// An mma.sync fragment as vector<regs x 4 x i8> from 4·regs values (i32,
/// truncated), one register a row, the first element in the low byte
/// (inserted row by row: no n-D shape_cast in the kernel).
static Value fragment(ImplicitLocOpBuilder &cb, ArrayRef<Value> v,
                      int64_t regs) {
  auto t = VectorType::get({regs, 4}, cb.getI8Type());
  Value f = arith::ConstantOp::create(
      cb, DenseElementsAttr::get(t, cb.getI8IntegerAttr(0)));
  auto rowT = VectorType::get({4}, cb.getI8Type());
  for (int64_t r = 0; r < regs; ++r) {
    SmallVector<Value> bytes;
    for (int64_t e = 0; e < 4; ++e)
      bytes.push_back(
          arith::TruncIOp::create(cb, cb.getI8Type(), v[4 * r + e]));
    f = vector::InsertOp::create(
        cb, vector::FromElementsOp::create(cb, rowT, bytes), f,
        ArrayRef<int64_t>{r});
  }
  return f;
}

SmallVector<Value> nvgpu_kernels::buildIntegerMMALoop(
    ImplicitLocOpBuilder &kb, const GPUMatmul &mm, const MmaSyncFragment &f) {
  NumericBuilder nb(kb);
  const KernelOperand &a = mm.a, &bo = mm.b;
  const bool asymA = a.format.asymmetric, asymB = bo.format.asymmetric;
  const int groupsA = asymA ? 2 : 1, groupsB = asymB ? 2 : 1;
  Type i32 = kb.getI32Type();
  const int64_t kSize = mm.kSize, bs = mm.blockSize, nBlocks = mm.nBlocks;
  // The MMA takes 32 positions of k; blocks of 16 use half of it.
  const int64_t kStep = bs % kMmaK == 0 ? kMmaK : kMmaK / 2;
  const bool partialK = kSize % kStep != 0;
  Value tig = f.tig, colBValid = f.colBValid, colBByte = f.colBByte,
        colBNib = f.colBNib;
  ArrayRef<Value> rowsA = f.rowsA, rowsAValid = f.rowsAValid, colsC = f.colsC;
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
                  Value kk = maskK(cb, k, kSize, partialK, valid);
                  Value code = fetchNibble(
                      cb, a.data,
                      {row, arith::DivUIOp::create(cb, kk, cn.index(2))},
                      cn.i32(e % 2), valid);
                  SmallVector<Value> p = twiceParts(cb, code, asymA);
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
                  Value valid = colBValid;
                  Value kk = maskK(cb, k, kSize, partialK, valid);
                  Value code =
                      fetchNibble(cb, bo.data, {kk, colBByte}, colBNib, valid);
                  SmallVector<Value> p = twiceParts(cb, code, asymB);
                  for (int gb = 0; gb < groupsB; ++gb)
                    bBytes[gb].push_back(p[gb]);
                }
              SmallVector<Value> aFrags, bFrags, next;
              for (int ga = 0; ga < groupsA; ++ga)
                aFrags.push_back(fragment(cb, aBytes[ga], 4));
              for (int gb = 0; gb < groupsB; ++gb)
                bFrags.push_back(fragment(cb, bBytes[gb], 2));
              for (int ga = 0; ga < groupsA; ++ga)
                for (int gb = 0; gb < groupsB; ++gb)
                  next.push_back(nvgpu::MmaSyncOp::create(
                      cb, aFrags[ga], bFrags[gb], sums[ga * groupsB + gb],
                      cb.getI64ArrayAttr({kTileM, kTileN, kMmaK})));
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
  return SmallVector<Value>(blockLoop.getResults());
}
