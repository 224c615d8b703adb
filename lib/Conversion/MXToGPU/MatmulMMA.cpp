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
#include "KernelUtils.h"
#include "mx/Dialect/MX/IR/MXOps.h"

#include "mlir/Dialect/AMDGPU/IR/AMDGPUDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::mx {
#define GEN_PASS_DEF_CONVERTMXMATMULTOGPUMMAPASS
#define GEN_PASS_DEF_CONVERTMXNVVMTONVVMPASS
#define GEN_PASS_DEF_CONVERTMXMATMULTOAMDGPUMFMAPASS
#include "mx/Conversion/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::kernel;
namespace ref = ::mx::ref;

namespace {

constexpr int64_t kTileM = 16, kTileN = 8, kMmaK = 32, kNativeK = 64,
                  kWarpSize = 32;
// amdgpu.scaled_mfma 16x16x128 on a 64-lane wave.
constexpr int64_t kMfmaTile = 16, kMfmaK = 128, kWaveSize = 64;
// mx.nvvm.tcgen05_matmul: a 128 x 128 tile per thread block of four warps.
constexpr int64_t kTcgen05Tile = 128, kTcgen05Threads = 128;

/// Why no GPU matrix-instruction kernel takes `op`, whatever the target
/// (empty if one may); sets the operands' formats.
std::string commonIneligibility(MatmulOp op, ref::Format &fa, ref::Format &fb) {
  auto ta = cast<QTensorType>(op.getLhs().getType());
  auto tb = cast<QTensorType>(op.getRhs().getType());
  fa = ta.getFormat().getReferenceFormat();
  fb = tb.getFormat().getReferenceFormat();
  if (op.getMode() != MatmulMode::exact)
    return "mode emulate";
  if (ta.getRank() != 2)
    return "batched (rank-3) matmul";
  if (ShapedType::isDynamic(tb.getShape()[0]))
    return "dynamic K";
  return {};
}

/// Why `op` cannot take the tensor-core path (empty if it can).
std::string ineligibility(MatmulOp op) {
  ref::Format fa, fb;
  if (std::string why = commonIneligibility(op, fa, fb); !why.empty())
    return why;
  if (fa.elem != ref::ElemKind::E2M1 || fb.elem != ref::ElemKind::E2M1)
    return "element formats other than E2M1 (FP4)";
  if (fa.blockSize != fb.blockSize || fa.blockSize % 16 != 0)
    return "block size not a multiple of 16";
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

/// A storage operand of the kernel: the packed codes, the scale arrays and
/// the tensor scale, as buffers.
struct Operand {
  ref::Format format;
  Value data, pos, neg, g;
};

class MatmulLowering {
public:
  /// `scaleVec` 0: exact integer MMA; 2 or 4: the native block-scaled MMA
  /// with that many scales per 64 positions, with `tcgen05` the sm_100a
  /// tensor-memory kernel (mx.nvvm.tcgen05_matmul) instead of sm_120a's.
  MatmulLowering(RewriterBase &rewriter, MatmulOp op, int64_t warps,
                 int64_t scaleVec, bool amd = false, bool tcgen05 = false)
      : rewriter(rewriter), op(op), b(op.getLoc(), rewriter), warps(warps),
        scaleVec(scaleVec), amd(amd), tcgen05(tcgen05) {}
  void run();

private:
  /// 2v (i32) of the E2M1 `code` (i32), or its + and - parts for an
  /// asymmetric operand.
  SmallVector<Value> parts(ImplicitLocOpBuilder &kb, Value code, bool asym);
  void buildKernel(ImplicitLocOpBuilder &kb, gpu::LaunchOp launch);
  /// The kernel of amdgpu.scaled_mfma 16x16x128 (gfx950; wave64).
  void buildMFMAKernel(ImplicitLocOpBuilder &kb, gpu::LaunchOp launch);
  /// Lane (within its warp / wave of `lanes`) and the origin (m0, n0) of
  /// its 16-row tile of `tileN` columns: thread blocks along y cover rows,
  /// along x `warps` tiles side by side.
  void laneTile(ImplicitLocOpBuilder &kb, gpu::LaunchOp launch, int64_t lanes,
                int64_t tileN, Value &lane, Value &m0, Value &n0);
  /// Masked store of `r` (f32, before the tensor scales) to out[m, n].
  void storeResult(ImplicitLocOpBuilder &kb, Value r, Value m, Value mValid,
                   Value n, Value nValid);
  /// The k loop of the native block-scaled MMA (sm_120a): the lane's four
  /// f32 accumulator elements, before the tensor scales.
  SmallVector<Value> nativeLoop(ImplicitLocOpBuilder &kb, Value grp, Value tig,
                                Value m0, ArrayRef<Value> rowsA,
                                ArrayRef<Value> rowsAValid, Value colB,
                                Value colBByte, Value colBNib, Value colBValid);

  RewriterBase &rewriter;
  MatmulOp op;
  ImplicitLocOpBuilder b;
  int64_t warps, scaleVec;
  bool amd, tcgen05;
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
  Value negative = isNegativeCode(kb, code);
  Value minus = arith::SubIOp::create(kb, nb.i32(0), twice);
  if (!asym)
    return {arith::SelectOp::create(kb, negative, minus, twice)};
  return {arith::SelectOp::create(kb, negative, nb.i32(0), twice),
          arith::SelectOp::create(kb, negative, minus, nb.i32(0))};
}

SmallVector<Value> MatmulLowering::nativeLoop(ImplicitLocOpBuilder &kb,
                                              Value grp, Value tig, Value m0,
                                              ArrayRef<Value> rowsA,
                                              ArrayRef<Value> rowsAValid,
                                              Value colB, Value colBByte,
                                              Value colBNib, Value colBValid) {
  NumericBuilder nb(kb);
  const bool asymA = a.format.asymmetric, asymB = bo.format.asymmetric;
  const int groupsA = asymA ? 2 : 1, groupsB = asymB ? 2 : 1;
  const int64_t chunks = (kSize + kNativeK - 1) / kNativeK;
  const bool partialK = kSize % kNativeK != 0;
  // The lane's row of A's scale register: selector 0 reads lanes t = 0
  // (rows g) and t = 1 (rows g + 8) of every quad; every lane holds the
  // value of its parity, whichever pair the hardware reads.
  Value rowS = clampIdx(
      kb,
      arith::AddIOp::create(
          kb, arith::AddIOp::create(kb, m0, grp),
          arith::MulIOp::create(
              kb, arith::RemUIOp::create(kb, tig, nb.index(2)), nb.index(8))),
      mSize);
  auto f32x4 = VectorType::get({4}, kb.getF32Type());
  Value zero = arith::ConstantOp::create(
      kb, DenseElementsAttr::get(f32x4, kb.getF32FloatAttr(0.0f)));
  auto loop = scf::ForOp::create(
      kb, nb.index(0), nb.index(chunks), nb.index(1), ValueRange{zero},
      [&](OpBuilder &cb0, Location cloc, Value chunk, ValueRange iter) {
        ImplicitLocOpBuilder cb(cloc, cb0);
        NumericBuilder cn(cb);
        Value k0 = arith::MulIOp::create(cb, chunk, cn.index(kNativeK));
        Value kLane = arith::AddIOp::create(
            cb, k0, arith::MulIOp::create(cb, tig, cn.index(8)));
        // Eight codes into one register, the first in the low nibble.
        auto pack = [&](SmallVector<Value> &reg, Value code, int64_t e) {
          Value v =
              e ? Value(arith::ShLIOp::create(cb, code, cn.i32(4 * e))) : code;
          reg.push_back(v);
        };
        auto orAll = [&](ArrayRef<Value> vs) {
          Value r;
          for (Value v : vs)
            r = r ? Value(arith::OrIOp::create(cb, r, v)) : v;
          return r;
        };
        // A: register r holds row g + 8·(r % 2), columns 8t .. 8t + 7 +
        // 32·(r / 2) of the 16 x 64 tile; B: register r rows 8t .. 8t + 7 +
        // 32·r of the 64 x 8 tile, column g.
        SmallVector<SmallVector<Value>> aRegs(groupsA), bRegs(groupsB);
        for (int64_t r = 0; r < 4; ++r) {
          SmallVector<SmallVector<Value>> nibs(groupsA);
          for (int64_t e = 0; e < 8; ++e) {
            Value k =
                arith::AddIOp::create(cb, kLane, cn.index(32 * (r / 2) + e));
            Value valid = rowsAValid[r % 2];
            Value kk = maskK(cb, k, kSize, partialK, valid);
            Value code = nibble(
                cb, a.data,
                {rowsA[r % 2], arith::DivUIOp::create(cb, kk, cn.index(2))},
                cn.i32(e % 2), valid);
            SmallVector<Value> p = splitBySign(cb, code, asymA);
            for (int ga = 0; ga < groupsA; ++ga)
              pack(nibs[ga], p[ga], e);
          }
          for (int ga = 0; ga < groupsA; ++ga)
            aRegs[ga].push_back(orAll(nibs[ga]));
        }
        for (int64_t r = 0; r < 2; ++r) {
          SmallVector<SmallVector<Value>> nibs(groupsB);
          for (int64_t e = 0; e < 8; ++e) {
            Value k = arith::AddIOp::create(cb, kLane, cn.index(32 * r + e));
            Value valid = colBValid;
            Value kk = maskK(cb, k, kSize, partialK, valid);
            Value code = nibble(cb, bo.data, {kk, colBByte}, colBNib, valid);
            SmallVector<Value> p = splitBySign(cb, code, asymB);
            for (int gb = 0; gb < groupsB; ++gb)
              pack(nibs[gb], p[gb], e);
          }
          for (int gb = 0; gb < groupsB; ++gb)
            bRegs[gb].push_back(orAll(nibs[gb]));
        }
        // Scale registers (equal scale formats on both sides).
        auto scaleReg = [&](Value arr, bool ofA) {
          return packedScaleCodes(cb, arr, k0, ofA ? rowS : colB, ofA, a.format,
                                  nBlocks);
        };
        Value acc = iter[0];
        auto i32x4 = VectorType::get({4}, cb.getI32Type());
        auto i32x2 = VectorType::get({2}, cb.getI32Type());
        SmallVector<Value> sbs, bvs;
        for (int gb = 0; gb < groupsB; ++gb) {
          sbs.push_back(scaleReg(gb ? bo.neg : bo.pos, /*ofA=*/false));
          bvs.push_back(vector::FromElementsOp::create(cb, i32x2, bRegs[gb]));
        }
        for (int ga = 0; ga < groupsA; ++ga) {
          Value sa = scaleReg(ga ? a.neg : a.pos, /*ofA=*/true);
          Value av = vector::FromElementsOp::create(cb, i32x4, aRegs[ga]);
          for (int gb = 0; gb < groupsB; ++gb) {
            acc = NVVMMmaBlockScaleOp::create(
                cb, f32x4, acc, av, bvs[gb], sa, sbs[gb],
                cb.getI64IntegerAttr(scaleVec),
                a.format.scale == ref::ScaleKind::E4M3 ? cb.getUnitAttr()
                                                       : UnitAttr());
          }
        }
        scf::YieldOp::create(cb, ValueRange{acc});
      });
  SmallVector<Value> res;
  for (int64_t i = 0; i < 4; ++i)
    res.push_back(
        vector::ExtractOp::create(kb, loop.getResult(0), ArrayRef<int64_t>{i}));
  return res;
}

void MatmulLowering::buildKernel(ImplicitLocOpBuilder &kb,
                                 gpu::LaunchOp launch) {
  NumericBuilder nb(kb);
  const bool asymA = a.format.asymmetric, asymB = bo.format.asymmetric;
  const int groupsA = asymA ? 2 : 1, groupsB = asymB ? 2 : 1;
  Type i32 = kb.getI32Type();
  Value lane, m0, n0;
  laneTile(kb, launch, kWarpSize, kTileN, lane, m0, n0);
  Value grp = arith::DivUIOp::create(kb, lane, nb.index(4));
  Value tig = arith::RemUIOp::create(kb, lane, nb.index(4));

  // The lane's rows of A (g and g + 8 of the tile) and its column of B (g).
  SmallVector<Value> rowsA, rowsAValid;
  for (int64_t h = 0; h < 2; ++h) {
    Value r = arith::AddIOp::create(
        kb, m0, arith::AddIOp::create(kb, grp, nb.index(8 * h)));
    rowsAValid.push_back(ltU(kb, r, mSize));
    rowsA.push_back(clampIdx(kb, r, mSize));
  }
  Value colRaw = arith::AddIOp::create(kb, n0, grp);
  Value colBValid = ltU(kb, colRaw, nSize);
  Value colB = clampIdx(kb, colRaw, nSize);
  Value colBByte = arith::DivUIOp::create(kb, colB, nb.index(2));
  Value colBNib = arith::IndexCastOp::create(
      kb, i32, arith::RemUIOp::create(kb, colB, nb.index(2)));
  // The lane's accumulator elements: rows g, g + 8; columns 2t, 2t + 1.
  SmallVector<Value> colsC, colsCValid;
  for (int64_t j = 0; j < 2; ++j) {
    Value c = arith::AddIOp::create(
        kb, n0,
        arith::AddIOp::create(kb, arith::MulIOp::create(kb, tig, nb.index(2)),
                              nb.index(j)));
    colsCValid.push_back(ltU(kb, c, nSize));
    colsC.push_back(clampIdx(kb, c, nSize));
  }
  const bool partialK = kSize % kStep != 0;

  SmallVector<Value> results;
  if (scaleVec) {
    results = nativeLoop(kb, grp, tig, m0, rowsA, rowsAValid, colB, colBByte,
                         colBNib, colBValid);
  } else {
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
                    Value code = nibble(
                        cb, a.data,
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
                    Value valid = colBValid;
                    Value kk = maskK(cb, k, kSize, partialK, valid);
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
                      bytes.push_back(arith::TruncIOp::create(
                          cb, cb.getI8Type(), v[4 * r + e]));
                    f = vector::InsertOp::create(
                        cb, vector::FromElementsOp::create(cb, rowT, bytes), f,
                        ArrayRef<int64_t>{r});
                  }
                  return f;
                };
                SmallVector<Value> aFrags, bFrags, next;
                for (int ga = 0; ga < groupsA; ++ga)
                  aFrags.push_back(frag(aBytes[ga], 4));
                for (int gb = 0; gb < groupsB; ++gb)
                  bFrags.push_back(frag(bBytes[gb], 2));
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
    results = SmallVector<Value>(blockLoop.getResults());
  }

  for (int64_t i = 0; i < 4; ++i)
    storeResult(kb, results[i], rowsA[i / 2], rowsAValid[i / 2], colsC[i % 2],
                colsCValid[i % 2]);
}

void MatmulLowering::laneTile(ImplicitLocOpBuilder &kb, gpu::LaunchOp launch,
                              int64_t lanes, int64_t tileN, Value &lane,
                              Value &m0, Value &n0) {
  NumericBuilder nb(kb);
  Value tid = launch.getThreadIds().x;
  Value group = arith::DivUIOp::create(kb, tid, nb.index(lanes));
  lane = arith::RemUIOp::create(kb, tid, nb.index(lanes));
  m0 = arith::MulIOp::create(kb, launch.getBlockIds().y, nb.index(kTileM));
  n0 = arith::MulIOp::create(
      kb,
      arith::AddIOp::create(
          kb,
          arith::MulIOp::create(kb, launch.getBlockIds().x, nb.index(warps)),
          group),
      nb.index(tileN));
}

void MatmulLowering::storeResult(ImplicitLocOpBuilder &kb, Value r, Value m,
                                 Value mValid, Value n, Value nValid) {
  kernel::storeResult(kb, r, accBuf, out, a.format.tensorScale ? a.g : Value(),
                      bo.format.tensorScale ? bo.g : Value(), m, mValid, n,
                      nValid);
}

void MatmulLowering::buildMFMAKernel(ImplicitLocOpBuilder &kb,
                                     gpu::LaunchOp launch) {
  NumericBuilder nb(kb);
  const bool asymA = a.format.asymmetric, asymB = bo.format.asymmetric;
  const int groupsA = asymA ? 2 : 1, groupsB = asymB ? 2 : 1;
  Value lane, m0, n0;
  laneTile(kb, launch, kWaveSize, kMfmaTile, lane, m0, n0);
  // Lane l holds row (A) / column (B) l % 16 and the 32 positions
  // 32·(l / 16) .. + 31 of the 128 of a chunk: one block of 32.
  Value li = arith::RemUIOp::create(kb, lane, nb.index(kMfmaTile));
  Value lk = arith::DivUIOp::create(kb, lane, nb.index(kMfmaTile));
  Value rowRaw = arith::AddIOp::create(kb, m0, li);
  Value rowValid = ltU(kb, rowRaw, mSize), row = clampIdx(kb, rowRaw, mSize);
  Value colRaw = arith::AddIOp::create(kb, n0, li);
  Value colValid = ltU(kb, colRaw, nSize), col = clampIdx(kb, colRaw, nSize);
  const int64_t chunks = (kSize + kMfmaK - 1) / kMfmaK;
  const bool partialK = kSize % kMfmaK != 0;

  auto elemType = [&](ref::ElemKind k) -> Type {
    switch (k) {
    case ref::ElemKind::E2M1:
      return kb.getType<Float4E2M1FNType>();
    case ref::ElemKind::E2M3:
      return kb.getType<Float6E2M3FNType>();
    case ref::ElemKind::E3M2:
      return kb.getType<Float6E3M2FNType>();
    case ref::ElemKind::E4M3:
      return kb.getType<Float8E4M3FNType>();
    default:
      return kb.getType<Float8E5M2Type>();
    }
  };
  auto f32x4 = VectorType::get({4}, kb.getF32Type());
  Value zero = arith::ConstantOp::create(
      kb, DenseElementsAttr::get(f32x4, kb.getF32FloatAttr(0.0f)));
  auto loop = scf::ForOp::create(
      kb, nb.index(0), nb.index(chunks), nb.index(1), ValueRange{zero},
      [&](OpBuilder &cb0, Location cloc, Value chunk, ValueRange iter) {
        ImplicitLocOpBuilder cb(cloc, cb0);
        NumericBuilder cn(cb);
        Value kLane = arith::AddIOp::create(
            cb, arith::MulIOp::create(cb, chunk, cn.index(kMfmaK)),
            arith::MulIOp::create(cb, lk, cn.index(32)));
        // The lane's 32 codes of an operand as the MFMA's element vector,
        // per sign group; its block's scale as f8E8M0FNU (1.0 past the last
        // block).
        // Returns the element vectors of the groups, then their scales.
        auto operand = [&](const Operand &o, bool isA, Value other,
                           Value otherValid) -> SmallVector<Value> {
          const int groups = o.format.asymmetric ? 2 : 1;
          unsigned width = cast<FloatType>(elemType(o.format.elem)).getWidth();
          SmallVector<SmallVector<Value>> codes(groups);
          for (int64_t e = 0; e < 32; ++e) {
            Value k = arith::AddIOp::create(cb, kLane, cn.index(e));
            Value valid = otherValid;
            Value kk = maskK(cb, k, kSize, partialK, valid);
            Value c = fetchCode(cb, cn, o.format, o.data,
                                isA ? SmallVector<Value>{other, kk}
                                    : SmallVector<Value>{kk, other});
            c = arith::SelectOp::create(cb, valid, c, cn.i32(0));
            SmallVector<Value> p = splitBySign(cb, c, o.format.asymmetric);
            for (int g = 0; g < groups; ++g)
              codes[g].push_back(p[g]);
          }
          SmallVector<Value> vecs;
          for (int g = 0; g < groups; ++g) {
            SmallVector<Value> narrow;
            for (Value c : codes[g])
              narrow.push_back(
                  arith::TruncIOp::create(cb, cb.getIntegerType(width), c));
            Value iv = vector::FromElementsOp::create(
                cb, VectorType::get({32}, cb.getIntegerType(width)), narrow);
            vecs.push_back(arith::BitcastOp::create(
                cb, VectorType::get({32}, elemType(o.format.elem)), iv));
          }
          Value blk = arith::DivUIOp::create(cb, kLane, cn.index(bs));
          Value inside = ltU(cb, blk, cn.index(nBlocks));
          Value blkC = clampIdx(cb, blk, cn.index(nBlocks));
          SmallVector<Value> scales;
          for (int g = 0; g < groups; ++g) {
            Value arr = g ? o.neg : o.pos;
            Value code = fetchScaleCode(cb, arr,
                                        isA ? SmallVector<Value>{row, blkC}
                                            : SmallVector<Value>{blkC, col});
            code = arith::SelectOp::create(cb, inside, code, cn.i32(127));
            scales.push_back(arith::BitcastOp::create(
                cb, cb.getType<Float8E8M0FNUType>(),
                arith::TruncIOp::create(cb, cb.getI8Type(), code)));
          }
          vecs.append(scales.begin(), scales.end());
          return vecs;
        };
        SmallVector<Value> av = operand(a, true, row, rowValid);
        SmallVector<Value> bv = operand(bo, false, col, colValid);
        Value acc = iter[0];
        for (int ga = 0; ga < groupsA; ++ga)
          for (int gb = 0; gb < groupsB; ++gb)
            acc = amdgpu::ScaledMFMAOp::create(
                cb, f32x4, cb.getI32IntegerAttr(kMfmaTile),
                cb.getI32IntegerAttr(kMfmaTile), cb.getI32IntegerAttr(kMfmaK),
                av[ga], bv[gb], acc, av[groupsA + ga], bv[groupsB + gb],
                cb.getI32IntegerAttr(0), cb.getI32IntegerAttr(0));
        scf::YieldOp::create(cb, ValueRange{acc});
      });
  // Lane l holds D rows 4·(l / 16) .. + 3 of column l % 16.
  for (int64_t r = 0; r < 4; ++r) {
    Value m = arith::AddIOp::create(
        kb, m0,
        arith::AddIOp::create(kb, arith::MulIOp::create(kb, lk, nb.index(4)),
                              nb.index(r)));
    Value v =
        vector::ExtractOp::create(kb, loop.getResult(0), ArrayRef<int64_t>{r});
    storeResult(kb, v, clampIdx(kb, m, mSize), ltU(kb, m, mSize), col,
                colValid);
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
  const int64_t tileN = amd ? kMfmaTile : kTileN,
                lanes = amd ? kWaveSize : kWarpSize;
  auto launch = tcgen05
                    ? gpu::LaunchOp::create(b, ceilDiv(nSize, kTcgen05Tile),
                                            ceilDiv(mSize, kTcgen05Tile), one,
                                            nb.index(kTcgen05Threads), one, one)
                    : gpu::LaunchOp::create(b, ceilDiv(nSize, tileN * warps),
                                            ceilDiv(mSize, kTileM), one,
                                            nb.index(lanes * warps), one, one);
  {
    OpBuilder::InsertionGuard guard(b);
    Block &body = launch.getBody().front();
    b.setInsertionPointToStart(&body);
    if (body.empty() || !body.back().hasTrait<OpTrait::IsTerminator>())
      gpu::TerminatorOp::create(b);
    b.setInsertionPoint(body.getTerminator());
    ImplicitLocOpBuilder kb(op.getLoc(), b);
    if (tcgen05) {
      auto fmt = [](Value q) {
        return cast<QTensorType>(q.getType()).getFormat();
      };
      NVVMTcgen05MatmulOp::create(
          kb, a.data, a.pos, a.neg, a.format.tensorScale ? a.g : Value(),
          bo.data, bo.pos, bo.neg, bo.format.tensorScale ? bo.g : Value(),
          accBuf, out, fmt(op.getLhs()), fmt(op.getRhs()),
          kb.getI64IntegerAttr(kSize));
    } else if (amd) {
      buildMFMAKernel(kb, launch);
    } else {
      buildKernel(kb, launch);
    }
  }
  Value result = bufferization::ToTensorOp::create(b, rt, out,
                                                   /*restrict=*/true,
                                                   /*writable=*/true);
  rewriter.replaceOp(op, result);
}

/// Why `op` (eligible for the integer MMA) cannot take the native
/// block-scaled MMA (empty if it can); sets `scaleVec`.
std::string nativeIneligibility(MatmulOp op, int64_t &scaleVec) {
  ref::Format fa =
      cast<QTensorType>(op.getLhs().getType()).getFormat().getReferenceFormat();
  ref::Format fb =
      cast<QTensorType>(op.getRhs().getType()).getFormat().getReferenceFormat();
  if (fa.scale != fb.scale)
    return "the operands' scale formats differ";
  if (fa.scale == ref::ScaleKind::E8M0 || fa.scale == ref::ScaleKind::E4M3) {
    scaleVec = nativeScaleVec(fa);
    return {};
  }
  return "scales that are neither E8M0 nor E4M3 (the hardware takes ue8m0 "
         "or ue4m3)";
}

/// Lowers every mx.matmul under `root` for which `why` gives no reason with
/// `lower`, counting both kinds and, with `report`, remarking on the others.
/// Fails (with an error) if `count` is not in [1, `maxCount`].
template <typename Why, typename Lower>
LogicalResult lowerMatmuls(Operation *root, StringRef pass, StringRef option,
                           int64_t count, int64_t maxCount, bool report,
                           Pass::Statistic &rewritten, Pass::Statistic &skipped,
                           Why why, Lower lower) {
  if (count < 1 || count > maxCount)
    return root->emitError() << pass << ": " << option << " must be in [1, "
                             << maxCount << "], got " << count;
  SmallVector<MatmulOp> ops;
  root->walk([&](MatmulOp op) { ops.push_back(op); });
  IRRewriter rewriter(root->getContext());
  for (MatmulOp op : ops) {
    if (std::string reason = why(op); !reason.empty()) {
      ++skipped;
      if (report)
        op.emitRemark() << "left to convert-mx-to-linalg: " << reason;
      continue;
    }
    ++rewritten;
    lower(rewriter, op);
  }
  return success();
}

struct ConvertMXMatmulToGPUMMAPass
    : mlir::mx::impl::ConvertMXMatmulToGPUMMAPassBase<
          ConvertMXMatmulToGPUMMAPass> {
  using Base::Base;
  void runOnOperation() override {
    if (tcgen05 && !blockScale) {
      getOperation()->emitError()
          << getArgument()
          << ": tcgen05=true selects the sm_100a form of the block-scaled "
             "MMA and needs block-scale=true";
      return signalPassFailure();
    }
    auto lower = [&](RewriterBase &rewriter, MatmulOp op) {
      int64_t scaleVec = 0;
      if (blockScale) {
        std::string whyNot = nativeIneligibility(op, scaleVec);
        if (!whyNot.empty()) {
          scaleVec = 0;
          if (report)
            op.emitRemark() << "exact integer MMA instead of the block-scaled "
                               "MMA: "
                            << whyNot;
        }
      }
      MatmulLowering(rewriter, op, warps, scaleVec, /*amd=*/false,
                     /*tcgen05=*/scaleVec && tcgen05)
          .run();
    };
    if (failed(lowerMatmuls(getOperation(), getArgument(), "warps", warps, 32,
                            report, numRewritten, numSkipped, ineligibility,
                            lower)))
      signalPassFailure();
  }
};

/// Why `op` cannot take amdgpu.scaled_mfma (empty if it can).
std::string mfmaIneligibility(MatmulOp op) {
  ref::Format fa, fb;
  if (std::string why = commonIneligibility(op, fa, fb); !why.empty())
    return why;
  for (const ref::Format &f : {fa, fb}) {
    if (f.elem == ref::ElemKind::INT8)
      return "INT8 elements (the scaled MFMA takes FP4, FP6 and FP8)";
    if (f.scale != ref::ScaleKind::E8M0)
      return "scales other than E8M0 (the scaled MFMA takes E8M0 only)";
  }
  if (fa.blockSize != fb.blockSize || fa.blockSize % 32 != 0)
    return "block size not a multiple of 32 (one scale per 32 elements)";
  return {};
}

struct ConvertMXMatmulToAMDGPUMFMAPass
    : mlir::mx::impl::ConvertMXMatmulToAMDGPUMFMAPassBase<
          ConvertMXMatmulToAMDGPUMFMAPass> {
  using Base::Base;
  void runOnOperation() override {
    auto lower = [&](RewriterBase &rewriter, MatmulOp op) {
      MatmulLowering(rewriter, op, waves, /*scaleVec=*/0, /*amd=*/true).run();
    };
    if (failed(lowerMatmuls(getOperation(), getArgument(), "waves", waves, 16,
                            report, numRewritten, numSkipped, mfmaIneligibility,
                            lower)))
      signalPassFailure();
  }
};

struct ConvertMXNVVMToNVVMPass
    : mlir::mx::impl::ConvertMXNVVMToNVVMPassBase<ConvertMXNVVMToNVVMPass> {
  using Base::Base;
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<NVVMTcgen05MatmulOp> tiles;
    getOperation()->walk([&](NVVMTcgen05MatmulOp op) { tiles.push_back(op); });
    for (NVVMTcgen05MatmulOp op : tiles)
      if (failed(expandTcgen05Matmul(rewriter, op)))
        return signalPassFailure();
    getOperation()->walk([&](NVVMMmaBlockScaleOp op) {
      rewriter.setInsertionPoint(op);
      ImplicitLocOpBuilder b(op.getLoc(), rewriter);
      auto elements = [&](Value v) {
        SmallVector<Value> r;
        for (int64_t i = 0, e = cast<VectorType>(v.getType()).getNumElements();
             i < e; ++i)
          r.push_back(vector::ExtractOp::create(b, v, ArrayRef<int64_t>{i}));
        return r;
      };
      Value zero16 = arith::ConstantOp::create(b, b.getI16IntegerAttr(0));
      auto resT = LLVM::LLVMStructType::getLiteral(
          b.getContext(), SmallVector<Type>(4, b.getF32Type()));
      auto mma = NVVM::MmaBlockScaleOp::create(
          b, resT, elements(op.getA()), elements(op.getB()),
          elements(op.getAcc()), op.getScaleA(), zero16, zero16, op.getScaleB(),
          zero16, zero16, {16, 8, 64},
          std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::e2m1,
                                        NVVM::MMATypes::e2m1},
          op.getScaleVec() == 2 ? NVVM::ScaleVecSize::X2
                                : NVVM::ScaleVecSize::X4,
          op.getUe4m3() ? NVVM::BlockScaleFormat::UE4M3
                        : NVVM::BlockScaleFormat::UE8M0,
          NVVM::MMABlockScaleKind::MXF4NVF4);
      SmallVector<Value> d;
      for (int64_t i = 0; i < 4; ++i)
        d.push_back(LLVM::ExtractValueOp::create(b, mma.getRes(),
                                                 ArrayRef<int64_t>{i}));
      rewriter.replaceOp(
          op, vector::FromElementsOp::create(b, op.getResult().getType(), d));
    });
  }
};

} // namespace
