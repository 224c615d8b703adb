//===- DecodeGEMV.cpp - Exact FP4 decode matmuls (M <= 16) at HBM speed ---===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// mx.matmul C[M,N] = A[M,K] x B[K,N] with E2M1 elements, block size 16 or
// 32 and M <= 16: the decode step of LLM inference, where the time is the
// stream of the weight B through HBM. Two kernels:
//
// 1. The activation kernel writes A once per call as the A registers of
//    mma.sync m16n8k32 .s8 (2a as a signed byte, rows past M zero; the + and
//    - parts of an asymmetric A separately) and its block scales divided by
//    4 as f32 (exact: a power-of-two shift of a value with a short
//    significand, and fp32((S/4)·sa) = fp32(S·(sa/4)) since both are one
//    rounding of the same real number).
//
// 2. The GEMV kernel: one thread block of `warps` warps per n-tile of 8
//    columns; B is read in the GEMV layout (GEMVLayout.h), one 16-byte load
//    per lane and four k-steps, prefetched one step ahead. For a word of
//    eight codes, prmt with the magnitude table |2v| gives the bytes of the
//    positive codes (the selector nibble's bit 3, the sign, replicates the
//    sign bit of a table byte, which is 0) and, with the sign bits flipped,
//    those of the negative codes; two integer MMAs give Σ 2a·|2b| over each
//    and their difference is the exact s32 block sum (an asymmetric B keeps
//    them as its + and - groups). Each warp then forms the block terms of
//    docs/Spec.md §6.2 in f32 exactly as the reference does (term =
//    fp32(fp32(S32·sa)·sb), the terms of a block left to right in the order
//    (+,+), (+,-), (-,+), (-,-)) and writes c_b to shared memory; after a
//    barrier one thread per output folds the step's c_b into its f32
//    accumulator in ascending block order. The warps thus split K, the fold
//    stays sequential and exact.
//
//===----------------------------------------------------------------------===//

#include "MmaSync.h"

#include "mx/Conversion/MXCommon/MatmulKernelDriver.h"
#include "mx/Dialect/MX/Utils/NumericBuilder.h"
#include "mx/Dialect/MX/Utils/QuantizeScalar.h"
#include "mx/Dialect/MX/Utils/StorageAccess.h"
#include "mx/Dialect/MXNVVM/IR/MXNVVMDialect.h"
#include "mx/Dialect/MXNVVM/Utils/GEMVLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::kernel;
using namespace mlir::mx::nvgpu_kernels;
using mlir::mx::nvvm::GEMVLayout;
namespace ref = ::mx::ref;

namespace {

constexpr int64_t kMaxDecodeM = 16, kMaxSharedBytes = 48 * 1024;

/// The magnitudes |2v| of the E2M1 codes 0..7, bytes 0..3 and 4..7.
std::pair<int32_t, int32_t> magnitudeTable() {
  std::array<int8_t, 16> twice = ref::getE2M1TwiceValues();
  uint32_t lo = 0, hi = 0;
  for (unsigned m = 0; m < 4; ++m) {
    lo |= uint32_t(uint8_t(twice[m])) << (8 * m);
    hi |= uint32_t(uint8_t(twice[m + 4])) << (8 * m);
  }
  return {int32_t(lo), int32_t(hi)};
}

/// vector<regs x 4 x i8> of mma.sync from `regs` i32 registers.
Value fragmentOf(ImplicitLocOpBuilder &b, ArrayRef<Value> regs) {
  auto t = VectorType::get({int64_t(regs.size()), 4}, b.getI8Type());
  Value f = arith::ConstantOp::create(
      b, DenseElementsAttr::get(t, b.getI8IntegerAttr(0)));
  auto oneT = VectorType::get({1}, b.getI32Type());
  auto rowT = VectorType::get({4}, b.getI8Type());
  for (auto [i, r] : llvm::enumerate(regs)) {
    Value v = vector::FromElementsOp::create(b, oneT, ValueRange{r});
    f = vector::InsertOp::create(b, vector::BitCastOp::create(b, rowT, v), f,
                                 ArrayRef<int64_t>{int64_t(i)});
  }
  return f;
}

Value identityBuffer(ImplicitLocOpBuilder &b, Value tensor) {
  auto t = cast<RankedTensorType>(tensor.getType());
  return bufferization::ToBufferOp::create(
      b, MemRefType::get(t.getShape(), t.getElementType()), tensor,
      /*read_only=*/true);
}

/// The weight's parts in the GEMV layout, and its tensor scale.
struct GEMVWeight {
  Value codes, scales, g;
};

/// Compile-time repack of `rhs` = mx.pack of constants (null if it is not).
bool foldConstantWeight(ImplicitLocOpBuilder &b, Value rhs, const GEMVLayout &l,
                        const ref::Format &f, GEMVWeight &w) {
  auto pack = rhs.getDefiningOp<PackOp>();
  if (!pack)
    return false;
  auto constant = [](Value v) -> DenseElementsAttr {
    DenseElementsAttr a;
    if (!v || !matchPattern(v, m_Constant(&a)))
      return {};
    return a;
  };
  DenseElementsAttr data = constant(pack.getData());
  SmallVector<DenseElementsAttr> scales = {constant(pack.getScales())};
  if (f.asymmetric)
    scales.push_back(constant(pack.getNegScales()));
  if (!data || llvm::any_of(scales, [](DenseElementsAttr a) { return !a; }))
    return false;
  auto byteAt = [](DenseElementsAttr a, int64_t i) -> uint8_t {
    ArrayRef<char> raw = a.getRawData();
    return uint8_t(raw[a.isSplat() ? 0 : i]);
  };
  const int64_t rowBytes = (l.n + 1) / 2;
  std::vector<int8_t> codes(l.codeBytes(), 0);
  for (int64_t kk = 0; kk < l.k; ++kk)
    for (int64_t nn = 0; nn < l.n; ++nn) {
      uint8_t c =
          (byteAt(data, kk * rowBytes + nn / 2) >> (4 * (nn % 2))) & 0xF;
      int64_t byte, nibble;
      l.codePosition(kk, nn, byte, nibble);
      codes[byte] = int8_t(uint8_t(codes[byte]) | (c << (4 * nibble)));
    }
  std::vector<int8_t> sc(l.scaleBytes(), int8_t(ref::getScaleOneCode(f.scale)));
  for (int64_t grp = 0; grp < l.groups; ++grp)
    for (int64_t blk = 0; blk < l.numBlocks(); ++blk)
      for (int64_t nn = 0; nn < l.n; ++nn)
        sc[l.scalePosition(grp, blk, nn)] =
            int8_t(byteAt(scales[grp], blk * l.n + nn));
  auto bytesT = [&](int64_t n) {
    return RankedTensorType::get({n}, b.getI8Type());
  };
  w.codes = arith::ConstantOp::create(
      b, DenseElementsAttr::get(bytesT(l.codeBytes()), ArrayRef(codes)));
  w.scales = arith::ConstantOp::create(
      b, DenseElementsAttr::get(bytesT(l.scaleBytes()), ArrayRef(sc)));
  w.g = pack.getTensorScale();
  return true;
}

/// ceil(x / d) for index values.
Value ceilDiv(ImplicitLocOpBuilder &b, Value x, int64_t d) {
  NumericBuilder nb(b);
  return arith::DivUIOp::create(b, arith::AddIOp::create(b, x, nb.index(d - 1)),
                                nb.index(d));
}

/// The body of the activation kernel: thread `i` writes fragment word i
/// (i < words) and then scale i (i < scales).
void buildActivationKernel(ImplicitLocOpBuilder &kb, Value i, Parts &a,
                           Value aData, Value aPos, Value aNeg, Value frags,
                           Value sa, const GEMVLayout &l, int64_t m,
                           const ref::Format &fa) {
  NumericBuilder nb(kb);
  const int64_t groups = fa.asymmetric ? 2 : 1;
  const int64_t kSteps = l.paddedK() / GEMVLayout::kStep;
  const int64_t words = groups * kSteps * 32 * 4;
  const int64_t nbp = l.paddedK() / l.blockSize;
  {
    auto inside = scf::IfOp::create(kb, ltU(kb, i, nb.index(words)), false);
    OpBuilder::InsertionGuard guard(kb);
    kb.setInsertionPointToStart(inside.thenBlock());
    // i = ((σ · kSteps + s) · 32 + lane) · 4 + reg
    Value reg = arith::RemUIOp::create(kb, i, nb.index(4));
    Value lane = arith::RemUIOp::create(
        kb, arith::DivUIOp::create(kb, i, nb.index(4)), nb.index(32));
    Value rest = arith::DivUIOp::create(kb, i, nb.index(128));
    Value s = arith::RemUIOp::create(kb, rest, nb.index(kSteps));
    Value grp = arith::DivUIOp::create(kb, rest, nb.index(kSteps));
    Value g = arith::DivUIOp::create(kb, lane, nb.index(4));
    Value t = arith::RemUIOp::create(kb, lane, nb.index(4));
    // Register r: row g + 8·(r % 2), positions 4t .. 4t + 3 + 16·(r / 2).
    Value row = arith::AddIOp::create(
        kb, g,
        arith::MulIOp::create(kb, arith::RemUIOp::create(kb, reg, nb.index(2)),
                              nb.index(8)));
    Value k0 = arith::AddIOp::create(
        kb,
        arith::AddIOp::create(kb, arith::MulIOp::create(kb, s, nb.index(32)),
                              arith::MulIOp::create(kb, t, nb.index(4))),
        arith::MulIOp::create(kb, arith::DivUIOp::create(kb, reg, nb.index(2)),
                              nb.index(16)));
    Value rowValid = ltU(kb, row, nb.index(m));
    Value rowC = clampIdx(kb, row, nb.index(m));
    Value isNeg =
        arith::CmpIOp::create(kb, arith::CmpIPredicate::ne, grp, nb.index(0));
    Value word = nb.i32(0);
    for (int64_t e = 0; e < 4; ++e) {
      Value k = arith::AddIOp::create(kb, k0, nb.index(e));
      Value valid = andOpt(kb, rowValid, ltU(kb, k, nb.index(l.k)));
      Value kc = clampIdx(kb, k, nb.index(l.k));
      Value code = fetchNibble(
          kb, aData, {rowC, arith::DivUIOp::create(kb, kc, nb.index(2))},
          arith::IndexCastOp::create(
              kb, kb.getI32Type(), arith::RemUIOp::create(kb, kc, nb.index(2))),
          valid);
      SmallVector<Value> parts = twiceParts(kb, code, fa.asymmetric);
      Value v =
          parts.size() == 1
              ? parts[0]
              : Value(arith::SelectOp::create(kb, isNeg, parts[1], parts[0]));
      v = arith::ShLIOp::create(kb, arith::AndIOp::create(kb, v, nb.i32(0xFF)),
                                nb.i32(8 * e));
      word = arith::OrIOp::create(kb, word, v);
    }
    memref::StoreOp::create(kb, word, frags, ValueRange{i});
  }
  const int64_t scales = groups * m * nbp;
  auto inside = scf::IfOp::create(kb, ltU(kb, i, nb.index(scales)), false);
  OpBuilder::InsertionGuard guard(kb);
  kb.setInsertionPointToStart(inside.thenBlock());
  // i = (σ · m + row) · nbp + blk
  Value blk = arith::RemUIOp::create(kb, i, nb.index(nbp));
  Value row = arith::RemUIOp::create(
      kb, arith::DivUIOp::create(kb, i, nb.index(nbp)), nb.index(m));
  Value grp = arith::DivUIOp::create(kb, i, nb.index(nbp * m));
  Value blkC = clampIdx(kb, blk, nb.index(l.numBlocks()));
  Value code = fetchScaleCode(kb, aPos, {row, blkC});
  if (aNeg) {
    Value neg = fetchScaleCode(kb, aNeg, {row, blkC});
    code = arith::SelectOp::create(
        kb,
        arith::CmpIOp::create(kb, arith::CmpIPredicate::ne, grp, nb.index(0)),
        neg, code);
  }
  Value v =
      arith::MulFOp::create(kb, nb.decodeScale(fa.scale, code), nb.f32(0.25f));
  v = arith::SelectOp::create(kb, ltU(kb, blk, nb.index(l.numBlocks())), v,
                              nb.f32(0.0f));
  memref::StoreOp::create(kb, v, sa, ValueRange{i});
  (void)a;
}

/// The fused activation kernel: quantizes x[M, K] (docs/Spec.md §2, the
/// same scalar steps as convert-mx-to-linalg) and writes the fragments and
/// scales of buildActivationKernel directly. Thread block (4 warps) x covers
/// k-steps 4x .. 4x + 3, y the row (rows past M write zero fragments); a
/// lane holds one position, the block statistics are reduced over the
/// block's lanes with shuffles (max and or are order-independent), and the
/// fragment bytes of four neighbouring lanes are or-ed into one word.
void buildFusedActivationKernel(ImplicitLocOpBuilder &kb, gpu::LaunchOp launch,
                                Value x, Value frags, Value sa,
                                const GEMVLayout &l, int64_t m,
                                const ref::Format &fa) {
  NumericBuilder nb(kb);
  const int64_t bs = fa.blockSize;
  const int64_t groups = fa.asymmetric ? 2 : 1;
  const int64_t kSteps = l.paddedK() / GEMVLayout::kStep;
  const int64_t nbp = l.paddedK() / bs;
  Value tid = launch.getThreadIds().x;
  Value lane = arith::RemUIOp::create(kb, tid, nb.index(32));
  Value s = arith::AddIOp::create(
      kb, arith::MulIOp::create(kb, launch.getBlockIds().x, nb.index(4)),
      arith::DivUIOp::create(kb, tid, nb.index(32)));
  Value row = launch.getBlockIds().y;
  Value k = arith::AddIOp::create(
      kb, arith::MulIOp::create(kb, s, nb.index(32)), lane);
  Value valid =
      andOpt(kb, ltU(kb, row, nb.index(m)), ltU(kb, k, nb.index(l.k)));
  Value v = toF32(
      kb, memref::LoadOp::create(kb, x,
                                 ValueRange{clampIdx(kb, row, nb.index(m)),
                                            clampIdx(kb, k, nb.index(l.k))}));
  v = arith::SelectOp::create(kb, valid, v, nb.f32(0.0f));
  LaneQuantization lq = quantizeLane(kb, fa, v, valid);
  SmallVector<Value> codes = lq.scaleCodes;
  Value code = lq.code;
  Type i32 = kb.getI32Type();
  SmallVector<Value> parts = twiceParts(kb, code, fa.asymmetric);
  // Fragment word position of this lane's group of four.
  Value e = arith::RemUIOp::create(kb, lane, nb.index(4));
  Value half = arith::DivUIOp::create(kb, lane, nb.index(16));
  Value t = arith::DivUIOp::create(
      kb, arith::RemUIOp::create(kb, lane, nb.index(16)), nb.index(4));
  Value g = arith::RemUIOp::create(kb, row, nb.index(8));
  Value reg =
      arith::AddIOp::create(kb, arith::DivUIOp::create(kb, row, nb.index(8)),
                            arith::MulIOp::create(kb, half, nb.index(2)));
  Value laneP =
      arith::AddIOp::create(kb, arith::MulIOp::create(kb, g, nb.index(4)), t);
  Value shift = arith::IndexCastOp::create(
      kb, i32, arith::MulIOp::create(kb, e, nb.index(8)));
  Value leader =
      arith::CmpIOp::create(kb, arith::CmpIPredicate::eq, e, nb.index(0));
  for (int64_t grp = 0; grp < groups; ++grp) {
    Value word = arith::ShLIOp::create(
        kb, arith::AndIOp::create(kb, parts[grp], nb.i32(0xFF)), shift);
    for (int32_t off : {1, 2})
      word = arith::OrIOp::create(kb, word,
                                  gpu::ShuffleOp::create(kb, word, off,
                                                         int32_t(32),
                                                         gpu::ShuffleMode::XOR)
                                      .getShuffleResult());
    Value at = arith::AddIOp::create(
        kb,
        arith::MulIOp::create(
            kb,
            arith::AddIOp::create(
                kb,
                arith::MulIOp::create(
                    kb, arith::AddIOp::create(kb, nb.index(grp * kSteps), s),
                    nb.index(32)),
                laneP),
            nb.index(4)),
        reg);
    auto ifOp = scf::IfOp::create(kb, leader, false);
    OpBuilder::InsertionGuard guard(kb);
    kb.setInsertionPointToStart(ifOp.thenBlock());
    memref::StoreOp::create(kb, word, frags, ValueRange{at});
  }
  // The block leader of a real row writes the scales / 4.
  Value blk = arith::DivUIOp::create(kb, k, nb.index(bs));
  Value blockLeader = andOpt(
      kb,
      arith::CmpIOp::create(kb, arith::CmpIPredicate::eq,
                            arith::RemUIOp::create(kb, lane, nb.index(bs)),
                            nb.index(0)),
      andOpt(kb, ltU(kb, row, nb.index(m)), ltU(kb, blk, nb.index(nbp))));
  auto ifOp = scf::IfOp::create(kb, blockLeader, false);
  OpBuilder::InsertionGuard guard(kb);
  kb.setInsertionPointToStart(ifOp.thenBlock());
  for (int64_t grp = 0; grp < groups; ++grp) {
    Value at = arith::AddIOp::create(
        kb,
        arith::MulIOp::create(
            kb,
            arith::AddIOp::create(kb, nb.index(grp * m),
                                  clampIdx(kb, row, nb.index(m))),
            nb.index(nbp)),
        blk);
    Value sv = arith::MulFOp::create(kb, nb.decodeScale(fa.scale, codes[grp]),
                                     nb.f32(0.25f));
    memref::StoreOp::create(kb, sv, sa, ValueRange{at});
  }
}

} // namespace

std::string nvgpu_kernels::getDecodeGEMVIneligibility(MatmulOp op) {
  ref::Format fa, fb;
  if (std::string why = getGPUMatmulIneligibility(op, fa, fb); !why.empty())
    return why;
  if (fa.elem != ref::ElemKind::E2M1 || fb.elem != ref::ElemKind::E2M1)
    return "element formats other than E2M1 (FP4)";
  if (fa.blockSize != fb.blockSize ||
      !GEMVLayout::supportsBlockSize(fa.blockSize))
    return "block size other than 16 or 32";
  auto acc = cast<RankedTensorType>(op.getAcc().getType());
  if (acc.isDynamicDim(0) || acc.getDimSize(0) > kMaxDecodeM)
    return "M is not static or larger than 16";
  auto lt = cast<QTensorType>(op.getLhs().getType());
  auto rt = cast<QTensorType>(op.getRhs().getType());
  if (lt.getAxis() != 1 || rt.getAxis() != 0)
    return "operands not blocked along K";
  if (ShapedType::isDynamic(rt.getShape()[1]))
    return "dynamic N";
  return {};
}

void nvgpu_kernels::lowerToDecodeGEMV(RewriterBase &rewriter, MatmulOp op,
                                      int64_t warps, bool report) {
  ImplicitLocOpBuilder b(op.getLoc(), rewriter);
  b.setInsertionPoint(op);
  NumericBuilder nb(b);
  auto rt = cast<QTensorType>(op.getRhs().getType());
  ref::Format fa =
      cast<QTensorType>(op.getLhs().getType()).getFormat().getReferenceFormat();
  ref::Format fb = rt.getFormat().getReferenceFormat();
  const int64_t kSize = rt.getShape()[0], nSize = rt.getShape()[1];
  const int64_t bs = fb.blockSize;
  GEMVLayout l(kSize, nSize, bs, fb.asymmetric ? 2 : 1);
  auto accT = cast<RankedTensorType>(op.getAcc().getType());
  const int64_t m = accT.getDimSize(0);
  const int64_t groupsA = fa.asymmetric ? 2 : 1, groupsB = l.groups;

  // The weight in the GEMV layout.
  GEMVWeight w;
  if (auto gw = op.getRhs().getDefiningOp<mlir::mx::nvvm::GEMVWeightOp>()) {
    w = {gw.getCodes(), gw.getScales(), gw.getTensorScale()};
  } else if (!foldConstantWeight(b, op.getRhs(), l, fb, w)) {
    if (report)
      op.emitRemark() << "decode kernel: the weight is repacked into the "
                         "GEMV layout at run time, in every call; pack it "
                         "once with mx_nvvm.to_gemv_layout and pass it "
                         "through mx_nvvm.gemv_weight";
    auto bytesT = [&](int64_t n) {
      return RankedTensorType::get({n}, b.getI8Type());
    };
    auto pack = mlir::mx::nvvm::ToGEMVLayoutOp::create(
        b, bytesT(l.codeBytes()), bytesT(l.scaleBytes()), op.getRhs());
    w.codes = pack.getCodes();
    w.scales = pack.getScales();
    w.g = fb.tensorScale ? unpack(b, op.getRhs()).g : Value();
  }

  // The activation fragments and scales: quantized and written by one
  // kernel when A is this matmul's own mx.quantize of x (no tensor scale),
  // else written from A's storage.
  const int64_t kSteps = l.paddedK() / GEMVLayout::kStep;
  const int64_t nbp = l.paddedK() / bs;
  const int64_t words = groupsA * kSteps * 32 * 4;
  const int64_t scaleCount = groupsA * m * nbp;
  Value frags = memref::AllocOp::create(
      b, MemRefType::get({words}, b.getI32Type()), b.getI64IntegerAttr(16));
  Value sa =
      memref::AllocOp::create(b, MemRefType::get({scaleCount}, b.getF32Type()),
                              b.getI64IntegerAttr(16));
  auto quantize = op.getLhs().getDefiningOp<QuantizeOp>();
  const bool fuse = quantize && quantize->hasOneUse() && !fa.tensorScale &&
                    !quantize.getTensorScale();
  Value gA;
  if (fuse) {
    Value x = readBuffer(b, quantize.getInput());
    const int64_t mPad = m <= 8 ? 8 : 16;
    buildLaunch(b, nb.index(l.paddedK() / 128), nb.index(mPad), 128,
                [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp launch) {
                  buildFusedActivationKernel(kb, launch, x, frags, sa, l, m,
                                             fa);
                });
  } else {
    Parts a = unpack(b, op.getLhs());
    Value aData = readBuffer(b, a.data), aPos = readBuffer(b, a.pos);
    Value aNeg = a.neg ? readBuffer(b, a.neg) : Value();
    gA = fa.tensorScale ? a.g : Value();
    const int64_t threads = 128;
    Value total = nb.index(std::max(words, scaleCount));
    buildLaunch(b, ceilDiv(b, total, threads), nb.index(1), threads,
                [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp launch) {
                  NumericBuilder kn(kb);
                  Value i = arith::AddIOp::create(
                      kb,
                      arith::MulIOp::create(kb, launch.getBlockIds().x,
                                            kn.index(threads)),
                      launch.getThreadIds().x);
                  buildActivationKernel(kb, i, a, aData, aPos, aNeg, frags, sa,
                                        l, m, fa);
                });
  }

  // The GEMV kernel.
  Value codes = identityBuffer(b, w.codes);
  Value scales = identityBuffer(b, w.scales);
  Value accBuf = readBuffer(b, op.getAcc());
  auto outT = MemRefType::get(accT.getShape(), accT.getElementType());
  Value out = memref::AllocOp::create(b, outT);
  const int64_t bpl = l.blocksPerLoad(), kLoads = l.kLoads();
  // One folding thread per output needs 8·m threads (ceil(m/4) warps); the
  // shared terms of a step (m·8·warps·bpl f32) must fit the 48 KiB of static
  // shared memory.
  warps = std::max(warps, (m + 3) / 4);
  warps = std::min(warps, kMaxSharedBytes / (m * 8 * bpl * 4));
  const int64_t bps = warps * bpl; // blocks per step
  const int64_t steps = (kLoads + warps - 1) / warps;
  const int64_t nb32 = l.numBlocks();
  auto wgSpace =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  auto termsT = MemRefType::get({m * 8 * bps}, b.getF32Type(),
                                MemRefLayoutAttrInterface(), wgSpace);
  Value gB = fb.tensorScale ? w.g : Value();
  buildLaunch(
      b, nb.index(l.nTiles()), nb.index(1), 32 * warps,
      [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp launch) {
        NumericBuilder kn(kb);
        Type i32 = kb.getI32Type(), f32 = kb.getF32Type();
        Value terms = mlir::mx::nvvm::WorkgroupBufferOp::create(kb, termsT);
        Value nt = launch.getBlockIds().x, tid = launch.getThreadIds().x;
        Value warp = arith::DivUIOp::create(kb, tid, kn.index(32));
        Value lane = arith::RemUIOp::create(kb, tid, kn.index(32));
        Value g = arith::DivUIOp::create(kb, lane, kn.index(4));
        Value t = arith::RemUIOp::create(kb, lane, kn.index(4));
        auto [tabLo, tabHi] = magnitudeTable();
        Value tLo = kn.i32(tabLo), tHi = kn.i32(tabHi);
        auto v16 = VectorType::get({16}, kb.getI8Type());
        auto v4i32 = VectorType::get({4}, i32);
        auto sVecT = VectorType::get({2 * bpl}, kb.getI8Type());

        // Loads of one step for warp `warp`: the codes of four k-steps and the
        // lane's scales (per B group), at load index `ld` (clamped).
        auto loadStep = [&](ImplicitLocOpBuilder &lb, Value ld) {
          NumericBuilder ln(lb);
          Value ldc = arith::MinUIOp::create(lb, ld, ln.index(kLoads - 1));
          Value wordBase = arith::AddIOp::create(
              lb,
              arith::MulIOp::create(
                  lb,
                  arith::AddIOp::create(
                      lb, arith::MulIOp::create(lb, nt, ln.index(kLoads)), ldc),
                  ln.index(32)),
              lane);
          Value byteOff = arith::MulIOp::create(lb, wordBase, ln.index(16));
          SmallVector<Value> vals;
          vals.push_back(vector::LoadOp::create(
              lb, v16, codes, ValueRange{byteOff},
              /*nontemporal=*/false, llvm::MaybeAlign(16)));
          for (int64_t grp = 0; grp < groupsB; ++grp) {
            Value sOff = arith::MulIOp::create(
                lb,
                arith::AddIOp::create(
                    lb,
                    arith::MulIOp::create(
                        lb,
                        arith::AddIOp::create(
                            lb,
                            arith::MulIOp::create(
                                lb,
                                arith::AddIOp::create(
                                    lb, ln.index(grp * l.nTiles()), nt),
                                ln.index(kLoads)),
                            ldc),
                        ln.index(4)),
                    t),
                ln.index(2 * bpl));
            vals.push_back(vector::LoadOp::create(lb, sVecT, scales,
                                                  ValueRange{sOff}, false,
                                                  llvm::MaybeAlign(2 * bpl)));
          }
          return vals;
        };

        // Rows of the lane's accumulator elements: g and g + 8.
        const int64_t rowHalves = m > 8 ? 2 : 1;
        SmallVector<Value> rows, rowsValid, rowsC;
        for (int64_t h = 0; h < rowHalves; ++h) {
          Value r = arith::AddIOp::create(kb, g, kn.index(8 * h));
          rows.push_back(r);
          rowsValid.push_back(ltU(kb, r, kn.index(m)));
          rowsC.push_back(clampIdx(kb, r, kn.index(m)));
        }
        // The folding thread of output (tid / 8, tid % 8).
        Value foldRow = arith::DivUIOp::create(kb, tid, kn.index(8));
        Value foldCol = arith::RemUIOp::create(kb, tid, kn.index(8));
        Value folds = ltU(kb, tid, kn.index(m * 8));

        SmallVector<Value> init = {kn.f32(0.0f)};
        llvm::append_range(init, loadStep(kb, warp));
        auto stepLoop = scf::ForOp::create(
            kb, kn.index(0), kn.index(steps), kn.index(1), init,
            [&](OpBuilder &ob, Location loc, Value step, ValueRange it) {
              ImplicitLocOpBuilder sb(loc, ob);
              NumericBuilder sn(sb);
              Value acc = it[0];
              SmallVector<Value> cur(it.drop_front());
              Value ld = arith::AddIOp::create(
                  sb, arith::MulIOp::create(sb, step, sn.index(warps)), warp);
              // Prefetch the next step.
              SmallVector<Value> next =
                  loadStep(sb, arith::AddIOp::create(sb, ld, sn.index(warps)));
              Value wordsV = vector::BitCastOp::create(sb, v4i32, cur[0]);
              auto zeroAccT = VectorType::get({2, 2}, i32);
              Value zeroAcc = arith::ConstantOp::create(
                  sb,
                  DenseElementsAttr::get(zeroAccT, sb.getI32IntegerAttr(0)));
              for (int64_t j = 0; j < GEMVLayout::kStepsPerLoad; ++j) {
                Value word =
                    vector::ExtractOp::create(sb, wordsV, ArrayRef<int64_t>{j});
                Value flipped = arith::XOrIOp::create(
                    sb, word, sn.i32(int32_t(0x88888888u)));
                auto prmt = [&](Value sel) {
                  return NVVM::PermuteOp::create(sb, i32, tLo, tHi, sel,
                                                 NVVM::PermuteMode::DEFAULT)
                      .getResult();
                };
                auto shr16 = [&](Value v) {
                  return arith::ShRUIOp::create(sb, v, sn.i32(16)).getResult();
                };
                // Registers of B: positions 4t.. (low half) and 4t + 16..
                // (high).
                Value xLo = prmt(word), xHi = prmt(shr16(word));
                Value zLo = prmt(flipped), zHi = prmt(shr16(flipped));
                // k-step s = 4·ld + j; its A registers per A group.
                Value s = arith::AddIOp::create(
                    sb, arith::MulIOp::create(sb, ld, sn.index(4)),
                    sn.index(j));
                Value sc = arith::MinUIOp::create(sb, s, sn.index(kSteps - 1));
                SmallVector<SmallVector<Value>> aRegs(groupsA);
                for (int64_t ga = 0; ga < groupsA; ++ga) {
                  Value base = arith::MulIOp::create(
                      sb,
                      arith::AddIOp::create(
                          sb,
                          arith::MulIOp::create(
                              sb,
                              arith::AddIOp::create(sb, sn.index(ga * kSteps),
                                                    sc),
                              sn.index(32)),
                          lane),
                      sn.index(4));
                  Value v =
                      vector::LoadOp::create(sb, v4i32, frags, ValueRange{base},
                                             false, llvm::MaybeAlign(16));
                  for (int64_t r = 0; r < 4; ++r)
                    aRegs[ga].push_back(
                        (r % 2 == 1 && m <= 8)
                            ? sn.i32(0)
                            : Value(vector::ExtractOp::create(
                                  sb, v, ArrayRef<int64_t>{r})));
                }
                // One or two blocks per k-step.
                const int64_t blocksHere = GEMVLayout::kStep / bs;
                for (int64_t hb = 0; hb < blocksHere; ++hb) {
                  // S[ga][gb] as vector<2x2xi32>.
                  SmallVector<Value> sums;
                  Value zero = sn.i32(0);
                  for (int64_t ga = 0; ga < groupsA; ++ga) {
                    SmallVector<Value> ar = aRegs[ga];
                    if (blocksHere == 2) {
                      // Block 2s + hb: only its half of k.
                      for (int64_t r = 0; r < 4; ++r)
                        if (r / 2 != hb)
                          ar[r] = zero;
                    }
                    Value aF = fragmentOf(sb, ar);
                    auto mma = [&](Value lo, Value hi) {
                      return nvgpu::MmaSyncOp::create(
                                 sb, aF, fragmentOf(sb, {lo, hi}), zeroAcc,
                                 sb.getI64ArrayAttr({kTileM, kTileN, kMmaK}))
                          .getResult();
                    };
                    Value px = mma(xLo, xHi), pz = mma(zLo, zHi);
                    if (groupsB == 1) {
                      sums.push_back(arith::SubIOp::create(sb, px, pz));
                    } else {
                      sums.push_back(px);
                      sums.push_back(arith::SubIOp::create(sb, zeroAcc, pz));
                    }
                  }
                  // Block index within the load (q) and globally.
                  const int64_t q = j * blocksHere + hb;
                  Value blk = arith::AddIOp::create(
                      sb, arith::MulIOp::create(sb, ld, sn.index(bpl)),
                      sn.index(q));
                  Value blkC =
                      arith::MinUIOp::create(sb, blk, sn.index(nbp - 1));
                  Value slot = arith::AddIOp::create(
                      sb, arith::MulIOp::create(sb, warp, sn.index(bpl)),
                      sn.index(q));
                  // sb per B group and column parity p.
                  SmallVector<Value> sbv; // [p * groupsB + gb]
                  for (int64_t p = 0; p < 2; ++p)
                    for (int64_t gb = 0; gb < groupsB; ++gb) {
                      Value code8 = vector::ExtractOp::create(
                          sb, cur[1 + gb], ArrayRef<int64_t>{p * bpl + q});
                      sbv.push_back(sn.decodeScale(
                          fb.scale, arith::ExtUIOp::create(sb, i32, code8)));
                    }
                  for (int64_t h = 0; h < rowHalves; ++h) {
                    SmallVector<Value> saRow; // per A group
                    for (int64_t ga = 0; ga < groupsA; ++ga) {
                      Value idx = arith::AddIOp::create(
                          sb,
                          arith::MulIOp::create(
                              sb,
                              arith::AddIOp::create(sb, sn.index(ga * m),
                                                    rowsC[h]),
                              sn.index(nbp)),
                          blkC);
                      saRow.push_back(
                          memref::LoadOp::create(sb, sa, ValueRange{idx}));
                    }
                    for (int64_t p = 0; p < 2; ++p) {
                      Value c;
                      for (int64_t ga = 0; ga < groupsA; ++ga)
                        for (int64_t gb = 0; gb < groupsB; ++gb) {
                          Value sI = vector::ExtractOp::create(
                              sb, sums[ga * groupsB + gb],
                              ArrayRef<int64_t>{h, p});
                          Value term = arith::MulFOp::create(
                              sb,
                              arith::MulFOp::create(
                                  sb, arith::SIToFPOp::create(sb, f32, sI),
                                  saRow[ga]),
                              sbv[p * groupsB + gb]);
                          c = c ? Value(arith::AddFOp::create(sb, c, term))
                                : term;
                        }
                      // terms[(row · 8 + col) · bps + slot]
                      Value col = arith::AddIOp::create(
                          sb, arith::MulIOp::create(sb, t, sn.index(2)),
                          sn.index(p));
                      Value at = arith::AddIOp::create(
                          sb,
                          arith::MulIOp::create(
                              sb,
                              arith::AddIOp::create(
                                  sb,
                                  arith::MulIOp::create(sb, rowsC[h],
                                                        sn.index(8)),
                                  col),
                              sn.index(bps)),
                          slot);
                      auto ifOp = scf::IfOp::create(sb, rowsValid[h], false);
                      OpBuilder::InsertionGuard g2(sb);
                      sb.setInsertionPointToStart(ifOp.thenBlock());
                      memref::StoreOp::create(sb, c, terms, ValueRange{at});
                    }
                  }
                }
              }
              mlir::mx::nvvm::BarrierOp::create(sb);
              // The fold, in ascending block order.
              auto foldIf = scf::IfOp::create(sb, TypeRange{f32}, folds, true);
              {
                OpBuilder::InsertionGuard g2(sb);
                sb.setInsertionPointToStart(foldIf.thenBlock());
                Value base = arith::MulIOp::create(
                    sb,
                    arith::AddIOp::create(
                        sb, arith::MulIOp::create(sb, foldRow, sn.index(8)),
                        foldCol),
                    sn.index(bps));
                Value firstBlk = arith::MulIOp::create(sb, step, sn.index(bps));
                Value x = acc;
                for (int64_t bi = 0; bi < bps; ++bi) {
                  Value v =
                      memref::LoadOp::create(sb, terms,
                                             ValueRange{arith::AddIOp::create(
                                                 sb, base, sn.index(bi))});
                  Value exists =
                      ltU(sb, arith::AddIOp::create(sb, firstBlk, sn.index(bi)),
                          sn.index(nb32));
                  x = arith::SelectOp::create(
                      sb, exists, arith::AddFOp::create(sb, x, v), x);
                }
                scf::YieldOp::create(sb, x);
                sb.setInsertionPointToStart(foldIf.elseBlock());
                scf::YieldOp::create(sb, acc);
              }
              mlir::mx::nvvm::BarrierOp::create(sb);
              SmallVector<Value> yields = {foldIf.getResult(0)};
              llvm::append_range(yields, next);
              scf::YieldOp::create(sb, yields);
            });
        Value col = arith::AddIOp::create(
            kb, arith::MulIOp::create(kb, nt, kn.index(8)), foldCol);
        Value rowC = clampIdx(kb, foldRow, kn.index(m));
        Value colValid = ltU(kb, col, kn.index(nSize));
        storeResult(kb, stepLoop.getResult(0), accBuf, out, gA, gB, rowC,
                    andOpt(kb, folds, ltU(kb, foldRow, kn.index(m))),
                    clampIdx(kb, col, kn.index(nSize)), colValid);
      });
  Value result = bufferization::ToTensorOp::create(
      b, op.getResult().getType(), out, /*restrict=*/true, /*writable=*/true);
  rewriter.replaceOp(op, result);
  if (fuse && quantize->use_empty())
    rewriter.eraseOp(quantize);
}

LogicalResult nvgpu_kernels::lowerToGEMVLayout(RewriterBase &rewriter,
                                               Operation *op) {
  auto pack = cast<mlir::mx::nvvm::ToGEMVLayoutOp>(op);
  ImplicitLocOpBuilder b(op->getLoc(), rewriter);
  b.setInsertionPoint(op);
  QTensorType t = pack.getWeight().getType();
  ref::Format f = t.getFormat().getReferenceFormat();
  GEMVLayout l(t.getShape()[0], t.getShape()[1], f.blockSize,
               f.asymmetric ? 2 : 1);
  GEMVWeight folded;
  if (foldConstantWeight(b, pack.getWeight(), l, f, folded)) {
    rewriter.replaceOp(op, ValueRange{folded.codes, folded.scales});
    return success();
  }
  Parts p = unpack(b, pack.getWeight());
  Value data = readBuffer(b, p.data), pos = readBuffer(b, p.pos);
  Value neg = p.neg ? readBuffer(b, p.neg) : Value();
  Value codes = memref::AllocOp::create(
      b, MemRefType::get({l.codeBytes()}, b.getI8Type()));
  Value scales = memref::AllocOp::create(
      b, MemRefType::get({l.scaleBytes()}, b.getI8Type()));
  NumericBuilder nb(b);
  const int64_t threads = 128;
  const int64_t total = std::max(l.codeBytes(), l.scaleBytes());
  buildLaunch(
      b, nb.index((total + threads - 1) / threads), nb.index(1), threads,
      [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp launch) {
        NumericBuilder kn(kb);
        Value i = arith::AddIOp::create(
            kb,
            arith::MulIOp::create(kb, launch.getBlockIds().x,
                                  kn.index(threads)),
            launch.getThreadIds().x);
        auto div = [&](Value x, int64_t d) {
          return arith::DivUIOp::create(kb, x, kn.index(d)).getResult();
        };
        auto rem = [&](Value x, int64_t d) {
          return arith::RemUIOp::create(kb, x, kn.index(d)).getResult();
        };
        auto add = [&](Value x, Value y) {
          return arith::AddIOp::create(kb, x, y).getResult();
        };
        auto mul = [&](Value x, int64_t c) {
          return arith::MulIOp::create(kb, x, kn.index(c)).getResult();
        };
        {
          // Code byte i: word i / 4, nibbles 2·(i % 4) and 2·(i % 4) + 1.
          auto inside =
              scf::IfOp::create(kb, ltU(kb, i, kn.index(l.codeBytes())), false);
          OpBuilder::InsertionGuard g2(kb);
          kb.setInsertionPointToStart(inside.thenBlock());
          Value word = div(i, 4), q = rem(i, 4);
          Value j = rem(word, 4), lane = rem(div(word, 4), 32);
          Value rest = div(word, 128);
          Value ld = rem(rest, l.kLoads()), tile = div(rest, l.kLoads());
          Value s = add(mul(ld, 4), j);
          Value g = div(lane, 4), tt = rem(lane, 4);
          Value nn = add(mul(tile, 8), g);
          Value nValid = ltU(kb, nn, kn.index(l.n));
          Value nC = clampIdx(kb, nn, kn.index(l.n));
          Value byte = kn.i32(0);
          for (int64_t e = 0; e < 2; ++e) {
            // Nibble ii = 2q + e: half ii / 4, position ii % 4.
            Value ii = add(mul(q, 2), kn.index(e));
            Value kk = add(add(mul(s, 32), mul(div(ii, 4), 16)),
                           add(mul(tt, 4), rem(ii, 4)));
            Value valid = andOpt(kb, nValid, ltU(kb, kk, kn.index(l.k)));
            Value kC = clampIdx(kb, kk, kn.index(l.k));
            Value code = fetchNibble(
                kb, data, {kC, div(nC, 2)},
                arith::IndexCastOp::create(kb, kb.getI32Type(), rem(nC, 2)),
                valid);
            byte = arith::OrIOp::create(
                kb, byte, arith::ShLIOp::create(kb, code, kn.i32(4 * e)));
          }
          memref::StoreOp::create(
              kb, arith::TruncIOp::create(kb, kb.getI8Type(), byte), codes,
              ValueRange{i});
        }
        auto inside =
            scf::IfOp::create(kb, ltU(kb, i, kn.index(l.scaleBytes())), false);
        OpBuilder::InsertionGuard g2(kb);
        kb.setInsertionPointToStart(inside.thenBlock());
        const int64_t bpl = l.blocksPerLoad();
        Value q = rem(i, bpl), par = rem(div(i, bpl), 2),
              tt = rem(div(i, 2 * bpl), 4);
        Value rest = div(i, 8 * bpl);
        Value ld = rem(rest, l.kLoads()), rest2 = div(rest, l.kLoads());
        Value tile = rem(rest2, l.nTiles()), grp = div(rest2, l.nTiles());
        Value blk = add(mul(ld, bpl), q);
        Value nn = add(add(mul(tile, 8), mul(tt, 2)), par);
        Value valid = andOpt(kb, ltU(kb, blk, kn.index(l.numBlocks())),
                             ltU(kb, nn, kn.index(l.n)));
        SmallVector<Value> idx = {clampIdx(kb, blk, kn.index(l.numBlocks())),
                                  clampIdx(kb, nn, kn.index(l.n))};
        Value code = fetchScaleCode(kb, pos, idx);
        if (neg)
          code = arith::SelectOp::create(
              kb,
              arith::CmpIOp::create(kb, arith::CmpIPredicate::ne, grp,
                                    kn.index(0)),
              fetchScaleCode(kb, neg, idx), code);
        code = arith::SelectOp::create(kb, valid, code,
                                       kn.i32(ref::getScaleOneCode(f.scale)));
        memref::StoreOp::create(
            kb, arith::TruncIOp::create(kb, kb.getI8Type(), code), scales,
            ValueRange{i});
      });
  auto tensorOf = [&](Value m) {
    auto mt = cast<MemRefType>(m.getType());
    return bufferization::ToTensorOp::create(
               b, RankedTensorType::get(mt.getShape(), mt.getElementType()), m,
               /*restrict=*/true, /*writable=*/true)
        .getResult();
  };
  rewriter.replaceOp(op, ValueRange{tensorOf(codes), tensorOf(scales)});
  return success();
}
