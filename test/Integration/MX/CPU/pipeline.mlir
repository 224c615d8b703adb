// RUN: mx-opt %s --mx-lower-to-llvm | %mx_run | FileCheck %s

// The same module as test/Pipelines/mx-lower-to-llvm.mlir, executed. As
// amxfp4, 0.5 has s+ = E5M2_rna(0.5 / 6) = 0.078125 and code 6, so it
// dequantizes to 0.46875; -0.25 is exact in mxfp4. Every result is
// 2 * (40 * 0.46875 * -0.25) = -9.375 = 0xc1160000 (mxoracle.py: -4.6875 for
// the matmul).
// CHECK-COUNT-4: [-1055522816, -1055522816, -1055522816, -1055522816, -1055522816, -1055522816, -1055522816, -1055522816]
func.func private @printMemrefI32(tensor<*xi32>)

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
