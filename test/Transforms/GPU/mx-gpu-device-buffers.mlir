// RUN: mx-opt %s --split-input-file --mx-gpu-device-buffers --verify-diagnostics | FileCheck %s

// Host code keeps no data: allocations come from the device pool,
// deallocations return to it, a constant becomes its device copy (uploaded
// once by the runtime), copies are device-to-device, and a host function
// gets a host copy of its argument; kernels are not touched.
// CHECK-DAG: func.func private @mxGpuDeviceConstant(i64, i64) -> i64
// CHECK-DAG: func.func private @mxGpuAlloc(i64) -> i64
// CHECK-LABEL: func.func @buffers
// CHECK: %[[G:.*]] = memref.get_global @weights : memref<4xf32>
// CHECK: %[[GP:.*]] = memref.extract_aligned_pointer_as_index %[[G]]
// CHECK: %[[GI:.*]] = arith.index_cast %[[GP]] : index to i64
// CHECK: %[[D:.*]] = call @mxGpuDeviceConstant(%[[GI]], %{{.*}}) : (i64, i64) -> i64
// CHECK: %[[DP:.*]] = llvm.inttoptr %[[D]] : i64 to !llvm.ptr
// CHECK: %[[C:.*]] = builtin.unrealized_conversion_cast %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<1 x i64>, array<1 x i64>)> to memref<4xf32>
// CHECK: %[[A:.*]] = call @mxGpuAlloc(%{{.*}}) : (i64) -> i64
// CHECK: %[[B:.*]] = builtin.unrealized_conversion_cast %{{.*}} to memref<?xf32>
// CHECK: call @mxGpuCopy(
// CHECK: gpu.launch
// CHECK: memref.load %[[C]]
// CHECK: gpu.terminator
// CHECK: %[[H:.*]] = memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK: call @mxGpuCopyToHost(
// CHECK: %[[HU:.*]] = memref.cast %[[H]] : memref<?xf32> to memref<*xf32>
// CHECK: call @printMemrefF32(%[[HU]])
// CHECK: memref.dealloc %[[H]]
// CHECK: call @mxGpuFree(
memref.global "private" constant @weights : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
func.func private @printMemrefF32(memref<*xf32>)

func.func @buffers(%n: index, %out: memref<4xf32>) {
  %g = memref.get_global @weights : memref<4xf32>
  %a = memref.alloc(%n) : memref<?xf32>
  memref.copy %g, %out : memref<4xf32> to memref<4xf32>
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %w = %c1) {
    %c0 = arith.constant 0 : index
    %v0 = memref.load %g[%c0] : memref<4xf32>
    memref.store %v0, %a[%c0] : memref<?xf32>
    gpu.terminator
  }
  %u = memref.cast %a : memref<?xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  memref.dealloc %a : memref<?xf32>
  return
}

// -----

func.func @strided(%m: memref<4x4xf32>, %o: memref<2x2xf32>) {
  %s = memref.subview %m[0, 0] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1]>>
  // expected-error @+1 {{'memref.copy' op mx-gpu-device-buffers: only dense row-major memrefs of integer, float or index elements can live in device memory, got 'memref<2x2xf32, strided<[4, 1]>>'}}
  memref.copy %s, %o : memref<2x2xf32, strided<[4, 1]>> to memref<2x2xf32>
  return
}

// -----

// A scalar read from a device buffer only to feed kernels (NVFP4's tensor
// scale) is read by each kernel that uses it: the load and the arithmetic
// on it move into the launches, nothing is read on the host.
// CHECK-LABEL: func.func @sunk
// CHECK-NOT: mxGpuCopyToHost
// CHECK: gpu.launch
// CHECK: %[[L:.*]] = memref.load %{{.*}}[%{{.*}}] : memref<1xi32>
// CHECK: %[[F:.*]] = arith.bitcast %[[L]] : i32 to f32
// CHECK: memref.store %[[F]]
// CHECK: gpu.launch
// CHECK: memref.load %{{.*}}[%{{.*}}] : memref<1xi32>
// CHECK-NOT: mxGpuCopyToHost
// CHECK: return
func.func @sunk(%w: memref<1xi32>, %o: memref<2xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %l = memref.load %w[%c0] : memref<1xi32>
  %f = arith.bitcast %l : i32 to f32
  gpu.launch blocks(%b0, %b1, %b2) in (%g0 = %c1, %g1 = %c1, %g2 = %c1) threads(%t0, %t1, %t2) in (%s0 = %c1, %s1 = %c1, %s2 = %c1) {
    memref.store %f, %o[%c0] : memref<2xf32>
    gpu.terminator
  }
  gpu.launch blocks(%b0, %b1, %b2) in (%g0 = %c1, %g1 = %c1, %g2 = %c1) threads(%t0, %t1, %t2) in (%s0 = %c1, %s1 = %c1, %s2 = %c1) {
    memref.store %f, %o[%c1] : memref<2xf32>
    gpu.terminator
  }
  return
}

// -----

// A scalar the function returns is copied to the host (waiting for the
// stream); a scalar stored into a buffer is stored by a one-thread kernel.
// CHECK-LABEL: func.func @scalars
// CHECK: %[[H:.*]] = memref.alloca() : memref<1xf32>
// CHECK: call @mxGpuCopyToHost(
// CHECK: %[[V:.*]] = memref.load %[[H]]
// CHECK: gpu.launch blocks(%{{.*}}) in (%{{.*}} = %[[ONE:.*]], %{{.*}} = %[[ONE]], %{{.*}} = %[[ONE]]) threads(%{{.*}}) in (%{{.*}} = %[[ONE]], %{{.*}} = %[[ONE]], %{{.*}} = %[[ONE]])
// CHECK-NEXT: memref.store %[[V]], %{{.*}}[%{{.*}}] : memref<1xf32>
// CHECK: return %[[V]]
func.func @scalars(%x: memref<4xf32>) -> (f32, memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %v = memref.load %x[%c0] : memref<4xf32>
  %b = memref.alloc() : memref<1xf32>
  memref.store %v, %b[%c0] : memref<1xf32>
  return %v, %b : f32, memref<1xf32>
}

// -----

// Buffers that only host code reads and writes (the bookkeeping of
// bufferization's deallocation helper) stay in host memory.
// CHECK-LABEL: func.func @bookkeeping
// CHECK-NOT: mxGpuAlloc
// CHECK: %[[A:.*]] = memref.alloc() : memref<2xindex>
// CHECK: call @helper(%[[A]])
// CHECK: memref.dealloc %[[A]]
func.func private @helper(%m: memref<2xindex>) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c2 step %c1 {
    memref.store %i, %m[%i] : memref<2xindex>
  }
  return
}
func.func @bookkeeping() {
  %a = memref.alloc() : memref<2xindex>
  call @helper(%a) : (memref<2xindex>) -> ()
  memref.dealloc %a : memref<2xindex>
  return
}

// -----

// Host code that reads device memory in a loop has no GPU kernel: an error.
func.func @host_loop(%x: memref<4xf32>, %o: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %c1 = arith.constant 1 : index
  %cst = arith.constant 0.0 : f32
  %s = scf.for %i = %c0 to %c4 step %c1 iter_args(%a = %cst) -> f32 {
    // expected-error @below {{mx-gpu-device-buffers: host code accesses device memory in a loop (memory=device)}}
    %v = memref.load %x[%i] : memref<4xf32>
    %n = arith.addf %a, %v : f32
    scf.yield %n : f32
  }
  return
}
