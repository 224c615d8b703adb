// The stock mlir-opt of the LLVM 22 packages loads the mx dialect and passes
// from libMXPlugin.so. (An instrumented plugin cannot be loaded into the
// uninstrumented mlir-opt.)
// UNSUPPORTED: sanitizers
// RUN: mlir-opt %s --load-dialect-plugin=%mx_plugin --load-pass-plugin=%mx_plugin \
// RUN:   --pass-pipeline='builtin.module(mx-quantize-matmul{lhs-format=amxfp4 rhs-format=mxfp4})' \
// RUN:   | FileCheck %s
// RUN: mlir-opt %s --load-dialect-plugin=%mx_plugin --load-pass-plugin=%mx_plugin \
// RUN:   --pass-pipeline='builtin.module(mx-quantize-matmul{lhs-format=amxfp4 rhs-format=mxfp4},mx-lower-to-llvm)' \
// RUN:   | %mx_run | FileCheck %s --check-prefix=EXEC
// RUN: mlir-opt --load-pass-plugin=%mx_plugin --help | FileCheck %s --check-prefix=HELP

// CHECK-LABEL: func.func @layer
// CHECK: mx.quantize %{{.*}} -> !mx.qtensor<2x40, #mx.format<amxfp4>, axis = 1>
// CHECK: mx.matmul
// HELP: mx-quantize-matmul
// HELP: mx-lower-to-llvm
// 0.5 -> 0.46875 (amxfp4), 0.25 exact: 40 * 0.46875 * 0.25 = 4.6875.
// EXEC: [1083572224, 1083572224, 1083572224, 1083572224]
func.func private @printMemrefI32(tensor<*xi32>)

func.func @layer(%x: tensor<2x40xf32>, %w: tensor<40x2xf32>) -> tensor<2x2xf32> {
  %z = arith.constant dense<0.0> : tensor<2x2xf32>
  %y = linalg.matmul ins(%x, %w : tensor<2x40xf32>, tensor<40x2xf32>) outs(%z : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

func.func @main() {
  %x = arith.constant dense<0.5> : tensor<2x40xf32>
  %w = arith.constant dense<0.25> : tensor<40x2xf32>
  %y = call @layer(%x, %w) : (tensor<2x40xf32>, tensor<40x2xf32>) -> tensor<2x2xf32>
  %b = arith.bitcast %y : tensor<2x2xf32> to tensor<2x2xi32>
  %f = tensor.collapse_shape %b [[0, 1]] : tensor<2x2xi32> into tensor<4xi32>
  %u = tensor.cast %f : tensor<4xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}
