// RUN: mx-opt %s --mx-lower-to-nvvm | FileCheck %s --check-prefixes=CHECK,SM90
// RUN: mx-opt %s --mx-lower-to-nvvm="chip=sm_100a" | FileCheck %s --check-prefixes=CHECK,SM100
// RUN: mx-opt %s --mx-lower-to-nvvm="chip=sm_120a block-size=256" | FileCheck %s --check-prefixes=CHECK,SM120
// RUN: mx-opt %s --mx-lower-to-nvvm="chip=sm_90a ptx=85" | FileCheck %s --check-prefix=PTX85
// RUN: mx-opt %s --mx-lower-to-nvvm="matmul-kernels=simt" | FileCheck %s --check-prefix=SIMT
// RUN: mx-opt %s --mx-lower-to-nvvm="chip=sm_120a matmul-kernels=block-scale" | FileCheck %s --check-prefix=NATIVE
// RUN: mx-opt %s --mx-lower-to-nvvm="chip=sm_100a matmul-kernels=block-scale" | FileCheck %s --check-prefix=TCGEN05
// RUN: mx-opt %s --mx-lower-to-nvvm="memory=host" | FileCheck %s --check-prefix=HOST
// RUN: not mx-opt %s --mx-lower-to-nvvm="memory=shared" 2>&1 | FileCheck %s --check-prefix=MEMORY

// Quantization and the MAC become GPU kernels with embedded PTX for the
// chip (the PTX version each chip needs by default) and LLVM host code that
// keeps its buffers on the device (memory=device, the default: pool
// allocations, constants uploaded once) or, with memory=host, maps host
// buffers into the device.
// MEMORY: mx-lower-to-nvvm: memory must be device or host, got 'shared'
// HOST-LABEL: llvm.func @quantized
// HOST: llvm.call @mgpuMemHostRegisterMemRef
// HOST-NOT: mxGpuAlloc
// CHECK-LABEL: llvm.func @quantized
// CHECK: llvm.call @mxGpuAlloc
// CHECK: gpu.launch_func
// CHECK-NOT: mx{{[._]}}
// CHECK-NOT: linalg.
// SM90: gpu.binary @{{.*}} [#gpu.object<#nvvm.target<chip = "sm_90a", features = "+ptx80">
// SM90-SAME: .version 8.0\0A.target sm_90a
// SM100: gpu.binary @{{.*}} [#gpu.object<#nvvm.target<chip = "sm_100a", features = "+ptx86">
// SM100-SAME: .version 8.6\0A.target sm_100a
// SM120: gpu.binary @{{.*}} [#gpu.object<#nvvm.target<chip = "sm_120a", features = "+ptx87">
// SM120-SAME: .version 8.7\0A.target sm_120a
// PTX85: .version 8.5\0A.target sm_90a
// By default the FP4 matmul is an integer tensor-core kernel (bit-exact);
// matmul-kernels=simt keeps one thread per output element.
// SM90: mma.sync.aligned.m16n8k32.row.col.satfinite.s32.s8.s8.s32
// SM100: mma.sync.aligned.m16n8k32.row.col.satfinite.s32.s8.s8.s32
// SIMT-LABEL: llvm.func @quantized
// SIMT-NOT: mma.sync
// SIMT-LABEL: llvm.func @mxfp4
// SIMT-NOT: mma.sync
// On sm_120a, block-scale uses the native FP4 MMA where the scales map onto
// it (mxfp4 x mxfp4); amxfp4's E5M2 scales keep the integer MMA.
// NATIVE-LABEL: llvm.func @quantized
// NATIVE: mma.sync.aligned.m16n8k32.row.col.satfinite.s32.s8.s8.s32
// NATIVE-NOT: block_scale
// NATIVE-LABEL: llvm.func @mxfp4
// NATIVE: mma.sync.aligned.m16n8k64.row.col.kind::mxf4nvf4.block_scale.scale_vec::2X.f32.e2m1.e2m1.f32.ue8m0
// On sm_100a, block-scale uses tcgen05.mma.block_scale (PTX 8.8 by default
// for its .block32 / .block16 qualifiers): tensor memory allocated, the
// scale factors stored to it, one thread's MMA committed to an mbarrier,
// the accumulator loaded back.
// TCGEN05: gpu.binary @{{.*}} [#gpu.object<#nvvm.target<chip = "sm_100a", features = "+ptx88">
// TCGEN05: .version 8.8\0A.target sm_100a{{.*}}tcgen05.alloc.cta_group::1.sync.aligned.shared::cta.b32
// TCGEN05-SAME: tcgen05.st.sync.aligned.32x32b.x4.b32
// TCGEN05-SAME: tcgen05.mma.cta_group::1.kind::mxf4nvf4.block_scale.block32
// TCGEN05-SAME: tcgen05.commit.cta_group::1.mbarrier::arrive::one
// TCGEN05-SAME: mbarrier.try_wait.parity
// TCGEN05-SAME: tcgen05.ld.sync.aligned.32x32b.x32.b32
// TCGEN05-SAME: tcgen05.dealloc.cta_group::1.sync.aligned.b32
func.func @quantized(%x: tensor<4x40xf32>, %w: tensor<40x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %qa = mx.quantize %x : tensor<4x40xf32> -> !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>
  %qb = mx.quantize %w : tensor<40x8xf32> -> !mx.qtensor<40x8, #mx.format<mxfp4>, axis = 0>
  %r = mx.matmul %qa, %qb, %c : !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<40x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

func.func @mxfp4(%x: tensor<4x64xf32>, %w: tensor<64x8xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %qa = mx.quantize %x : tensor<4x64xf32> -> !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>
  %qb = mx.quantize %w : tensor<64x8xf32> -> !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0>
  %r = mx.matmul %qa, %qb, %c : !mx.qtensor<4x64, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<64x8, #mx.format<mxfp4>, axis = 0> -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
