//===- Passes.td - mx conversion passes -------------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_CONVERSION_PASSES_TD
#define MX_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertMXToLinalgPass : Pass<"convert-mx-to-linalg"> {
  let summary = "Lower mx ops to linalg, arith, math, scf and tensor";
  let description = [{
    Replaces every `mx.quantize`, `mx.dequantize`, `mx.matmul` and
    `mx.block_mac` by tensor-level code with the exact semantics of
    FORMATS.md: `linalg.generic` ops whose scalar bodies encode and decode
    element codes with integer arithmetic (RNE and RNA, saturation, signed
    zero), compute every scale rule, apply the NaN/Inf block rule and the
    zero-scale rule, and form the MAC's per-group sums exactly in 128-bit
    integers before their single rounding to f32. Nothing relies on upstream
    `arith.truncf`/`arith.extf` for f4, f6, f8 or E8M0 (see FORMATS.md §8).

    Quantized values are carried as their storage parts (FORMATS.md §7):
    producers end in `mx.pack`, consumers start with `mx.unpack`, and the
    pairs fold away. A quantized value that crosses a function boundary
    cannot be lowered and is reported.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def MXGPUHostBuffersPass : Pass<"mx-gpu-host-buffers", "::mlir::ModuleOp"> {
  let summary = "Make the host buffers of a module accessible from GPU kernels";
  let description = [{
    The GPU pipeline keeps every buffer in host memory and maps it into the
    device address space (zero-copy), so host code (printing, small
    reductions) and kernels see the same data without copies:

    * every `memref.alloc` gets a 4096-byte alignment (two buffers never share
      a page) and is followed by `gpu.host_register`; every `memref.dealloc`
      is preceded by `gpu.host_unregister`;
    * every `memref.get_global` (constants) is replaced by a registered copy.

    Kernel launches are synchronous, so host reads after a launch see the
    kernel's writes. Buffers passed in by a caller must be registered (or
    device-accessible) by that caller. This is the correctness path of the
    GPU lowering, not its fast path.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect"];
}

#endif // MX_CONVERSION_PASSES_TD
