//===- GoldenVectorsTest.cpp - Reference library vs. golden vectors -------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Every case of every file in test/vectors must be reproduced bit for
// bit (any NaN matches any NaN). The folder is found relative to the source
// tree (MX_VECTORS_DIR); a missing folder or file is a failure.
//
//===----------------------------------------------------------------------===//

#include "mx/Reference/MXReference.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <cmath>
#include <string>

using namespace mx::ref;

namespace {

std::string vectorPath(const std::string &file) {
  return std::string(MX_VECTORS_DIR) + "/" + file;
}

/// Parse a vector file; fails the test (returns nullopt) if it is missing.
std::optional<llvm::json::Value> loadJson(const std::string &file) {
  auto buf = llvm::MemoryBuffer::getFile(vectorPath(file));
  if (!buf) {
    ADD_FAILURE() << "cannot read golden vector file " << vectorPath(file)
                  << " (test/vectors of the source tree)";
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> v = llvm::json::parse((*buf)->getBuffer());
  if (!v) {
    ADD_FAILURE() << "invalid JSON in " << file << ": "
                  << llvm::toString(v.takeError());
    return std::nullopt;
  }
  return std::move(*v);
}

/// Loads `<kind>_<name>.json`, checks its schema and returns its non-empty
/// `cases` array (owned by `doc`), or null after reporting a failure.
const llvm::json::Array *loadCases(const std::string &kind, const char *name,
                                   std::optional<llvm::json::Value> &doc) {
  doc = loadJson(kind + "_" + name + ".json");
  const llvm::json::Object *root = doc ? doc->getAsObject() : nullptr;
  if (!root)
    return nullptr;
  EXPECT_EQ(root->getString("schema").value_or(""),
            "mx-mlir-vectors/" + kind + "/1");
  const llvm::json::Array *cases = root->getArray("cases");
  if (!cases || cases->empty()) {
    ADD_FAILURE() << kind << "_" << name << ".json has no cases";
    return nullptr;
  }
  return cases;
}

/// gtest parameter names cannot contain '-'.
std::string paramName(const ::testing::TestParamInfo<const char *> &info) {
  std::string s = info.param;
  for (char &ch : s)
    if (ch == '-')
      ch = '_';
  return s;
}

uint32_t hexBits(const llvm::json::Value &v) {
  std::optional<llvm::StringRef> s = v.getAsString();
  EXPECT_TRUE(s.has_value());
  return (uint32_t)std::stoul(s->str(), nullptr, 16);
}

float hexFloat(const llvm::json::Value &v) { return bitsToFloat(hexBits(v)); }

/// Bitwise comparison where any NaN matches any NaN.
bool sameF32(float got, uint32_t want) {
  float w = bitsToFloat(want);
  if (std::isnan(w))
    return std::isnan(got);
  return floatToBits(got) == want;
}

std::string hex(uint32_t v) {
  char buf[16];
  snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

std::vector<float> floats(const llvm::json::Array &a) {
  std::vector<float> out;
  for (const llvm::json::Value &v : a)
    out.push_back(hexFloat(v));
  return out;
}

std::vector<uint8_t> ints(const llvm::json::Array &a) {
  std::vector<uint8_t> out;
  for (const llvm::json::Value &v : a)
    out.push_back((uint8_t)*v.getAsInteger());
  return out;
}

/// Flatten a 2-D JSON array of hex floats.
std::vector<float> floats2(const llvm::json::Array &a) {
  std::vector<float> out;
  for (const llvm::json::Value &row : a)
    for (const llvm::json::Value &v : *row.getAsArray())
      out.push_back(hexFloat(v));
  return out;
}

std::vector<uint8_t> ints2(const llvm::json::Array &a) {
  std::vector<uint8_t> out;
  for (const llvm::json::Value &row : a)
    for (const llvm::json::Value &v : *row.getAsArray())
      out.push_back((uint8_t)*v.getAsInteger());
  return out;
}

/// Build the format of a case from its preset and overrides.
Format caseFormat(llvm::StringRef preset, const llvm::json::Object *overrides) {
  std::optional<Format> f = getPreset(preset.str());
  EXPECT_TRUE(f.has_value()) << "unknown preset " << preset.str();
  if (!f)
    return Format();
  if (overrides) {
    for (const auto &kv : *overrides) {
      std::string value;
      if (std::optional<llvm::StringRef> s = kv.second.getAsString())
        value = s->str();
      else if (std::optional<int64_t> i = kv.second.getAsInteger())
        value = std::to_string(*i);
      std::string err = applyOverride(*f, kv.first.str(), value);
      EXPECT_EQ(err, "");
    }
  }
  EXPECT_EQ(verifyFormat(*f), "");
  return *f;
}

void expectFloats(const std::vector<float> &got, const llvm::json::Array &want,
                  const std::string &what, const std::string &id) {
  ASSERT_EQ(got.size(), want.size()) << id << " " << what;
  for (size_t i = 0; i < got.size(); ++i) {
    uint32_t w = hexBits(want[i]);
    EXPECT_TRUE(sameF32(got[i], w))
        << id << " " << what << "[" << i << "]: got "
        << hex(floatToBits(got[i])) << ", want " << hex(w);
  }
}

//===----------------------------------------------------------------------===//
// Quantize files
//===----------------------------------------------------------------------===//

class QuantizeVectors : public ::testing::TestWithParam<const char *> {};

TEST_P(QuantizeVectors, AllCases) {
  std::optional<llvm::json::Value> doc;
  const llvm::json::Array *cases = loadCases("quantize", GetParam(), doc);
  ASSERT_TRUE(cases);
  for (const llvm::json::Value &cv : *cases) {
    const llvm::json::Object &c = *cv.getAsObject();
    std::string id = c.getString("id")->str();
    SCOPED_TRACE(id);
    Format f = caseFormat(*c.getString("preset"), c.getObject("overrides"));
    EXPECT_EQ(getElemInfo(f.elem).mlirName, c.getString("element_type")->str());
    EXPECT_EQ(getScaleTypeName(f.scale), c.getString("scale_type")->str());
    EXPECT_EQ((int64_t)f.blockSize, *c.getInteger("block_size"));
    int64_t len = *c.getInteger("length");
    std::vector<float> input = floats(*c.getArray("input"));
    ASSERT_EQ((int64_t)input.size(), len);
    std::vector<uint8_t> wantCodes = ints(*c.getArray("codes"));
    const llvm::json::Array &wantScales = *c.getArray("scales");
    ASSERT_EQ(wantScales.size(), f.numScaleArrays());

    // 1. quantize
    QuantizedTensor q = quantize(f, {len}, 0, input.data());
    EXPECT_EQ(q.codes, wantCodes) << id << ": element codes";
    for (unsigned a = 0; a < f.numScaleArrays(); ++a)
      EXPECT_EQ(q.scales[a], ints(*wantScales[a].getAsArray()))
          << id << ": scale array " << a;
    const llvm::json::Value *ts = c.get("tensor_scale");
    if (f.tensorScale) {
      ASSERT_TRUE(ts && ts->getAsString());
      EXPECT_TRUE(sameF32(q.tensorScale, hexBits(*ts)))
          << id << ": tensor scale " << hex(floatToBits(q.tensorScale));
    } else {
      EXPECT_TRUE(!ts || ts->getAsNull());
    }
    expectFloats(dequantize(q), *c.getArray("dequant"), "dequant", id);

    // 2. dequantize only, from the stored codes and scales
    QuantizedTensor stored;
    stored.format = f;
    stored.shape = {len};
    stored.axis = 0;
    stored.codes = wantCodes;
    for (unsigned a = 0; a < f.numScaleArrays(); ++a)
      stored.scales[a] = ints(*wantScales[a].getAsArray());
    if (f.tensorScale)
      stored.tensorScale = hexFloat(*ts);
    expectFloats(dequantize(stored), *c.getArray("dequant"), "dequant(stored)",
                 id);

    // 3. pack / unpack
    std::string packedHex = c.getString("packed")->str();
    std::vector<uint8_t> wantPacked;
    for (size_t i = 0; i + 1 < packedHex.size(); i += 2)
      wantPacked.push_back(
          (uint8_t)std::stoul(packedHex.substr(i, 2), nullptr, 16));
    EXPECT_EQ(packCodes(f.elem, {len}, wantCodes), wantPacked)
        << id << ": pack";
    EXPECT_EQ(unpackCodes(f.elem, {len}, wantPacked), wantCodes)
        << id << ": unpack";
    EXPECT_EQ(getPackedShape(f.elem, {len})[0], (int64_t)wantPacked.size());
  }
}

INSTANTIATE_TEST_SUITE_P(Presets, QuantizeVectors,
                         ::testing::Values("mxfp4", "amxfp4", "amxfp4-pot",
                                           "nvfp4", "mxfp6-e2m3", "mxfp6-e3m2",
                                           "mxfp8-e4m3", "mxfp8-e5m2",
                                           "mxint8"),
                         paramName);

//===----------------------------------------------------------------------===//
// Matmul files
//===----------------------------------------------------------------------===//

class MatmulVectors : public ::testing::TestWithParam<const char *> {};

QuantizedTensor storedOperand(const Format &f, int64_t rows, int64_t cols,
                              unsigned axis, const llvm::json::Array &codes,
                              const llvm::json::Array &scales,
                              const llvm::json::Value *ts) {
  QuantizedTensor q;
  q.format = f;
  q.shape = {rows, cols};
  q.axis = axis;
  q.codes = ints2(codes);
  for (unsigned a = 0; a < f.numScaleArrays(); ++a)
    q.scales[a] = ints2(*scales[a].getAsArray());
  if (f.tensorScale)
    q.tensorScale = hexFloat(*ts);
  return q;
}

TEST_P(MatmulVectors, AllCases) {
  std::optional<llvm::json::Value> doc;
  const llvm::json::Array *cases = loadCases("matmul", GetParam(), doc);
  ASSERT_TRUE(cases);
  for (const llvm::json::Value &cv : *cases) {
    const llvm::json::Object &c = *cv.getAsObject();
    std::string id = c.getString("id")->str();
    SCOPED_TRACE(id);
    Format fa =
        caseFormat(*c.getString("lhs_preset"), c.getObject("lhs_overrides"));
    Format fb =
        caseFormat(*c.getString("rhs_preset"), c.getObject("rhs_overrides"));
    int64_t M = *c.getInteger("M"), N = *c.getInteger("N"),
            K = *c.getInteger("K");
    EXPECT_EQ((int64_t)fa.blockSize, *c.getInteger("block_size"));
    EXPECT_EQ(c.getString("result_type")->str(), "f32");
    std::vector<float> a = floats2(*c.getArray("a"));
    std::vector<float> b = floats2(*c.getArray("b"));
    std::vector<float> init = floats2(*c.getArray("init"));
    ASSERT_EQ((int64_t)a.size(), M * K);
    ASSERT_EQ((int64_t)b.size(), K * N);
    ASSERT_EQ((int64_t)init.size(), M * N);
    std::vector<float> wantOut = floats2(*c.getArray("out"));
    std::vector<float> wantEmu = floats2(*c.getArray("out_emulate"));

    // Quantization of both operands.
    QuantizedTensor qa = quantize(fa, {M, K}, 1, a.data());
    QuantizedTensor qb = quantize(fb, {K, N}, 0, b.data());
    QuantizedTensor sa =
        storedOperand(fa, M, K, 1, *c.getArray("a_codes"),
                      *c.getArray("a_scales"), c.get("a_tensor_scale"));
    QuantizedTensor sb =
        storedOperand(fb, K, N, 0, *c.getArray("b_codes"),
                      *c.getArray("b_scales"), c.get("b_tensor_scale"));
    EXPECT_EQ(qa.codes, sa.codes) << id << ": A codes";
    EXPECT_EQ(qb.codes, sb.codes) << id << ": B codes";
    for (unsigned i = 0; i < 2; ++i) {
      EXPECT_EQ(qa.scales[i], sa.scales[i]) << id << ": A scales " << i;
      EXPECT_EQ(qb.scales[i], sb.scales[i]) << id << ": B scales " << i;
    }
    if (fa.tensorScale) {
      EXPECT_EQ(floatToBits(qa.tensorScale), floatToBits(sa.tensorScale));
    }
    if (fb.tensorScale) {
      EXPECT_EQ(floatToBits(qb.tensorScale), floatToBits(sb.tensorScale));
    }

    auto check = [&](const std::vector<float> &got,
                     const std::vector<float> &want, const char *what) {
      ASSERT_EQ(got.size(), want.size()) << id << " " << what;
      for (size_t i = 0; i < got.size(); ++i)
        EXPECT_TRUE(sameF32(got[i], floatToBits(want[i])))
            << id << " " << what << "[" << i << "]: got "
            << hex(floatToBits(got[i])) << ", want "
            << hex(floatToBits(want[i]));
    };
    // End to end, MAC only (from the stored operands), and emulate.
    check(matmul(qa, qb, init.data()), wantOut, "out");
    check(matmul(sa, sb, init.data()), wantOut, "out(stored)");
    check(matmul(sa, sb, init.data(), MatmulMode::Emulate), wantEmu,
          "out_emulate");

    // Block contributions c_b, one block pair at a time.
    const llvm::json::Array &contrib = *c.getArray("block_contributions");
    size_t bs = fa.blockSize, nb = (size_t)(K + (int64_t)bs - 1) / bs;
    for (int64_t m = 0; m < M; ++m)
      for (int64_t n = 0; n < N; ++n) {
        const llvm::json::Array &cb =
            *(*contrib[m].getAsArray())[n].getAsArray();
        ASSERT_EQ(cb.size(), nb);
        for (size_t blk = 0; blk < nb; ++blk) {
          size_t k0 = blk * bs, len = std::min<size_t>(bs, (size_t)K - k0);
          size_t ia = (size_t)m * nb + blk, ib = blk * (size_t)N + (size_t)n;
          BlockOperand oa{&fa, sa.codes.data() + (size_t)m * (size_t)K + k0, 1,
                          sa.scales[0][ia],
                          fa.asymmetric ? sa.scales[1][ia] : (uint8_t)0};
          BlockOperand ob{&fb, sb.codes.data() + k0 * (size_t)N + (size_t)n,
                          (size_t)N, sb.scales[0][ib],
                          fb.asymmetric ? sb.scales[1][ib] : (uint8_t)0};
          float got = blockContribution(oa, ob, len);
          EXPECT_TRUE(sameF32(got, hexBits(cb[blk])))
              << id << " c_b[" << m << "][" << n << "][" << blk << "]";
        }
      }
  }
}

INSTANTIATE_TEST_SUITE_P(Pairs, MatmulVectors,
                         ::testing::Values("mxfp4_x_mxfp4", "amxfp4_x_mxfp4",
                                           "mxfp4_x_amxfp4", "amxfp4_x_amxfp4",
                                           "nvfp4_x_nvfp4",
                                           "mxfp8-e4m3_x_mxfp8-e4m3",
                                           "mxint8_x_mxint8"),
                         paramName);

/// The vector folder holds exactly the files the tests above read.
TEST(GoldenVectors, FolderIsPresent) {
  auto buf = llvm::MemoryBuffer::getFile(vectorPath("README.md"));
  ASSERT_TRUE(static_cast<bool>(buf))
      << "golden vectors not found at " << MX_VECTORS_DIR;
}

} // namespace
