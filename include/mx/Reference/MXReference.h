//===- MXReference.h - Bit-exact reference of docs/Spec.md ------*- C++ -*-===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// A small C++17 library with no MLIR or LLVM dependency that implements the
// normative numerics of `docs/Spec.md` bit for bit: element and
// scale encodings, value rounding, the four E8M0 scale rules, FP8-valued
// scales, AMXFP4 asymmetric scales, NVFP4 two-level scaling, packing, the
// block MAC and the matmul accumulation order (modes `exact` and `emulate`).
//
// It is the semantic oracle of mx-mlir: constant folding and tests compare
// against it. All binary32 arithmetic is done with C++ `float` operations
// compiled without FMA contraction (see lib/Reference/CMakeLists.txt).
//
//===----------------------------------------------------------------------===//

#ifndef MX_REFERENCE_MXREFERENCE_H
#define MX_REFERENCE_MXREFERENCE_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mx::ref {

//===----------------------------------------------------------------------===//
// Formats
//===----------------------------------------------------------------------===//

/// Element formats (docs/Spec.md §1).
enum class ElemKind : uint8_t { E2M1, E2M3, E3M2, E4M3, E5M2, INT8 };
/// Scale formats (docs/Spec.md §1.6).
enum class ScaleKind : uint8_t { E8M0, E5M2, E4M3 };
/// How a block scale is computed: the four E8M0 rules of §2.3, or `Nearest`,
/// the FP8-valued scale round_S(amax / max_elem) of §2.4 / §2.6.
enum class ScaleRule : uint8_t { Floor, Even, Ceil, RCeil, Nearest };
/// Rounding of element values and of FP8-valued scales.
enum class Rounding : uint8_t { RNE, RNA };
/// Matmul accumulation mode (§6.2 `exact`, §6.5 `emulate`).
enum class MatmulMode : uint8_t { Exact, Emulate };
/// Result element type of a matmul (§6.2, last step).
enum class ResultType : uint8_t { F32, F16, BF16 };

/// Static facts about an element format (docs/Spec.md §1.1).
struct ElemInfo {
  const char *mlirName; ///< builtin MLIR type name, e.g. "f4E2M1FN" or "i8"
  unsigned bits;        ///< storage bits of one code
  unsigned ebits;       ///< exponent bits (0 for INT8)
  unsigned mbits;       ///< mantissa bits (0 for INT8)
  int bias;             ///< exponent bias (0 for INT8)
  float maxValue;       ///< largest finite value
  int emax;             ///< floor(log2(maxValue))
  unsigned evenBits;    ///< t of the `even` scale rule
  bool isInt;           ///< MXINT8
  int unitExp;          ///< u: every value times 2^u is an integer
  double unitMax;       ///< the largest |value| times 2^u
};
const ElemInfo &getElemInfo(ElemKind kind);
/// MLIR spelling of a scale type ("f8E8M0FNU", "f8E5M2", "f8E4M3FN").
const char *getScaleTypeName(ScaleKind kind);
/// The code of the scale value 1.0 (E8M0 0x7F, E5M2 0x3C, E4M3 0x38).
uint8_t getScaleOneCode(ScaleKind kind);
/// 2v of every E2M1 code c (index c): integers in [-12, 12] (§6.3).
std::array<int8_t, 16> getE2M1TwiceValues();

/// The scale code of a block that holds a NaN or an Inf (§2.2), whatever
/// the scale format: NaN in E8M0, E5M2 and E4M3.
inline constexpr uint8_t kNaNBlockScaleCode = 0xFF;

/// The constants of NVFP4's two-level scaling (§2.6): g = amax / 2688
/// (6 · 448, the largest E2M1 value times the largest E4M3 value), and
/// the block scale before its E4M3 rounding clamped to [2^-6, 448].
inline constexpr float kNVFP4TensorScaleDivisor = 2688.0f;
inline constexpr float kNVFP4BlockScaleMin = 0.015625f;
inline constexpr float kNVFP4BlockScaleMax = 448.0f;
const char *stringifyScaleRule(ScaleRule rule);
const char *stringifyRounding(Rounding rounding);
std::optional<ScaleRule> parseScaleRule(std::string_view s);
std::optional<Rounding> parseRounding(std::string_view s);
std::optional<ElemKind> parseElemKind(std::string_view mlirName);
std::optional<ScaleKind> parseScaleKind(std::string_view mlirName);

/// A complete block-scaled format configuration: a preset of docs/Spec.md §3
/// with the overrides of §3.1 applied.
struct Format {
  ElemKind elem = ElemKind::E2M1;
  ScaleKind scale = ScaleKind::E8M0;
  unsigned blockSize = 32;
  ScaleRule rule = ScaleRule::Floor;
  Rounding rounding = Rounding::RNE;
  bool asymmetric = false;  ///< two scales per block (positive / negative)
  bool tensorScale = false; ///< NVFP4 per-tensor binary32 scale g

  unsigned numScaleArrays() const { return asymmetric ? 2 : 1; }
  bool operator==(const Format &o) const {
    return elem == o.elem && scale == o.scale && blockSize == o.blockSize &&
           rule == o.rule && rounding == o.rounding &&
           asymmetric == o.asymmetric && tensorScale == o.tensorScale;
  }
  bool operator!=(const Format &o) const { return !(*this == o); }
};

/// The preset names of docs/Spec.md §3, in table order.
const std::vector<std::string_view> &getPresetNames();
/// The preset called `name`, or nullopt.
std::optional<Format> getPreset(std::string_view name);
/// The name of the preset whose element type, scale type, asymmetry and
/// per-tensor scale match `f` (overrides ignored), or nullopt.
std::optional<std::string_view> getBasePreset(const Format &f);
/// Check `f` against docs/Spec.md: returns an empty string when it is a preset
/// with valid overrides, otherwise a message naming the problem.
std::string verifyFormat(const Format &f);
/// Apply one override (`rounding`, `scale-rule` or `block-size`; `_` may be
/// used for `-`) to `f`. Returns an empty string on success, otherwise a
/// message that names the valid choices.
std::string applyOverride(Format &f, std::string_view key,
                          std::string_view value);
/// Short textual form: "mxfp4" or "mxfp4, rounding = rna, block_size = 64".
/// Requires verifyFormat(f) to be empty.
std::string formatToString(const Format &f);

//===----------------------------------------------------------------------===//
// Scalars
//===----------------------------------------------------------------------===//

/// Value of an element code (NaN/Inf for the FP8 special codes; INT8 k/64).
float decodeElem(ElemKind kind, uint8_t code);
/// round_F(v, mode) of §1.7: saturating, signed zero preserved (INT8: +0).
/// `v` must not be NaN.
float roundElem(ElemKind kind, float v, Rounding mode);
/// Code of a representable (already rounded) value. -0 has the sign bit set
/// for FP formats; INT8 zero is 0x00.
uint8_t encodeElem(ElemKind kind, float value);
/// Decoded scale value (E8M0: 2^(c-127), 0xFF NaN; FP8 as in §1.4).
float decodeScale(ScaleKind kind, uint8_t code);
/// E8M0 scale code of §2.3 for a finite block maximum amax >= 0.
uint8_t computeE8M0Code(float amax, ElemKind elem, ScaleRule rule);
/// NVFP4 per-tensor scale g of §2.6 (with its g = 1 fallbacks).
float computeNVFP4TensorScale(const float *data, size_t n);
/// Round a binary32 value to the result type with IEEE RNE (overflow to Inf).
/// The returned float holds the rounded value exactly.
float roundToResultType(float v, ResultType type);
/// IEEE bit pattern of `v` rounded to `type` (f32: 32 bits, else 16 bits).
uint32_t resultBits(float v, ResultType type);

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

/// A quantized tensor in unpacked form: one element code per element in the
/// row-major order of `shape`, scale arrays of shape `getScaleShape()`
/// (row-major), and the NVFP4 per-tensor scale.
struct QuantizedTensor {
  Format format;
  std::vector<int64_t> shape;
  unsigned axis = 0; ///< blocked axis
  std::vector<uint8_t> codes;
  std::array<std::vector<uint8_t>, 2>
      scales;               ///< [0]: only / positive, [1]: negative
  float tensorScale = 1.0f; ///< g; used only when format.tensorScale

  /// `shape` with the blocked axis replaced by ceil(L / blockSize).
  std::vector<int64_t> getScaleShape() const;
  size_t getNumElements() const;
};

/// Quantize a row-major binary32 tensor blocked along `axis` (§2). For NVFP4,
/// `tensorScale` supplies an external g; otherwise g is derived from `data`.
QuantizedTensor quantize(const Format &format,
                         const std::vector<int64_t> &shape, unsigned axis,
                         const float *data,
                         std::optional<float> tensorScale = std::nullopt);
/// Dequantize from stored codes (§2.7), row-major binary32.
std::vector<float> dequantize(const QuantizedTensor &q);

/// Pack element codes of a row-major tensor per §7 (FP4: two per byte along
/// the innermost dimension, element 2j in the low nibble; others one byte).
std::vector<uint8_t> packCodes(ElemKind kind, const std::vector<int64_t> &shape,
                               const std::vector<uint8_t> &codes);
/// Inverse of packCodes; ignores padding nibbles and FP6 high bits.
std::vector<uint8_t> unpackCodes(ElemKind kind,
                                 const std::vector<int64_t> &shape,
                                 const std::vector<uint8_t> &packed);
/// Shape of the packed byte array of a tensor of `shape`.
std::vector<int64_t> getPackedShape(ElemKind kind,
                                    const std::vector<int64_t> &shape);

//===----------------------------------------------------------------------===//
// MAC and matmul
//===----------------------------------------------------------------------===//

/// One operand's view of a block: `n` element codes spaced `stride` apart and
/// its scale codes (`scaleNeg` only for asymmetric formats).
struct BlockOperand {
  const Format *format;
  const uint8_t *codes;
  size_t stride;
  uint8_t scalePos;
  uint8_t scaleNeg;
};

/// One term of a block contribution (§6.2).
struct MacTerm {
  int groupA; ///< +1, -1, or 0 for the single group of a symmetric operand
  int groupB;
  __int128 sum; ///< S exactly, in units of 2^-32
  float sum32;  ///< fp32(S)
  float scaleA, scaleB;
  float term; ///< fp32(fp32(S32 * sa) * sb)
};

/// The block contribution c_b of §6.2 for one block pair of `n` present
/// positions. If `terms` is non-null it receives the terms (empty for NaN).
float blockContribution(const BlockOperand &a, const BlockOperand &b, size_t n,
                        std::vector<MacTerm> *terms = nullptr);
/// The block-level MAC: fp32(acc + c_b).
float blockMac(float acc, const BlockOperand &a, const BlockOperand &b,
               size_t n);

/// C = init + A x B (§6). `a` is [M,K] blocked along axis 1, `b` is [K,N]
/// blocked along axis 0, both with the same block size. `init` is M*N
/// binary32 values (null: +0). Returns M*N values of the result type, held
/// exactly in floats.
std::vector<float> matmul(const QuantizedTensor &a, const QuantizedTensor &b,
                          const float *init,
                          MatmulMode mode = MatmulMode::Exact,
                          ResultType resultType = ResultType::F32);

/// Bit helpers.
uint32_t floatToBits(float f);
float bitsToFloat(uint32_t bits);

} // namespace mx::ref

#endif // MX_REFERENCE_MXREFERENCE_H
