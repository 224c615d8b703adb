// RUN: mx-opt %s | mx-opt | FileCheck %s
// RUN: mx-opt %s --mlir-print-op-generic | mx-opt | FileCheck %s

// Every preset of docs/Spec.md §3 in its short form, the overrides of §3.1,
// and the explicit form, which prints as the preset it denotes.

// CHECK-LABEL: func.func @presets
// CHECK-SAME: #mx.format<mxfp4>
// CHECK-SAME: #mx.format<amxfp4>
// CHECK-SAME: #mx.format<amxfp4-pot>
// CHECK-SAME: #mx.format<nvfp4>
// CHECK-SAME: #mx.format<mxfp6-e2m3>
// CHECK-SAME: #mx.format<mxfp6-e3m2>
// CHECK-SAME: #mx.format<mxfp8-e4m3>
// CHECK-SAME: #mx.format<mxfp8-e5m2>
// CHECK-SAME: #mx.format<mxint8>
func.func @presets() attributes {
  p0 = #mx.format<mxfp4>, p1 = #mx.format<amxfp4>, p2 = #mx.format<amxfp4-pot>,
  p3 = #mx.format<nvfp4>, p4 = #mx.format<mxfp6-e2m3>, p5 = #mx.format<mxfp6-e3m2>,
  p6 = #mx.format<mxfp8-e4m3>, p7 = #mx.format<mxfp8-e5m2>, p8 = #mx.format<mxint8>} {
  return
}

// CHECK-LABEL: func.func @overrides
// CHECK-SAME: o0 = #mx.format<mxfp4, rounding = rna>
// CHECK-SAME: o1 = #mx.format<mxfp4, rounding = rna, scale_rule = even>
// CHECK-SAME: o2 = #mx.format<amxfp4-pot, scale_rule = rceil, block_size = 256>
// CHECK-SAME: o3 = #mx.format<amxfp4, rounding = rne, block_size = 16>
// CHECK-SAME: o4 = #mx.format<nvfp4, rounding = rna, block_size = 32>
// CHECK-SAME: o5 = #mx.format<mxint8, scale_rule = ceil, block_size = 8>
// CHECK-SAME: o6 = #mx.format<mxfp4>
// CHECK-SAME: o7 = #mx.format<mxfp4, scale_rule = even>
func.func @overrides() attributes {
  o0 = #mx.format<mxfp4, rounding = rna>,
  o1 = #mx.format<mxfp4, scale_rule = even, rounding = rna>,
  o2 = #mx.format<amxfp4-pot, block_size = 256, scale_rule = rceil>,
  o3 = #mx.format<amxfp4, rounding = rne, block_size = 16>,
  o4 = #mx.format<nvfp4, rounding = rna, block_size = 32>,
  o5 = #mx.format<mxint8, scale-rule = ceil, block-size = 8>,
  o6 = #mx.format<mxfp4, rounding = rne, block_size = 32>,
  o7 = #mx.format<mxfp4, scale_rule = even>} {
  return
}

// CHECK-LABEL: func.func @explicit
// CHECK-SAME: e0 = #mx.format<mxfp4>
// CHECK-SAME: e1 = #mx.format<amxfp4>
// CHECK-SAME: e2 = #mx.format<nvfp4>
// CHECK-SAME: e3 = #mx.format<amxfp4-pot, rounding = rne, scale_rule = ceil>
// CHECK-SAME: e4 = #mx.format<mxint8, block_size = 64>
// CHECK-SAME: e5 = #mx.format<mxfp6-e3m2>
func.func @explicit() attributes {
  e0 = #mx.format<element = f4E2M1FN, scale = f8E8M0FNU>,
  e1 = #mx.format<element = f4E2M1FN, scale = f8E5M2, rounding = rna, asymmetric>,
  e2 = #mx.format<element = f4E2M1FN, scale = f8E4M3FN, block_size = 16, tensor_scale>,
  e3 = #mx.format<element = f4E2M1FN, scale = f8E8M0FNU, asymmetric = true, scale_rule = ceil>,
  e4 = #mx.format<element = i8, scale = f8E8M0FNU, block_size = 64, tensor_scale = false>,
  e5 = #mx.format<scale = f8E8M0FNU, element = f6E3M2FN>} {
  return
}

// CHECK-LABEL: func.func @types
// CHECK-SAME: !mx.qtensor<7, #mx.format<mxfp4>, axis = 0>
// CHECK-SAME: !mx.qtensor<2x?x300, #mx.format<mxfp8-e4m3>, axis = 2>
// CHECK-SAME: !mx.qtensor<?x?, #mx.format<amxfp4>, axis = 0>
// CHECK-SAME: !mx.qtensor<4x8, #mx.format<mxfp4>, axis = 1>
func.func @types(%a: !mx.qtensor<7, #mx.format<mxfp4>, axis = 0>,
                 %b: !mx.qtensor<2x?x300, #mx.format<mxfp8-e4m3>, axis = 2>,
                 %c: !mx.qtensor<?x?, #mx.format<amxfp4>, axis = 0>,
                 %d: !mx.qtensor<4x8, #mx.format<mxfp4>>) {
  return
}

// CHECK-LABEL: func.func @modes
// CHECK-SAME: m0 = #mx.matmul_mode<exact>
// CHECK-SAME: m1 = #mx.matmul_mode<emulate>
func.func @modes() attributes {m0 = #mx.matmul_mode<exact>, m1 = #mx.matmul_mode<emulate>} {
  return
}
