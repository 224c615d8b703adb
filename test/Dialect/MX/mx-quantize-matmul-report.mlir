// RUN: mx-opt %s --mx-quantize-matmul="report=true" --split-input-file -verify-diagnostics | FileCheck %s
// RUN: mx-opt %s --mx-quantize-matmul --split-input-file | FileCheck %s

// What mx-quantize-matmul leaves unchanged, and the remarks of report=true.

// Integer matmuls are left alone; report=true says why.
// CHECK-LABEL: func.func @integer
// CHECK: linalg.matmul
// CHECK-NOT: mx.
func.func @integer(%a: tensor<4x40xi8>, %b: tensor<40x8xi8>, %c: tensor<4x8xi32>) -> tensor<4x8xi32> {
  // expected-remark @+1 {{mx-quantize-matmul: not quantized: element type i8 is not f32, f16 or bf16}}
  %r = linalg.matmul ins(%a, %b : tensor<4x40xi8>, tensor<40x8xi8>) outs(%c : tensor<4x8xi32>) -> tensor<4x8xi32>
  return %r : tensor<4x8xi32>
}

// -----

// A broadcasting matmul is not a matmul of two matrices.
// CHECK-LABEL: func.func @broadcast
// CHECK: linalg.matmul
func.func @broadcast(%a: tensor<40xf32>, %b: tensor<40x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-remark @+1 {{mx-quantize-matmul: not quantized: indexing maps are not a (possibly transposed) matmul}}
  %r = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]
    ins(%a, %b : tensor<40xf32>, tensor<40x8xf32>) outs(%c : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// Matmuls on buffers are not rewritten.
// CHECK-LABEL: func.func @buffers
// CHECK: linalg.matmul
func.func @buffers(%a: memref<4x40xf32>, %b: memref<40x8xf32>, %c: memref<4x8xf32>) {
  // expected-remark @+1 {{mx-quantize-matmul: not quantized: operands are not tensors}}
  linalg.matmul ins(%a, %b : memref<4x40xf32>, memref<40x8xf32>) outs(%c : memref<4x8xf32>)
  return
}
