// RUN: mx-opt %s | mx-opt | FileCheck %s
// RUN: mx-opt %s --mlir-print-op-generic | mx-opt | FileCheck %s
// RUN: mx-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// Round trip of every op in the custom and the generic form.

// CHECK-LABEL: func.func @quantize
// CHECK: mx.quantize %{{.*}} : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
// CHECK: mx.quantize %{{.*}} : tensor<4x64xf16> -> !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 0>
// CHECK: mx.quantize %{{.*}} : tensor<?x33xbf16> -> !mx.qtensor<?x33, #mx.format<mxint8>, axis = 1>
// CHECK: mx.quantize %{{.*}} tensor_scale(%{{.*}}) : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
// GENERIC-LABEL: sym_name = "quantize"
// GENERIC: "mx.quantize"(%{{.*}}) : (tensor<4x64xf32>) -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
func.func @quantize(%x: tensor<4x64xf32>, %h: tensor<4x64xf16>, %b: tensor<?x33xbf16>, %g: f32) {
  %0 = mx.quantize %x : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  %1 = mx.quantize %h : tensor<4x64xf16> -> !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 0>
  %2 = mx.quantize %b : tensor<?x33xbf16> -> !mx.qtensor<?x33, #mx.format<mxint8>, axis = 1>
  %3 = mx.quantize %x tensor_scale(%g) : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
  return
}

// CHECK-LABEL: func.func @dequantize
// CHECK: mx.dequantize %{{.*}} : !mx.qtensor<4x64, #mx.format<mxfp6-e2m3>, axis = 1> -> tensor<4x64xf32>
// CHECK: mx.dequantize %{{.*}} : !mx.qtensor<4x64, #mx.format<mxfp6-e2m3>, axis = 1> -> tensor<4x64xbf16>
func.func @dequantize(%q: !mx.qtensor<4x64, #mx.format<mxfp6-e2m3>, axis = 1>) -> (tensor<4x64xf32>, tensor<4x64xbf16>) {
  %0 = mx.dequantize %q : !mx.qtensor<4x64, #mx.format<mxfp6-e2m3>, axis = 1> -> tensor<4x64xf32>
  %1 = mx.dequantize %q : !mx.qtensor<4x64, #mx.format<mxfp6-e2m3>, axis = 1> -> tensor<4x64xbf16>
  return %0, %1 : tensor<4x64xf32>, tensor<4x64xbf16>
}

// CHECK-LABEL: func.func @block_mac
// CHECK: mx.block_mac %{{.*}}, %{{.*}}, %{{.*}} : !mx.qtensor<32, #mx.format<amxfp4>, axis = 0>, !mx.qtensor<32, #mx.format<mxfp4>, axis = 0>
// CHECK: mx.block_mac %{{.*}}, %{{.*}}, %{{.*}} : !mx.qtensor<5, #mx.format<nvfp4>, axis = 0>, !mx.qtensor<5, #mx.format<mxfp8-e4m3, block_size = 16>, axis = 0>
// GENERIC-LABEL: sym_name = "block_mac"
// GENERIC: "mx.block_mac"(%{{.*}}, %{{.*}}, %{{.*}}) : (f32, !mx.qtensor<32, #mx.format<amxfp4>, axis = 0>, !mx.qtensor<32, #mx.format<mxfp4>, axis = 0>) -> f32
func.func @block_mac(%acc: f32, %a: !mx.qtensor<32, #mx.format<amxfp4>, axis = 0>,
                     %b: !mx.qtensor<32, #mx.format<mxfp4>, axis = 0>,
                     %c: !mx.qtensor<5, #mx.format<nvfp4>, axis = 0>,
                     %d: !mx.qtensor<5, #mx.format<mxfp8-e4m3, block_size = 16>, axis = 0>) -> f32 {
  %0 = mx.block_mac %acc, %a, %b : !mx.qtensor<32, #mx.format<amxfp4>, axis = 0>, !mx.qtensor<32, #mx.format<mxfp4>, axis = 0>
  %1 = mx.block_mac %0, %c, %d : !mx.qtensor<5, #mx.format<nvfp4>, axis = 0>, !mx.qtensor<5, #mx.format<mxfp8-e4m3, block_size = 16>, axis = 0>
  return %1 : f32
}

// CHECK-LABEL: func.func @matmul
// CHECK: mx.matmul %{{.*}}, %{{.*}}, %{{.*}} : !mx.qtensor<16x64, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<16x8xf32>
// CHECK: mx.matmul %{{.*}}, %{{.*}}, %{{.*}} {mode = #mx.matmul_mode<emulate>} : !mx.qtensor<16x64, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<16x8xf32>
// CHECK: mx.matmul %{{.*}}, %{{.*}}, %{{.*}} : !mx.qtensor<?x?, #mx.format<nvfp4>, axis = 1>, !mx.qtensor<?x?, #mx.format<nvfp4>, axis = 0> -> tensor<?x?xbf16>
// GENERIC-LABEL: sym_name = "matmul"
// GENERIC: "mx.matmul"(%{{.*}}, %{{.*}}, %{{.*}}) <{mode = #mx.matmul_mode<emulate>}>
func.func @matmul(%a: !mx.qtensor<16x64, #mx.format<amxfp4>, axis = 1>,
                  %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>,
                  %acc: tensor<16x8xf32>,
                  %c: !mx.qtensor<?x?, #mx.format<nvfp4>, axis = 1>,
                  %d: !mx.qtensor<?x?, #mx.format<nvfp4>, axis = 0>,
                  %e: tensor<?x?xbf16>) {
  %0 = mx.matmul %a, %b, %acc : !mx.qtensor<16x64, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<16x8xf32>
  %1 = mx.matmul %a, %b, %acc {mode = #mx.matmul_mode<emulate>} : !mx.qtensor<16x64, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<16x8xf32>
  %2 = mx.matmul %c, %d, %e : !mx.qtensor<?x?, #mx.format<nvfp4>, axis = 1>, !mx.qtensor<?x?, #mx.format<nvfp4>, axis = 0> -> tensor<?x?xbf16>
  return
}

// CHECK-LABEL: func.func @batch_matmul
// CHECK: mx.matmul %{{.*}}, %{{.*}}, %{{.*}} : !mx.qtensor<2x16x64, #mx.format<mxfp4>, axis = 2>, !mx.qtensor<2x64x8, #mx.format<mxfp4>, axis = 1> -> tensor<2x16x8xf16>
func.func @batch_matmul(%a: !mx.qtensor<2x16x64, #mx.format<mxfp4>, axis = 2>,
                        %b: !mx.qtensor<2x64x8, #mx.format<mxfp4>, axis = 1>,
                        %acc: tensor<2x16x8xf16>) -> tensor<2x16x8xf16> {
  %0 = mx.matmul %a, %b, %acc : !mx.qtensor<2x16x64, #mx.format<mxfp4>, axis = 2>, !mx.qtensor<2x64x8, #mx.format<mxfp4>, axis = 1> -> tensor<2x16x8xf16>
  return %0 : tensor<2x16x8xf16>
}

// CHECK-LABEL: func.func @pack_unpack
// CHECK: %[[D:.*]], %[[S:.*]] = mx.unpack %{{.*}} : !mx.qtensor<4x63, #mx.format<mxfp4>, axis = 1>
// CHECK: mx.pack %[[D]], %[[S]] : tensor<4x32xi8>, tensor<4x2xf8E8M0FNU> -> !mx.qtensor<4x63, #mx.format<mxfp4>, axis = 1>
// CHECK: %[[AD:.*]], %[[AP:.*]], %[[AN:.*]] = mx.unpack %{{.*}} : !mx.qtensor<64x8, #mx.format<amxfp4>, axis = 0>
// CHECK: mx.pack %[[AD]], %[[AP]] neg_scales(%[[AN]] : tensor<2x8xf8E5M2>) : tensor<64x4xi8>, tensor<2x8xf8E5M2> -> !mx.qtensor<64x8, #mx.format<amxfp4>, axis = 0>
// CHECK: %[[ND:.*]], %[[NS:.*]], %[[NG:.*]] = mx.unpack %{{.*}} : !mx.qtensor<4x?, #mx.format<nvfp4>, axis = 1>
// CHECK: mx.pack %[[ND]], %[[NS]] tensor_scale(%[[NG]]) : tensor<4x?xi8>, tensor<4x?xf8E4M3FN> -> !mx.qtensor<4x?, #mx.format<nvfp4>, axis = 1>
// CHECK: mx.unpack %{{.*}} : !mx.qtensor<3x40, #mx.format<mxfp8-e5m2, scale_rule = rceil>, axis = 0>
// GENERIC-LABEL: sym_name = "pack_unpack"
// GENERIC: "mx.unpack"(%{{.*}}) <{resultSegmentSizes = array<i32: 1, 1, 1, 0>}> : (!mx.qtensor<64x8, #mx.format<amxfp4>, axis = 0>) -> (tensor<64x4xi8>, tensor<2x8xf8E5M2>, tensor<2x8xf8E5M2>)
func.func @pack_unpack(%q: !mx.qtensor<4x63, #mx.format<mxfp4>, axis = 1>,
                       %a: !mx.qtensor<64x8, #mx.format<amxfp4>, axis = 0>,
                       %n: !mx.qtensor<4x?, #mx.format<nvfp4>, axis = 1>,
                       %f: !mx.qtensor<3x40, #mx.format<mxfp8-e5m2, scale_rule = rceil>, axis = 0>) {
  %d, %s = mx.unpack %q : !mx.qtensor<4x63, #mx.format<mxfp4>, axis = 1>
  %0 = mx.pack %d, %s : tensor<4x32xi8>, tensor<4x2xf8E8M0FNU> -> !mx.qtensor<4x63, #mx.format<mxfp4>, axis = 1>
  %ad, %ap, %an = mx.unpack %a : !mx.qtensor<64x8, #mx.format<amxfp4>, axis = 0>
  %1 = mx.pack %ad, %ap neg_scales(%an : tensor<2x8xf8E5M2>) : tensor<64x4xi8>, tensor<2x8xf8E5M2> -> !mx.qtensor<64x8, #mx.format<amxfp4>, axis = 0>
  %nd, %ns, %ng = mx.unpack %n : !mx.qtensor<4x?, #mx.format<nvfp4>, axis = 1>
  %2 = mx.pack %nd, %ns tensor_scale(%ng) : tensor<4x?xi8>, tensor<4x?xf8E4M3FN> -> !mx.qtensor<4x?, #mx.format<nvfp4>, axis = 1>
  %fd, %fs = mx.unpack %f : !mx.qtensor<3x40, #mx.format<mxfp8-e5m2, scale_rule = rceil>, axis = 0>
  return
}
