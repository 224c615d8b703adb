//===- FormatTest.cpp - Presets, overrides and their validation -----------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//

#include "mx/Reference/MXReference.h"

#include "gtest/gtest.h"

using namespace mx::ref;

namespace {

TEST(Format, PresetTable) {
  // docs/Spec.md §3.
  const std::vector<std::string_view> &names = getPresetNames();
  ASSERT_EQ(names.size(), 9u);
  Format f = *getPreset("mxfp4");
  EXPECT_EQ(f.elem, ElemKind::E2M1);
  EXPECT_EQ(f.scale, ScaleKind::E8M0);
  EXPECT_EQ(f.blockSize, 32u);
  EXPECT_EQ(f.rule, ScaleRule::Floor);
  EXPECT_EQ(f.rounding, Rounding::RNE);
  f = *getPreset("amxfp4");
  EXPECT_TRUE(f.asymmetric);
  EXPECT_EQ(f.scale, ScaleKind::E5M2);
  EXPECT_EQ(f.rounding, Rounding::RNA);
  f = *getPreset("amxfp4-pot");
  EXPECT_TRUE(f.asymmetric);
  EXPECT_EQ(f.scale, ScaleKind::E8M0);
  EXPECT_EQ(f.rounding, Rounding::RNA);
  f = *getPreset("nvfp4");
  EXPECT_TRUE(f.tensorScale);
  EXPECT_EQ(f.blockSize, 16u);
  EXPECT_EQ(f.scale, ScaleKind::E4M3);
  EXPECT_EQ(getPreset("mxint8")->elem, ElemKind::INT8);
  EXPECT_FALSE(getPreset("mxfp5").has_value());
  for (std::string_view n : names) {
    Format p = *getPreset(n);
    EXPECT_EQ(verifyFormat(p), "") << n;
    EXPECT_EQ(*getBasePreset(p), n);
    EXPECT_EQ(formatToString(p), std::string(n));
  }
}

TEST(Format, Overrides) {
  Format f = *getPreset("mxfp4");
  EXPECT_EQ(applyOverride(f, "rounding", "rna"), "");
  EXPECT_EQ(applyOverride(f, "scale-rule", "even"), "");
  EXPECT_EQ(applyOverride(f, "block_size", "64"), "");
  EXPECT_EQ(formatToString(f),
            "mxfp4, rounding = rna, scale_rule = even, block_size = 64");
  EXPECT_EQ(applyOverride(f, "rounding", "rtz"),
            "unknown rounding 'rtz'; expected 'rne' or 'rna'");
  EXPECT_EQ(applyOverride(f, "scale-rule", "nearest"),
            "unknown scale rule 'nearest'; expected 'floor', 'even', 'ceil' "
            "or 'rceil'");
  EXPECT_EQ(applyOverride(f, "block-size", "48"),
            "block-size must be a power of two in [8, 256], got '48'");
  EXPECT_EQ(applyOverride(f, "block-size", "512"),
            "block-size must be a power of two in [8, 256], got '512'");
  EXPECT_EQ(applyOverride(f, "block-size", "x"),
            "block-size must be a power of two in [8, 256], got 'x'");
  EXPECT_EQ(applyOverride(f, "seed", "1"),
            "unknown override 'seed'; expected 'rounding', 'scale-rule' or "
            "'block-size'");
  Format a = *getPreset("amxfp4");
  EXPECT_EQ(applyOverride(a, "scale-rule", "floor"),
            "scale-rule applies only to formats with f8E8M0FNU scales; "
            "'amxfp4' has f8E5M2 scales");
  Format n = *getPreset("nvfp4");
  EXPECT_EQ(applyOverride(n, "scale-rule", "ceil"),
            "scale-rule applies only to formats with f8E8M0FNU scales; "
            "'nvfp4' has f8E4M3FN scales");
  EXPECT_EQ(applyOverride(n, "block-size", "32"), "");
  EXPECT_EQ(formatToString(n), "nvfp4, block_size = 32");
}

TEST(Format, ImpossibleCombinations) {
  Format f = *getPreset("mxfp4");
  f.blockSize = 12;
  EXPECT_EQ(verifyFormat(f),
            "block size must be a power of two in [8, 256], got 12");
  f = *getPreset("amxfp4");
  f.rule = ScaleRule::Floor;
  EXPECT_EQ(verifyFormat(f), "power-of-two scale rule 'floor' requires "
                             "f8E8M0FNU scales, got f8E5M2");
  f = *getPreset("mxfp4");
  f.rule = ScaleRule::Nearest;
  EXPECT_EQ(verifyFormat(f),
            "scale rule 'nearest' requires an FP8 scale type, got f8E8M0FNU");
  f = *getPreset("mxfp6-e2m3");
  f.asymmetric = true;
  EXPECT_EQ(verifyFormat(f),
            "asymmetric scales require f4E2M1FN elements, got f6E2M3FN");
  f = *getPreset("mxfp8-e4m3");
  f.tensorScale = true;
  EXPECT_EQ(verifyFormat(f),
            "a per-tensor scale requires the nvfp4 configuration (symmetric "
            "f4E2M1FN elements with f8E4M3FN scales), got f8E4M3FN elements "
            "with f8E8M0FNU scales");
  f = *getPreset("nvfp4");
  f.tensorScale = false;
  EXPECT_EQ(verifyFormat(f),
            "symmetric f8E4M3FN scales without a per-tensor scale match no "
            "preset; use f8E8M0FNU scales, or f8E4M3FN with a per-tensor "
            "scale (nvfp4)");
  f = *getPreset("amxfp4");
  f.scale = ScaleKind::E4M3;
  EXPECT_EQ(verifyFormat(f), "asymmetric scales must be f8E5M2 (amxfp4) or "
                             "f8E8M0FNU (amxfp4-pot), got f8E4M3FN");
}

TEST(Format, Packing) {
  // docs/Spec.md §7: codes [1, 15, 8] are packed as bytes [0xF1, 0x08].
  std::vector<uint8_t> packed = packCodes(ElemKind::E2M1, {3}, {1, 15, 8});
  EXPECT_EQ(packed, (std::vector<uint8_t>{0xF1, 0x08}));
  EXPECT_EQ(unpackCodes(ElemKind::E2M1, {3}, {0xF1, 0xF8}),
            (std::vector<uint8_t>{1, 15, 8})); // pad nibble ignored
  // Rows are packed independently along the innermost dimension.
  packed = packCodes(ElemKind::E2M1, {2, 3}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(packed, (std::vector<uint8_t>{0x21, 0x03, 0x54, 0x06}));
  EXPECT_EQ(getPackedShape(ElemKind::E2M1, {2, 3}),
            (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(getPackedShape(ElemKind::E4M3, {2, 3}),
            (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(unpackCodes(ElemKind::E2M3, {2}, {0xC1, 0x3F}),
            (std::vector<uint8_t>{0x01, 0x3F})); // FP6 high bits ignored
}

TEST(Format, WorkedExample1) {
  // docs/Spec.md §9 example 1.
  std::vector<float> x = {1.25f, -2.5f, 5.0f, 0.3f, -0.1f, 3.7f, -6.9f, 0.0f};
  Format f = *getPreset("mxfp4");
  QuantizedTensor q = quantize(f, {8}, 0, x.data());
  EXPECT_EQ(q.codes, (std::vector<uint8_t>{2, 12, 6, 1, 8, 6, 15, 0}));
  EXPECT_EQ(q.scales[0], (std::vector<uint8_t>{127}));
  EXPECT_EQ(packCodes(f.elem, {8}, q.codes),
            (std::vector<uint8_t>{0xc2, 0x16, 0x68, 0x0f}));
  f.rounding = Rounding::RNA;
  q = quantize(f, {8}, 0, x.data());
  EXPECT_EQ(q.codes, (std::vector<uint8_t>{3, 13, 7, 1, 8, 6, 15, 0}));
}

TEST(Format, WorkedExample12) {
  // docs/Spec.md §9 example 12: amxfp4 x amxfp4, one block of 8, init 0.5.
  std::vector<float> a = {0.9f,   0.7f,  0.2f,  -0.05f,
                          -0.11f, 0.45f, 0.33f, -0.08f};
  std::vector<float> w = {-0.3f, 0.2f, 0.6f, -0.9f, 0.5f, -0.25f, 0.1f, 0.75f};
  Format f = *getPreset("amxfp4");
  QuantizedTensor qa = quantize(f, {1, 8}, 1, a.data());
  QuantizedTensor qb = quantize(f, {8, 1}, 0, w.data());
  EXPECT_EQ(qb.codes, (std::vector<uint8_t>{12, 3, 6, 15, 6, 11, 2, 7}));
  float init = 0.5f;
  std::vector<float> out = matmul(qa, qb, &init);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(floatToBits(out[0]), 0x3e9de000u);
  // Mismatched block sizes are rejected.
  Format g = f;
  g.blockSize = 16;
  QuantizedTensor qc = quantize(g, {8, 1}, 0, w.data());
  EXPECT_TRUE(matmul(qa, qc, &init).empty());
}

} // namespace
