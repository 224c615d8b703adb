//===- BlockScaleMMA.cpp - FP4 mx.matmul on the sm_120a block-scaled MMA --===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The k loop of the native block-scaled MMA of sm_120a
// (mma.sync m16n8k64 kind::mxf4nvf4 block_scale, as mx_nvvm.mma_block_scale):
// the tensor core applies the block scales and sums in its own order and
// precision (Spec §6.6), so results are within the tolerance of docs/GPU.md,
// not bit-exact. Asymmetric operands with E8M0 scales are split by sign into
// separate MMAs into the same accumulator.
//
//===----------------------------------------------------------------------===//

#include "MmaSync.h"

#include "mx/Dialect/MX/Utils/NumericBuilder.h"
#include "mx/Dialect/MX/Utils/StorageAccess.h"
#include "mx/Dialect/MXNVVM/IR/MXNVVMDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::kernel;
using namespace mlir::mx::nvgpu_kernels;
namespace ref = ::mx::ref;

SmallVector<Value> nvgpu_kernels::buildBlockScaleMMALoop(
    ImplicitLocOpBuilder &kb, const GPUMatmul &mm, const MmaSyncFragment &f,
    int64_t scaleVec) {
  NumericBuilder nb(kb);
  const KernelOperand &a = mm.a, &bo = mm.b;
  const int64_t kSize = mm.kSize, nBlocks = mm.nBlocks;
  Value mSize = mm.mSize;
  Value grp = f.grp, tig = f.tig, m0 = f.m0, colB = f.colB,
        colBByte = f.colBByte, colBNib = f.colBNib, colBValid = f.colBValid;
  ArrayRef<Value> rowsA = f.rowsA, rowsAValid = f.rowsAValid;
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
            Value code = fetchNibble(
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
            Value code =
                fetchNibble(cb, bo.data, {kk, colBByte}, colBNib, valid);
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
            acc = mlir::mx::nvvm::MmaBlockScaleOp::create(
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

std::string nvgpu_kernels::getBlockScaleMMAIneligibility(MatmulOp op,
                                                         int64_t &scaleVec) {
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
