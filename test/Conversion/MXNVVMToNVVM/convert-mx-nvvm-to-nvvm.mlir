// RUN: mx-opt %s --split-input-file --verify-diagnostics --convert-mx-nvvm-to-nvvm | FileCheck %s

// The block-scaled MMA primitive becomes the NVVM op on the lane's
// registers, with the byte and thread selectors 0.
// CHECK-LABEL: func.func @mma
// CHECK-NOT: mx_nvvm
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
  %d = mx_nvvm.mma_block_scale %c, %a, %b, %sa, %sb {scale_vec = 2 : i64} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
  %e = mx_nvvm.mma_block_scale %d, %a, %b, %sa, %sb {scale_vec = 4 : i64, ue4m3} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
  return %e : vector<4xf32>
}

// -----

// The sm_100a tile: a workgroup buffer on the kernel (128 bytes of slack
// for the alignment, a 128-byte header, 4096 bytes per operand part),
// tensor memory allocated by warp 0, the mbarrier set up by thread 0.
// CHECK-LABEL: gpu.func @tile
// CHECK-SAME: workgroup(%[[SMEM:.*]] : memref<8448xi8, #gpu.address_space<workgroup>>) kernel
// CHECK-NOT: mx_nvvm
// CHECK: memref.extract_aligned_pointer_as_index %[[SMEM]]
// CHECK: nvvm.tcgen05.alloc %{{.*}}, %{{.*}} : !llvm.ptr<3>, i32
// CHECK: nvvm.tcgen05.relinquish_alloc_permit
// CHECK: nvvm.mbarrier.init
// CHECK: nvvm.tcgen05.fence <before>
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: nvvm.tcgen05.fence <after>
// CHECK: %[[TMEM:.*]] = llvm.load %{{.*}} : !llvm.ptr<3> -> i32
// One iteration per 64 positions (K = 128): the rows of A and Bᵀ into
// shared memory, the scale factors into tensor memory.
// CHECK: scf.for %[[CHUNK:.*]] = %{{.*}} to %c2{{.*}} step
// CHECK: memref.store %{{.*}}, %[[SMEM]]
// CHECK: nvvm.tcgen05.st %{{.*}}, %{{.*}} {shape = #nvvm.tcgen05_ldst_shape<shape_32x32b>} : vector<4xi32>
// CHECK: nvvm.tcgen05.st %{{.*}}, %{{.*}} {shape = #nvvm.tcgen05_ldst_shape<shape_32x32b>} : vector<4xi32>
// CHECK: nvvm.tcgen05.wait <store>
// CHECK: nvvm.fence.proxy {kind = #nvvm.proxy_kind<async.shared>, space = #nvvm.shared_space<cta>}
// CHECK: gpu.barrier
// Thread 0 issues the MMA: idesc 144704640 = E2M1 x E2M1, N = 128, UE8M0,
// M = 128; descriptors with LBO 128, SBO 256 and bits 46-48 = 0b001.
// CHECK: scf.if
// CHECK: %[[FIXED:.*]] = arith.constant 70437464178688 : i64
// CHECK: arith.ori %{{.*}}, %[[FIXED]] : i64
// CHECK: nvvm.tcgen05.mma.block_scale %{{.*}}, %{{.*}}, %{{.*}}, %c144704640_i32{{[_0-9]*}}, %{{.*}}, %{{.*}}, %{{.*}} {blockScale = #nvvm.tcgen05_mma_block_scale<block32>, ctaGroup = #nvvm.cta_group<cta_1>, kind = #nvvm.block_scale_kind<mxf4nvf4>}
// CHECK-NOT: nvvm.tcgen05.mma.block_scale
// CHECK: nvvm.tcgen05.commit
// CHECK: nvvm.mbarrier.try_wait.parity
// The accumulator, 32 columns at a time.
// CHECK: scf.for
// CHECK: nvvm.tcgen05.ld %{{.*}} {shape = #nvvm.tcgen05_ldst_shape<shape_32x32b>} : vector<32xi32>
// CHECK: nvvm.tcgen05.wait <load>
// CHECK: memref.store %{{.*}}, %arg5
// CHECK: nvvm.tcgen05.dealloc %{{.*}}, %{{.*}} : !llvm.ptr<6>, i32
gpu.module @kernels {
  gpu.func @tile(%a: memref<?x64xi8>, %sa: memref<?x4xf8E8M0FNU>, %b: memref<128x256xi8>, %sb: memref<4x512xf8E8M0FNU>, %c: memref<?x512xf32>, %o: memref<?x512xf32>) kernel {
    mx_nvvm.tcgen05_matmul lhs(%a, %sa) rhs(%b, %sb) acc(%c) out(%o) {k = 128 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x64xi8>, memref<?x4xf8E8M0FNU>, memref<128x256xi8>, memref<4x512xf8E8M0FNU>, memref<?x512xf32>, memref<?x512xf32>
    gpu.return
  }
}

// -----

// Sign split of both operands: four parts in shared memory, four MMAs per
// 64 positions; UE4M3 scales (idesc bit 23 clear), scale_vec::4X.
// CHECK-LABEL: gpu.func @split
// CHECK-SAME: workgroup(%{{.*}} : memref<16640xi8, #gpu.address_space<workgroup>>)
// CHECK-COUNT-4: nvvm.tcgen05.st
// CHECK-COUNT-4: nvvm.tcgen05.mma.block_scale {{.*}}, %c144704640_i32{{[_0-9]*}}, {{.*}}<block32>
// CHECK-LABEL: gpu.func @nvfp4
// CHECK-COUNT-1: nvvm.tcgen05.mma.block_scale {{.*}}, %c136316032_i32{{[_0-9]*}}, {{.*}}<block16>
// The tensor scales multiply the sum before the accumulator input.
// CHECK: arith.mulf %{{.*}}, %arg6 : f32
// CHECK: arith.mulf %{{.*}}, %arg6 : f32
gpu.module @kernels {
  gpu.func @split(%a: memref<?x32xi8>, %sa: memref<?x2xf8E8M0FNU>, %b: memref<64x8xi8>, %sb: memref<2x16xf8E8M0FNU>, %c: memref<?x16xf32>, %o: memref<?x16xf32>) kernel {
    mx_nvvm.tcgen05_matmul lhs(%a, %sa, %sa) rhs(%b, %sb, %sb) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<amxfp4-pot>, rhs_format = #mx.format<amxfp4-pot>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<?x2xf8E8M0FNU>, memref<64x8xi8>, memref<2x16xf8E8M0FNU>, memref<2x16xf8E8M0FNU>, memref<?x16xf32>, memref<?x16xf32>
    gpu.return
  }
  gpu.func @nvfp4(%a: memref<?x24xi8>, %sa: memref<?x3xf8E4M3FN>, %b: memref<48x8xi8>, %sb: memref<3x16xf8E4M3FN>, %c: memref<?x16xf32>, %o: memref<?x16xf32>, %g: f32) kernel {
    mx_nvvm.tcgen05_matmul lhs(%a, %sa tensor_scale %g) rhs(%b, %sb tensor_scale %g) acc(%c) out(%o) {k = 48 : i64, lhs_format = #mx.format<nvfp4>, rhs_format = #mx.format<nvfp4>} : memref<?x24xi8>, memref<?x3xf8E4M3FN>, f32, memref<48x8xi8>, memref<3x16xf8E4M3FN>, f32, memref<?x16xf32>, memref<?x16xf32>
    gpu.return
  }
}

// -----

func.func @outside(%a: memref<?x32xi8>, %sa: memref<?x2xf8E8M0FNU>, %b: memref<64x8xi8>, %sb: memref<2x16xf8E8M0FNU>, %c: memref<?x16xf32>, %o: memref<?x16xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op must be inside a gpu.launch or a gpu.func}}
  mx_nvvm.tcgen05_matmul lhs(%a, %sa) rhs(%b, %sb) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x8xi8>, memref<2x16xf8E8M0FNU>, memref<?x16xf32>, memref<?x16xf32>
  return
}
