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

// CHECK-LABEL: func.func @x86_primitives
// CHECK: %[[L:.*]] = mx.x86.lookup %{{.*}}, %{{.*}} : vector<64xi8>
// CHECK: mx.x86.dot_u8s8 %{{.*}}, %[[L]], %{{.*}} : vector<64xi8> -> vector<16xi32>
// GENERIC-LABEL: sym_name = "x86_primitives"
// GENERIC: "mx.x86.lookup"(%{{.*}}, %{{.*}}) : (vector<64xi8>, vector<64xi8>) -> vector<64xi8>
// GENERIC: "mx.x86.dot_u8s8"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
func.func @x86_primitives(%t: vector<64xi8>, %i: vector<64xi8>, %acc: vector<16xi32>, %x: vector<64xi8>) -> vector<16xi32> {
  %l = mx.x86.lookup %t, %i : vector<64xi8>
  %s = mx.x86.dot_u8s8 %acc, %l, %x : vector<64xi8> -> vector<16xi32>
  return %s : vector<16xi32>
}

// CHECK-LABEL: func.func @nvvm_primitives
// CHECK: %[[D:.*]] = mx.nvvm.mma_block_scale %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {scale_vec = 2 : i64} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
// CHECK: mx.nvvm.mma_block_scale %[[D]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {scale_vec = 4 : i64, ue4m3} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
// GENERIC-LABEL: sym_name = "nvvm_primitives"
// GENERIC: "mx.nvvm.mma_block_scale"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{scale_vec = 2 : i64}> : (vector<4xf32>, vector<4xi32>, vector<2xi32>, i32, i32) -> vector<4xf32>
func.func @nvvm_primitives(%c: vector<4xf32>, %a: vector<4xi32>, %b: vector<2xi32>, %sa: i32, %sb: i32) -> vector<4xf32> {
  %d = mx.nvvm.mma_block_scale %c, %a, %b, %sa, %sb {scale_vec = 2 : i64} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
  %e = mx.nvvm.mma_block_scale %d, %a, %b, %sa, %sb {scale_vec = 4 : i64, ue4m3} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
  return %e : vector<4xf32>
}

// CHECK-LABEL: func.func @tcgen05_tile
// CHECK: mx.nvvm.tcgen05_matmul lhs(%arg0, %arg1) rhs(%arg2, %arg3) acc(%arg8) out(%arg9) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
// CHECK: mx.nvvm.tcgen05_matmul lhs(%arg0, %arg4, %arg4) rhs(%arg2, %arg5, %arg5) acc(%arg8) out(%arg9) {k = 64 : i64, lhs_format = #mx.format<amxfp4-pot>, rhs_format = #mx.format<amxfp4-pot>}
// CHECK: mx.nvvm.tcgen05_matmul lhs(%arg0, %arg6 tensor_scale %arg7) rhs(%arg2, %arg6 tensor_scale %arg7) acc(%arg8) out(%arg9) {k = 64 : i64, lhs_format = #mx.format<nvfp4>, rhs_format = #mx.format<nvfp4>}
// GENERIC-LABEL: sym_name = "tcgen05_tile"
// GENERIC: "mx.nvvm.tcgen05_matmul"(%{{.*}}) <{k = 64 : i64, lhs_format = #mx.format<mxfp4>, operandSegmentSizes = array<i32: 1, 1, 0, 0, 1, 1, 0, 0, 1, 1>, rhs_format = #mx.format<mxfp4>}>
func.func @tcgen05_tile(%a: memref<?x32xi8>, %sa: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %sb: memref<2x128xf8E8M0FNU>, %pa: memref<?x2xf8E8M0FNU>, %pb: memref<2x128xf8E8M0FNU>, %na: memref<4x4xf8E4M3FN>, %g: f32, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  mx.nvvm.tcgen05_matmul lhs(%a, %sa) rhs(%b, %sb) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  mx.nvvm.tcgen05_matmul lhs(%a, %pa, %pa) rhs(%b, %pb, %pb) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<amxfp4-pot>, rhs_format = #mx.format<amxfp4-pot>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  mx.nvvm.tcgen05_matmul lhs(%a, %na tensor_scale %g) rhs(%b, %na tensor_scale %g) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<nvfp4>, rhs_format = #mx.format<nvfp4>} : memref<?x32xi8>, memref<4x4xf8E4M3FN>, f32, memref<64x64xi8>, memref<4x4xf8E4M3FN>, f32, memref<?x128xf32>, memref<?x128xf32>
  return
}
