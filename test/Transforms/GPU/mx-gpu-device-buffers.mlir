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
