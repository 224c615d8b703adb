// RUN: mx-opt %s --convert-mx-x86-to-llvm | FileCheck %s

// CHECK-LABEL: func.func @f
// CHECK: %[[L:.*]] = llvm.call_intrinsic "llvm.x86.avx512.permvar.qi.512"(%{{.*}}, %{{.*}}) : (vector<64xi8>, vector<64xi8>) -> vector<64xi8>
// CHECK: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%{{.*}}, %[[L]], %{{.*}}) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// CHECK-NOT: mx_x86
func.func @f(%t: vector<64xi8>, %i: vector<64xi8>, %acc: vector<16xi32>, %x: vector<64xi8>) -> vector<16xi32> {
  %l = mx_x86.lookup %t, %i : vector<64xi8>
  %s = mx_x86.dot_u8s8 %acc, %l, %x : vector<64xi8> -> vector<16xi32>
  return %s : vector<16xi32>
}
