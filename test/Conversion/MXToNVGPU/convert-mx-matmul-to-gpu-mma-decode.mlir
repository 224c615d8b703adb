// RUN: mx-opt %s --convert-mx-matmul-to-gpu-mma | FileCheck %s --check-prefix=DECODE
// RUN: mx-opt %s --convert-mx-matmul-to-gpu-mma="report=true" -o /dev/null 2>&1 | FileCheck %s --check-prefix=DECODE-REPORT
// RUN: not mx-opt %s --convert-mx-matmul-to-gpu-mma="decode-warps=33" 2>&1 | FileCheck %s --check-prefix=DECODE-WARPS
// RUN: mx-opt %s --convert-mx-matmul-to-gpu-mma="decode-warps=1" | FileCheck %s --check-prefix=WARPS1
// RUN: not mx-opt %s --convert-mx-matmul-to-gpu-mma="decode=false" 2>&1 | FileCheck %s --check-prefix=NODECODE
// NODECODE: error: 'mx_nvvm.gemv_weight' op is only supported as the weight of an mx.matmul that takes the decode kernels (M <= 16, decode=true)

// Decode (M <= 16, the default decode=true): an activation kernel writes A
// as MMA registers, the GEMV kernel reads the weight in the GEMV layout,
// decodes eight codes per word with prmt and folds the block terms in
// order through shared memory. A constant weight is repacked at compile
// time; a weight from a function argument at run time (with a remark).
// DECODE-WARPS: convert-mx-matmul-to-gpu-mma: decode-warps must be in [1, 32], got 33
// DECODE-LABEL: func.func @decode_constant
// DECODE-NOT: mx_nvvm.to_gemv_layout
// DECODE: arith.constant dense<{{.*}}> : tensor<8192xi8>
// DECODE: gpu.launch
// DECODE: memref.store {{.*}} : memref<1024xi32>
// DECODE: gpu.launch
// DECODE: mx_nvvm.workgroup_buffer : memref<256xf32, #gpu.address_space<workgroup>>
// DECODE: scf.for
// DECODE: vector.load {{.*}} {alignment = 16 : i64} : memref<8192xi8>, vector<16xi8>
// DECODE-COUNT-4: nvvm.prmt
// DECODE: nvgpu.mma.sync
// DECODE: nvgpu.mma.sync
// DECODE: arith.subi {{.*}} : vector<2x2xi32>
// DECODE: mx_nvvm.barrier
// DECODE: arith.addf
// DECODE: mx_nvvm.barrier
// DECODE: bufferization.to_tensor
func.func @decode_constant(%x: tensor<1x256xf32>, %acc: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %codes = arith.constant dense<113> : tensor<256x32xi8>
  %scales = arith.constant dense<1.0> : tensor<8x64xf8E8M0FNU>
  %w = mx.pack %codes, %scales : tensor<256x32xi8>, tensor<8x64xf8E8M0FNU> -> !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0>
  %a = mx.quantize %x : tensor<1x256xf32> -> !mx.qtensor<1x256, #mx.format<mxfp4>, axis = 1>
  %r = mx.matmul %a, %w, %acc : !mx.qtensor<1x256, #mx.format<mxfp4>, axis = 1>, !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0> -> tensor<1x64xf32>
  return %r : tensor<1x64xf32>
}

// With M = 16 the GEMV block needs one folding thread per output: at least
// four warps, whatever decode-warps asks for.
// WARPS1-LABEL: func.func @decode_resident
// WARPS1: gpu.launch
// WARPS1: gpu.launch blocks({{.*}}) in ({{.*}}) threads({{.*}}) in (%{{.*}} = %c128
// A weight kept in the GEMV layout by the caller is read as it is.
// DECODE-LABEL: func.func @decode_resident
// DECODE-NOT: mx_nvvm.to_gemv_layout
// DECODE-NOT: mx_nvvm.gemv_weight
// DECODE: gpu.launch
// DECODE: gpu.launch
// DECODE: nvgpu.mma.sync
// DECODE: return
func.func @decode_resident(%a: !mx.qtensor<16x256, #mx.format<nvfp4>, axis = 1>, %wc: tensor<8192xi8>, %ws: tensor<1024xi8>, %g: f32, %acc: tensor<16x64xf32>) -> tensor<16x64xf32> {
  %w = mx_nvvm.gemv_weight %wc, %ws tensor_scale(%g) : tensor<8192xi8>, tensor<1024xi8> -> !mx.qtensor<256x64, #mx.format<nvfp4>, axis = 0>
  %r = mx.matmul %a, %w, %acc : !mx.qtensor<16x256, #mx.format<nvfp4>, axis = 1>, !mx.qtensor<256x64, #mx.format<nvfp4>, axis = 0> -> tensor<16x64xf32>
  return %r : tensor<16x64xf32>
}

// DECODE-REPORT: remark: decode kernel: the weight is repacked into the GEMV layout at run time, in every call; pack it once with mx_nvvm.to_gemv_layout and pass it through mx_nvvm.gemv_weight
// DECODE-LABEL: func.func @decode_runtime_weight
// DECODE: gpu.launch
// DECODE: memref<8192xi8>
// DECODE: gpu.launch
// DECODE: gpu.launch
func.func @decode_runtime_weight(%a: !mx.qtensor<2x256, #mx.format<amxfp4>, axis = 1>, %w: !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0>, %acc: tensor<2x64xf32>) -> tensor<2x64xf32> {
  %r = mx.matmul %a, %w, %acc : !mx.qtensor<2x256, #mx.format<amxfp4>, axis = 1>, !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0> -> tensor<2x64xf32>
  return %r : tensor<2x64xf32>
}
