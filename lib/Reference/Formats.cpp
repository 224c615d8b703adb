//===- Formats.cpp - The format table, presets and overrides --------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Every binary32 operation is a single IEEE float operation (no FMA
// contraction: the library is compiled with -ffp-contract=off). Exact steps
// use double or 128-bit integer arithmetic that provably does not round.
//
//===----------------------------------------------------------------------===//

#include "mx/Reference/MXReference.h"

#include "Support.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace mx::ref {
using namespace mx::ref::detail;

namespace {

const ElemInfo kElemInfos[] = {
    {"f4E2M1FN", 4, 2, 1, 1, 6.0f, 2, 1, false, 1, 12.0},
    {"f6E2M3FN", 6, 2, 3, 1, 7.5f, 2, 3, false, 3, 60.0},
    {"f6E3M2FN", 6, 3, 2, 3, 28.0f, 4, 2, false, 4, 448.0},
    {"f8E4M3FN", 8, 4, 3, 7, 448.0f, 8, 3, false, 9, 229376.0},
    {"f8E5M2", 8, 5, 2, 15, 57344.0f, 15, 2, false, 16, 57344.0 * 65536.0},
    // INT8 is k/64 with k in [-128, 127]: |value| · 64 reaches 128.
    {"i8", 8, 0, 0, 0, 127.0f / 64.0f, 0, 6, true, 6, 128.0},
};

struct PresetEntry {
  std::string_view name;
  Format format;
};

Format makeFormat(ElemKind e, ScaleKind s, unsigned bs, ScaleRule r,
                  Rounding rnd, bool asym, bool ts) {
  Format f;
  f.elem = e;
  f.scale = s;
  f.blockSize = bs;
  f.rule = r;
  f.rounding = rnd;
  f.asymmetric = asym;
  f.tensorScale = ts;
  return f;
}

const std::vector<PresetEntry> &getPresetTable() {
  static const std::vector<PresetEntry> table = {
      {"mxfp4", makeFormat(ElemKind::E2M1, ScaleKind::E8M0, 32,
                           ScaleRule::Floor, Rounding::RNE, false, false)},
      {"amxfp4", makeFormat(ElemKind::E2M1, ScaleKind::E5M2, 32,
                            ScaleRule::Nearest, Rounding::RNA, true, false)},
      {"amxfp4-pot", makeFormat(ElemKind::E2M1, ScaleKind::E8M0, 32,
                                ScaleRule::Floor, Rounding::RNA, true, false)},
      {"nvfp4", makeFormat(ElemKind::E2M1, ScaleKind::E4M3, 16,
                           ScaleRule::Nearest, Rounding::RNE, false, true)},
      {"mxfp6-e2m3", makeFormat(ElemKind::E2M3, ScaleKind::E8M0, 32,
                                ScaleRule::Floor, Rounding::RNE, false, false)},
      {"mxfp6-e3m2", makeFormat(ElemKind::E3M2, ScaleKind::E8M0, 32,
                                ScaleRule::Floor, Rounding::RNE, false, false)},
      {"mxfp8-e4m3", makeFormat(ElemKind::E4M3, ScaleKind::E8M0, 32,
                                ScaleRule::Floor, Rounding::RNE, false, false)},
      {"mxfp8-e5m2", makeFormat(ElemKind::E5M2, ScaleKind::E8M0, 32,
                                ScaleRule::Floor, Rounding::RNE, false, false)},
      {"mxint8", makeFormat(ElemKind::INT8, ScaleKind::E8M0, 32,
                            ScaleRule::Floor, Rounding::RNE, false, false)},
  };
  return table;
}

} // namespace

//===----------------------------------------------------------------------===//
// Names and formats
//===----------------------------------------------------------------------===//

const ElemInfo &getElemInfo(ElemKind kind) {
  return kElemInfos[static_cast<unsigned>(kind)];
}

const char *getScaleTypeName(ScaleKind kind) {
  switch (kind) {
  case ScaleKind::E8M0:
    return "f8E8M0FNU";
  case ScaleKind::E5M2:
    return "f8E5M2";
  case ScaleKind::E4M3:
    return "f8E4M3FN";
  }
  return "?";
}

uint8_t getScaleOneCode(ScaleKind kind) {
  switch (kind) {
  case ScaleKind::E8M0:
    return 0x7F;
  case ScaleKind::E5M2:
    return 0x3C;
  case ScaleKind::E4M3:
    return 0x38;
  }
  return 0;
}

std::array<int8_t, 16> getE2M1TwiceValues() {
  std::array<int8_t, 16> twice{};
  for (unsigned c = 0; c < 16; ++c)
    twice[c] = (int8_t)(2.0f * decodeElem(ElemKind::E2M1, (uint8_t)c));
  return twice;
}

const char *stringifyScaleRule(ScaleRule rule) {
  switch (rule) {
  case ScaleRule::Floor:
    return "floor";
  case ScaleRule::Even:
    return "even";
  case ScaleRule::Ceil:
    return "ceil";
  case ScaleRule::RCeil:
    return "rceil";
  case ScaleRule::Nearest:
    return "nearest";
  }
  return "?";
}

const char *stringifyRounding(Rounding rounding) {
  return rounding == Rounding::RNE ? "rne" : "rna";
}

std::optional<ScaleRule> parseScaleRule(std::string_view s) {
  for (ScaleRule r : {ScaleRule::Floor, ScaleRule::Even, ScaleRule::Ceil,
                      ScaleRule::RCeil, ScaleRule::Nearest})
    if (s == stringifyScaleRule(r))
      return r;
  return std::nullopt;
}

std::optional<Rounding> parseRounding(std::string_view s) {
  if (s == "rne")
    return Rounding::RNE;
  if (s == "rna")
    return Rounding::RNA;
  return std::nullopt;
}

std::optional<ElemKind> parseElemKind(std::string_view mlirName) {
  for (unsigned i = 0; i < 6; ++i)
    if (mlirName == kElemInfos[i].mlirName)
      return static_cast<ElemKind>(i);
  return std::nullopt;
}

std::optional<ScaleKind> parseScaleKind(std::string_view mlirName) {
  for (ScaleKind k : {ScaleKind::E8M0, ScaleKind::E5M2, ScaleKind::E4M3})
    if (mlirName == getScaleTypeName(k))
      return k;
  return std::nullopt;
}

const std::vector<std::string_view> &getPresetNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v;
    for (const PresetEntry &e : getPresetTable())
      v.push_back(e.name);
    return v;
  }();
  return names;
}

std::optional<Format> getPreset(std::string_view name) {
  for (const PresetEntry &e : getPresetTable())
    if (e.name == name)
      return e.format;
  return std::nullopt;
}

std::optional<std::string_view> getBasePreset(const Format &f) {
  for (const PresetEntry &e : getPresetTable())
    if (e.format.elem == f.elem && e.format.scale == f.scale &&
        e.format.asymmetric == f.asymmetric &&
        e.format.tensorScale == f.tensorScale)
      return e.name;
  return std::nullopt;
}

std::string verifyFormat(const Format &f) {
  const char *elem = getElemInfo(f.elem).mlirName;
  const char *scale = getScaleTypeName(f.scale);
  if (!isPowerOfTwoBlock(f.blockSize))
    return "block size must be a power of two in [8, 256], got " +
           std::to_string(f.blockSize);
  if (f.tensorScale &&
      (f.elem != ElemKind::E2M1 || f.scale != ScaleKind::E4M3 || f.asymmetric))
    return std::string("a per-tensor scale requires the nvfp4 configuration "
                       "(symmetric f4E2M1FN elements with f8E4M3FN scales), "
                       "got ") +
           elem + " elements with " + (f.asymmetric ? "asymmetric " : "") +
           scale + " scales";
  if (f.asymmetric && f.elem != ElemKind::E2M1)
    return std::string("asymmetric scales require f4E2M1FN elements, got ") +
           elem;
  if (f.asymmetric && f.scale == ScaleKind::E4M3)
    return "asymmetric scales must be f8E5M2 (amxfp4) or f8E8M0FNU "
           "(amxfp4-pot), got f8E4M3FN";
  if (!f.asymmetric && !f.tensorScale && f.scale != ScaleKind::E8M0)
    return std::string("symmetric ") + scale +
           " scales without a per-tensor scale match no preset; use "
           "f8E8M0FNU scales, or f8E4M3FN with a per-tensor scale (nvfp4)";
  if (f.scale == ScaleKind::E8M0 && f.rule == ScaleRule::Nearest)
    return "scale rule 'nearest' requires an FP8 scale type, got f8E8M0FNU";
  if (f.scale != ScaleKind::E8M0 && f.rule != ScaleRule::Nearest)
    return std::string("power-of-two scale rule '") +
           stringifyScaleRule(f.rule) + "' requires f8E8M0FNU scales, got " +
           scale;
  if (!getBasePreset(f))
    return std::string("no preset of docs/Spec.md has ") + elem +
           " elements with " + scale + " scales";
  return {};
}

std::string applyOverride(Format &f, std::string_view key,
                          std::string_view value) {
  std::string k(key);
  std::replace(k.begin(), k.end(), '_', '-');
  if (k == "rounding") {
    std::optional<Rounding> r = parseRounding(value);
    if (!r)
      return "unknown rounding '" + std::string(value) +
             "'; expected 'rne' or 'rna'";
    f.rounding = *r;
    return {};
  }
  if (k == "scale-rule") {
    std::optional<ScaleRule> r = parseScaleRule(value);
    if (!r || *r == ScaleRule::Nearest)
      return "unknown scale rule '" + std::string(value) +
             "'; expected 'floor', 'even', 'ceil' or 'rceil'";
    if (f.scale != ScaleKind::E8M0) {
      std::optional<std::string_view> base = getBasePreset(f);
      return "scale-rule applies only to formats with f8E8M0FNU scales; '" +
             std::string(base ? *base : "this format") + "' has " +
             getScaleTypeName(f.scale) + " scales";
    }
    f.rule = *r;
    return {};
  }
  if (k == "block-size") {
    unsigned long v = 0;
    bool ok = !value.empty() && value.size() < 10;
    for (char c : value) {
      ok &= c >= '0' && c <= '9';
      v = v * 10 + (unsigned long)(c - '0');
    }
    if (!ok || !isPowerOfTwoBlock((unsigned)v))
      return "block-size must be a power of two in [8, 256], got '" +
             std::string(value) + "'";
    f.blockSize = (unsigned)v;
    return {};
  }
  return "unknown override '" + std::string(key) +
         "'; expected 'rounding', 'scale-rule' or 'block-size'";
}

std::string formatToString(const Format &f) {
  std::optional<std::string_view> base = getBasePreset(f);
  if (!base)
    return "<invalid>";
  Format p = *getPreset(*base);
  std::string s(*base);
  if (f.rounding != p.rounding)
    s += std::string(", rounding = ") + stringifyRounding(f.rounding);
  if (f.rule != p.rule)
    s += std::string(", scale_rule = ") + stringifyScaleRule(f.rule);
  if (f.blockSize != p.blockSize)
    s += ", block_size = " + std::to_string(f.blockSize);
  return s;
}

} // namespace mx::ref
