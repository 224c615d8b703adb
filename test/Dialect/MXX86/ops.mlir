// RUN: mx-opt %s | mx-opt | FileCheck %s
// RUN: mx-opt %s --mlir-print-op-generic | mx-opt | FileCheck %s
// RUN: mx-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @x86_primitives
// CHECK: %[[L:.*]] = mx_x86.lookup %{{.*}}, %{{.*}} : vector<64xi8>
// CHECK: mx_x86.dot_u8s8 %{{.*}}, %[[L]], %{{.*}} : vector<64xi8> -> vector<16xi32>
// GENERIC-LABEL: sym_name = "x86_primitives"
// GENERIC: "mx_x86.lookup"(%{{.*}}, %{{.*}}) : (vector<64xi8>, vector<64xi8>) -> vector<64xi8>
// GENERIC: "mx_x86.dot_u8s8"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
func.func @x86_primitives(%t: vector<64xi8>, %i: vector<64xi8>, %acc: vector<16xi32>, %x: vector<64xi8>) -> vector<16xi32> {
  %l = mx_x86.lookup %t, %i : vector<64xi8>
  %s = mx_x86.dot_u8s8 %acc, %l, %x : vector<64xi8> -> vector<16xi32>
  return %s : vector<16xi32>
}
