// RUN: mx-opt %s -split-input-file -verify-diagnostics

func.func @f(%c: vector<4xf32>, %a: vector<4xi32>, %b: vector<2xi32>, %s: i32) {
  // expected-error @+1 {{'mx_nvvm.mma_block_scale' op scale_vec must be 2 or 4, got 1}}
  %d = mx_nvvm.mma_block_scale %c, %a, %b, %s, %s {scale_vec = 1 : i64} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
  return
}

// -----

func.func @f(%c: vector<4xf32>, %a: vector<4xi32>, %b: vector<2xi32>, %s: i32) {
  // expected-error @+1 {{'mx_nvvm.mma_block_scale' op ue4m3 scales need scale_vec = 4 (one scale per 16 positions)}}
  %d = mx_nvvm.mma_block_scale %c, %a, %b, %s, %s {scale_vec = 2 : i64, ue4m3} : vector<4xi32>, vector<2xi32> -> vector<4xf32>
  return
}

// -----

func.func @f(%c: vector<4xf32>, %a: vector<2xi32>, %b: vector<2xi32>, %s: i32) {
  // expected-error @+1 {{'mx_nvvm.mma_block_scale' op operand #1 must be vector of 32-bit signless integer values of length 4, but got 'vector<2xi32>'}}
  %d = "mx_nvvm.mma_block_scale"(%c, %a, %b, %s, %s) {scale_vec = 2 : i64} : (vector<4xf32>, vector<2xi32>, vector<2xi32>, i32, i32) -> vector<4xf32>
  return
}

// -----

func.func @f(%c: vector<4xf32>, %a: vector<4xi32>, %b: vector<2xi32>, %s: i32) {
  // expected-error @+1 {{'mx_nvvm.mma_block_scale' op result #0 must be vector of 32-bit float values of length 4, but got 'vector<4xf16>'}}
  %d = "mx_nvvm.mma_block_scale"(%c, %a, %b, %s, %s) {scale_vec = 2 : i64} : (vector<4xf32>, vector<4xi32>, vector<2xi32>, i32, i32) -> vector<4xf16>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op lhs scales must be E8M0 or E4M3 (the tensor core takes ue8m0 or ue4m3), got E5M2}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s, %s) rhs(%b, %t, %t) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<amxfp4>, rhs_format = #mx.format<amxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op rhs elements must be E2M1 (FP4)}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp8-e4m3>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>, %g: f32) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op lhs and rhs scales must have the same format}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t tensor_scale %g) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<nvfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, f32, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op lhs and rhs must have the same block size, a multiple of 16}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4, block_size = 64>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op lhs format is asymmetric: its negative scales are required}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<amxfp4-pot>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op rhs format is symmetric: no negative scales expected}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t, %t) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op lhs format needs its tensor scale}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<nvfp4>, rhs_format = #mx.format<nvfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op lhs must have 16 bytes of codes a row for k = 32, got 32}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t) acc(%c) out(%o) {k = 32 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op rhs must have k = 63 rows, got 64}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t) acc(%c) out(%o) {k = 63 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op k must be positive, got 0}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t) acc(%c) out(%o) {k = 0 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x64xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op acc and out must have the same shape and element type}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x64xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xf32>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op operand #0 must be 2D memref of 8-bit signless integer values, but got 'memref<?x32xf32>'}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xf32>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E4M3FN>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xf32>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op lhs scales must be 'f8E8M0FNU' for #mx.format<mxfp4>, got 'f8E4M3FN'}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E4M3FN>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xf32>
  return
}

// -----

func.func @f(%a: memref<?x32xi8>, %s: memref<?x2xf8E8M0FNU>, %b: memref<64x64xi8>, %t: memref<2x128xf8E8M0FNU>, %c: memref<?x128xf32>, %o: memref<?x128xbf16>) {
  // expected-error @+1 {{'mx_nvvm.tcgen05_matmul' op acc and out must have the same shape and element type}}
  mx_nvvm.tcgen05_matmul lhs(%a, %s) rhs(%b, %t) acc(%c) out(%o) {k = 64 : i64, lhs_format = #mx.format<mxfp4>, rhs_format = #mx.format<mxfp4>} : memref<?x32xi8>, memref<?x2xf8E8M0FNU>, memref<64x64xi8>, memref<2x128xf8E8M0FNU>, memref<?x128xf32>, memref<?x128xbf16>
  return
}

// -----

func.func @f(%c: tensor<8192xi8>, %s: tensor<256xi8>) {
  // expected-error @+1 {{'mx_nvvm.gemv_weight' op scales must have 512 bytes for '!mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0>', got 'tensor<256xi8>'}}
  %w = mx_nvvm.gemv_weight %c, %s : tensor<8192xi8>, tensor<256xi8> -> !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0>
  return
}

// -----

func.func @f(%c: tensor<100xi8>, %s: tensor<512xi8>) {
  // expected-error @+1 {{'mx_nvvm.gemv_weight' op codes must have 8192 bytes}}
  %w = mx_nvvm.gemv_weight %c, %s : tensor<100xi8>, tensor<512xi8> -> !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 0>
  return
}

// -----

func.func @f(%c: tensor<8192xi8>, %s: tensor<1024xi8>) {
  // expected-error @+1 {{'mx_nvvm.gemv_weight' op the format needs its tensor scale}}
  %w = mx_nvvm.gemv_weight %c, %s : tensor<8192xi8>, tensor<1024xi8> -> !mx.qtensor<256x64, #mx.format<nvfp4>, axis = 0>
  return
}

// -----

func.func @f(%q: !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 1>) {
  // expected-error @+1 {{'mx_nvvm.to_gemv_layout' op the weight must be rank 2 and blocked along axis 0 (K)}}
  %c, %s = mx_nvvm.to_gemv_layout %q : !mx.qtensor<256x64, #mx.format<mxfp4>, axis = 1> -> tensor<8192xi8>, tensor<512xi8>
  return
}

// -----

func.func @f(%q: !mx.qtensor<256x64, #mx.format<mxfp8-e4m3>, axis = 0>) {
  // expected-error @+1 {{'mx_nvvm.to_gemv_layout' op the GEMV layout holds E2M1 (FP4) weights with block size 16 or 32}}
  %c, %s = mx_nvvm.to_gemv_layout %q : !mx.qtensor<256x64, #mx.format<mxfp8-e4m3>, axis = 0> -> tensor<8192xi8>, tensor<512xi8>
  return
}

// -----

func.func @f(%q: !mx.qtensor<256x64, #mx.format<mxfp4, block_size = 64>, axis = 0>) {
  // expected-error @+1 {{'mx_nvvm.to_gemv_layout' op the GEMV layout holds E2M1 (FP4) weights with block size 16 or 32}}
  %c, %s = mx_nvvm.to_gemv_layout %q : !mx.qtensor<256x64, #mx.format<mxfp4, block_size = 64>, axis = 0> -> tensor<8192xi8>, tensor<512xi8>
  return
}
