// RUN: mx-opt %s --mx-quantize-matmul="lhs-format=amxfp4 rhs-format=mxfp4" --split-input-file | FileCheck %s
// RUN: mx-opt %s --mx-quantize-matmul="lhs-format=nvfp4 rhs-format=mxfp4 block-size=16 rounding=rna" --split-input-file | FileCheck %s --check-prefix=OVR
// RUN: not mx-opt %s --mx-quantize-matmul="lhs-format=mxfp5" 2>&1 | FileCheck %s --check-prefix=BADPRESET
// RUN: not mx-opt %s --mx-quantize-matmul="lhs-format=nvfp4" 2>&1 | FileCheck %s --check-prefix=BADBLOCK
// RUN: not mx-opt %s --mx-quantize-matmul="lhs-format=amxfp4 scale-rule=even" 2>&1 | FileCheck %s --check-prefix=BADRULE
// RUN: not mx-opt %s --mx-quantize-matmul="block-size=48" 2>&1 | FileCheck %s --check-prefix=BADBS

// BADPRESET: error: mx-quantize-matmul: unknown lhs-format 'mxfp5'; expected one of mxfp4, amxfp4, amxfp4-pot, nvfp4, mxfp6-e2m3, mxfp6-e3m2, mxfp8-e4m3, mxfp8-e5m2, mxint8
// BADBLOCK: error: mx-quantize-matmul: lhs-format 'nvfp4' has block size 16 but rhs-format 'mxfp4' has block size 32; docs/Spec.md §5 needs the same block size along K (set block-size)
// BADRULE: error: mx-quantize-matmul: lhs-format 'amxfp4': scale-rule applies only to formats with f8E8M0FNU scales; 'amxfp4' has f8E5M2 scales
// BADBS: error: mx-quantize-matmul: lhs-format 'mxfp4': block-size must be a power of two in [8, 256], got '48'

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<4x40xf32>, %[[B:.*]]: tensor<40x8xf32>, %[[C:.*]]: tensor<4x8xf32>)
// CHECK: %[[QA:.*]] = mx.quantize %[[A]] : tensor<4x40xf32> -> !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>
// CHECK: %[[QB:.*]] = mx.quantize %[[B]] : tensor<40x8xf32> -> !mx.qtensor<40x8, #mx.format<mxfp4>, axis = 0>
// CHECK: %[[R:.*]] = mx.matmul %[[QA]], %[[QB]], %[[C]]
// CHECK-NOT: linalg.matmul
// CHECK: return %[[R]]
// OVR-LABEL: func.func @matmul
// OVR: mx.quantize {{.*}} -> !mx.qtensor<4x40, #mx.format<nvfp4, rounding = rna>, axis = 1>
// OVR: mx.quantize {{.*}} -> !mx.qtensor<40x8, #mx.format<mxfp4, rounding = rna, block_size = 16>, axis = 0>
func.func @matmul(%a: tensor<4x40xf32>, %b: tensor<40x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<4x40xf32>, tensor<40x8xf32>) outs(%c : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// Transposed operands are transposed back; dynamic sizes and bf16 are kept.
// CHECK-LABEL: func.func @transposed
// CHECK: %[[TA:.*]] = linalg.transpose ins(%{{.*}} : tensor<40x4xf32>) outs(%{{.*}} : tensor<4x40xf32>) permutation = [1, 0]
// CHECK: %[[TB:.*]] = linalg.transpose ins(%{{.*}} : tensor<?x40xbf16>) outs(%{{.*}} : tensor<40x?xbf16>) permutation = [1, 0]
// CHECK: mx.quantize %[[TA]] : tensor<4x40xf32> -> !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>
// CHECK: mx.quantize %[[TB]] : tensor<40x?xbf16> -> !mx.qtensor<40x?, #mx.format<mxfp4>, axis = 0>
// CHECK: mx.matmul {{.*}} -> tensor<4x?xf32>
func.func @transposed(%a: tensor<40x4xf32>, %b: tensor<?x40xbf16>, %c: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %r = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%a, %b : tensor<40x4xf32>, tensor<?x40xbf16>) outs(%c : tensor<4x?xf32>) -> tensor<4x?xf32>
  return %r : tensor<4x?xf32>
}

// -----

// CHECK-LABEL: func.func @batch
// CHECK: mx.quantize %{{.*}} : tensor<2x4x40xf16> -> !mx.qtensor<2x4x40, #mx.format<amxfp4>, axis = 2>
// CHECK: mx.quantize %{{.*}} : tensor<2x40x8xf16> -> !mx.qtensor<2x40x8, #mx.format<mxfp4>, axis = 1>
// CHECK: mx.matmul {{.*}} -> tensor<2x4x8xf16>
func.func @batch(%a: tensor<2x4x40xf16>, %b: tensor<2x40x8xf16>, %c: tensor<2x4x8xf16>) -> tensor<2x4x8xf16> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<2x4x40xf16>, tensor<2x40x8xf16>) outs(%c : tensor<2x4x8xf16>) -> tensor<2x4x8xf16>
  return %r : tensor<2x4x8xf16>
}

// -----

// CHECK-LABEL: func.func @matvec
// CHECK: %[[X:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [%{{.*}}, 1] : tensor<?xf32> into tensor<?x1xf32>
// CHECK: %[[Y:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
// CHECK: mx.quantize %{{.*}} : tensor<4x?xf32> -> !mx.qtensor<4x?, #mx.format<amxfp4>, axis = 1>
// CHECK: mx.quantize %[[X]] : tensor<?x1xf32> -> !mx.qtensor<?x1, #mx.format<mxfp4>, axis = 0>
// CHECK: %[[R:.*]] = mx.matmul %{{.*}}, %{{.*}}, %[[Y]] {{.*}} -> tensor<4x1xf32>
// CHECK: tensor.collapse_shape %[[R]] {{\[\[}}0, 1]] : tensor<4x1xf32> into tensor<4xf32>
func.func @matvec(%a: tensor<4x?xf32>, %x: tensor<?xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.matvec ins(%a, %x : tensor<4x?xf32>, tensor<?xf32>) outs(%y : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @vecmat
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 40] : tensor<40xf32> into tensor<1x40xf32>
// CHECK: mx.quantize %{{.*}} : tensor<1x40xf32> -> !mx.qtensor<1x40, #mx.format<amxfp4>, axis = 1>
// CHECK: mx.matmul {{.*}} -> tensor<1x8xf32>
// CHECK: tensor.collapse_shape
func.func @vecmat(%x: tensor<40xf32>, %b: tensor<40x8xf32>, %y: tensor<8xf32>) -> tensor<8xf32> {
  %r = linalg.vecmat ins(%x, %b : tensor<40xf32>, tensor<40x8xf32>) outs(%y : tensor<8xf32>) -> tensor<8xf32>
  return %r : tensor<8xf32>
}

// -----

// Constant weights are quantized at compile time and stored packed: 0.5
// with X = 2^-3 (E8M0 code 124) is E2M1 4.0 (code 6), two per byte (0x66).
// CHECK-LABEL: func.func @constant_weights
// CHECK-DAG: %[[S:.*]] = arith.constant dense<1.250000e-01> : tensor<2x2xf8E8M0FNU>
// CHECK-DAG: %[[D:.*]] = arith.constant dense<102> : tensor<40x1xi8>
// CHECK: %[[QB:.*]] = mx.pack %[[D]], %[[S]] : tensor<40x1xi8>, tensor<2x2xf8E8M0FNU> -> !mx.qtensor<40x2, #mx.format<mxfp4>, axis = 0>
// CHECK: mx.matmul %{{.*}}, %[[QB]]
func.func @constant_weights(%a: tensor<4x40xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<0.5> : tensor<40x2xf32>
  %r = linalg.matmul ins(%a, %w : tensor<4x40xf32>, tensor<40x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

