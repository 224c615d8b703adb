// RUN: mx-opt %s --convert-mx-quantize-to-gpu | FileCheck %s
// RUN: mx-opt %s --convert-mx-quantize-to-gpu="report=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// One kernel per FP4 quantization: one lane per position, the block
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

// Left to convert-mx-to-linalg, with the reason under report=true.
// REPORT: remark: mx.quantize left to convert-mx-to-linalg: a per-tensor scale (NVFP4 derives it from the whole tensor)
// REPORT: remark: mx.quantize left to convert-mx-to-linalg: not rank 1 or 2 blocked along the last axis
// REPORT: remark: mx.quantize left to convert-mx-to-linalg: element format other than E2M1 (FP4)
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-3: mx.quantize
func.func @kept(%x: tensor<4x64xf32>) -> (!mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>, !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 0>, !mx.qtensor<4x64, #mx.format<mxfp8-e4m3>, axis = 1>) {
  %a = mx.quantize %x : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>
  %b = mx.quantize %x : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 0>
  %c = mx.quantize %x : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<mxfp8-e4m3>, axis = 1>
  return %a, %b, %c : !mx.qtensor<4x64, #mx.format<nvfp4>, axis = 1>, !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 0>, !mx.qtensor<4x64, #mx.format<mxfp8-e4m3>, axis = 1>
}
