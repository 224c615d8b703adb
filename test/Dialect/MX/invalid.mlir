// RUN: mx-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{unknown format preset 'mxfp5'; expected one of mxfp4, amxfp4, amxfp4-pot, nvfp4, mxfp6-e2m3, mxfp6-e3m2, mxfp8-e4m3, mxfp8-e5m2, mxint8}}
func.func @f() attributes {a = #mx.format<mxfp5>} { return }

// -----

// expected-error @+1 {{unknown format override 'seed'; expected rounding, scale_rule or block_size}}
func.func @f() attributes {a = #mx.format<mxfp4, seed = 1>} { return }

// -----

// expected-error @+1 {{unknown rounding 'rtz'; expected 'rne' or 'rna'}}
func.func @f() attributes {a = #mx.format<mxfp4, rounding = rtz>} { return }

// -----

// expected-error @+1 {{unknown scale rule 'up'; expected 'floor', 'even', 'ceil', 'rceil' or 'nearest'}}
func.func @f() attributes {a = #mx.format<mxfp4, scale_rule = up>} { return }

// -----

// expected-error @+1 {{unknown format key 'bits'; expected element, scale, block_size, scale_rule, rounding, asymmetric or tensor_scale}}
func.func @f() attributes {a = #mx.format<element = f4E2M1FN, bits = 4>} { return }

// -----

// expected-error @+1 {{explicit #mx.format needs both 'element' and 'scale'}}
func.func @f() attributes {a = #mx.format<element = f4E2M1FN>} { return }

// -----

// expected-error @+1 {{expected 'true' or 'false' for 'asymmetric'}}
func.func @f() attributes {a = #mx.format<element = f4E2M1FN, scale = f8E5M2, asymmetric = yes>} { return }

// -----

// expected-error @+1 {{unsupported element type 'f32'; expected f4E2M1FN, f6E2M3FN, f6E3M2FN, f8E4M3FN, f8E5M2 or i8}}
func.func @f() attributes {a = #mx.format<element = f32, scale = f8E8M0FNU>} { return }

// -----

// expected-error @+1 {{unsupported scale type 'f16'; expected f8E8M0FNU, f8E5M2 or f8E4M3FN}}
func.func @f() attributes {a = #mx.format<element = f4E2M1FN, scale = f16>} { return }

// -----

// expected-error @+1 {{block size must be a power of two in [8, 256], got 48}}
func.func @f() attributes {a = #mx.format<mxfp4, block_size = 48>} { return }

// -----

// expected-error @+1 {{block size must be a power of two in [8, 256], got 512}}
func.func @f() attributes {a = #mx.format<mxfp4, block_size = 512>} { return }

// -----

// expected-error @+1 {{block size must be a power of two in [8, 256], got -1}}
func.func @f() attributes {a = #mx.format<mxfp4, block_size = -1>} { return }

// -----

// expected-error @+1 {{block size must be a power of two in [8, 256], got 4}}
func.func @f() attributes {a = #mx.format<mxfp4, block_size = 4>} { return }

// -----

// A power-of-two rule on an FP8 scale.
// expected-error @+1 {{power-of-two scale rule 'floor' requires f8E8M0FNU scales, got f8E5M2}}
func.func @f() attributes {a = #mx.format<amxfp4, scale_rule = floor>} { return }

// -----

// expected-error @+1 {{power-of-two scale rule 'rceil' requires f8E8M0FNU scales, got f8E4M3FN}}
func.func @f() attributes {a = #mx.format<nvfp4, scale_rule = rceil>} { return }

// -----

// expected-error @+1 {{scale rule 'nearest' requires an FP8 scale type, got f8E8M0FNU}}
func.func @f() attributes {a = #mx.format<mxfp4, scale_rule = nearest>} { return }

// -----

// expected-error @+1 {{a per-tensor scale requires the nvfp4 configuration (symmetric f4E2M1FN elements with f8E4M3FN scales), got f4E2M1FN elements with f8E8M0FNU scales}}
func.func @f() attributes {a = #mx.format<element = f4E2M1FN, scale = f8E8M0FNU, tensor_scale>} { return }

// -----

// expected-error @+1 {{a per-tensor scale requires the nvfp4 configuration (symmetric f4E2M1FN elements with f8E4M3FN scales), got f4E2M1FN elements with asymmetric f8E4M3FN scales}}
func.func @f() attributes {a = #mx.format<element = f4E2M1FN, scale = f8E4M3FN, tensor_scale, asymmetric>} { return }

// -----

// expected-error @+1 {{asymmetric scales require f4E2M1FN elements, got f8E4M3FN}}
func.func @f() attributes {a = #mx.format<element = f8E4M3FN, scale = f8E8M0FNU, asymmetric>} { return }

// -----

// expected-error @+1 {{asymmetric scales must be f8E5M2 (amxfp4) or f8E8M0FNU (amxfp4-pot), got f8E4M3FN}}
func.func @f() attributes {a = #mx.format<element = f4E2M1FN, scale = f8E4M3FN, asymmetric>} { return }

// -----

// expected-error @+1 {{symmetric f8E5M2 scales without a per-tensor scale match no preset; use f8E8M0FNU scales, or f8E4M3FN with a per-tensor scale (nvfp4)}}
func.func @f() attributes {a = #mx.format<element = f4E2M1FN, scale = f8E5M2>} { return }

// -----

// expected-error @+1 {{blocked axis 2 is out of range for a rank-2 tensor}}
func.func @f(%a: !mx.qtensor<4x8, #mx.format<mxfp4>, axis = 2>) { return }

// -----

// expected-error @+1 {{blocked axis -1 is out of range for a rank-2 tensor}}
func.func @f(%a: !mx.qtensor<4x8, #mx.format<mxfp4>, axis = -1>) { return }

// -----

// expected-error @+1 {{expected an #mx.format attribute, got #mx.matmul_mode<exact>}}
func.func @f(%a: !mx.qtensor<4x8, #mx.matmul_mode<exact>, axis = 1>) { return }

// -----

// expected-error @+1 {{quantized tensor must have rank >= 1}}
func.func @f(%a: !mx.qtensor<, #mx.format<mxfp4>, axis = 0>) { return }

// -----

func.func @f(%x: tensor<4x64xf32>) {
  // expected-error @+1 {{'mx.quantize' op input shape 4x64 does not match the quantized shape 4x32}}
  %q = mx.quantize %x : tensor<4x64xf32> -> !mx.qtensor<4x32, #mx.format<mxfp4>, axis = 1>
  return
}

// -----

func.func @f(%x: tensor<?x64xf32>) {
  // expected-error @+1 {{'mx.quantize' op input shape ?x64 does not match the quantized shape 4x64}}
  %q = mx.quantize %x : tensor<?x64xf32> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  return
}

// -----

func.func @f(%x: tensor<4x64xf32>, %g: f32) {
  // expected-error @+1 {{'mx.quantize' op tensor_scale requires a format with a per-tensor scale (nvfp4), got #mx.format<mxfp4>}}
  %q = mx.quantize %x tensor_scale(%g) : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  return
}

// -----

func.func @f(%x: tensor<*xf32>) {
  // expected-error @+1 {{'mx.quantize' op expects a ranked input tensor}}
  %q = mx.quantize %x : tensor<*xf32> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  return
}

// -----

func.func @f(%x: tensor<4x64xi32>) {
  // expected-error @+1 {{'mx.quantize' op operand #0 must be tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<4x64xi32>'}}
  %q = mx.quantize %x : tensor<4x64xi32> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  return
}

// -----

func.func @f(%q: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>) {
  // expected-error @+1 {{'mx.dequantize' op result shape 64x4 does not match the quantized shape 4x64}}
  %y = mx.dequantize %q : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1> -> tensor<64x4xf32>
  return
}

// -----

func.func @f(%q: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>) {
  // expected-error @+1 {{'mx.dequantize' op expects a ranked result tensor}}
  %y = mx.dequantize %q : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1> -> tensor<*xf32>
  return
}

// -----

func.func @f(%acc: f32, %a: !mx.qtensor<2x16, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<32, #mx.format<mxfp4>, axis = 0>) {
  // expected-error @+1 {{'mx.block_mac' op lhs must be a 1-D quantized tensor holding one block, got rank 2}}
  %r = mx.block_mac %acc, %a, %b : !mx.qtensor<2x16, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<32, #mx.format<mxfp4>, axis = 0>
  return
}

// -----

func.func @f(%acc: f32, %a: !mx.qtensor<32, #mx.format<mxfp4>, axis = 0>, %b: !mx.qtensor<?, #mx.format<mxfp4>, axis = 0>) {
  // expected-error @+1 {{'mx.block_mac' op rhs must have a static length}}
  %r = mx.block_mac %acc, %a, %b : !mx.qtensor<32, #mx.format<mxfp4>, axis = 0>, !mx.qtensor<?, #mx.format<mxfp4>, axis = 0>
  return
}

// -----

func.func @f(%acc: f32, %a: !mx.qtensor<40, #mx.format<mxfp4>, axis = 0>, %b: !mx.qtensor<40, #mx.format<mxfp4>, axis = 0>) {
  // expected-error @+1 {{'mx.block_mac' op lhs length 40 exceeds its block size 32; mx.block_mac takes exactly one block}}
  %r = mx.block_mac %acc, %a, %b : !mx.qtensor<40, #mx.format<mxfp4>, axis = 0>, !mx.qtensor<40, #mx.format<mxfp4>, axis = 0>
  return
}

// -----

func.func @f(%acc: f32, %a: !mx.qtensor<32, #mx.format<mxfp4>, axis = 0>, %b: !mx.qtensor<16, #mx.format<mxfp4>, axis = 0>) {
  // expected-error @+1 {{'mx.block_mac' op lhs length 32 does not match rhs length 16}}
  %r = mx.block_mac %acc, %a, %b : !mx.qtensor<32, #mx.format<mxfp4>, axis = 0>, !mx.qtensor<16, #mx.format<mxfp4>, axis = 0>
  return
}

// -----

func.func @f(%acc: f32, %a: !mx.qtensor<16, #mx.format<mxfp4>, axis = 0>, %b: !mx.qtensor<16, #mx.format<nvfp4>, axis = 0>) {
  // expected-error @+1 {{'mx.block_mac' op lhs block size 32 does not match rhs block size 16}}
  %r = mx.block_mac %acc, %a, %b : !mx.qtensor<16, #mx.format<mxfp4>, axis = 0>, !mx.qtensor<16, #mx.format<nvfp4>, axis = 0>
  return
}

// -----

func.func @f(%a: !mx.qtensor<2x3x4x64, #mx.format<mxfp4>, axis = 3>, %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>, %c: tensor<4x8xf32>) {
  // expected-error @+1 {{'mx.matmul' op lhs must be a rank-2 or rank-3 (batched) quantized tensor, got rank 4}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<2x3x4x64, #mx.format<mxfp4>, axis = 3>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  return
}

// -----

func.func @f(%a: !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>, %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>, %c: tensor<4x8xf32>) {
  // expected-error @+1 {{'mx.matmul' op rhs must have the rank of lhs (3), got rank 2}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  return
}

// -----

func.func @f(%a: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<64, #mx.format<mxfp4>, axis = 0>, %c: tensor<4x8xf32>) {
  // expected-error @+1 {{'mx.matmul' op rhs must have the rank of lhs (2), got rank 1}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  return
}

// -----

func.func @f(%a: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 0>, %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>, %c: tensor<4x8xf32>) {
  // expected-error @+1 {{'mx.matmul' op lhs must be blocked along axis 1 (K), got axis 0}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 0>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  return
}

// -----

func.func @f(%a: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 1>, %c: tensor<4x8xf32>) {
  // expected-error @+1 {{'mx.matmul' op rhs must be blocked along axis 0 (K), got axis 1}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 1> -> tensor<4x8xf32>
  return
}

// -----

func.func @f(%a: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<32x8, #mx.format<mxfp4>, axis = 0>, %c: tensor<4x8xf32>) {
  // expected-error @+1 {{'mx.matmul' op lhs K (64) does not match rhs K (32)}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<32x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  return
}

// -----

// docs/Spec.md §5: nvfp4 x mxfp4 needs block-size=16 on the mxfp4 side.
func.func @f(%a: !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>, %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>, %c: tensor<4x8xf32>) {
  // expected-error @+1 {{'mx.matmul' op lhs block size 16 does not match rhs block size 32; both operands must be blocked alike along K}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  return
}

// -----

func.func @f(%a: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>, %c: tensor<32xf32>) {
  // expected-error @+1 {{'mx.matmul' op expected a rank-2 accumulator, got rank 1}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<32xf32>
  return
}

// -----

func.func @f(%a: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>, %c: tensor<5x8xf32>) {
  // expected-error @+1 {{'mx.matmul' op accumulator dimension 0 (5) does not match lhs M (4)}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<5x8xf32>
  return
}

// -----

func.func @f(%a: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>, %c: tensor<4x9xf32>) {
  // expected-error @+1 {{'mx.matmul' op accumulator dimension 1 (9) does not match rhs N (8)}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x9xf32>
  return
}

// -----

func.func @f(%a: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>, %c: tensor<4x8xi32>) {
  // expected-error @+1 {{'mx.matmul' op operand #2 must be ranked tensor of 16-bit float or bfloat16 type or 32-bit float or 64-bit float values, but got 'tensor<4x8xi32>'}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xi32>
  return
}

// -----

func.func @f(%d: tensor<4x64xi8>, %s: tensor<4x2xf8E8M0FNU>) {
  // expected-error @+1 {{'mx.pack' op expected element codes of type 'tensor<4x32xi8>' for '!mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>', got 'tensor<4x64xi8>'}}
  %q = mx.pack %d, %s : tensor<4x64xi8>, tensor<4x2xf8E8M0FNU> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  return
}

// -----

func.func @f(%d: tensor<4x32xi8>, %s: tensor<2x4xf8E8M0FNU>) {
  // expected-error @+1 {{'mx.pack' op expected scales of type 'tensor<4x2xf8E8M0FNU>' for '!mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>', got 'tensor<2x4xf8E8M0FNU>'}}
  %q = mx.pack %d, %s : tensor<4x32xi8>, tensor<2x4xf8E8M0FNU> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  return
}

// -----

func.func @f(%d: tensor<4x32xi8>, %s: tensor<4x2xf8E5M2>) {
  // expected-error @+1 {{'mx.pack' op format #mx.format<amxfp4> has two scale arrays: neg_scales is required}}
  %q = mx.pack %d, %s : tensor<4x32xi8>, tensor<4x2xf8E5M2> -> !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>
  return
}

// -----

func.func @f(%d: tensor<4x32xi8>, %s: tensor<4x2xf8E8M0FNU>) {
  // expected-error @+1 {{'mx.pack' op neg_scales is only valid for asymmetric formats, got #mx.format<mxfp4>}}
  %q = mx.pack %d, %s neg_scales(%s : tensor<4x2xf8E8M0FNU>) : tensor<4x32xi8>, tensor<4x2xf8E8M0FNU> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  return
}

// -----

func.func @f(%d: tensor<4x32xi8>, %s: tensor<4x2xf8E5M2>, %n: tensor<4x2xf8E8M0FNU>) {
  // expected-error @+1 {{'mx.pack' op expected neg_scales of type 'tensor<4x2xf8E5M2>', got 'tensor<4x2xf8E8M0FNU>'}}
  %q = mx.pack %d, %s neg_scales(%n : tensor<4x2xf8E8M0FNU>) : tensor<4x32xi8>, tensor<4x2xf8E5M2> -> !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>
  return
}

// -----

func.func @f(%d: tensor<4x32xi8>, %s: tensor<4x4xf8E4M3FN>) {
  // expected-error @+1 {{'mx.pack' op format #mx.format<nvfp4> requires a tensor_scale}}
  %q = mx.pack %d, %s : tensor<4x32xi8>, tensor<4x4xf8E4M3FN> -> !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
  return
}

// -----

func.func @f(%d: tensor<4x32xi8>, %s: tensor<4x2xf8E8M0FNU>, %g: f32) {
  // expected-error @+1 {{'mx.pack' op tensor_scale is only valid for formats with a per-tensor scale (nvfp4), got #mx.format<mxfp4>}}
  %q = mx.pack %d, %s tensor_scale(%g) : tensor<4x32xi8>, tensor<4x2xf8E8M0FNU> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  return
}

// -----

func.func @f(%q: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>) {
  // expected-error @+1 {{'mx.unpack' op expected scales of type 'tensor<4x2xf8E8M0FNU>' for '!mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>', got 'tensor<4x4xf8E8M0FNU>'}}
  %0:2 = "mx.unpack"(%q) <{resultSegmentSizes = array<i32: 1, 1, 0, 0>}> : (!mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>) -> (tensor<4x32xi8>, tensor<4x4xf8E8M0FNU>)
  return
}

// -----

func.func @f(%q: !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>) {
  // expected-error @+1 {{'mx.unpack' op format #mx.format<nvfp4> requires a tensor_scale}}
  %0:2 = "mx.unpack"(%q) <{resultSegmentSizes = array<i32: 1, 1, 0, 0>}> : (!mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>) -> (tensor<4x32xi8>, tensor<4x4xf8E4M3FN>)
  return
}

// -----

func.func @f(%a: !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>, %b: !mx.qtensor<3x64x8, #mx.format<mxfp4>, axis = 1>, %c: tensor<2x4x8xf32>) {
  // expected-error @+1 {{'mx.matmul' op lhs batch size (2) does not match rhs batch size (3)}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>, !mx.qtensor<3x64x8, #mx.format<mxfp4>, axis = 1> -> tensor<2x4x8xf32>
  return
}

// -----

func.func @f(%a: !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 1>, %b: !mx.qtensor<2x64x8, #mx.format<mxfp4>, axis = 1>, %c: tensor<2x4x8xf32>) {
  // expected-error @+1 {{'mx.matmul' op lhs must be blocked along axis 2 (K), got axis 1}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<2x64x8, #mx.format<mxfp4>, axis = 1> -> tensor<2x4x8xf32>
  return
}

// -----

func.func @f(%a: !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>, %b: !mx.qtensor<2x64x8, #mx.format<mxfp4>, axis = 1>, %c: tensor<3x4x8xf32>) {
  // expected-error @+1 {{'mx.matmul' op accumulator dimension 0 (3) does not match the batch size (2)}}
  %r = mx.matmul %a, %b, %c : !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>, !mx.qtensor<2x64x8, #mx.format<mxfp4>, axis = 1> -> tensor<3x4x8xf32>
  return
}
