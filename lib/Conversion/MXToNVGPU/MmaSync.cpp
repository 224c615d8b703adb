//===- MmaSync.cpp - Fragment positions of the mma.sync kernels -----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "MmaSync.h"

#include "mx/Dialect/MX/Utils/NumericBuilder.h"
#include "mx/Dialect/MX/Utils/StorageAccess.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::mx;
using namespace mlir::mx::kernel;
using namespace mlir::mx::nvgpu_kernels;

MmaSyncFragment nvgpu_kernels::buildMmaSyncFragment(ImplicitLocOpBuilder &kb,
                                                    gpu::LaunchOp launch,
                                                    const GPUMatmul &mm,
                                                    int64_t warps) {
  NumericBuilder nb(kb);
  Type i32 = kb.getI32Type();
  Value mSize = mm.mSize, nSize = mm.nSize;
  MmaSyncFragment f;
  Value lane, n0;
  laneTile(kb, launch, kWarpSize, kTileM, kTileN, warps, lane, f.m0, n0);
  f.grp = arith::DivUIOp::create(kb, lane, nb.index(4));
  f.tig = arith::RemUIOp::create(kb, lane, nb.index(4));

  // The lane's rows of A (g and g + 8 of the tile) and its column of B (g).
  for (int64_t h = 0; h < 2; ++h) {
    Value r = arith::AddIOp::create(
        kb, f.m0, arith::AddIOp::create(kb, f.grp, nb.index(8 * h)));
    f.rowsAValid.push_back(ltU(kb, r, mSize));
    f.rowsA.push_back(clampIdx(kb, r, mSize));
  }
  Value colRaw = arith::AddIOp::create(kb, n0, f.grp);
  f.colBValid = ltU(kb, colRaw, nSize);
  f.colB = clampIdx(kb, colRaw, nSize);
  f.colBByte = arith::DivUIOp::create(kb, f.colB, nb.index(2));
  f.colBNib = arith::IndexCastOp::create(
      kb, i32, arith::RemUIOp::create(kb, f.colB, nb.index(2)));
  // The lane's accumulator elements: rows g, g + 8; columns 2t, 2t + 1.
  for (int64_t j = 0; j < 2; ++j) {
    Value c = arith::AddIOp::create(
        kb, n0,
        arith::AddIOp::create(kb, arith::MulIOp::create(kb, f.tig, nb.index(2)),
                              nb.index(j)));
    f.colsCValid.push_back(ltU(kb, c, nSize));
    f.colsC.push_back(clampIdx(kb, c, nSize));
  }
  return f;
}
