//===- KernelUtils.cpp - Pieces shared by the GPU matmul kernels ----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "KernelUtils.h"

#include "../MXToLinalg/MXParts.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::mx;

Value kernel::ltU(ImplicitLocOpBuilder &b, Value x, Value bound) {
  return arith::CmpIOp::create(b, arith::CmpIPredicate::ult, x, bound);
}

Value kernel::andOpt(ImplicitLocOpBuilder &b, Value x, Value y) {
  if (!x)
    return y;
  if (!y)
    return x;
  return arith::AndIOp::create(b, x, y);
}

Value kernel::clampIdx(ImplicitLocOpBuilder &b, Value x, Value bound) {
  NumericBuilder nb(b);
  return arith::MinUIOp::create(b, x,
                                arith::SubIOp::create(b, bound, nb.index(1)));
}

Value kernel::isNegativeCode(ImplicitLocOpBuilder &b, Value code) {
  NumericBuilder nb(b);
  return arith::CmpIOp::create(b, arith::CmpIPredicate::ne,
                               arith::AndIOp::create(b, code, nb.i32(8)),
                               nb.i32(0));
}

SmallVector<Value> kernel::splitBySign(ImplicitLocOpBuilder &b, Value code,
                                       bool asym) {
  if (!asym)
    return {code};
  NumericBuilder nb(b);
  Value negative = isNegativeCode(b, code);
  return {arith::SelectOp::create(b, negative, nb.i32(0), code),
          arith::SelectOp::create(b, negative, code, nb.i32(0))};
}

Value kernel::nibble(ImplicitLocOpBuilder &b, Value data, ArrayRef<Value> idx,
                     Value which, Value valid) {
  NumericBuilder nb(b);
  Value byte = memref::LoadOp::create(b, data, idx);
  Value c = arith::ExtUIOp::create(b, b.getI32Type(), byte);
  c = arith::AndIOp::create(
      b,
      arith::ShRUIOp::create(b, c, arith::MulIOp::create(b, which, nb.i32(4))),
      nb.i32(0xF));
  return valid ? Value(arith::SelectOp::create(b, valid, c, nb.i32(0))) : c;
}

Value kernel::maskK(ImplicitLocOpBuilder &b, Value k, int64_t kSize,
                    bool partial, Value &valid) {
  if (!partial)
    return k;
  NumericBuilder nb(b);
  Value kBound = nb.index(kSize);
  valid = andOpt(b, valid, ltU(b, k, kBound));
  return clampIdx(b, k, kBound);
}

int64_t kernel::nativeScaleVec(const ::mx::ref::Format &f) {
  return f.scale == ::mx::ref::ScaleKind::E8M0 && f.blockSize % 32 == 0 ? 2 : 4;
}

Value kernel::packedScaleCodes(ImplicitLocOpBuilder &b, Value scales, Value k0,
                               Value index, bool ofA,
                               const ::mx::ref::Format &f, int64_t nBlocks) {
  NumericBuilder nb(b);
  const int64_t scaleVec = nativeScaleVec(f);
  const int64_t oneCode = f.scale == ::mx::ref::ScaleKind::E8M0 ? 127 : 0x38;
  Value word;
  for (int64_t j = 0; j < scaleVec; ++j) {
    Value blk = arith::DivUIOp::create(
        b, arith::AddIOp::create(b, k0, nb.index(j * 64 / scaleVec)),
        nb.index(f.blockSize));
    Value inside = ltU(b, blk, nb.index(nBlocks));
    Value blkC = clampIdx(b, blk, nb.index(nBlocks));
    Value code = fetchScaleCode(b, scales,
                                ofA ? SmallVector<Value>{index, blkC}
                                    : SmallVector<Value>{blkC, index});
    code = arith::SelectOp::create(b, inside, code, nb.i32(oneCode));
    if (j)
      code = arith::ShLIOp::create(b, code, nb.i32(8 * j));
    word = word ? Value(arith::OrIOp::create(b, word, code)) : code;
  }
  return word;
}

void kernel::storeResult(ImplicitLocOpBuilder &b, Value r, Value acc, Value out,
                         Value gA, Value gB, Value m, Value mValid, Value n,
                         Value nValid) {
  if (gA)
    r = arith::MulFOp::create(b, r, gA);
  if (gB)
    r = arith::MulFOp::create(b, r, gB);
  Value init = toF32(b, memref::LoadOp::create(b, acc, ValueRange{m, n}));
  Value fin = fromF32(b, arith::AddFOp::create(b, init, r),
                      cast<MemRefType>(out.getType()).getElementType());
  auto ifOp = scf::IfOp::create(b, andOpt(b, mValid, nValid),
                                /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  memref::StoreOp::create(b, fin, out, ValueRange{m, n});
}
