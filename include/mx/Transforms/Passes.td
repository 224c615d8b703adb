//===- Passes.td - mx module-level transforms -------------*- tablegen -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Passes that work on a whole lowered module rather than on mx ops: data
// placement for the GPU pipelines and the bufferization contract of
// external functions.
//
//===----------------------------------------------------------------------===//

#ifndef MX_TRANSFORMS_PASSES_TD
#define MX_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

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
def MXGPUDeviceBuffersPass
    : Pass<"mx-gpu-device-buffers", "::mlir::ModuleOp"> {
  let summary = "Place the buffers of a module's host code in device memory";
  let description = [{
    The data placement of `--mx-lower-to-nvvm` with `memory=device` (the
    default): the host code keeps no data of its own, it only enqueues work
    on the current stream of the mx GPU runtime (the caller's, see
    `include/mx/Runtime/MXGPURuntime.h`). In every function outside a
    `gpu.module`:

    * `memref.alloc` becomes a buffer from the runtime's stream-ordered
      device pool (`mxGpuAlloc`), `memref.dealloc` returns it to the pool in
      stream order (`mxGpuFree`); nothing is allocated or freed by the
      driver after the first calls;
    * `memref.get_global` (a constant, e.g. a weight quantized at compile
      time) becomes its device copy (`mxGpuDeviceConstant`), uploaded once
      at the first use and reused by every later call;
    * `memref.copy` becomes a device-to-device copy in stream order;
    * a memref passed to a body-less host function (a runtime helper such
      as `printMemrefI32`) is first copied into a host buffer, which waits
      for the stream (a host synchronization, like the scalar reads below). Such
      arguments are read-only (what the host function writes is not copied
      back);
    * a value the host would read from a device buffer only to pass it to
      kernels (e.g. NVFP4's tensor scale, formed by a reduction kernel) is
      read by those kernels instead: the load and the pure arithmetic on it
      move into each `gpu.launch` that uses it;
    * a remaining host read outside loops becomes a one-element copy to
      the host, which waits for the stream (e.g. a tensor scale the
      function returns); a host store outside loops becomes a one-thread
      kernel. Any other host access of device memory (in a loop, or by
      another op) is an error naming the op: that computation has no GPU
      kernel, and `memory=host` is the way to run it.

    Memref arguments of the module's functions are device buffers: a caller
    passes device pointers (e.g. the `data_ptr()` of CUDA tensors) in the
    memref descriptors. Allocated and uploaded buffers must have an identity
    layout, copied and host-passed ones be dense row-major; anything else is
    an error.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::memref::MemRefDialect"];
}
def MXReadOnlyExternalTensorArgsPass
    : Pass<"mx-read-only-external-tensor-args", "::mlir::ModuleOp"> {
  let summary = "Mark the tensor arguments of external functions read-only "
                "for bufferization";
  let description = [{
    Tensors are values: an external function cannot change a tensor it is
    passed. Marks the tensor arguments of body-less `func.func` declarations
    (runtime helpers such as `printMemrefI32`) with
    `bufferization.access = "read"` for one-shot bufferization, unless they
    already carry a `bufferization.access` attribute; without it every call
    would need a copy, and a copy of an unranked tensor is impossible.
    `mx-lower-to-llvm` (option `read-only-external-tensors`, default on) and
    the GPU pipelines run it before bufferization.

    ```mlir
    func.func private @printMemrefI32(tensor<*xi32>)
    // becomes
    func.func private @printMemrefI32(tensor<*xi32> {bufferization.access = "read"})
    ```
  }];
}

#endif // MX_TRANSFORMS_PASSES_TD
