// RUN: mx-opt %s --convert-mx-quantize-to-gpu | FileCheck %s
// RUN: mx-opt %s --convert-mx-quantize-to-gpu="report=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// One kernel per quantization along the last axis: one lane per position, the block
// statistics reduced with shuffles over the block's lanes, codes paired into
// bytes by neighbouring lanes, the scales written by the block's first lane.
// CHECK-LABEL: func.func @mxfp4
// CHECK: %[[D:.*]] = memref.alloc(%{{.*}}) : memref<?x64xi8>
// CHECK: %[[S:.*]] = memref.alloc(%{{.*}}) : memref<?x4xf8E8M0FNU>
// CHECK: gpu.launch
// CHECK-COUNT-5: gpu.shuffle  xor %{{.*}} : f32
// CHECK: gpu.shuffle  xor %{{.*}} : i32
// CHECK: memref.store %{{.*}}, %[[D]]
// CHECK: memref.store %{{.*}}, %[[S]]
// CHECK: mx.pack
// CHECK-NOT: mx.quantize
func.func @mxfp4(%x: tensor<?x128xf32>) -> !mx.qtensor<?x128, #mx.format<mxfp4>, axis = 1> {
  %q = mx.quantize %x : tensor<?x128xf32> -> !mx.qtensor<?x128, #mx.format<mxfp4>, axis = 1>
  return %q : !mx.qtensor<?x128, #mx.format<mxfp4>, axis = 1>
}

// Asymmetric: P and N reduced separately, two scale arrays.
// CHECK-LABEL: func.func @amxfp4
// CHECK: gpu.launch
// CHECK: mx.pack %{{.*}}, %{{.*}} neg_scales(
func.func @amxfp4(%x: tensor<4x64xbf16>) -> !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1> {
  %q = mx.quantize %x : tensor<4x64xbf16> -> !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>
  return %q : !mx.qtensor<4x64, #mx.format<amxfp4>, axis = 1>
}

// NVFP4 derives g from the whole tensor: a kernel clears the amax word, a
// second reduces the bit patterns of |x| into it (warp shuffles, one atomic
// maximum per warp), then the quantization kernel; g is computed from the
// word (NaN/Inf patterns lie at or above 0x7F800000 = 2139095040).
// CHECK-LABEL: func.func @nvfp4
// CHECK: %[[W:.*]] = memref.alloc() : memref<1xi32>
// CHECK: gpu.launch
// CHECK: memref.store %{{.*}}, %[[W]]
// CHECK: gpu.launch
// CHECK: scf.for
// CHECK-COUNT-5: gpu.shuffle  xor %{{.*}} : i32
// CHECK: memref.atomic_rmw maxu %{{.*}}, %[[W]]
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[W]]
// CHECK: %[[BITS:.*]] = tensor.extract %[[T]]
// CHECK: arith.cmpi uge, %[[BITS]], %{{.*}}2139095040
// CHECK: %[[G:.*]] = arith.select
// CHECK: gpu.launch
// CHECK: mx.pack %{{.*}}, %{{.*}} tensor_scale(%[[G]])
func.func @nvfp4(%x: tensor<4x64xf32>) -> !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1> {
  %q = mx.quantize %x : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
  return %q : !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
}

// A supplied tensor scale is used as given: one kernel.
// CHECK-LABEL: func.func @nvfp4_given
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT: gpu.launch
// CHECK: mx.pack %{{.*}}, %{{.*}} tensor_scale(%arg1)
func.func @nvfp4_given(%x: tensor<4x64xf32>, %g: f32) -> !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1> {
  %q = mx.quantize %x tensor_scale(%g) : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
  return %q : !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
}

// Blocks along the first axis: one thread per (block, column), the block's
// statistics in a loop over its 32 positions, then its codes; FP4 bytes
// pair neighbouring columns (lanes), scales are [K/32, N].
// CHECK-LABEL: func.func @first_axis
// CHECK: %[[D:.*]] = memref.alloc() : memref<64x50xi8>
// CHECK: %[[S:.*]] = memref.alloc() : memref<2x100xf8E8M0FNU>
// CHECK: gpu.launch
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c32
// CHECK-NOT: gpu.shuffle
// CHECK: memref.store %{{.*}}, %[[S]]
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c32
// CHECK: gpu.shuffle  xor %{{.*}} : i32
// CHECK: memref.store %{{.*}}, %[[D]]
func.func @first_axis(%x: tensor<64x100xf32>) -> !mx.qtensor<64x100, #mx.format<mxfp4>, axis = 0> {
  %q = mx.quantize %x : tensor<64x100xf32> -> !mx.qtensor<64x100, #mx.format<mxfp4>, axis = 0>
  return %q : !mx.qtensor<64x100, #mx.format<mxfp4>, axis = 0>
}

// Elements wider than 4 bits take one byte each: no pairing shuffle.
// CHECK-LABEL: func.func @mxfp8
// CHECK: %[[D:.*]] = memref.alloc() : memref<4x64xi8>
// CHECK: gpu.launch
// CHECK-COUNT-5: gpu.shuffle  xor %{{.*}} : f32
// CHECK-NOT: arith.shli %shuffleResult
// CHECK: memref.store %{{.*}}, %[[D]]
func.func @mxfp8(%x: tensor<4x64xf16>) -> !mx.qtensor<4x64, #mx.format<mxfp8-e4m3>, axis = 1> {
  %q = mx.quantize %x : tensor<4x64xf16> -> !mx.qtensor<4x64, #mx.format<mxfp8-e4m3>, axis = 1>
  return %q : !mx.qtensor<4x64, #mx.format<mxfp8-e4m3>, axis = 1>
}

// Left to convert-mx-to-linalg, with the reason under report=true.
// REPORT: remark: mx.quantize left to convert-mx-to-linalg: rank other than 1 or 2
// CHECK-LABEL: func.func @kept
// CHECK: mx.quantize
func.func @kept(%x: tensor<2x4x64xf32>) -> !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2> {
  %q = mx.quantize %x : tensor<2x4x64xf32> -> !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>
  return %q : !mx.qtensor<2x4x64, #mx.format<mxfp4>, axis = 2>
}
