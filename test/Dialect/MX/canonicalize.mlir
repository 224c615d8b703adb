// RUN: mx-opt %s --canonicalize --split-input-file | FileCheck %s

// unpack(pack(parts)) folds to the parts: pack carries the bytes unchanged.
// CHECK-LABEL: func.func @unpack_of_pack
// CHECK-SAME: (%[[D:.*]]: tensor<4x32xi8>, %[[P:.*]]: tensor<4x2xf8E5M2>, %[[N:.*]]: tensor<4x2xf8E5M2>)
// CHECK-NOT: mx.
// CHECK: return %[[D]], %[[P]], %[[N]]
func.func @unpack_of_pack(%d: tensor<4x32xi8>, %p: tensor<4x2xf8E5M2>, %n: tensor<4x2xf8E5M2>)
    -> (tensor<4x32xi8>, tensor<4x2xf8E5M2>, tensor<4x2xf8E5M2>) {
  %q = mx.pack %d, %p neg_scales(%n : tensor<4x2xf8E5M2>) : tensor<4x32xi8>, tensor<4x2xf8E5M2> -> !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>
  %0, %1, %2 = mx.unpack %q : !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>
  return %0, %1, %2 : tensor<4x32xi8>, tensor<4x2xf8E5M2>, tensor<4x2xf8E5M2>
}

// -----

// pack(unpack(q)) folds to q.
// CHECK-LABEL: func.func @pack_of_unpack
// CHECK-SAME: (%[[Q:.*]]: !mx.qtensor
// CHECK-NEXT: return %[[Q]]
func.func @pack_of_unpack(%q: !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>) -> !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1> {
  %d, %s, %g = mx.unpack %q : !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
  %r = mx.pack %d, %s tensor_scale(%g) : tensor<4x32xi8>, tensor<4x4xf8E4M3FN> -> !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
  return %r : !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
}

// -----

// Re-packing the same bytes under another format is a different value.
// CHECK-LABEL: func.func @pack_of_unpack_other_format
// CHECK: mx.unpack
// CHECK: mx.pack
func.func @pack_of_unpack_other_format(%q: !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>) -> !mx.qtensor<4x64, #mx.format<mxfp4, rounding = rna>, axis = 1> {
  %d, %s = mx.unpack %q : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  %r = mx.pack %d, %s : tensor<4x32xi8>, tensor<4x2xf8E8M0FNU> -> !mx.qtensor<4x64, #mx.format<mxfp4, rounding = rna>, axis = 1>
  return %r : !mx.qtensor<4x64, #mx.format<mxfp4, rounding = rna>, axis = 1>
}

// -----

// dequantize(quantize(x)) is lossy: it is never folded to x.
// CHECK-LABEL: func.func @no_roundtrip_fold
// CHECK: %[[Q:.*]] = mx.quantize
// CHECK: %[[Y:.*]] = mx.dequantize %[[Q]]
// CHECK: return %[[Y]]
func.func @no_roundtrip_fold(%x: tensor<4x64xf32>) -> tensor<4x64xf32> {
  %q = mx.quantize %x : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  %y = mx.dequantize %q : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1> -> tensor<4x64xf32>
  return %y : tensor<4x64xf32>
}

// -----

// Unused quantizations are dead code (the ops are pure).
// CHECK-LABEL: func.func @dead
// CHECK-NOT: mx.
// CHECK: return
func.func @dead(%x: tensor<4x64xf32>) {
  %q = mx.quantize %x : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  return
}
