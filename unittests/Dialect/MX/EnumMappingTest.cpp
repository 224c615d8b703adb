//===- EnumMappingTest.cpp - ODS enums vs reference enums -----------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// The dialect's ODS enums (MXEnums.td) and the reference library's enums
// (MXReference.h) describe the same choices. They are converted by name, so
// their orders may differ; these tests fail if a value exists on one side
// only or if a conversion lands on a value of another name.
//
//===----------------------------------------------------------------------===//

#include "mx/Dialect/MX/IR/MXDialect.h"

#include "gtest/gtest.h"

#include <string>

using namespace mlir::mx;
namespace ref = ::mx::ref;

namespace {

TEST(EnumMapping, ScaleRuleByName) {
  const ref::ScaleRule all[] = {ref::ScaleRule::Floor, ref::ScaleRule::Even,
                                ref::ScaleRule::Ceil, ref::ScaleRule::RCeil,
                                ref::ScaleRule::Nearest};
  for (ref::ScaleRule r : all) {
    ScaleRule o = toScaleRule(r);
    EXPECT_EQ(stringifyScaleRule(o).str(),
              std::string(ref::stringifyScaleRule(r)));
    EXPECT_EQ(toRefScaleRule(o), r);
  }
  // Every ODS value has a reference counterpart of the same name.
  EXPECT_EQ(getMaxEnumValForScaleRule() + 1, std::size(all));
  for (uint32_t i = 0; i <= getMaxEnumValForScaleRule(); ++i) {
    std::optional<ScaleRule> o = symbolizeScaleRule(i);
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(std::string(ref::stringifyScaleRule(toRefScaleRule(*o))),
              stringifyScaleRule(*o).str());
  }
}

TEST(EnumMapping, RoundingByName) {
  const ref::Rounding all[] = {ref::Rounding::RNE, ref::Rounding::RNA};
  for (ref::Rounding r : all) {
    RoundingMode o = toRoundingMode(r);
    EXPECT_EQ(stringifyRoundingMode(o).str(),
              std::string(ref::stringifyRounding(r)));
    EXPECT_EQ(toRefRounding(o), r);
  }
  EXPECT_EQ(getMaxEnumValForRoundingMode() + 1, std::size(all));
  for (uint32_t i = 0; i <= getMaxEnumValForRoundingMode(); ++i) {
    std::optional<RoundingMode> o = symbolizeRoundingMode(i);
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(std::string(ref::stringifyRounding(toRefRounding(*o))),
              stringifyRoundingMode(*o).str());
  }
}

} // namespace
