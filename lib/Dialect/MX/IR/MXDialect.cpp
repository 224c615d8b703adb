//===- MXDialect.cpp - MX dialect, attributes and types -------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MX/IR/MXDialect.h"
#include "mx/Dialect/MX/IR/MXOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

using namespace mlir;
using namespace mlir::mx;
namespace ref = ::mx::ref;

#include "mx/Dialect/MX/IR/MXOpsDialect.cpp.inc"

#include "mx/Dialect/MX/IR/MXEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "mx/Dialect/MX/IR/MXAttrs.cpp.inc"

#define GET_TYPEDEF_CLASSES
#include "mx/Dialect/MX/IR/MXOpsTypes.cpp.inc"

void MXDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mx/Dialect/MX/IR/MXOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mx/Dialect/MX/IR/MXAttrs.cpp.inc"
      >();
  addTypes<
#define GET_TYPEDEF_LIST
#include "mx/Dialect/MX/IR/MXOpsTypes.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Format <-> builtin types
//===----------------------------------------------------------------------===//

Type mlir::mx::getElementType(MLIRContext *context, ref::ElemKind kind) {
  Builder b(context);
  switch (kind) {
  case ref::ElemKind::E2M1:
    return b.getType<Float4E2M1FNType>();
  case ref::ElemKind::E2M3:
    return b.getType<Float6E2M3FNType>();
  case ref::ElemKind::E3M2:
    return b.getType<Float6E3M2FNType>();
  case ref::ElemKind::E4M3:
    return b.getType<Float8E4M3FNType>();
  case ref::ElemKind::E5M2:
    return b.getType<Float8E5M2Type>();
  case ref::ElemKind::INT8:
    return b.getI8Type();
  }
  return {};
}

Type mlir::mx::getScaleType(MLIRContext *context, ref::ScaleKind kind) {
  Builder b(context);
  switch (kind) {
  case ref::ScaleKind::E8M0:
    return b.getType<Float8E8M0FNUType>();
  case ref::ScaleKind::E5M2:
    return b.getType<Float8E5M2Type>();
  case ref::ScaleKind::E4M3:
    return b.getType<Float8E4M3FNType>();
  }
  return {};
}

std::optional<ref::ElemKind> mlir::mx::getElemKind(Type type) {
  if (!type)
    return std::nullopt;
  return llvm::TypeSwitch<Type, std::optional<ref::ElemKind>>(type)
      .Case([](Float4E2M1FNType) { return ref::ElemKind::E2M1; })
      .Case([](Float6E2M3FNType) { return ref::ElemKind::E2M3; })
      .Case([](Float6E3M2FNType) { return ref::ElemKind::E3M2; })
      .Case([](Float8E4M3FNType) { return ref::ElemKind::E4M3; })
      .Case([](Float8E5M2Type) { return ref::ElemKind::E5M2; })
      .Case([](IntegerType t) -> std::optional<ref::ElemKind> {
        if (t.getWidth() == 8 && t.isSignless())
          return ref::ElemKind::INT8;
        return std::nullopt;
      })
      .Default([](Type) { return std::nullopt; });
}

std::optional<ref::ScaleKind> mlir::mx::getScaleKind(Type type) {
  if (!type)
    return std::nullopt;
  return llvm::TypeSwitch<Type, std::optional<ref::ScaleKind>>(type)
      .Case([](Float8E8M0FNUType) { return ref::ScaleKind::E8M0; })
      .Case([](Float8E5M2Type) { return ref::ScaleKind::E5M2; })
      .Case([](Float8E4M3FNType) { return ref::ScaleKind::E4M3; })
      .Default([](Type) { return std::nullopt; });
}

// The ODS enums and the reference enums are mapped by name: their order may
// differ, and a name that exists on one side only is a fatal error (tested
// for every value in unittests/Dialect/MX/EnumMappingTest.cpp).

ScaleRule mlir::mx::toScaleRule(ref::ScaleRule r) {
  std::optional<ScaleRule> v = symbolizeScaleRule(ref::stringifyScaleRule(r));
  if (!v)
    llvm::report_fatal_error("scale rule without an ODS counterpart");
  return *v;
}
ref::ScaleRule mlir::mx::toRefScaleRule(ScaleRule r) {
  std::optional<ref::ScaleRule> v =
      ref::parseScaleRule(stringifyScaleRule(r).str());
  if (!v)
    llvm::report_fatal_error("ODS scale rule without a reference counterpart");
  return *v;
}
RoundingMode mlir::mx::toRoundingMode(ref::Rounding r) {
  std::optional<RoundingMode> v =
      symbolizeRoundingMode(ref::stringifyRounding(r));
  if (!v)
    llvm::report_fatal_error("rounding without an ODS counterpart");
  return *v;
}
ref::Rounding mlir::mx::toRefRounding(RoundingMode r) {
  std::optional<ref::Rounding> v =
      ref::parseRounding(stringifyRoundingMode(r).str());
  if (!v)
    llvm::report_fatal_error("ODS rounding without a reference counterpart");
  return *v;
}

//===----------------------------------------------------------------------===//
// FormatAttr
//===----------------------------------------------------------------------===//

ref::Format FormatAttr::getReferenceFormat() const {
  ref::Format f;
  f.elem = *getElemKind(getElementType());
  f.scale = *getScaleKind(getScaleType());
  f.blockSize = getBlockSize();
  f.rule = toRefScaleRule(getScaleRule());
  f.rounding = toRefRounding(getRounding());
  f.asymmetric = getAsymmetric();
  f.tensorScale = getTensorScale();
  return f;
}

FormatAttr FormatAttr::get(MLIRContext *context, const ref::Format &f) {
  return get(context, mlir::mx::getElementType(context, f.elem),
             mlir::mx::getScaleType(context, f.scale), f.blockSize,
             toScaleRule(f.rule), toRoundingMode(f.rounding), f.asymmetric,
             f.tensorScale);
}

FormatAttr FormatAttr::getPreset(MLIRContext *context, StringRef name) {
  std::optional<ref::Format> f = ref::getPreset(std::string_view(name));
  if (!f)
    return {};
  return get(context, *f);
}

LogicalResult FormatAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 Type elementType, Type scaleType,
                                 unsigned blockSize, ScaleRule scaleRule,
                                 RoundingMode rounding, bool asymmetric,
                                 bool tensorScale) {
  std::optional<ref::ElemKind> elem = mlir::mx::getElemKind(elementType);
  if (!elem)
    return emitError() << "unsupported element type " << elementType
                       << "; expected f4E2M1FN, f6E2M3FN, f6E3M2FN, "
                          "f8E4M3FN, f8E5M2 or i8";
  std::optional<ref::ScaleKind> scale = mlir::mx::getScaleKind(scaleType);
  if (!scale)
    return emitError() << "unsupported scale type " << scaleType
                       << "; expected f8E8M0FNU, f8E5M2 or f8E4M3FN";
  ref::Format f;
  f.elem = *elem;
  f.scale = *scale;
  f.blockSize = blockSize;
  f.rule = toRefScaleRule(scaleRule);
  f.rounding = toRefRounding(rounding);
  f.asymmetric = asymmetric;
  f.tensorScale = tensorScale;
  std::string msg = ref::verifyFormat(f);
  if (!msg.empty())
    return emitError() << msg;
  return success();
}

static std::string presetList() {
  std::string s;
  for (std::string_view n : ref::getPresetNames()) {
    if (!s.empty())
      s += ", ";
    s += std::string(n);
  }
  return s;
}

/// Parses `key = value` for a rounding mode or scale rule keyword.
static ParseResult parseEnumValue(AsmParser &p, StringRef key, ref::Format &f) {
  SMLoc loc = p.getCurrentLocation();
  StringRef value;
  if (p.parseKeyword(&value))
    return failure();
  if (key == "rounding") {
    std::optional<ref::Rounding> r = ref::parseRounding(value.str());
    if (!r)
      return p.emitError(loc, "unknown rounding '")
             << value << "'; expected 'rne' or 'rna'";
    f.rounding = *r;
    return success();
  }
  std::optional<ref::ScaleRule> r = ref::parseScaleRule(value.str());
  if (!r)
    return p.emitError(loc, "unknown scale rule '")
           << value << "'; expected 'floor', 'even', 'ceil', 'rceil' or "
           << "'nearest'";
  f.rule = *r;
  return success();
}

/// Parses a key that may be spelled with '_' or '-' (`scale_rule`,
/// `scale-rule`), returning it with '_'.
static ParseResult parseKey(AsmParser &p, std::string &key) {
  StringRef k;
  if (p.parseKeyword(&k))
    return failure();
  key = k.str();
  while (succeeded(p.parseOptionalMinus())) {
    if (p.parseKeyword(&k))
      return failure();
    key += "_" + k.str();
  }
  return success();
}

/// Parses a block size; values outside `unsigned` are rejected here with the
/// verifier's message, the rest is left to the verifier.
static ParseResult parseBlockSize(AsmParser &p, unsigned &blockSize) {
  SMLoc loc = p.getCurrentLocation();
  int64_t v = 0;
  if (p.parseInteger(v))
    return failure();
  if (v < 0 || v > (int64_t)std::numeric_limits<unsigned>::max())
    return p.emitError(loc, "block size must be a power of two in [8, 256], "
                            "got ")
           << v;
  blockSize = (unsigned)v;
  return success();
}

static bool isExplicitKey(StringRef key) {
  return llvm::is_contained({"element", "scale", "block_size", "scale_rule",
                             "rounding", "asymmetric", "tensor_scale"},
                            key);
}

Attribute FormatAttr::parse(AsmParser &p, Type) {
  MLIRContext *ctx = p.getContext();
  SMLoc loc = p.getCurrentLocation();
  if (p.parseLess())
    return {};
  StringRef firstRef;
  if (p.parseKeyword(&firstRef))
    return {};
  std::string first = firstRef.str();
  ref::Format f;
  Type elemType, scaleType;

  if (isExplicitKey(first)) {
    // Explicit form: every field by name.
    bool ruleGiven = false;
    std::string key = first;
    while (true) {
      SMLoc keyLoc = p.getCurrentLocation();
      if (key == "asymmetric" || key == "tensor_scale") {
        bool value = true;
        if (succeeded(p.parseOptionalEqual())) {
          StringRef b;
          if (p.parseKeyword(&b))
            return {};
          if (b != "true" && b != "false") {
            p.emitError(keyLoc, "expected 'true' or 'false' for '")
                << key << "'";
            return {};
          }
          value = b == "true";
        }
        (key == "asymmetric" ? f.asymmetric : f.tensorScale) = value;
      } else {
        if (p.parseEqual())
          return {};
        if (key == "element") {
          if (p.parseType(elemType))
            return {};
        } else if (key == "scale") {
          if (p.parseType(scaleType))
            return {};
        } else if (key == "block_size") {
          if (parseBlockSize(p, f.blockSize))
            return {};
        } else if (key == "rounding" || key == "scale_rule") {
          if (parseEnumValue(p, key, f))
            return {};
          ruleGiven |= key == "scale_rule";
        } else {
          p.emitError(keyLoc, "unknown format key '")
              << key << "'; expected element, scale, block_size, "
              << "scale_rule, rounding, asymmetric or tensor_scale";
          return {};
        }
      }
      if (failed(p.parseOptionalComma()))
        break;
      if (parseKey(p, key))
        return {};
    }
    if (!elemType || !scaleType) {
      p.emitError(loc, "explicit #mx.format needs both 'element' and 'scale'");
      return {};
    }
    if (!ruleGiven)
      f.rule = isa<Float8E8M0FNUType>(scaleType) ? ref::ScaleRule::Floor
                                                 : ref::ScaleRule::Nearest;
  } else {
    // Preset form: a name (possibly with '-' parts), then overrides.
    while (succeeded(p.parseOptionalMinus())) {
      StringRef part;
      if (p.parseKeyword(&part))
        return {};
      first += "-" + part.str();
    }
    std::optional<ref::Format> preset = ref::getPreset(first);
    if (!preset) {
      p.emitError(loc, "unknown format preset '")
          << first << "'; expected one of " << presetList();
      return {};
    }
    f = *preset;
    while (succeeded(p.parseOptionalComma())) {
      SMLoc keyLoc = p.getCurrentLocation();
      std::string key;
      if (parseKey(p, key) || p.parseEqual())
        return {};
      if (key == "block_size") {
        if (parseBlockSize(p, f.blockSize))
          return {};
      } else if (key == "rounding" || key == "scale_rule") {
        if (parseEnumValue(p, key, f))
          return {};
      } else {
        p.emitError(keyLoc, "unknown format override '")
            << key << "'; expected rounding, scale_rule or block_size";
        return {};
      }
    }
    elemType = mlir::mx::getElementType(ctx, f.elem);
    scaleType = mlir::mx::getScaleType(ctx, f.scale);
  }
  if (p.parseGreater())
    return {};
  return getChecked([&] { return p.emitError(loc); }, ctx, elemType, scaleType,
                    f.blockSize, toScaleRule(f.rule),
                    toRoundingMode(f.rounding), f.asymmetric, f.tensorScale);
}

void FormatAttr::print(AsmPrinter &p) const {
  p << '<' << ref::formatToString(getReferenceFormat()) << '>';
}

//===----------------------------------------------------------------------===//
// QTensorType
//===----------------------------------------------------------------------===//

static void printShape(llvm::raw_ostream &os, ArrayRef<int64_t> shape) {
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      "x");
}

LogicalResult QTensorType::verify(function_ref<InFlightDiagnostic()> emitError,
                                  ArrayRef<int64_t> shape, FormatAttr format,
                                  unsigned axis) {
  if (shape.empty())
    return emitError() << "quantized tensor must have rank >= 1";
  for (int64_t d : shape)
    if (d < 0 && !ShapedType::isDynamic(d))
      return emitError() << "invalid dimension " << d;
  if (!format)
    return emitError() << "quantized tensor needs a format";
  if (axis >= shape.size())
    return emitError() << "blocked axis " << axis
                       << " is out of range for a rank-" << shape.size()
                       << " tensor";
  return success();
}

Type QTensorType::parse(AsmParser &p) {
  SMLoc loc = p.getCurrentLocation();
  SmallVector<int64_t> shape;
  Attribute attr;
  if (p.parseLess() ||
      p.parseDimensionList(shape, /*allowDynamic=*/true,
                           /*withTrailingX=*/false) ||
      p.parseComma())
    return {};
  SMLoc attrLoc = p.getCurrentLocation();
  if (p.parseAttribute(attr))
    return {};
  auto format = dyn_cast<FormatAttr>(attr);
  if (!format) {
    p.emitError(attrLoc, "expected an #mx.format attribute, got ") << attr;
    return {};
  }
  unsigned axis = shape.empty() ? 0 : shape.size() - 1;
  if (succeeded(p.parseOptionalComma())) {
    SMLoc axisLoc;
    int64_t a = 0;
    if (p.parseKeyword("axis") || p.parseEqual() ||
        (axisLoc = p.getCurrentLocation(), p.parseInteger(a)))
      return {};
    if (a < 0 || (!shape.empty() && a >= (int64_t)shape.size())) {
      p.emitError(axisLoc, "blocked axis ")
          << a << " is out of range for a rank-" << shape.size() << " tensor";
      return {};
    }
    axis = (unsigned)a;
  }
  if (p.parseGreater())
    return {};
  return getChecked([&] { return p.emitError(loc); }, p.getContext(), shape,
                    format, axis);
}

void QTensorType::print(AsmPrinter &p) const {
  p << '<';
  printShape(p.getStream(), getShape());
  p << ", ";
  p.printAttribute(getFormat());
  p << ", axis = " << getAxis() << '>';
}

SmallVector<int64_t> QTensorType::getScaleShape() const {
  SmallVector<int64_t> s(getShape());
  int64_t &d = s[getAxis()];
  if (!ShapedType::isDynamic(d))
    d = llvm::divideCeil(d, getBlockSize());
  return s;
}

SmallVector<int64_t> QTensorType::getPackedShape() const {
  SmallVector<int64_t> s(getShape());
  if (isa<Float4E2M1FNType>(getFormat().getElementType()) &&
      !ShapedType::isDynamic(s.back()))
    s.back() = llvm::divideCeil(s.back(), 2);
  return s;
}

RankedTensorType QTensorType::getDataType() const {
  return RankedTensorType::get(getPackedShape(),
                               IntegerType::get(getContext(), 8));
}

RankedTensorType QTensorType::getScalesType() const {
  return RankedTensorType::get(getScaleShape(), getFormat().getScaleType());
}
