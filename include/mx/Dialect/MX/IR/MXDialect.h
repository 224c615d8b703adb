//===- MXDialect.h - MX dialect, attributes and types -----------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#ifndef MX_DIALECT_MX_IR_MXDIALECT_H
#define MX_DIALECT_MX_IR_MXDIALECT_H

#include "mx/Reference/MXReference.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "mx/Dialect/MX/IR/MXOpsDialect.h.inc"

#include "mx/Dialect/MX/IR/MXEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mx/Dialect/MX/IR/MXAttrs.h.inc"

#define GET_TYPEDEF_CLASSES
#include "mx/Dialect/MX/IR/MXOpsTypes.h.inc"

namespace mlir::mx {

/// The builtin type of an element format (`f4E2M1FN`, ..., `i8`).
Type getElementType(MLIRContext *context, ::mx::ref::ElemKind kind);
/// The builtin type of a scale format (`f8E8M0FNU`, `f8E5M2`, `f8E4M3FN`).
Type getScaleType(MLIRContext *context, ::mx::ref::ScaleKind kind);
/// The element format of a builtin type, if it is one.
std::optional<::mx::ref::ElemKind> getElemKind(Type type);
/// The scale format of a builtin type, if it is one.
std::optional<::mx::ref::ScaleKind> getScaleKind(Type type);

/// The ODS enums and the reference library's enums, converted by name.
ScaleRule toScaleRule(::mx::ref::ScaleRule rule);
::mx::ref::ScaleRule toRefScaleRule(ScaleRule rule);
RoundingMode toRoundingMode(::mx::ref::Rounding rounding);
::mx::ref::Rounding toRefRounding(RoundingMode rounding);

} // namespace mlir::mx

#endif // MX_DIALECT_MX_IR_MXDIALECT_H
