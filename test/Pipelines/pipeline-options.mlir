// Pipeline options are validated, and the messages name the valid choices.
// RUN: not mx-opt %s --mx-lower-to-nvvm="chip=sm_80" 2>&1 | FileCheck %s --check-prefix=CHIP
// RUN: not mx-opt %s --mx-lower-to-nvvm="ptx=8.0" 2>&1 | FileCheck %s --check-prefix=PTX
// RUN: not mx-opt %s --mx-lower-to-nvvm="format=cubin" 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: not mx-opt %s --mx-lower-to-nvvm="block-size=0" 2>&1 | FileCheck %s --check-prefix=BLOCK
// RUN: not mx-opt %s --mx-lower-to-rocdl="chip=sm_90a" 2>&1 | FileCheck %s --check-prefix=AMD
// RUN: not mx-opt %s --mx-lower-to-llvm="fast=true" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not mx-opt %s --mx-lower-to-llvm="cpu-kernels=avx2" 2>&1 | FileCheck %s --check-prefix=KERNELS
// RUN: not mx-opt %s --mx-lower-to-llvm="cpu-threads=0" 2>&1 | FileCheck %s --check-prefix=THREADS
// RUN: not mx-opt %s --mx-lower-to-nvvm="matmul-kernels=wmma" 2>&1 | FileCheck %s --check-prefix=MMAKIND
// RUN: not mx-opt %s --mx-lower-to-nvvm="matmul-kernels=block-scale" 2>&1 | FileCheck %s --check-prefix=NATIVECHIP
// RUN: not mx-opt %s --mx-lower-to-rocdl="matmul-kernels=mma" 2>&1 | FileCheck %s --check-prefix=AMDKIND
// RUN: not mx-opt %s --mx-lower-to-rocdl="chip=gfx942 matmul-kernels=scaled-mfma" 2>&1 | FileCheck %s --check-prefix=AMDCHIP
// RUN: mx-opt %s --mx-lower-to-nvvm="chip=sm_80 ptx=78" | FileCheck %s --check-prefix=SM80
// RUN: mx-opt --help | FileCheck %s --check-prefix=HELP

// CHIP: error: mx-lower-to-nvvm: unknown chip 'sm_80'; expected sm_90a, sm_100a or sm_120a (other chips need an explicit ptx=)
// PTX: error: mx-lower-to-nvvm: ptx must be a PTX ISA version such as 80 or 87, got '8.0'
// FORMAT: error: mx-lower-to-nvvm: format must be isa, bin or fatbin, got 'cubin'
// BLOCK: error: mx-lower-to-nvvm: block-size must be in [1, 1024], got 0
// AMD: error: mx-lower-to-rocdl: chip must be an AMD GPU such as gfx950, got 'sm_90a'
// UNKNOWN: no such option fast
// THREADS: error: mx-lower-to-llvm: cpu-threads must be in [1, 256], got 0
// KERNELS: error: mx-lower-to-llvm: cpu-kernels must be auto, avx512 or generic, got 'avx2'
// MMAKIND: error: mx-lower-to-nvvm: matmul-kernels must be mma, block-scale or simt, got 'wmma'
// NATIVECHIP: error: mx-lower-to-nvvm: matmul-kernels=block-scale needs chip=sm_100a (tcgen05.mma.block_scale) or sm_120a (the warp-level block-scaled MMA); sm_90a has no FP4 tensor cores, got chip=sm_90a
// AMDKIND: error: mx-lower-to-rocdl: matmul-kernels must be simt or scaled-mfma, got 'mma'
// AMDCHIP: error: mx-lower-to-rocdl: matmul-kernels=scaled-mfma needs chip=gfx950 (the scaled MFMA instructions), got chip=gfx942
// SM80: .version 7.8\0A.target sm_80
// HELP: --mx-quantize-matmul {{.*}}Rewrite linalg matmuls into block-scaled mx matmuls
// HELP-NEXT: --block-size=<uint> {{.*}}Override the block size of both operands
// HELP: --lhs-format=<string> {{.*}}Preset of the lhs (activations): mxfp4, amxfp4
// HELP: --mx-lower-to-llvm {{.*}}Lower a tensor-level module with mx ops to the LLVM dialect
// HELP-NEXT: --buffer-deallocation {{.*}}Free the buffers
// HELP-NEXT: --cpu-kernels=<string> {{.*}}Kernels for eligible FP4 x FP4 mx.matmul ops: auto
// HELP-NEXT: --cpu-threads=<long> {{.*}}Threads for the AVX-512 kernels
// HELP-NEXT: --read-only-external-tensors
// HELP-NEXT: --mx-lower-to-nvvm
// HELP-NEXT: --block-size=<long>
// HELP-NEXT: --chip=<string> {{.*}}Target GPU: sm_90a (Hopper), sm_100a or sm_120a (Blackwell)
// HELP-NEXT: --format=<string>
// HELP-NEXT: --matmul-kernels=<string> {{.*}}FP4 x FP4 mx.matmul kernels: mma (integer tensor-core MMA, bit-exact
// HELP: --mx-lower-to-rocdl

func.func @f(%x: tensor<4x32xf32>) -> tensor<4x32xf32> {
  %q = mx.quantize %x : tensor<4x32xf32> -> !mx.qtensor<4x32, #mx.format<mxfp4>, axis = 1>
  %y = mx.dequantize %q : !mx.qtensor<4x32, #mx.format<mxfp4>, axis = 1> -> tensor<4x32xf32>
  return %y : tensor<4x32xf32>
}
