// RUN: mx-opt %s --convert-mx-matmul-to-avx512 | FileCheck %s
// RUN: mx-opt %s --convert-mx-matmul-to-avx512=threads=3 | FileCheck %s --check-prefix=THREADS
// RUN: mx-opt %s --convert-mx-matmul-to-avx512=report=true -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

!qa = !mx.qtensor<?x64, #mx.format<mxfp4>, axis = 1>
!qb = !mx.qtensor<64x128, #mx.format<mxfp4>, axis = 0>

// A symmetric x symmetric matmul: biased weight table, one term per block,
// the target features on the function.
// CHECK-LABEL: func.func @mxfp4
// CHECK-SAME: target_features = #llvm.target_features<["+avx512f", "+avx512bw", "+avx512vl", "+avx512vnni", "+avx512vbmi"]>
// CHECK-NOT: mx.matmul
// CHECK: arith.constant dense<[12, 13, 14, 15, 16, 18, 20, 24, 12, 11, 10, 9, 8, 6, 4, 0,
// Rows in groups of 4, then blocks, then 64-column tiles, then k-quads (8
// per block, unrolled): 4 rows x 4 vectors = 16 vpdpbusd per k-quad.
// CHECK: scf.for {{.*}} step %c4{{.*}} -> (tensor<?x128xf32>)
// CHECK: scf.for {{.*}} -> (tensor<4x128xf32>)
// CHECK: scf.for {{.*}} step %c64{{.*}} -> (tensor<4x128xf32>)
// CHECK: scf.for {{.*}} step %c8
// CHECK-COUNT-128: mx_x86.dot_u8s8 %{{.*}} : vector<64xi8> -> vector<16xi32>
// CHECK-NOT: mx_x86.dot_u8s8
// CHECK: scf.yield
// The rows are written back in column order, 2 x 16 columns per step.
// CHECK: vector.shuffle
// CHECK: vector.transfer_write {{.*}} : vector<16xf32>, tensor<?x128xf32>
// The remaining rows one by one, 128-column tiles: 8 vpdpbusd per k-quad.
// CHECK: scf.for {{.*}} step %c1{{.*}} -> (tensor<?x128xf32>)
// CHECK: scf.for {{.*}} -> (tensor<1x128xf32>)
// CHECK: scf.for {{.*}} step %c128{{.*}} -> (tensor<1x128xf32>)
// CHECK: scf.for {{.*}} step %c8
// CHECK-COUNT-64: mx_x86.dot_u8s8 %{{.*}} : vector<64xi8> -> vector<16xi32>
// CHECK-NOT: mx_x86.dot_u8s8
// CHECK: return
func.func @mxfp4(%x: tensor<?x64xf32>, %d: tensor<64x64xi8>, %s: tensor<2x128xf8E8M0FNU>, %c: tensor<?x128xf32>) -> tensor<?x128xf32> {
  %qa = mx.quantize %x : tensor<?x64xf32> -> !qa
  %qb = mx.pack %d, %s : tensor<64x64xi8>, tensor<2x128xf8E8M0FNU> -> !qb
  %r = mx.matmul %qa, %qb, %c : !qa, !qb -> tensor<?x128xf32>
  return %r : tensor<?x128xf32>
}

// threads=3 on 4 tiles of 64 columns (amxfp4): 2 chunks of 128 columns (the
// largest count up to 3 that divides the tiles); 1 tile (mxfp4): no forall.
// THREADS-LABEL: func.func @mxfp4
// THREADS-NOT: scf.forall
// THREADS-LABEL: func.func @amxfp4
// THREADS: scf.forall (%[[C:.*]]) in (2) shared_outs(%[[O:.*]] = %{{.*}}) -> (tensor<4x128xbf16>)
// THREADS: %[[BASE:.*]] = arith.muli %[[C]], %c64
// THREADS: tensor.parallel_insert_slice %{{.*}} into %[[O]][0, %[[BASE]]] [4, 64] [1, 1] : tensor<4x64xbf16> into tensor<4x128xbf16>

// Asymmetric x asymmetric: two tables (+ and - parts of B), four terms, a
// 64-column tile (16 sums per k-quad).
// CHECK-LABEL: func.func @amxfp4
// CHECK: arith.constant dense<[0, 1, 2, 3, 4, 6, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0,
// CHECK: arith.constant dense<[0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 6, 8, 12,
// CHECK: scf.for {{.*}} step %c64
// CHECK-COUNT-16: mx_x86.dot_u8s8
// CHECK: arith.extf {{.*}} : vector<16xf16> to vector<16xf32>
func.func @amxfp4(%a: !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>, %b: !mx.qtensor<64x128, #mx.format<amxfp4>, axis = 0>, %c: tensor<4x128xbf16>) -> tensor<4x128xbf16> {
  %r = mx.matmul %a, %b, %c : !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<64x128, #mx.format<amxfp4>, axis = 0> -> tensor<4x128xbf16>
  return %r : tensor<4x128xbf16>
}

// NVFP4: E4M3 scales, both tensor scales applied after the blocks.
// CHECK-LABEL: func.func @nvfp4
// CHECK: mx_x86.dot_u8s8
// CHECK: arith.mulf {{.*}} : vector<16xf32>
// CHECK: vector.broadcast
func.func @nvfp4(%a: !mx.qtensor<2x32, #mx.format<nvfp4>, axis = 1>, %b: !mx.qtensor<32x64, #mx.format<nvfp4>, axis = 0>, %c: tensor<2x64xf32>) -> tensor<2x64xf32> {
  %r = mx.matmul %a, %b, %c : !mx.qtensor<2x32, #mx.format<nvfp4>, axis = 1>, !mx.qtensor<32x64, #mx.format<nvfp4>, axis = 0> -> tensor<2x64xf32>
  return %r : tensor<2x64xf32>
}

// What stays for convert-mx-to-linalg.
// CHECK-LABEL: func.func @skipped
// CHECK-NOT: target_features
// CHECK-COUNT-5: mx.matmul
func.func @skipped(%a: !mx.qtensor<2x64, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<64x64, #mx.format<mxfp4>, axis = 0>,
                   %e: !mx.qtensor<2x64, #mx.format<mxfp8-e4m3>, axis = 1>, %f: !mx.qtensor<64x64, #mx.format<mxfp8-e4m3>, axis = 0>,
                   %g: !mx.qtensor<2x48, #mx.format<mxfp4>, axis = 1>, %h: !mx.qtensor<48x64, #mx.format<mxfp4>, axis = 0>,
                   %i: !mx.qtensor<64x32, #mx.format<mxfp4>, axis = 0>,
                   %ba: !mx.qtensor<2x2x64, #mx.format<mxfp4>, axis = 2>, %bb: !mx.qtensor<2x64x64, #mx.format<mxfp4>, axis = 1>,
                   %c: tensor<2x64xf32>, %c32: tensor<2x32xf32>, %bc: tensor<2x2x64xf32>) {
  // REPORT: remark: left to convert-mx-to-linalg: mode emulate
  %0 = mx.matmul %a, %b, %c {mode = #mx.matmul_mode<emulate>} : !mx.qtensor<2x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x64, #mx.format<mxfp4>, axis = 0> -> tensor<2x64xf32>
  // REPORT: remark: left to convert-mx-to-linalg: element formats other than E2M1 (FP4)
  %1 = mx.matmul %e, %f, %c : !mx.qtensor<2x64, #mx.format<mxfp8-e4m3>, axis = 1>, !mx.qtensor<64x64, #mx.format<mxfp8-e4m3>, axis = 0> -> tensor<2x64xf32>
  // REPORT: remark: left to convert-mx-to-linalg: K not static or not a multiple of the block size
  %2 = mx.matmul %g, %h, %c : !mx.qtensor<2x48, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<48x64, #mx.format<mxfp4>, axis = 0> -> tensor<2x64xf32>
  // REPORT: remark: left to convert-mx-to-linalg: N not static or not a multiple of 64
  %3 = mx.matmul %a, %i, %c32 : !mx.qtensor<2x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x32, #mx.format<mxfp4>, axis = 0> -> tensor<2x32xf32>
  // REPORT: remark: left to convert-mx-to-linalg: batched (rank-3) matmul
  %4 = mx.matmul %ba, %bb, %bc : !mx.qtensor<2x2x64, #mx.format<mxfp4>, axis = 2>, !mx.qtensor<2x64x64, #mx.format<mxfp4>, axis = 1> -> tensor<2x2x64xf32>
  return
}
