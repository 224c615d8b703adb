// RUN: mx-opt %s --convert-mx-matmul-to-gpu-mma="decode=false" | FileCheck %s
// RUN: mx-opt %s --convert-mx-matmul-to-gpu-mma="block-scale=true warps=2" | FileCheck %s --check-prefix=NATIVE
// RUN: mx-opt %s --convert-mx-matmul-to-gpu-mma="report=true block-scale=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: not mx-opt %s --convert-mx-matmul-to-gpu-mma="warps=0" 2>&1 | FileCheck %s --check-prefix=WARPS
// RUN: mx-opt %s --convert-mx-matmul-to-gpu-mma="block-scale=true tcgen05=true" | FileCheck %s --check-prefix=TCGEN05
// RUN: not mx-opt %s --convert-mx-matmul-to-gpu-mma="tcgen05=true" 2>&1 | FileCheck %s --check-prefix=TCONLY

// TCONLY: error: convert-mx-matmul-to-gpu-mma: tcgen05=true selects the sm_100a form of the block-scaled MMA and needs block-scale=true

// A symmetric x symmetric matmul (dynamic M): the operands are read as
// buffers, one warp-collective integer MMA per 32 positions of a block, the
// scales applied per lane after each block, the result in a new buffer.
// CHECK-LABEL: func.func @mxfp4
// CHECK-NOT: mx.matmul
// CHECK-DAG: bufferization.to_buffer %{{.*}} read_only : tensor<?x32xi8> to memref<?x32xi8, strided<[?, ?], offset: ?>>
// CHECK-DAG: bufferization.to_buffer %{{.*}} read_only : tensor<64x20xi8> to memref<64x20xi8, strided<[?, ?], offset: ?>>
// CHECK: %[[OUT:.*]] = memref.alloc(%{{.*}}) : memref<?x40xf32>
// 40 columns in blocks of 4 warps x 8: 2 thread blocks along N; M / 16
// along y; 128 threads.
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %{{.*}}, {{.*}} = %{{.*}}, {{.*}} = %{{.*}}) threads({{.*}}) in ({{.*}} = %c128{{.*}}
// CHECK: scf.for
// CHECK: scf.for {{.*}} -> (vector<2x2xi32>)
// CHECK-COUNT-1: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 32]} : (vector<4x4xi8>, vector<2x4xi8>, vector<2x2xi32>) -> vector<2x2xi32>
// CHECK-NOT: nvgpu.mma.sync
// CHECK: arith.sitofp
// CHECK: memref.store {{.*}}, %[[OUT]]
// CHECK: gpu.terminator
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable
// sm_100a: one 128 x 128 tile per thread block of 128 threads, its body the
// tcgen05 primitive on the operands' buffers.
// TCGEN05-LABEL: func.func @mxfp4
// TCGEN05: %[[B:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<64x20xi8>
// TCGEN05: %[[OUT:.*]] = memref.alloc(%{{.*}}) : memref<?x40xf32>
// TCGEN05-DAG: %[[GX:.*]] = arith.divui %{{.*}}, %c128
// TCGEN05-DAG: %[[GY:.*]] = arith.divui %{{.*}}, %c128
// TCGEN05: gpu.launch blocks({{.*}}) in ({{.*}} = %{{[0-9]+}}, {{.*}} = %{{[0-9]+}}, {{.*}}) threads({{.*}}) in ({{.*}} = %c128{{.*}}
// TCGEN05-NEXT: mx_nvvm.tcgen05_matmul lhs(%{{.*}}, %{{.*}}) rhs(%[[B]], %{{.*}}) acc(%{{.*}}) out(%[[OUT]]) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>}
// TCGEN05-NEXT: gpu.terminator
func.func @mxfp4(%a: !mx.qtensor<?x64, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<64x40, #mx.format<mxfp4>, axis = 0>, %c: tensor<?x40xf32>) -> tensor<?x40xf32> {
  %r = mx.matmul %a, %b, %c : !mx.qtensor<?x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x40, #mx.format<mxfp4>, axis = 0> -> tensor<?x40xf32>
  return %r : tensor<?x40xf32>
}

// Asymmetric x asymmetric: four MMA chains, one per sign-group pair.
// CHECK-LABEL: func.func @amxfp4
// CHECK: scf.for {{.*}} -> (vector<2x2xi32>, vector<2x2xi32>, vector<2x2xi32>, vector<2x2xi32>)
// CHECK-COUNT-4: nvgpu.mma.sync
// CHECK-NOT: nvgpu.mma.sync
// The result in bf16 (RNE from f32).
// CHECK: arith.truncf {{.*}} : f32 to bf16
// E5M2 scales: the exact integer MMA, as without tcgen05.
// TCGEN05-LABEL: func.func @amxfp4
// TCGEN05-NOT: mx_nvvm.tcgen05_matmul
// TCGEN05-COUNT-4: nvgpu.mma.sync
// NATIVE-LABEL: func.func @amxfp4
// NATIVE-NOT: mx_nvvm.mma_block_scale
// NATIVE-COUNT-4: nvgpu.mma.sync
func.func @amxfp4(%a: !mx.qtensor<16x96, #mx.format<amxfp4>, axis = 1>, %b: !mx.qtensor<96x8, #mx.format<amxfp4>, axis = 0>, %c: tensor<16x8xbf16>) -> tensor<16x8xbf16> {
  %r = mx.matmul %a, %b, %c : !mx.qtensor<16x96, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<96x8, #mx.format<amxfp4>, axis = 0> -> tensor<16x8xbf16>
  return %r : tensor<16x8xbf16>
}

// NVFP4 (blocks of 16): the upper half of each MMA's k is zero; the tensor
// scales multiply the accumulator.
// CHECK-LABEL: func.func @nvfp4
// CHECK-COUNT-1: nvgpu.mma.sync
// CHECK: arith.mulf
// CHECK: arith.mulf
// NATIVE-LABEL: func.func @nvfp4
// 2 warps of 8 columns a thread block: 64 threads.
// NATIVE: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c64{{.*}}
// NATIVE: scf.for {{.*}} -> (vector<4xf32>)
// NATIVE-COUNT-1: mx_nvvm.mma_block_scale %{{.*}} {scale_vec = 4 : i64, ue4m3} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
// NATIVE-NOT: nvgpu.mma.sync
// TCGEN05-LABEL: func.func @nvfp4
// TCGEN05: mx_nvvm.tcgen05_matmul lhs(%{{.*}}, %{{.*}} tensor_scale %{{.*}}) rhs(%{{.*}}, %{{.*}} tensor_scale %{{.*}}) {{.*}} {k = 48 : i64, lhs_format = #mx.format<nvfp4>, rhs_format = #mx.format<nvfp4>}
func.func @nvfp4(%a: !mx.qtensor<5x48, #mx.format<nvfp4>, axis = 1>, %b: !mx.qtensor<48x24, #mx.format<nvfp4>, axis = 0>, %c: tensor<5x24xf32>) -> tensor<5x24xf32> {
  %r = mx.matmul %a, %b, %c : !mx.qtensor<5x48, #mx.format<nvfp4>, axis = 1>, !mx.qtensor<48x24, #mx.format<nvfp4>, axis = 0> -> tensor<5x24xf32>
  return %r : tensor<5x24xf32>
}

// E8M0 scales: 2 scales per 64 positions (scale_vec 2); amxfp4-pot's sign
// split gives two block-scaled MMAs per chunk against a symmetric B.
// NATIVE-LABEL: func.func @pot_x_mxfp4
// NATIVE-COUNT-2: mx_nvvm.mma_block_scale %{{.*}} {scale_vec = 2 : i64} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
// NATIVE-NOT: mx_nvvm.mma_block_scale
// TCGEN05-LABEL: func.func @pot_x_mxfp4
// TCGEN05: mx_nvvm.tcgen05_matmul lhs(%{{.*}}, %{{.*}}, %{{.*}}) rhs(%{{.*}}, %{{.*}}) {{.*}} {k = 100 : i64, lhs_format = #mx.format<amxfp4-pot>, rhs_format = #mx.format<mxfp4>}
func.func @pot_x_mxfp4(%a: !mx.qtensor<3x100, #mx.format<amxfp4-pot>, axis = 1>, %b: !mx.qtensor<100x8, #mx.format<mxfp4>, axis = 0>, %c: tensor<3x8xf32>) -> tensor<3x8xf32> {
  %r = mx.matmul %a, %b, %c : !mx.qtensor<3x100, #mx.format<amxfp4-pot>, axis = 1>, !mx.qtensor<100x8, #mx.format<mxfp4>, axis = 0> -> tensor<3x8xf32>
  return %r : tensor<3x8xf32>
}

// Left to convert-mx-to-linalg, with the reason.
// CHECK-LABEL: func.func @skipped
// CHECK-COUNT-4: mx.matmul
// REPORT-DAG: remark: left to convert-mx-to-linalg: mode emulate
// REPORT-DAG: remark: left to convert-mx-to-linalg: element formats other than E2M1 (FP4)
// REPORT-DAG: remark: left to convert-mx-to-linalg: block size not a multiple of 16
// REPORT-DAG: remark: left to convert-mx-to-linalg: batched (rank-3) matmul
// REPORT-DAG: remark: exact integer MMA instead of the block-scaled MMA: scales that are neither E8M0 nor E4M3 (the hardware takes ue8m0 or ue4m3)
// REPORT-DAG: remark: exact integer MMA instead of the block-scaled MMA: the operands' scale formats differ
func.func @skipped(%a: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>,
                   %a8: !mx.qtensor<4x64, #mx.format<mxfp8-e4m3>, axis = 1>, %b8: !mx.qtensor<64x8, #mx.format<mxfp8-e4m3>, axis = 0>,
                   %as: !mx.qtensor<4x64, #mx.format<mxfp4, block_size = 8>, axis = 1>, %bs: !mx.qtensor<64x8, #mx.format<mxfp4, block_size = 8>, axis = 0>,
                   %a3: !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>, %b3: !mx.qtensor<2x64x8, #mx.format<mxfp4>, axis = 1>,
                   %an: !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>, %bm: !mx.qtensor<64x8, #mx.format<mxfp4, block_size = 16>, axis = 0>,
                   %c: tensor<4x8xf32>, %c3: tensor<2x4x8xf32>) {
  %0 = mx.matmul %a, %b, %c {mode = #mx.matmul_mode<emulate>} : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  %1 = mx.matmul %a8, %b8, %c : !mx.qtensor<4x64, #mx.format<mxfp8-e4m3>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp8-e4m3>, axis = 0> -> tensor<4x8xf32>
  %2 = mx.matmul %as, %bs, %c : !mx.qtensor<4x64, #mx.format<mxfp4, block_size = 8>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4, block_size = 8>, axis = 0> -> tensor<4x8xf32>
  %3 = mx.matmul %a3, %b3, %c3 : !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>, !mx.qtensor<2x64x8, #mx.format<mxfp4>, axis = 1> -> tensor<2x4x8xf32>
  %4 = mx.matmul %an, %bm, %c : !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4, block_size = 16>, axis = 0> -> tensor<4x8xf32>
  return
}

// WARPS: error: convert-mx-matmul-to-gpu-mma: warps must be in [1, 32], got 0

