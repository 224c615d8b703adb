// RUN: mx-opt %s --mx-read-only-external-tensor-args | FileCheck %s

// Tensor arguments of declarations become read-only for bufferization.
// CHECK-LABEL: func.func private @print(tensor<*xi32> {bufferization.access = "read"}, i32)
func.func private @print(tensor<*xi32>, i32)

// An existing annotation is kept.
// CHECK-LABEL: func.func private @update(tensor<4xf32> {bufferization.access = "read-write"}, tensor<4xf32> {bufferization.access = "read"})
func.func private @update(tensor<4xf32> {bufferization.access = "read-write"}, tensor<4xf32>)

// Functions with a body are left alone.
// CHECK-LABEL: func.func @body(%{{.*}}: tensor<4xf32>) -> tensor<4xf32>
// CHECK-NOT: bufferization.access
func.func @body(%t: tensor<4xf32>) -> tensor<4xf32> {
  return %t : tensor<4xf32>
}
