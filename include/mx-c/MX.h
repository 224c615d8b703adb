/*===- MX.h - C API of mx-mlir -----------------------------------*- C -*-===*\
|*                                                                            *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                    *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * C API for embedders that are not written in C++, following MLIR's C API
 * conventions (MlirContext, MlirAttribute, MlirStringRef, null results on
 * failure). Use it together with MLIR's own C API (mlir-c/IR.h).
 */

#ifndef MX_C_MX_H
#define MX_C_MX_H

#include "mlir-c/IR.h"
#include "mlir-c/Support.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The mx dialect: mlirGetDialectHandle__mx__(). */
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(MX, mx);

/** Inserts the mx dialect and the upstream dialects that the mx pipelines
 *  create or consume (func, arith, math, linalg, tensor, scf, memref,
 *  bufferization, LLVM, GPU, NVVM, ROCDL, ...) into `registry`. */
MLIR_CAPI_EXPORTED void
mxRegisterPipelineDialects(MlirDialectRegistry registry);

/** Registers the mx passes and pipelines with the global pass registry, so
 *  that textual pipelines can name them. Idempotent. */
MLIR_CAPI_EXPORTED void mxRegisterPasses(void);

/** `#mx.format` of a preset of docs/Spec.md with optional overrides: an empty
 *  `rounding` / `scaleRule` and `blockSize == 0` keep the preset's own. On
 *  an invalid name or combination, returns a null attribute and, if
 *  `onError` is not null, calls it with the message. */
MLIR_CAPI_EXPORTED MlirAttribute
mxFormatAttrGet(MlirContext ctx, MlirStringRef preset, MlirStringRef rounding,
                MlirStringRef scaleRule, unsigned blockSize,
                MlirStringCallback onError, void *userData);

/** Whether `attr` is an `#mx.format`. */
MLIR_CAPI_EXPORTED bool mxAttributeIsAFormat(MlirAttribute attr);

/** Block size of an `#mx.format`. */
MLIR_CAPI_EXPORTED unsigned mxFormatAttrGetBlockSize(MlirAttribute attr);

/** `!mx.qtensor<shape, format, axis = axis>`; null if invalid. Dynamic
 *  sizes are mlirShapedTypeGetDynamicSize(). */
MLIR_CAPI_EXPORTED MlirType mxQTensorTypeGet(MlirContext ctx, intptr_t rank,
                                             const int64_t *shape,
                                             MlirAttribute format,
                                             unsigned axis);

/** Runs `--mx-quantize-matmul="<options>"` on `module` (options as on the
 *  command line, e.g. "lhs-format=amxfp4 rhs-format=mxfp4"). Diagnostics go
 *  to the context's handlers. */
MLIR_CAPI_EXPORTED MlirLogicalResult mxQuantizeMatmul(MlirModule module,
                                                      MlirStringRef options);

/** Runs the `mx-lower-to-llvm` pipeline on `module`. */
MLIR_CAPI_EXPORTED MlirLogicalResult mxLowerToLLVM(MlirModule module);

/** Runs `mx-lower-to-nvvm{<options>}` (e.g. "chip=sm_90a") on `module`. */
MLIR_CAPI_EXPORTED MlirLogicalResult mxLowerToNVVM(MlirModule module,
                                                   MlirStringRef options);

#ifdef __cplusplus
}
#endif

#endif /* MX_C_MX_H */
