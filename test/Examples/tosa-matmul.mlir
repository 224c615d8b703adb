// RUN: mx-opt %s --pass-pipeline='builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-tensor,tosa-to-arith))' \
// RUN:   | mx-opt --mx-quantize-matmul="lhs-format=amxfp4 rhs-format=mxfp4 report=true" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=IR
// RUN: mx-opt %s --pass-pipeline='builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,tosa-to-tensor,tosa-to-arith))' \
// RUN:   | mx-opt --mx-quantize-matmul="lhs-format=amxfp4 rhs-format=mxfp4" --mx-lower-to-llvm \
// RUN:   | %mx_run | FileCheck %s

// A matmul from another front end: tosa.matmul (batched, rank 3) through
// upstream tosa-to-linalg becomes linalg.batch_matmul, which
// --mx-quantize-matmul rewrites and --mx-lower-to-llvm compiles.
// IR: mx.quantize {{.*}} -> !mx.qtensor<1x2x40, #mx.format<amxfp4>, axis = 2>
// IR: mx.matmul

// 0.5 as amxfp4 dequantizes to 0.46875 (s+ = 0.078125, code 6); 0.25 and
// -0.25 are exact in mxfp4. Row 0: 40 * 0.46875 * 0.25 = 4.6875 (0x40960000),
// row 1 (-0.5 -> -0.46875): -4.6875 (0xc0960000).
// CHECK: [1083572224, 1083572224, 1083572224, -1063911424, -1063911424, -1063911424]
func.func private @printMemrefI32(tensor<*xi32>)

func.func @model(%x: tensor<1x2x40xf32>, %w: tensor<1x40x3xf32>) -> tensor<1x2x3xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %y = tosa.matmul %x, %w, %zp, %zp : (tensor<1x2x40xf32>, tensor<1x40x3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x2x3xf32>
  return %y : tensor<1x2x3xf32>
}

func.func @main() {
  %x = arith.constant dense<[[[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [-0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5, -0.5]]]> : tensor<1x2x40xf32>
  %w = arith.constant dense<0.25> : tensor<1x40x3xf32>
  %y = call @model(%x, %w) : (tensor<1x2x40xf32>, tensor<1x40x3xf32>) -> tensor<1x2x3xf32>
  %b = arith.bitcast %y : tensor<1x2x3xf32> to tensor<1x2x3xi32>
  %f = tensor.collapse_shape %b [[0, 1, 2]] : tensor<1x2x3xi32> into tensor<6xi32>
  %u = tensor.cast %f : tensor<6xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}
