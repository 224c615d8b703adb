// RUN: mx-opt %s --mx-lower-to-llvm | FileCheck %s
// RUN: mx-opt %s --pass-pipeline='builtin.module(mx-lower-to-llvm{buffer-deallocation=false})' | FileCheck %s --check-prefix=NODEALLOC

// A whole tensor-level module with mx ops, upstream ops, function boundaries
// and an external declaration ends up in the LLVM dialect only.
// CHECK-LABEL: llvm.func @printMemrefI32
// CHECK-LABEL: llvm.func @quantized(
// CHECK: llvm.call @free
// CHECK-LABEL: llvm.func @main
// CHECK-NOT: mx{{[._]}}
// CHECK-NOT: linalg.
// CHECK-NOT: tensor.
// CHECK-NOT: memref.
// CHECK-NOT: bufferization.
// NODEALLOC-LABEL: llvm.func @quantized(
// NODEALLOC-NOT: llvm.call @free
// NODEALLOC-LABEL: llvm.func @main
func.func private @printMemrefI32(tensor<*xi32> {bufferization.access = "read"})

func.func @quantized(%x: tensor<4x40xf32>, %w: tensor<40x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %qa = mx.quantize %x : tensor<4x40xf32> -> !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>
  %qb = mx.quantize %w : tensor<40x8xf32> -> !mx.qtensor<40x8, #mx.format<mxfp4>, axis = 0>
  %r = mx.matmul %qa, %qb, %c : !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<40x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  %e = arith.addf %r, %r : tensor<4x8xf32>
  return %e : tensor<4x8xf32>
}

func.func @main() {
  %x = arith.constant dense<0.5> : tensor<4x40xf32>
  %w = arith.constant dense<-0.25> : tensor<40x8xf32>
  %c = arith.constant dense<0.0> : tensor<4x8xf32>
  %r = call @quantized(%x, %w, %c) : (tensor<4x40xf32>, tensor<40x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %b = arith.bitcast %r : tensor<4x8xf32> to tensor<4x8xi32>
  %u = tensor.cast %b : tensor<4x8xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}
