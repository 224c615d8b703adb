// RUN: mx-opt %s | mx-opt | FileCheck %s
// RUN: mx-opt %s --mlir-print-op-generic | mx-opt | FileCheck %s
// RUN: mx-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @nvvm_primitives
// CHECK: %[[D:.*]] = mx_nvvm.mma_block_scale %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {scale_vec = 2 : i64} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
// CHECK: mx_nvvm.mma_block_scale %[[D]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {scale_vec = 4 : i64, ue4m3} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
// GENERIC-LABEL: sym_name = "nvvm_primitives"
// GENERIC: "mx_nvvm.mma_block_scale"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{scale_vec = 2 : i64}> : (vector<4xf32>, vector<4xi32>, vector<2xi32>, i32, i32) -> vector<4xf32>
func.func @nvvm_primitives(%c: vector<4xf32>, %a: vector<4xi32>, %b: vector<2xi32>, %sa: i32, %sb: i32) -> vector<4xf32> {
  %d = mx_nvvm.mma_block_scale %c, %a, %b, %sa, %sb {scale_vec = 2 : i64} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
  %e = mx_nvvm.mma_block_scale %d, %a, %b, %sa, %sb {scale_vec = 4 : i64, ue4m3} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
  return %e : vector<4xf32>
}

// CHECK-LABEL: func.func @tcgen05_tile
// CHECK: mx_nvvm.tcgen05_matmul lhs(%arg0, %arg1) rhs(%arg2, %arg3) acc(%arg8) out(%arg9) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
// CHECK: mx_nvvm.tcgen05_matmul lhs(%arg0, %arg4, %arg4) rhs(%arg2, %arg5, %arg5) acc(%arg8) out(%arg9) {k = 64 : i64, lhs_format = #mx.format<amxfp4-pot>, rhs_format = #mx.format<amxfp4-pot>}
// CHECK: mx_nvvm.tcgen05_matmul lhs(%arg0, %arg6 tensor_scale %arg7) rhs(%arg2, %arg6 tensor_scale %arg7) acc(%arg8) out(%arg9) {k = 64 : i64, lhs_format = #mx.format<nvfp4>, rhs_format = #mx.format<nvfp4>}
// GENERIC-LABEL: sym_name = "tcgen05_tile"
// GENERIC: "mx_nvvm.tcgen05_matmul"(%{{.*}}) <{k = 64 : i64, lhs_format = #mx.format<mxfp4>, operandSegmentSizes = array<i32: 1, 1, 0, 0, 1, 1, 0, 0, 1, 1>, rhs_format = #mx.format<mxfp4>}>
func.func @tcgen05_tile(%a: memref<?x32xi8>, %sa: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %sb: memref<2x128xf8E8M0FNU>, %pa: memref<?x2xf8E8M0FNU>, %pb: memref<2x128xf8E8M0FNU>, %na: memref<4x4xf8E4M3FN>, %g: f32, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  mx_nvvm.tcgen05_matmul lhs(%a, %sa) rhs(%b, %sb) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  mx_nvvm.tcgen05_matmul lhs(%a, %pa, %pa) rhs(%b, %pb, %pb) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<amxfp4-pot>, rhs_format = #mx.format<amxfp4-pot>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  mx_nvvm.tcgen05_matmul lhs(%a, %na tensor_scale %g) rhs(%b, %na tensor_scale %g) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<nvfp4>, rhs_format = #mx.format<nvfp4>} : memref<?x32xi8>, memref<4x4xf8E4M3FN>, f32, memref<64x64xi8>, memref<4x4xf8E4M3FN>, f32, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

// The NVIDIA GEMV layout of a 256 x 64 weight: 64 · 256 / 2 code bytes,
// (64 / 8) · (256 / 128) · 8 · (128 / bs) scale bytes per sign group.
// CHECK-LABEL: func.func @gemv_layout
// CHECK: %[[C:.*]], %[[S:.*]] = mx_nvvm.to_gemv_layout %{{.*}} : !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0> -> tensor<8192xi8>, tensor<512xi8>
// CHECK: mx_nvvm.gemv_weight %[[C]], %[[S]] : tensor<8192xi8>, tensor<512xi8> -> !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0>
// CHECK: mx_nvvm.gemv_weight %{{.*}}, %{{.*}} tensor_scale(%{{.*}}) : tensor<8192xi8>, tensor<1024xi8> -> !mx.qtensor<256x64, #mx.format<nvfp4>, axis = 0>
// CHECK: mx_nvvm.gemv_weight %{{.*}}, %{{.*}} : tensor<8192xi8>, tensor<1024xi8> -> !mx.qtensor<256x64, #mx.format<amxfp4>, axis = 0>
func.func @gemv_layout(%q: !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0>,
                       %s2: tensor<1024xi8>, %g: f32) {
  %c, %s = mx_nvvm.to_gemv_layout %q : !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0> -> tensor<8192xi8>, tensor<512xi8>
  %w = mx_nvvm.gemv_weight %c, %s : tensor<8192xi8>, tensor<512xi8> -> !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0>
  %n = mx_nvvm.gemv_weight %c, %s2 tensor_scale(%g) : tensor<8192xi8>, tensor<1024xi8> -> !mx.qtensor<256x64, #mx.format<nvfp4>, axis = 0>
  %a = mx_nvvm.gemv_weight %c, %s2 : tensor<8192xi8>, tensor<1024xi8> -> !mx.qtensor<256x64, #mx.format<amxfp4>, axis = 0>
  return
}

// -----

// CHECK-LABEL: func.func @barrier
// CHECK: mx_nvvm.workgroup_buffer : memref<64xf32, #gpu.address_space<workgroup>>
// CHECK: mx_nvvm.barrier
func.func @barrier() {
  %b = mx_nvvm.workgroup_buffer : memref<64xf32, #gpu.address_space<workgroup>>
  mx_nvvm.barrier
  return
}
