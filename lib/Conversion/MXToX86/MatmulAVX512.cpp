//===- MatmulAVX512.cpp - FP4 x FP4 mx.matmul on AVX-512 VNNI -------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Vector code for mx.matmul C[M,N] = A[M,K] x B[K,N] with E2M1 elements on
// both sides, bit-identical to docs/Spec.md §6.2 (mode exact).
//
// Every E2M1 value v has 2v in {-12, ..., 12}, so the exact group sum S of a
// block is an integer in units of 1/4 that a 32-bit lane holds. The kernel
// forms S with vpdpbusd (u8 x s8, four products per 32-bit lane):
//
//   * B's codes are decoded with a vpermb table to unsigned bytes: 2v + 12
//     for a symmetric B (the bias is removed by starting each block sum at
//     -12 * sum(2a) of the block, computed once per row of A), or, for an
//     asymmetric B, 2·max(v, 0) and 2·max(-v, 0) (its + and - groups; the
//     - group's sum is negated).
//   * A's codes become signed bytes 2v, or for an asymmetric A its positive
//     and non-positive parts (the + and - groups of §6.1).
//   * Lane j of a 16-lane accumulator belongs to output column n0 + j: four
//     rows of B (k .. k+3) are interleaved into the four bytes of each lane,
//     and the four matching bytes of A are broadcast.
//
// After the block's k-quads, every present term fp32(fp32(S32·sa)·sb) is
// formed and added in the order (+,+), (+,-), (-,+), (-,-), then added to
// the column's f32 accumulator, in ascending block order: the same IEEE
// operations as the reference, one column per lane.
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXToX86/MXToX86.h"

#include "mx/Conversion/MXCommon/MatmulKernelDriver.h"
#include "mx/Conversion/MXCommon/TargetInfo.h"
#include "mx/Dialect/MX/IR/MXOps.h"
#include "mx/Dialect/MX/Utils/StorageAccess.h"
#include "mx/Dialect/MXX86/IR/MXX86Dialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir::mx {
#define GEN_PASS_DEF_CONVERTMXMATMULTOAVX512PASS
#include "mx/Conversion/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;
using namespace mlir::mx;
namespace ref = ::mx::ref;

namespace {

constexpr int64_t kLanes = 16;    // 32-bit lanes of a zmm register
constexpr int64_t kHalfTile = 64; // columns decoded from one 32-byte load
/// The bias that makes 2v of a symmetric B an unsigned byte: max |2v|, the
/// largest E2M1 value in units of 1/2 (the reference's unit scale).
int8_t e2m1Bias() {
  return (int8_t)ref::getElemInfo(ref::ElemKind::E2M1).unitMax;
}

/// Why `op` cannot take the AVX-512 path (empty if it can).
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
  if (fa.blockSize != fb.blockSize || fa.blockSize % 4 != 0)
    return "block size not a multiple of 4";
  int64_t k = tb.getShape()[0], n = tb.getShape()[1];
  if (ShapedType::isDynamic(k) || k % fa.blockSize != 0)
    return "K not static or not a multiple of the block size";
  if (ShapedType::isDynamic(n) || n % kHalfTile != 0)
    return "N not static or not a multiple of 64";
  return {};
}

/// A 64-entry lookup table: `entries` (16 bytes) repeated four times, so
/// that only the low nibble of an index matters.
Value byteTable(ImplicitLocOpBuilder &b, ArrayRef<int8_t> entries) {
  SmallVector<int8_t> bytes;
  for (int lane = 0; lane < 4; ++lane)
    bytes.append(entries.begin(), entries.end());
  auto t = VectorType::get({64}, b.getI8Type());
  return arith::ConstantOp::create(
      b, DenseElementsAttr::get(t, ArrayRef<int8_t>(bytes)));
}

/// Shuffle mask interleaving elements [lo, lo + count) of two n-element
/// vectors: a[lo], b[lo], a[lo+1], b[lo+1], ...
SmallVector<int64_t> interleaveMask(int64_t n, int64_t lo, int64_t count) {
  SmallVector<int64_t> mask;
  for (int64_t i = lo; i < lo + count; ++i) {
    mask.push_back(i);
    mask.push_back(n + i);
  }
  return mask;
}

class MatmulLowering {
public:
  MatmulLowering(RewriterBase &rewriter, MatmulOp op, int64_t threads)
      : rewriter(rewriter), op(op), b(op.getLoc(), rewriter), nb(b),
        threads(threads) {}
  void run();

private:
  /// What one block contributes for each row, whatever the tile: per row
  /// and group of A, the start of the block sums (the bias correction, or
  /// 0) and sa/4 in every lane (index r * groupsA + ga).
  struct RowBlock {
    SmallVector<Value> start, sa4;
  };

  SmallVector<Value> activationBytes();
  SmallVector<Value> corrections(ArrayRef<Value> xs);
  RowBlock rowBlock(ImplicitLocOpBuilder &bb, ArrayRef<Value> ms, Value blk);
  void prefetchNextBlockRow(ImplicitLocOpBuilder &bb, Value blk, Value n0);
  SmallVector<SmallVector<Value>>
  tileScalesB(ImplicitLocOpBuilder &bb, Value blk, Value n0, int64_t vecs);
  SmallVector<Value> emitTile(ImplicitLocOpBuilder &bb, ArrayRef<Value> ms,
                              Value blk, const RowBlock &perRow, Value n0,
                              int64_t tile, ArrayRef<Value> accs);
  Value buildRowLoop(ImplicitLocOpBuilder &lb, Value lo, Value hi, int64_t rows,
                     int64_t tile, Value colBase, int64_t width, Value outIn,
                     Value outBase);
  Value buildRows(ImplicitLocOpBuilder &lb, Value colBase, int64_t width,
                  Value outInit, Value outBase);

  RewriterBase &rewriter;
  MatmulOp op;
  ImplicitLocOpBuilder b;
  NumericBuilder nb;
  Parts pa, pb;
  Value mSize;
  int64_t threads;
  int64_t kSize = 0, nSize = 0, bs = 0, nBlocks = 0;

  // The kernel's shape, fixed by the formats and N (set by run()).
  bool asymB = false;
  int groupsA = 1, groupsB = 1;
  int64_t rowsR = 1, tileR = 64, tile1 = 64, quads = 0, unroll = 1;
  // Values built once in the prologue and used by every loop nest.
  Value acc, dataBuf;
  RankedTensorType rt;
  Type resElem, accElem;
  SmallVector<Value> xs, corr, tables;
  VectorType i8x32, i8x64, i8x4, i16x32, i32x16, i32x1, f32x16;
  Value four16, zeroI32, padI8;
  SmallVector<int64_t> byteMix, evenMask, oddMask, unmixLo, unmixHi, wordLo,
      wordHi;
};

/// 2v of every element of A as signed bytes, one [M, K] tensor per group of
/// A: the whole value (symmetric), or the + part max(2v, 0) and the - part
/// min(2v, 0) (asymmetric).
SmallVector<Value> MatmulLowering::activationBytes() {
  int groups = pa.format.asymmetric ? 2 : 1;
  auto t = RankedTensorType::get({ShapedType::kDynamic, kSize}, b.getI8Type());
  SmallVector<Value> outs;
  for (int g = 0; g < groups; ++g)
    outs.push_back(tensor::EmptyOp::create(b, t, ValueRange{mSize}));
  SmallVector<utils::IteratorType> par(2, utils::IteratorType::parallel);
  auto gen = linalg::GenericOp::create(
      b, TypeRange(SmallVector<Type>(groups, t)), ValueRange{}, outs,
      SmallVector<AffineMap>(groups, b.getMultiDimIdentityMap(2)), par,
      [&](OpBuilder &ob, Location loc, ValueRange) {
        ImplicitLocOpBuilder lb(loc, ob);
        NumericBuilder ln(lb);
        Value m = linalg::IndexOp::create(lb, 0);
        Value k = linalg::IndexOp::create(lb, 1);
        Value v = ln.decode(ref::ElemKind::E2M1,
                            fetchCode(lb, ln, pa.format, pa.data, {m, k}));
        Value twice = arith::FPToSIOp::create(
            lb, lb.getI32Type(), arith::MulFOp::create(lb, v, ln.f32(2.0f)));
        SmallVector<Value> res;
        if (groups == 1) {
          res.push_back(twice);
        } else {
          res.push_back(arith::MaxSIOp::create(lb, twice, ln.i32(0)));
          res.push_back(arith::MinSIOp::create(lb, twice, ln.i32(0)));
        }
        for (Value &r : res)
          r = arith::TruncIOp::create(lb, lb.getI8Type(), r);
        linalg::YieldOp::create(lb, res);
      });
  return SmallVector<Value>(gen.getResults());
}

/// -12 * (sum of the block's bytes) for every [m, block] of every group
/// tensor in `xs`: the start value of a block sum against a symmetric B,
/// whose bytes carry a bias of +12.
SmallVector<Value> MatmulLowering::corrections(ArrayRef<Value> xs) {
  SmallVector<Value> res;
  auto outT =
      RankedTensorType::get({ShapedType::kDynamic, nBlocks}, b.getI32Type());
  auto blockedT =
      RankedTensorType::get({ShapedType::kDynamic, nBlocks, bs}, b.getI8Type());
  for (Value x : xs) {
    Value blocked = tensor::ExpandShapeOp::create(
        b, blockedT, x, SmallVector<ReassociationIndices>{{0}, {1, 2}},
        SmallVector<OpFoldResult>{mSize, b.getIndexAttr(nBlocks),
                                  b.getIndexAttr(bs)});
    Value init =
        linalg::FillOp::create(
            b, ValueRange{nb.i32(0)},
            ValueRange{tensor::EmptyOp::create(b, outT, ValueRange{mSize})})
            .getResult(0);
    MLIRContext *ctx = b.getContext();
    AffineMap in = AffineMap::getMultiDimIdentityMap(3, ctx);
    AffineMap out = AffineMap::get(
        3, 0, {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx)}, ctx);
    auto gen = linalg::GenericOp::create(
        b, TypeRange{outT}, ValueRange{blocked}, ValueRange{init},
        SmallVector<AffineMap>{in, out},
        SmallVector<utils::IteratorType>{utils::IteratorType::parallel,
                                         utils::IteratorType::parallel,
                                         utils::IteratorType::reduction},
        [&](OpBuilder &ob, Location loc, ValueRange args) {
          ImplicitLocOpBuilder lb(loc, ob);
          NumericBuilder ln(lb);
          Value v = arith::MulIOp::create(
              lb, arith::ExtSIOp::create(lb, lb.getI32Type(), args[0]),
              ln.i32(-e2m1Bias()));
          linalg::YieldOp::create(
              lb, ValueRange{arith::AddIOp::create(lb, args[1], v)});
        });
    res.push_back(gen.getResult(0));
  }
  return res;
}

// What one block contributes for each row of `ms`, whatever the tile:
// per row and group of A, the start of the block sums (the bias
// correction, or 0) and sa/4 in every lane (index r * groupsA + ga).
// fp32(fp32(S/4) * sa) is computed as fp32(S * (sa/4)): S/4 and sa/4 are
// exact (|S| < 2^24, every scale value is at least 2^-127), so both are
// the single rounding of S * sa / 4.
MatmulLowering::RowBlock MatmulLowering::rowBlock(ImplicitLocOpBuilder &bb,
                                                  ArrayRef<Value> ms,
                                                  Value blk) {
  NumericBuilder bn(bb);
  RowBlock res;
  for (Value m : ms)
    for (int ga = 0; ga < groupsA; ++ga) {
      res.start.push_back(asymB ? zeroI32
                                : Value(vector::BroadcastOp::create(
                                      bb, i32x16,
                                      tensor::ExtractOp::create(
                                          bb, corr[ga], ValueRange{m, blk}))));
      Value sa = bn.decodeScale(
          pa.format.scale, fetchScaleCode(bb, ga ? pa.neg : pa.pos, {m, blk}));
      res.sa4.push_back(vector::BroadcastOp::create(
          bb, f32x16, arith::MulFOp::create(bb, sa, bn.f32(0.25f))));
    }
  return res;
}

/// Prefetch (into L2) the tile's lines of the next block row of B.
void MatmulLowering::prefetchNextBlockRow(ImplicitLocOpBuilder &bb, Value blk,
                                          Value n0) {
  NumericBuilder bn(bb);
  Value next = arith::MulIOp::create(
      bb, arith::AddIOp::create(bb, blk, bn.index(1)), bn.index(bs));
  Value colB = arith::DivUIOp::create(bb, n0, bn.index(2));
  for (int64_t r = 0; r < bs; ++r) {
    Value row = arith::MinUIOp::create(
        bb, arith::AddIOp::create(bb, next, bn.index(r)), bn.index(kSize - 1));
    // A tile is at most 128 columns: 64 bytes, one cache line.
    memref::PrefetchOp::create(bb, dataBuf, ValueRange{row, colB},
                               /*isWrite=*/false, /*localityHint=*/2,
                               /*isDataCache=*/true);
  }
}

/// B's scale values of block `blk` for the `vecs` 16-column vectors of the
/// tile at n0, per group of B, split by column parity like the sums.
SmallVector<SmallVector<Value>>
MatmulLowering::tileScalesB(ImplicitLocOpBuilder &bb, Value blk, Value n0,
                            int64_t vecs) {
  NumericBuilder bn(bb);
  SmallVector<SmallVector<Value>> sbAll(groupsB);
  for (int gb = 0; gb < groupsB; ++gb) {
    Value arr = gb ? pb.neg : pb.pos;
    Type st = cast<RankedTensorType>(arr.getType()).getElementType();
    for (int64_t g32 = 0; g32 < vecs / 2; ++g32) {
      Value codes = vector::BitCastOp::create(
          bb, i8x32,
          vector::TransferReadOp::create(
              bb, VectorType::get({32}, st), arr,
              ValueRange{blk,
                         arith::AddIOp::create(bb, n0, bn.index(32 * g32))},
              arith::ConstantOp::create(bb, bb.getFloatAttr(st, 1.0)),
              ArrayRef<bool>{true}));
      for (int p = 0; p < 2; ++p)
        sbAll[gb].push_back(bn.decodeScaleVector(
            pb.format.scale, vector::ShuffleOp::create(
                                 bb, codes, codes, p ? oddMask : evenMask)));
    }
  }
  return sbAll;
}

// One tile (columns n0 .. n0 + tile) of one block for the rows `ms`: the
// block's terms added to the column accumulators `accs` (row r's vector j
// at r * (tile / 16) + j).
SmallVector<Value> MatmulLowering::emitTile(ImplicitLocOpBuilder &bb,
                                            ArrayRef<Value> ms, Value blk,
                                            const RowBlock &perRow, Value n0,
                                            int64_t tile,
                                            ArrayRef<Value> accs) {
  NumericBuilder bn(bb);
  const int64_t rows = ms.size(), halves = tile / kHalfTile,
                vecs = tile / kLanes;
  auto sIndex = [&](int64_t r, int ga, int gb, int64_t v) {
    return ((r * groupsA + ga) * groupsB + gb) * vecs + v;
  };
  prefetchNextBlockRow(bb, blk, n0);
  SmallVector<Value> sInit;
  for (int64_t r = 0; r < rows; ++r)
    for (int ga = 0; ga < groupsA; ++ga)
      for (int gb = 0; gb < groupsB; ++gb)
        for (int64_t j = 0; j < vecs; ++j)
          sInit.push_back(perRow.start[r * groupsA + ga]);
  Value k0 = arith::MulIOp::create(bb, blk, bn.index(bs));
  auto quadLoop = scf::ForOp::create(
      bb, bn.index(0), bn.index(quads), bn.index(unroll), sInit,
      [&](OpBuilder &qb0, Location qloc, Value q, ValueRange sums) {
        ImplicitLocOpBuilder qb(qloc, qb0);
        NumericBuilder qn(qb);
        SmallVector<Value> s(sums.begin(), sums.end());
        for (int64_t u = 0; u < unroll; ++u) {
          Value k = arith::AddIOp::create(
              qb, k0,
              arith::MulIOp::create(
                  qb, arith::AddIOp::create(qb, q, qn.index(u)), qn.index(4)));
          // A's four bytes k .. k+3 of every row and group, in every lane.
          SmallVector<Value> xq;
          for (int64_t r = 0; r < rows; ++r)
            for (int ga = 0; ga < groupsA; ++ga) {
              Value four8 = vector::TransferReadOp::create(
                  qb, i8x4, xs[ga], ValueRange{ms[r], k}, padI8,
                  ArrayRef<bool>{true});
              Value word = vector::ExtractOp::create(
                  qb, vector::BitCastOp::create(qb, i32x1, four8),
                  ArrayRef<int64_t>{0});
              xq.push_back(vector::BitCastOp::create(
                  qb, i8x64, vector::BroadcastOp::create(qb, i32x16, word)));
            }
          for (int64_t h = 0; h < halves; ++h) {
            Value col = arith::DivUIOp::create(
                qb, arith::AddIOp::create(qb, n0, qn.index(h * kHalfTile)),
                qn.index(2));
            // Rows k .. k+3 of B, 32 packed bytes (64 columns) each.
            SmallVector<Value> raw;
            for (int r = 0; r < 4; ++r)
              raw.push_back(vector::TransferReadOp::create(
                  qb, i8x32, pb.data,
                  ValueRange{arith::AddIOp::create(qb, k, qn.index(r)), col},
                  padI8, ArrayRef<bool>{true}));
            // Interleave the packed bytes of the four rows: dword j of
            // quad[q] holds byte 16q + j of rows k .. k+3, i.e. columns
            // 32q + 2j (low nibbles) and 32q + 2j + 1 (high nibbles).
            Value w01 = vector::BitCastOp::create(
                qb, i16x32,
                vector::ShuffleOp::create(qb, raw[0], raw[1], byteMix));
            Value w23 = vector::BitCastOp::create(
                qb, i16x32,
                vector::ShuffleOp::create(qb, raw[2], raw[3], byteMix));
            for (int q = 0; q < 2; ++q) {
              Value quad = vector::BitCastOp::create(
                  qb, i8x64,
                  vector::ShuffleOp::create(qb, w01, w23, q ? wordHi : wordLo));
              for (int p = 0; p < 2; ++p) {
                // Parity p: the even (low nibble) or odd columns. The
                // lookup uses the low nibble of each byte (its table
                // repeats every 16 entries): no masking; the 16-bit shift
                // brings the high nibbles down.
                Value codes =
                    p ? vector::BitCastOp::create(
                            qb, i8x64,
                            arith::ShRUIOp::create(
                                qb, vector::BitCastOp::create(qb, i16x32, quad),
                                four16))
                      : quad;
                int64_t v = h * 4 + q * 2 + p;
                for (int gb = 0; gb < groupsB; ++gb) {
                  Value dec =
                      x86::LookupOp::create(qb, i8x64, tables[gb], codes);
                  for (int64_t r = 0; r < rows; ++r)
                    for (int ga = 0; ga < groupsA; ++ga) {
                      Value &sum = s[sIndex(r, ga, gb, v)];
                      sum = x86::DotU8S8Op::create(qb, i32x16, sum, dec,
                                                   xq[r * groupsA + ga]);
                    }
                }
              }
            }
          }
        }
        scf::YieldOp::create(qb, s);
      });
  SmallVector<SmallVector<Value>> sbAll = tileScalesB(bb, blk, n0, vecs);
  // The block's terms, in the order of §6.2.
  SmallVector<Value> next;
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t j = 0; j < vecs; ++j) {
      Value c;
      for (int ga = 0; ga < groupsA; ++ga)
        for (int gb = 0; gb < groupsB; ++gb) {
          Value sum = quadLoop.getResult(sIndex(r, ga, gb, j));
          if (asymB && gb == 1)
            sum = arith::SubIOp::create(bb, zeroI32, sum);
          Value t = arith::MulFOp::create(
              bb,
              arith::MulFOp::create(bb,
                                    arith::SIToFPOp::create(bb, f32x16, sum),
                                    perRow.sa4[r * groupsA + ga]),
              sbAll[gb][j]);
          c = c ? Value(arith::AddFOp::create(bb, c, t)) : t;
        }
      next.push_back(arith::AddFOp::create(bb, accs[r * vecs + j], c));
    }
  }
  return next;
}

// Rows [lo, hi) in groups of `rows`, columns [colBase, colBase + width) in
// tiles of `tile`, written to `outIn` at column outBase + (n - colBase).
// Per group of rows: blocks, then tiles, then k-quads: the weights are read
// block row by block row (bs consecutive rows of B, a contiguous region),
// and the rows' f32 accumulators stay in the cache.
Value MatmulLowering::buildRowLoop(ImplicitLocOpBuilder &lb, Value lo, Value hi,
                                   int64_t rows, int64_t tile, Value colBase,
                                   int64_t width, Value outIn, Value outBase) {
  NumericBuilder ln(lb);
  const int64_t vecs = tile / kLanes;
  auto accRowsT = RankedTensorType::get({rows, width}, lb.getF32Type());
  Value zeroRows =
      linalg::FillOp::create(
          lb, ValueRange{ln.f32(0.0f)},
          ValueRange{tensor::EmptyOp::create(lb, accRowsT, ValueRange{})})
          .getResult(0);
  auto rowLoop = scf::ForOp::create(
      lb, lo, hi, ln.index(rows), ValueRange{outIn},
      [&](OpBuilder &ob, Location loc, Value m0, ValueRange rowIter) {
        ImplicitLocOpBuilder rb(loc, ob);
        NumericBuilder rn(rb);
        SmallVector<Value> ms;
        for (int64_t r = 0; r < rows; ++r)
          ms.push_back(arith::AddIOp::create(rb, m0, rn.index(r)));
        auto blockLoop = scf::ForOp::create(
            rb, rn.index(0), rn.index(nBlocks), rn.index(1),
            ValueRange{zeroRows},
            [&](OpBuilder &bb0, Location bloc, Value blk, ValueRange blkIter) {
              ImplicitLocOpBuilder bb(bloc, bb0);
              NumericBuilder bn(bb);
              RowBlock perRow = rowBlock(bb, ms, blk);
              auto tileLoop = scf::ForOp::create(
                  bb, bn.index(0), bn.index(width), bn.index(tile),
                  ValueRange{blkIter[0]},
                  [&](OpBuilder &tb0, Location tloc, Value ln0,
                      ValueRange tileIter) {
                    ImplicitLocOpBuilder tb(tloc, tb0);
                    NumericBuilder tn(tb);
                    Value n0 = arith::AddIOp::create(tb, colBase, ln0);
                    Value accT = tileIter[0];
                    SmallVector<Value> accs;
                    for (int64_t r = 0; r < rows; ++r)
                      for (int64_t j = 0; j < vecs; ++j)
                        accs.push_back(vector::TransferReadOp::create(
                            tb, f32x16, accT,
                            ValueRange{tn.index(r),
                                       arith::AddIOp::create(
                                           tb, ln0, tn.index(j * kLanes))},
                            tn.f32(0.0f), ArrayRef<bool>{true}));
                    SmallVector<Value> next =
                        emitTile(tb, ms, blk, perRow, n0, tile, accs);
                    for (int64_t r = 0; r < rows; ++r)
                      for (int64_t j = 0; j < vecs; ++j)
                        accT =
                            vector::TransferWriteOp::create(
                                tb, next[r * vecs + j], accT,
                                ValueRange{tn.index(r),
                                           arith::AddIOp::create(
                                               tb, ln0, tn.index(j * kLanes))},
                                ArrayRef<bool>{true})
                                .getResult();
                    scf::YieldOp::create(tb, ValueRange{accT});
                  });
              scf::YieldOp::create(bb, ValueRange{tileLoop.getResult(0)});
            });
        Value accRows = blockLoop.getResult(0);
        // Each 32-column group of the accumulators holds its even columns,
        // then its odd columns: restore the order, apply the tensor scales
        // and add the accumulator input, in the result type.
        Value o = rowIter[0];
        for (int64_t r = 0; r < rows; ++r) {
          auto finLoop = scf::ForOp::create(
              rb, rn.index(0), rn.index(width), rn.index(2 * kLanes),
              ValueRange{o},
              [&](OpBuilder &fb0, Location floc, Value lcol,
                  ValueRange finIter) {
                ImplicitLocOpBuilder cb(floc, fb0);
                NumericBuilder cn(cb);
                Value even = vector::TransferReadOp::create(
                    cb, f32x16, accRows, ValueRange{cn.index(r), lcol},
                    cn.f32(0.0f), ArrayRef<bool>{true});
                Value odd = vector::TransferReadOp::create(
                    cb, f32x16, accRows,
                    ValueRange{cn.index(r), arith::AddIOp::create(
                                                cb, lcol, cn.index(kLanes))},
                    cn.f32(0.0f), ArrayRef<bool>{true});
                Value out = finIter[0];
                for (int half = 0; half < 2; ++half) {
                  Value v = vector::ShuffleOp::create(cb, even, odd,
                                                      half ? unmixHi : unmixLo);
                  Value lc =
                      arith::AddIOp::create(cb, lcol, cn.index(half * kLanes));
                  Value col = arith::AddIOp::create(cb, colBase, lc);
                  if (pa.format.tensorScale)
                    v = arith::MulFOp::create(
                        cb, v, vector::BroadcastOp::create(cb, f32x16, pa.g));
                  if (pb.format.tensorScale)
                    v = arith::MulFOp::create(
                        cb, v, vector::BroadcastOp::create(cb, f32x16, pb.g));
                  Value init = vector::TransferReadOp::create(
                      cb, VectorType::get({kLanes}, accElem), acc,
                      ValueRange{ms[r], col},
                      arith::ConstantOp::create(cb, cb.getZeroAttr(accElem)),
                      ArrayRef<bool>{true});
                  Value fin =
                      fromF32(cb, arith::AddFOp::create(cb, toF32(cb, init), v),
                              resElem);
                  out = vector::TransferWriteOp::create(
                            cb, fin, out,
                            ValueRange{ms[r],
                                       arith::AddIOp::create(cb, outBase, lc)},
                            ArrayRef<bool>{true})
                            .getResult();
                }
                scf::YieldOp::create(cb, ValueRange{out});
              });
          o = finLoop.getResult(0);
        }
        scf::YieldOp::create(rb, ValueRange{o});
      });
  return rowLoop.getResult(0);
}

// All rows of columns [colBase, colBase + width).
Value MatmulLowering::buildRows(ImplicitLocOpBuilder &lb, Value colBase,
                                int64_t width, Value outInit, Value outBase) {
  NumericBuilder ln(lb);
  Value o = outInit;
  Value mainEnd = ln.index(0);
  if (rowsR > 1) {
    mainEnd = arith::MulIOp::create(
        lb, arith::DivUIOp::create(lb, mSize, ln.index(rowsR)),
        ln.index(rowsR));
    o = buildRowLoop(lb, ln.index(0), mainEnd, rowsR, tileR, colBase, width, o,
                     outBase);
  }
  return buildRowLoop(lb, mainEnd, mSize, 1, tile1, colBase, width, o, outBase);
}

void MatmulLowering::run() {
  b.setInsertionPoint(op);
  pa = unpack(b, op.getLhs());
  pb = unpack(b, op.getRhs());
  auto tb = cast<QTensorType>(op.getRhs().getType());
  kSize = tb.getShape()[0];
  nSize = tb.getShape()[1];
  bs = pa.format.blockSize;
  nBlocks = kSize / bs;
  acc = op.getAcc();
  mSize = tensor::DimOp::create(b, acc, 0);
  rt = cast<RankedTensorType>(op.getResult().getType());
  resElem = rt.getElementType();

  asymB = pb.format.asymmetric;
  groupsA = pa.format.asymmetric ? 2 : 1;
  groupsB = asymB ? 2 : 1;
  const int terms = groupsA * groupsB;
  // Two loop nests: rows in groups of `rowsR` (the decoded weights of a
  // k-quad feed that many rows), then the remaining rows one by one. Each
  // keeps rows x terms x (tile / 16) block sums (at most 16) in registers.
  rowsR = terms == 1 ? 4 : terms == 2 ? 2 : 1;
  tileR = 64;
  tile1 = (terms <= 2 && nSize % 128 == 0) ? 128 : 64;
  quads = bs / 4;
  unroll = 1;
  for (int64_t d = std::min<int64_t>(quads, 8); d >= 1; --d)
    if (quads % d == 0) {
      unroll = d;
      break;
    }

  xs = activationBytes();
  if (!asymB)
    corr = corrections(xs);

  // Decode tables (code -> unsigned byte), per group of B.
  // From 2v of every code: 2v + 12 (symmetric), or max(2v, 0) and
  // max(-2v, 0) (the + and - groups).
  const std::array<int8_t, 16> twice = ref::getE2M1TwiceValues();
  SmallVector<int8_t> biased, plus, minus;
  for (int8_t t : twice) {
    biased.push_back(t + e2m1Bias());
    plus.push_back(std::max<int8_t>(t, 0));
    minus.push_back(std::max<int8_t>(-t, 0));
  }
  if (!asymB) {
    tables.push_back(byteTable(b, biased));
  } else {
    tables.push_back(byteTable(b, plus));
    tables.push_back(byteTable(b, minus));
  }

  i8x32 = VectorType::get({32}, b.getI8Type());
  i8x64 = VectorType::get({64}, b.getI8Type());
  i8x4 = VectorType::get({4}, b.getI8Type());
  i16x32 = VectorType::get({32}, b.getI16Type());
  i32x16 = VectorType::get({kLanes}, b.getI32Type());
  i32x1 = VectorType::get({1}, b.getI32Type());
  f32x16 = VectorType::get({kLanes}, b.getF32Type());
  four16 = nb.splat(i16x32, 4);
  zeroI32 = nb.splat(i32x16, 0);
  padI8 = arith::ConstantOp::create(b, b.getI8IntegerAttr(0));
  byteMix = interleaveMask(32, 0, 32);
  unmixLo = interleaveMask(16, 0, 8);
  unmixHi = interleaveMask(16, 8, 8);
  for (int64_t i = 0; i < 16; ++i) {
    evenMask.push_back(2 * i);
    oddMask.push_back(2 * i + 1);
  }
  wordLo = interleaveMask(32, 0, 16);
  wordHi = interleaveMask(32, 16, 16);

  // The weight codes as a buffer, for software prefetches only.
  auto dataT = cast<RankedTensorType>(pb.data.getType());
  dataBuf = bufferization::ToBufferOp::create(
      b,
      MemRefType::get(
          dataT.getShape(), dataT.getElementType(),
          StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic,
                                 {ShapedType::kDynamic, ShapedType::kDynamic})),
      pb.data, /*read_only=*/true);
  accElem = cast<RankedTensorType>(acc.getType()).getElementType();

  Value out0 = tensor::EmptyOp::create(
      b, rt, rt.isDynamicDim(0) ? ValueRange{mSize} : ValueRange{});
  // Chunks of whole tiles of both loop nests (128 columns where the
  // single-row nest uses 128-column tiles).
  int64_t chunkUnit = std::max(tileR, tile1);
  int64_t numUnits = nSize / chunkUnit, chunks = 1;
  for (int64_t c = std::min<int64_t>(threads, numUnits); c >= 1; --c)
    if (numUnits % c == 0) {
      chunks = c;
      break;
    }
  Value result;
  if (chunks == 1) {
    result = buildRows(b, nb.index(0), nSize, out0, nb.index(0));
  } else {
    // Column chunks in parallel (scf.forall; OpenMP after bufferization).
    int64_t width = nSize / chunks;
    auto forall =
        scf::ForallOp::create(b, ArrayRef<OpFoldResult>{b.getIndexAttr(chunks)},
                              ValueRange{out0}, std::nullopt);
    Block *body = forall.getBody();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(body->getTerminator());
    Value colBase =
        arith::MulIOp::create(b, forall.getInductionVar(0), nb.index(width));
    // Each chunk computes into its slice of the shared output (in place
    // after bufferization: no copy).
    SmallVector<OpFoldResult> offsets = {b.getIndexAttr(0), colBase};
    SmallVector<OpFoldResult> sizes = {
        rt.isDynamicDim(0) ? OpFoldResult(mSize)
                           : OpFoldResult(b.getIndexAttr(rt.getDimSize(0))),
        b.getIndexAttr(width)};
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    auto tileT = RankedTensorType::get({rt.getDimSize(0), width}, resElem);
    Value slice = tensor::ExtractSliceOp::create(
        b, tileT, forall.getRegionIterArgs()[0], offsets, sizes, strides);
    Value part = buildRows(b, colBase, width, slice, nb.index(0));
    b.setInsertionPointToStart(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(
        b, part, forall.getRegionIterArgs()[0], offsets, sizes, strides);
    result = forall.getResult(0);
  }
  rewriter.replaceOp(op, result);
}

struct ConvertMXMatmulToAVX512Pass
    : mlir::mx::impl::ConvertMXMatmulToAVX512PassBase<
          ConvertMXMatmulToAVX512Pass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<std::string> features;
    for (StringRef f : getAVX512KernelFeatures())
      features.push_back(("+" + f).str());
    auto lower = [&](RewriterBase &rewriter, MatmulOp op) {
      if (auto f = op->getParentOfType<func::FuncOp>())
        f->setAttr("target_features",
                   LLVM::TargetFeaturesAttr::get(
                       &getContext(), SmallVector<StringRef>(features.begin(),
                                                             features.end())));
      MatmulLowering(rewriter, op, threads).run();
    };
    lowerEligibleMatmuls(getOperation(), report, numRewritten, numSkipped,
                         ineligibility, lower);
  }
};

} // namespace
