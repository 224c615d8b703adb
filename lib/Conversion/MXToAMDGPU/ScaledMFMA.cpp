//===- ScaledMFMA.cpp - mx.matmul on gfx950 scaled MFMA -------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The pass convert-mx-matmul-to-amdgpu-mfma: mx.matmul with FP4, FP6 or FP8
// elements and E8M0 scales on amdgpu.scaled_mfma 16x16x128 (gfx950, wave64).
// The matrix core applies the scales and sums in its own order and precision
// (Spec §6.6): results are within the tolerance of docs/GPU.md, not
// bit-exact. Asymmetric operands are split by sign into separate MFMAs into
// the same accumulator.
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/MXToAMDGPU/MXToAMDGPU.h"

#include "mx/Conversion/MXCommon/GPUKernelUtils.h"
#include "mx/Conversion/MXCommon/MatmulKernelDriver.h"
#include "mx/Dialect/MX/Utils/NumericBuilder.h"
#include "mx/Dialect/MX/Utils/StorageAccess.h"

#include "mlir/Dialect/AMDGPU/IR/AMDGPUDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::mx {
#define GEN_PASS_DEF_CONVERTMXMATMULTOAMDGPUMFMAPASS
#include "mx/Conversion/Passes.h.inc"
} // namespace mlir::mx

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::kernel;
namespace ref = ::mx::ref;

namespace {

// amdgpu.scaled_mfma 16x16x128 on a 64-lane wave.
constexpr int64_t kMfmaTile = 16, kMfmaK = 128, kWaveSize = 64;

/// The kernel body: one wave per 16 x 16 tile, `waves` waves per block.
void buildMFMAKernel(ImplicitLocOpBuilder &kb, gpu::LaunchOp launch,
                     const GPUMatmul &mm, int64_t waves) {
  NumericBuilder nb(kb);
  const KernelOperand &a = mm.a, &bo = mm.b;
  const int64_t kSize = mm.kSize, bs = mm.blockSize, nBlocks = mm.nBlocks;
  Value mSize = mm.mSize, nSize = mm.nSize;
  const bool asymA = a.format.asymmetric, asymB = bo.format.asymmetric;
  const int groupsA = asymA ? 2 : 1, groupsB = asymB ? 2 : 1;
  Value lane, m0, n0;
  laneTile(kb, launch, kWaveSize, kMfmaTile, kMfmaTile, waves, lane, m0, n0);
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

  auto elemType = [&](ref::ElemKind k) {
    return getElementType(kb.getContext(), k);
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
        auto operand = [&](const KernelOperand &o, bool isA, Value other,
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
            code = arith::SelectOp::create(
                cb, inside, code,
                cn.i32(ref::getScaleOneCode(ref::ScaleKind::E8M0)));
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
    storeResult(kb, mm, v, clampIdx(kb, m, mSize), ltU(kb, m, mSize), col,
                colValid);
  }
}

/// Why `op` cannot take amdgpu.scaled_mfma (empty if it can).
std::string mfmaIneligibility(MatmulOp op) {
  ref::Format fa, fb;
  if (std::string why = getGPUMatmulIneligibility(op, fa, fb); !why.empty())
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
    if (failed(checkCountOption(getOperation(), getArgument(), "waves", waves,
                                16)))
      return signalPassFailure();
    auto lower = [&](RewriterBase &rewriter, MatmulOp op) {
      lowerMatmulToLaunch(
          rewriter, op, {kMfmaTile * waves, kMfmaTile, kWaveSize * waves},
          [&](ImplicitLocOpBuilder &kb, gpu::LaunchOp launch,
              const GPUMatmul &mm) { buildMFMAKernel(kb, launch, mm, waves); });
    };
    lowerEligibleMatmuls(getOperation(), report, numRewritten, numSkipped,
                         mfmaIneligibility, lower);
  }
};

} // namespace
