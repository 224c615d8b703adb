/*===- mx-capi-test.c - Exercise the mx C API from C ------------------===*\
|*                                                                        *|
|* SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception                *|
|*                                                                        *|
\*===------------------------------------------------------------------===*/

// RUN: mx-capi-test 2>&1 | FileCheck %s

#include "mx-c/MX.h"

#include "mlir-c/BuiltinTypes.h"
#include "mlir-c/IR.h"

#include <stdio.h>
#include <string.h>

static void print(MlirStringRef s, void *userData) {
  (void)userData;
  fwrite(s.data, 1, s.length, stdout);
}

static MlirStringRef str(const char *s) {
  return mlirStringRefCreateFromCString(s);
}

static const char *kModule =
    "func.func @mm(%a: tensor<4x40xf32>, %b: tensor<40x8xf32>, "
    "              %c: tensor<4x8xf32>) -> tensor<4x8xf32> {\n"
    "  %r = linalg.matmul ins(%a, %b : tensor<4x40xf32>, tensor<40x8xf32>)\n"
    "                     outs(%c : tensor<4x8xf32>) -> tensor<4x8xf32>\n"
    "  return %r : tensor<4x8xf32>\n"
    "}\n";

int main(void) {
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  mxRegisterPipelineDialects(registry);
  MlirContext ctx = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);
  mlirDialectHandleLoadDialect(mlirGetDialectHandle__mx__(), ctx);

  /* Formats: a preset with an override, and an impossible combination. */
  MlirAttribute f = mxFormatAttrGet(ctx, str("amxfp4"), str(""), str(""), 16,
                                    print, NULL);
  mlirAttributePrint(f, print, NULL);
  printf("\nis format: %d, block size: %u\n", mxAttributeIsAFormat(f),
         mxFormatAttrGetBlockSize(f));
  // CHECK: #mx.format<amxfp4, block_size = 16>
  // CHECK: is format: 1, block size: 16
  printf("error: ");
  MlirAttribute bad = mxFormatAttrGet(ctx, str("amxfp4"), str(""),
                                      str("floor"), 0, print, NULL);
  printf("\nnull: %d\n", mlirAttributeIsNull(bad));
  // CHECK: error: scale-rule applies only to formats with f8E8M0FNU scales; 'amxfp4' has f8E5M2 scales
  // CHECK: null: 1
  printf("error: ");
  MlirAttribute unknown = mxFormatAttrGet(ctx, str("mxfp5"), str(""), str(""),
                                          0, print, NULL);
  printf("\nnull: %d\n", mlirAttributeIsNull(unknown));
  // CHECK: error: unknown format preset 'mxfp5'
  // CHECK: null: 1

  /* A quantized tensor type. */
  int64_t shape[2] = {128, mlirShapedTypeGetDynamicSize()};
  MlirAttribute nv = mxFormatAttrGet(ctx, str("nvfp4"), str("rna"), str(""),
                                     0, print, NULL);
  MlirType q = mxQTensorTypeGet(ctx, 2, shape, nv, 1);
  mlirTypePrint(q, print, NULL);
  printf("\n");
  // CHECK: !mx.qtensor<128x?, #mx.format<nvfp4, rounding = rna>, axis = 1>

  /* The pipelines on a parsed module. */
  MlirModule module = mlirModuleCreateParse(ctx, str(kModule));
  if (mlirModuleIsNull(module)) {
    printf("parse failed\n");
    return 1;
  }
  if (mlirLogicalResultIsFailure(
          mxQuantizeMatmul(module, str("lhs-format=amxfp4 rhs-format=mxfp4"))))
    return 1;
  mlirOperationPrint(mlirModuleGetOperation(module), print, NULL);
  // CHECK: mx.quantize %{{.*}} -> !mx.qtensor<4x40, #mx.format<amxfp4>, axis = 1>
  // CHECK: mx.matmul
  if (mlirLogicalResultIsFailure(mxLowerToLLVM(module)))
    return 1;
  mlirOperationPrint(mlirModuleGetOperation(module), print, NULL);
  // CHECK: llvm.func @mm(
  // CHECK-NOT: mx{{[._]}}
  printf("\nbad options: %d\n",
         mlirLogicalResultIsFailure(mxQuantizeMatmul(module, str("lhs-format=x"))));
  // CHECK: bad options: 1

  mlirModuleDestroy(module);
  mlirContextDestroy(ctx);
  printf("done\n");
  // CHECK: done
  return 0;
}
