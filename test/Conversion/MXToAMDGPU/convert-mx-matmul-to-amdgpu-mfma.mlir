// RUN: mx-opt %s --convert-mx-matmul-to-amdgpu-mfma | FileCheck %s
// RUN: mx-opt %s --convert-mx-matmul-to-amdgpu-mfma="waves=2" | FileCheck %s --check-prefix=WAVES2
// RUN: mx-opt %s --convert-mx-matmul-to-amdgpu-mfma="report=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: not mx-opt %s --convert-mx-matmul-to-amdgpu-mfma="waves=0" 2>&1 | FileCheck %s --check-prefix=BADWAVES

// FP4 x FP8 (each operand in its own element type), dynamic M: waves of 64
// lanes, 4 waves a block, one 16x16x128 scaled MFMA per 128 positions with
// the lane's E8M0 block scales.
// CHECK-LABEL: func.func @mxfp4_x_mxfp8
// CHECK-NOT: mx.matmul
// CHECK: %[[OUT:.*]] = memref.alloc(%{{.*}}) : memref<?x40xf32>
// CHECK: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c256{{.*}}
// CHECK: scf.for {{.*}} -> (vector<4xf32>)
// CHECK: arith.bitcast {{.*}} : vector<32xi4> to vector<32xf4E2M1FN>
// CHECK: arith.bitcast {{.*}} : i8 to f8E8M0FNU
// CHECK: arith.bitcast {{.*}} : vector<32xi8> to vector<32xf8E5M2>
// CHECK-COUNT-1: amdgpu.scaled_mfma 16x16x128 (%{{.*}}[0] * %{{.*}}) * (%{{.*}}[0] * %{{.*}}) + %{{.*}} : f8E8M0FNU, vector<32xf4E2M1FN>, f8E8M0FNU, vector<32xf8E5M2>, vector<4xf32>
// CHECK-NOT: amdgpu.scaled_mfma
// CHECK: memref.store {{.*}}, %[[OUT]]
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable
// WAVES2-LABEL: func.func @mxfp4_x_mxfp8
// WAVES2: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c128{{.*}}
func.func @mxfp4_x_mxfp8(%a: !mx.qtensor<?x200, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<200x40, #mx.format<mxfp8-e5m2>, axis = 0>, %c: tensor<?x40xf32>) -> tensor<?x40xf32> {
  %r = mx.matmul %a, %b, %c : !mx.qtensor<?x200, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<200x40, #mx.format<mxfp8-e5m2>, axis = 0> -> tensor<?x40xf32>
  return %r : tensor<?x40xf32>
}

// amxfp4-pot (E8M0 scales) x mxfp6: the sign split of A, two MFMAs.
// CHECK-LABEL: func.func @pot_x_mxfp6
// CHECK: arith.bitcast {{.*}} : vector<32xi6> to vector<32xf6E3M2FN>
// CHECK-COUNT-2: amdgpu.scaled_mfma 16x16x128
// CHECK-NOT: amdgpu.scaled_mfma
func.func @pot_x_mxfp6(%a: !mx.qtensor<16x128, #mx.format<amxfp4-pot>, axis = 1>, %b: !mx.qtensor<128x16, #mx.format<mxfp6-e3m2>, axis = 0>, %c: tensor<16x16xbf16>) -> tensor<16x16xbf16> {
  %r = mx.matmul %a, %b, %c : !mx.qtensor<16x128, #mx.format<amxfp4-pot>, axis = 1>, !mx.qtensor<128x16, #mx.format<mxfp6-e3m2>, axis = 0> -> tensor<16x16xbf16>
  return %r : tensor<16x16xbf16>
}

// Left to the exact kernels, with the reason.
// CHECK-LABEL: func.func @skipped
// CHECK-COUNT-5: mx.matmul
// REPORT-DAG: remark: left to convert-mx-to-linalg: scales other than E8M0 (the scaled MFMA takes E8M0 only)
// REPORT-DAG: remark: left to convert-mx-to-linalg: INT8 elements (the scaled MFMA takes FP4, FP6 and FP8)
// REPORT-DAG: remark: left to convert-mx-to-linalg: block size not a multiple of 32 (one scale per 32 elements)
// REPORT-DAG: remark: left to convert-mx-to-linalg: mode emulate
// REPORT-DAG: remark: left to convert-mx-to-linalg: batched (rank-3) matmul
func.func @skipped(%a: !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>, %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>,
                   %ai: !mx.qtensor<4x64, #mx.format<mxint8>, axis = 1>, %bi: !mx.qtensor<64x8, #mx.format<mxint8>, axis = 0>,
                   %as: !mx.qtensor<4x64, #mx.format<mxfp4, block_size = 16>, axis = 1>, %bs: !mx.qtensor<64x8, #mx.format<mxfp4, block_size = 16>, axis = 0>,
                   %am: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>,
                   %a3: !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>, %b3: !mx.qtensor<2x64x8, #mx.format<mxfp4>, axis = 1>,
                   %c: tensor<4x8xf32>, %c3: tensor<2x4x8xf32>) {
  %0 = mx.matmul %a, %b, %c : !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  %1 = mx.matmul %ai, %bi, %c : !mx.qtensor<4x64, #mx.format<mxint8>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxint8>, axis = 0> -> tensor<4x8xf32>
  %2 = mx.matmul %as, %bs, %c : !mx.qtensor<4x64, #mx.format<mxfp4, block_size = 16>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4, block_size = 16>, axis = 0> -> tensor<4x8xf32>
  %3 = mx.matmul %am, %b, %c {mode = #mx.matmul_mode<emulate>} : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  %4 = mx.matmul %a3, %b3, %c3 : !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>, !mx.qtensor<2x64x8, #mx.format<mxfp4>, axis = 1> -> tensor<2x4x8xf32>
  return
}

// BADWAVES: error: convert-mx-matmul-to-amdgpu-mfma: waves must be in [1, 16], got 0
