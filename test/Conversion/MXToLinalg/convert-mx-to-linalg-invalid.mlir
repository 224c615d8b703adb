// RUN: mx-opt %s --convert-mx-to-linalg --split-input-file -verify-diagnostics

// A quantized value that arrives from outside cannot be lowered.
func.func @argument(%q: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>) -> tensor<4x64xf32> {
  // expected-error @+1 {{'mx.unpack' op quantized values must be produced by mx.quantize or consumed by mx.dequantize/mx.matmul/mx.block_mac within the lowered code; pass raw parts across function boundaries (mx.pack / mx.unpack)}}
  %y = mx.dequantize %q : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1> -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// The dynamic innermost size of packed FP4 storage is ambiguous (2j or 2j-1).
func.func @dynamic_fp4(%d: tensor<4x?xi8>, %s: tensor<4x?xf8E8M0FNU>) -> tensor<4x?xf32> {
  %q = mx.pack %d, %s : tensor<4x?xi8>, tensor<4x?xf8E8M0FNU> -> !mx.qtensor<4x?, #mx.format<mxfp4>, axis = 1>
  // expected-error @+1 {{'mx.dequantize' op cannot recover the dynamic innermost size of a packed FP4 tensor; give it a static size or dequantize the mx.quantize result directly}}
  %y = mx.dequantize %q : !mx.qtensor<4x?, #mx.format<mxfp4>, axis = 1> -> tensor<4x?xf32>
  return %y : tensor<4x?xf32>
}
