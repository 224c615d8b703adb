// RUN: mx-opt %s --mx-gpu-host-buffers | FileCheck %s

// Allocations are page-aligned and registered, deallocations unregistered,
// constants copied into registered buffers; kernels are not touched.
// CHECK-LABEL: func.func @buffers
// CHECK: %[[G:.*]] = memref.get_global @weights : memref<4xf32>
// CHECK: %[[C:.*]] = memref.alloc() {alignment = 4096 : i64} : memref<4xf32>
// CHECK: memref.copy %[[G]], %[[C]]
// CHECK: %[[CU:.*]] = memref.cast %[[C]] : memref<4xf32> to memref<*xf32>
// CHECK: gpu.host_register %[[CU]] : memref<*xf32>
// CHECK: %[[A:.*]] = memref.alloc(%{{.*}}) {alignment = 4096 : i64} : memref<?xi8>
// CHECK: gpu.host_register %{{.*}} : memref<*xi8>
// CHECK: memref.load %[[C]]
// CHECK: gpu.host_unregister %{{.*}} : memref<*xi8>
// CHECK-NEXT: memref.dealloc %[[A]]
memref.global "private" constant @weights : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>

func.func @buffers(%n: index) -> f32 {
  %g = memref.get_global @weights : memref<4xf32>
  %a = memref.alloc(%n) : memref<?xi8>
  %c0 = arith.constant 0 : index
  %v = memref.load %g[%c0] : memref<4xf32>
  memref.dealloc %a : memref<?xi8>
  return %v : f32
}
