// RUN: mx-opt %s --mx-lower-to-rocdl | FileCheck %s
// RUN: mx-opt %s --mx-lower-to-rocdl="chip=gfx942 block-size=64" | FileCheck %s --check-prefix=GFX942
// RUN: mx-opt %s --mx-lower-to-rocdl="matmul-kernels=scaled-mfma" | FileCheck %s --check-prefix=MFMA
// RUN: mx-opt %s --mx-lower-to-rocdl="matmul-kernels=scaled-mfma" | grep -o v_mfma_scale_f32 | wc -l | FileCheck %s --check-prefix=MFMACOUNT

// The same kernels for AMD GPUs: AMDGPU ISA text embedded for the chip
// (compile-only: no AMD GPU is available), LLVM host code.
// CHECK-LABEL: llvm.func @quantized
// CHECK: llvm.call @mgpuMemHostRegisterMemRef
// CHECK: gpu.launch_func
// CHECK-NOT: mx{{[._]}}
// CHECK-NOT: linalg.
// CHECK: gpu.binary @{{.*}} [#gpu.object<#rocdl.target<chip = "gfx950">
// CHECK-SAME: .amdgcn_target \22amdgcn-amd-amdhsa--gfx950\22
// GFX942: .amdgcn_target \22amdgcn-amd-amdhsa--gfx942\22
// By default no matrix instructions (exact SIMT kernels); with
// matmul-kernels=scaled-mfma the E8M0-scaled matmuls use the gfx950 scaled
// MFMA, each operand in its own element format (cbsz / blgp: 4 = FP4,
// 2 = FP6 E2M3, 1 = FP8 E5M2), amxfp4 (E5M2 scales) keeps the SIMT kernel.
// CHECK-NOT: v_mfma_scale
// MFMA: v_mfma_scale_f32_16x16x128_f8f6f4 {{.*}} cbsz:4 blgp:1
// MFMA: v_mfma_scale_f32_16x16x128_f8f6f4 {{.*}} cbsz:2 blgp:2
// MFMACOUNT: {{^ *2$}}
func.func @quantized(%x: tensor<4x40xf32>, %w: tensor<40x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %qa = mx.quantize %x : tensor<4x40xf32> -> !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>
  %qb = mx.quantize %w : tensor<40x8xf32> -> !mx.qtensor<40x8, #mx.format<mxfp4>, axis = 0>
  %r = mx.matmul %qa, %qb, %c : !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<40x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

func.func @mixed(%x: tensor<16x64xf32>, %w: tensor<64x16xf32>, %w6: tensor<64x16xf32>, %c: tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>) {
  %qa = mx.quantize %x : tensor<16x64xf32> -> !mx.qtensor<16x64, #mx.format<mxfp4>, axis = 1>
  %qb = mx.quantize %w : tensor<64x16xf32> -> !mx.qtensor<64x16, #mx.format<mxfp8-e5m2>, axis = 0>
  %r = mx.matmul %qa, %qb, %c : !mx.qtensor<16x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x16, #mx.format<mxfp8-e5m2>, axis = 0> -> tensor<16x16xf32>
  %q6a = mx.quantize %x : tensor<16x64xf32> -> !mx.qtensor<16x64, #mx.format<mxfp6-e2m3>, axis = 1>
  %q6b = mx.quantize %w6 : tensor<64x16xf32> -> !mx.qtensor<64x16, #mx.format<mxfp6-e2m3>, axis = 0>
  %s = mx.matmul %q6a, %q6b, %c : !mx.qtensor<16x64, #mx.format<mxfp6-e2m3>, axis = 1>, !mx.qtensor<64x16, #mx.format<mxfp6-e2m3>, axis = 0> -> tensor<16x16xf32>
  return %r, %s : tensor<16x16xf32>, tensor<16x16xf32>
}
