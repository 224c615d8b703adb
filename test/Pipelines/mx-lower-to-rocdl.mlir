// RUN: mx-opt %s --mx-lower-to-rocdl | FileCheck %s
// RUN: mx-opt %s --mx-lower-to-rocdl="chip=gfx942 block-size=64" | FileCheck %s --check-prefix=GFX942

// The same kernels for AMD GPUs: AMDGPU ISA text embedded for the chip
// (compile-only: no AMD GPU is available), LLVM host code.
// CHECK-LABEL: llvm.func @quantized
// CHECK: llvm.call @mgpuMemHostRegisterMemRef
// CHECK: gpu.launch_func
// CHECK-NOT: mx.
// CHECK-NOT: linalg.
// CHECK: gpu.binary @{{.*}} [#gpu.object<#rocdl.target<chip = "gfx950">
// CHECK-SAME: .amdgcn_target \22amdgcn-amd-amdhsa--gfx950\22
// GFX942: .amdgcn_target \22amdgcn-amd-amdhsa--gfx942\22
func.func @quantized(%x: tensor<4x40xf32>, %w: tensor<40x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %qa = mx.quantize %x : tensor<4x40xf32> -> !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>
  %qb = mx.quantize %w : tensor<40x8xf32> -> !mx.qtensor<40x8, #mx.format<mxfp4>, axis = 0>
  %r = mx.matmul %qa, %qb, %c : !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<40x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
