// RUN: mx-opt %s --convert-mx-nvvm-to-nvvm | FileCheck %s

// The block-scaled MMA primitive becomes the NVVM op on the lane's
// registers, with the byte and thread selectors 0.
// CHECK-LABEL: func.func @mma
// CHECK-NOT: mx.nvvm
// CHECK: %[[Z:.*]] = arith.constant 0 : i16
// CHECK: nvvm.mma.block_scale A[{{.*}}, {{.*}}, {{.*}}, {{.*}}] B[{{.*}}, {{.*}}] C[{{.*}}, {{.*}}, {{.*}}, {{.*}}] scaleA[%arg3, %[[Z]], %[[Z]]] scaleB[%arg4, %[[Z]], %[[Z]]]
// CHECK-SAME: blockScaleFormat = #nvvm.block_scale_format<ue8m0>
// CHECK-SAME: kind = #nvvm.block_scale_kind<mxf4nvf4>
// CHECK-SAME: scaleVecSize = #nvvm.scale_vec_size<x2>
// CHECK-SAME: shape = #nvvm.shape<m = 16, n = 8, k = 64>
// CHECK: nvvm.mma.block_scale
// CHECK-SAME: blockScaleFormat = #nvvm.block_scale_format<ue4m3>
// CHECK-SAME: scaleVecSize = #nvvm.scale_vec_size<x4>
// CHECK: vector.from_elements {{.*}} : vector<4xf32>
func.func @mma(%c: vector<4xf32>, %a: vector<4xi32>, %b: vector<2xi32>, %sa: i32, %sb: i32) -> vector<4xf32> {
  %d = mx.nvvm.mma_block_scale %c, %a, %b, %sa, %sb {scale_vec = 2 : i64} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
  %e = mx.nvvm.mma_block_scale %d, %a, %b, %sa, %sb {scale_vec = 4 : i64, ue4m3} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
  return %e : vector<4xf32>
}
