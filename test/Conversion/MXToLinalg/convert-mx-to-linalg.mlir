// RUN: mx-opt %s --convert-mx-to-linalg --split-input-file | FileCheck %s
// RUN: mx-opt %s --convert-mx-to-linalg --canonicalize --split-input-file | FileCheck %s --check-prefix=CANON

// mx.quantize becomes block statistics, scale codes, element codes and
// nibble packing; the storage parts meet mx.dequantize's unpack and fold.
// CHECK-LABEL: func.func @quantize_dequantize
// CHECK-NOT: mx.quantize
// CHECK-NOT: mx.dequantize
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.andi
// CHECK: arith.maxnumf
// CHECK: linalg.generic
// CHECK: math.ctlz
// CHECK: arith.bitcast {{.*}} : i8 to f8E8M0FNU
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK: linalg.generic
// CHECK: arith.shli
// CHECK-NOT: mx.
// CHECK: return
func.func @quantize_dequantize(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %q = mx.quantize %x : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  %y = mx.dequantize %q : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1> -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// The MAC: exact per-group sums in the narrowest integer type that holds a
// block's sum (FP4 x FP4: values x 2 are integers, i32), one correctly
// rounded conversion each, then the scales.
// CHECK-LABEL: func.func @matmul
// CHECK: linalg.generic
// CHECK: scf.for
// CHECK: scf.for {{.*}} -> (i32, i32, i32, i32, i1)
// CHECK: arith.muli {{.*}} : i32
// CHECK: arith.sitofp {{.*}} : i32 to f32
// CHECK-NOT: mx.
// CANON-LABEL: func.func @matmul
// CANON-NOT: mx.
func.func @matmul(%a: tensor<4x40xf32>, %b: tensor<40x8xf32>, %c: tensor<4x8xbf16>) -> tensor<4x8xbf16> {
  %qa = mx.quantize %a : tensor<4x40xf32> -> !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>
  %qb = mx.quantize %b : tensor<40x8xf32> -> !mx.qtensor<40x8, #mx.format<mxfp4>, axis = 0>
  %r = mx.matmul %qa, %qb, %c : !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<40x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xbf16>
  return %r : tensor<4x8xbf16>
}

// -----

// FP8 pairs need i64 (E4M3) or i128 (E5M2, rounded with ctlz and shifts).
// CHECK-LABEL: func.func @fp8
// CHECK: scf.for {{.*}} -> (i64, i64, i64, i64, i1)
// CHECK: arith.sitofp {{.*}} : i64 to f32
// CHECK: scf.for {{.*}} -> (i128, i128, i128, i128, i1)
// CHECK: math.ctlz {{.*}} : i128
func.func @fp8(%a: tensor<2x32xf32>, %b: tensor<32x2xf32>, %c: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %qa = mx.quantize %a : tensor<2x32xf32> -> !mx.qtensor<2x32, #mx.format<mxfp8-e4m3>, axis = 1>
  %qb = mx.quantize %b : tensor<32x2xf32> -> !mx.qtensor<32x2, #mx.format<mxfp8-e4m3>, axis = 0>
  %r = mx.matmul %qa, %qb, %c : !mx.qtensor<2x32, #mx.format<mxfp8-e4m3>, axis = 1>, !mx.qtensor<32x2, #mx.format<mxfp8-e4m3>, axis = 0> -> tensor<2x2xf32>
  %qe = mx.quantize %a : tensor<2x32xf32> -> !mx.qtensor<2x32, #mx.format<mxfp8-e5m2>, axis = 1>
  %qf = mx.quantize %b : tensor<32x2xf32> -> !mx.qtensor<32x2, #mx.format<mxfp8-e5m2>, axis = 0>
  %s = mx.matmul %qe, %qf, %c : !mx.qtensor<2x32, #mx.format<mxfp8-e5m2>, axis = 1>, !mx.qtensor<32x2, #mx.format<mxfp8-e5m2>, axis = 0> -> tensor<2x2xf32>
  return %r, %s : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// Pre-quantized weights enter through mx.pack and are read directly.
// CANON-LABEL: func.func @prequantized
// CANON-SAME: (%[[D:.*]]: tensor<16x4xi8>, %[[S:.*]]: tensor<1x8xf8E8M0FNU>
// CANON: tensor.extract %[[D]]
// CANON: tensor.extract %[[S]]
// CANON-NOT: mx.
func.func @prequantized(%d: tensor<16x4xi8>, %s: tensor<1x8xf8E8M0FNU>, %a: tensor<2x16xf32>, %c: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %qb = mx.pack %d, %s : tensor<16x4xi8>, tensor<1x8xf8E8M0FNU> -> !mx.qtensor<16x8, #mx.format<mxfp4>, axis = 0>
  %qa = mx.quantize %a : tensor<2x16xf32> -> !mx.qtensor<2x16, #mx.format<mxfp4>, axis = 1>
  %r = mx.matmul %qa, %qb, %c {mode = #mx.matmul_mode<emulate>} : !mx.qtensor<2x16, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<16x8, #mx.format<mxfp4>, axis = 0> -> tensor<2x8xf32>
  return %r : tensor<2x8xf32>
}

// -----

// mx.block_mac becomes scalar code.
// CHECK-LABEL: func.func @block_mac
// CHECK: scf.for
// CHECK: arith.addf
// CHECK-NOT: mx.block_mac
func.func @block_mac(%acc: f32, %a: tensor<8xf32>, %b: tensor<8xf32>) -> f32 {
  %qa = mx.quantize %a : tensor<8xf32> -> !mx.qtensor<8, #mx.format<amxfp4>, axis = 0>
  %qb = mx.quantize %b : tensor<8xf32> -> !mx.qtensor<8, #mx.format<amxfp4>, axis = 0>
  %r = mx.block_mac %acc, %qa, %qb : !mx.qtensor<8, #mx.format<amxfp4>, axis = 0>, !mx.qtensor<8, #mx.format<amxfp4>, axis = 0>
  return %r : f32
}
