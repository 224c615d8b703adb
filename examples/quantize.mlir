// The main example of the foundation: quantize an activation tensor with
// the symmetric mxfp4 and the asymmetric amxfp4 presets, a weight tensor
// with mxfp4, and multiply them block by block (docs/Spec.md §6). mx-opt
// parses, verifies and prints it; compiling and running it on the CPU is the
// job of the lowering passes.
func.func @linear(%act: tensor<4x64xf32>, %w: tensor<64x8xf32>,
                  %bias: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %wq = mx.quantize %w : tensor<64x8xf32>
        -> !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>
  %a1 = mx.quantize %act : tensor<4x64xf32>
        -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  %a2 = mx.quantize %act : tensor<4x64xf32>
        -> !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>
  %y1 = mx.matmul %a1, %wq, %bias
        : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>,
          !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  %y2 = mx.matmul %a2, %wq, %bias
        : !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>,
          !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  // The raw storage parts a runtime would hand over (docs/Spec.md §7).
  %codes, %pos, %neg = mx.unpack %a2
        : !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>
  return %y1, %y2 : tensor<4x8xf32>, tensor<4x8xf32>
}
