# mxoracle.py - executable model of the mx-mlir numeric spec -*- python -*-
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""mxoracle: this project's own executable model of docs/Spec.md.

An independent model of the numeric specification (docs/Spec.md) of the
block-scaled formats of mx-mlir, written from the text of the spec. It is
the oracle of the tests: the test generators take their expected values
from it, and `check-vectors` recomputes the golden vectors of test/vectors
from their inputs.

What it covers:

  * binary32 arithmetic (Spec §0): fp32(a*b), fp32(a+b), fp32(a/b) as single
    RNE roundings of the exact result, with gradual underflow and overflow
    to +-Inf; f16 / bf16 result conversion (Spec §6.2);
  * the element formats E2M1, E2M3, E3M2, E4M3FN, E5M2 and INT8 (Spec §1):
    decoding of every code, the saturating value rounding round_F with rne
    and rna (Spec §1.7), encoding with signed zero;
  * the scale formats E8M0, E5M2 and E4M3FN (Spec §1.6) and the scale
    computations: E8M0 rules floor / even / ceil / rceil (Spec §2.3), FP8
    scales from amax/max_elem (Spec §2.4), the zero-scale rule (Spec §2.5),
    the NVFP4 tensor scale g and its E4M3FN block scales (Spec §2.6);
  * the presets and their overrides (Spec §3), partial blocks (Spec §4),
    the NaN/Inf block rule (Spec §2.2), dequantization (Spec §2.7);
  * packing (Spec §7);
  * the block-scaled matmul (Spec §5, §6): mode exact (Spec §6.2) with exact
    integer block sums, mode emulate (Spec §6.5), an accumulator input and
    f32 / f16 / bf16 results;
  * a deterministic random generator (splitmix64) for test data.

Numbers: binary32 values are held as Python floats whose value is exactly
a binary32 value. Every rounding to binary32 (or to a narrower format) is
done on the exact rational value with integer arithmetic, except where the
binary64 value is already exact (a product of two binary32 values), which
is then rounded once by the C conversion behind `struct`.

Standard library only (Python 3.11).

usage:
  mxoracle.py check-vectors DIR   recompute every field of every golden
                                  vector file DIR/*.json; exit 1 on a mismatch
  mxoracle.py selftest            worked examples of Spec §9
"""

import glob
import json
import math
import os
import struct
import sys

NAN = float("nan")
INF = float("inf")
QNAN_BITS = 0x7FC00000

# ===----------------------------------------------------------------------===
# binary32 (Spec §0)
# ===----------------------------------------------------------------------===


def bits_to_f32(bits):
    """The binary32 value of a 32-bit pattern."""
    return struct.unpack("<f", struct.pack("<I", bits & 0xFFFFFFFF))[0]


def f32_bits(x):
    """The bit pattern of a binary32 value; any NaN gives 0x7fc00000."""
    if x != x:
        return QNAN_BITS
    return struct.unpack("<I", struct.pack("<f", x))[0]


def hex_f32(x):
    """`0x%08x` of f32_bits (the vector-file notation)."""
    return "0x%08x" % f32_bits(x)


def from_hex(text):
    return bits_to_f32(int(text, 16))


def is_neg(x):
    """The sign bit of x (true for -0.0)."""
    return math.copysign(1.0, x) < 0.0


def to_f32(x):
    """fp32(x) for a binary64 x: one RNE rounding, overflow to +-Inf.

    The C double -> float conversion that struct performs is exactly that
    rounding (it reports a rounding to Inf as OverflowError)."""
    try:
        return struct.unpack("<f", struct.pack("<f", x))[0]
    except OverflowError:
        return -INF if x < 0 else INF


class _Grid:
    """A sign-magnitude binary number grid.

    `frac` fraction bits, smallest normal exponent `emin` (the quantum of
    the binade [2^e, 2^(e+1)) is 2^(max(e, emin) - frac)); `frac` None means
    a fixed quantum 2^emin (INT8). `largest` is the largest finite value.
    `overflow` says what a rounded magnitude above `largest` becomes:
    'inf' (IEEE interchange formats) or 'saturate' (element formats)."""

    def __init__(self, frac, emin, largest, overflow):
        self.frac, self.emin = frac, emin
        self.largest, self.overflow = largest, overflow
        self.top = math.frexp(largest)[1] - 1      # floor(log2(largest))

    def quantum_exp(self, e):
        if self.frac is None:
            return self.emin
        return max(e, self.emin) - self.frac

    def round_ratio(self, num, den, mode="rne"):
        """Round the exact magnitude num/den (num >= 0, den > 0) to the grid.

        Returns a non-negative float (or +Inf)."""
        if num == 0:
            return 0.0
        # e = floor(log2(num / den))
        e = num.bit_length() - den.bit_length()
        if (num << -e if e < 0 else num) < (den << e if e > 0 else den):
            e -= 1
        if e > self.top + 1:              # far above the largest value
            return INF if self.overflow == "inf" else self.largest
        q = self.quantum_exp(e)
        if q >= 0:
            k, rem = divmod(num, den << q)
            twice, unit = rem << 1, den << q
        else:
            k, rem = divmod(num << -q, den)
            twice, unit = rem << 1, den
        if twice > unit or (twice == unit and (mode == "rna" or k & 1)):
            k += 1
        value = math.ldexp(k, q)
        if value > self.largest:
            return INF if self.overflow == "inf" else self.largest
        return value

    def round_value(self, x, mode="rne"):
        """Round the float x (any sign, finite or +-Inf, not NaN)."""
        if x != x:
            raise ValueError("NaN is not rounded by this model (Spec §2.2)")
        if x in (INF, -INF):
            mag = INF if self.overflow == "inf" else self.largest
        else:
            num, den = abs(x).as_integer_ratio()
            mag = self.round_ratio(num, den, mode)
        return -mag if is_neg(x) else mag


F32 = _Grid(23, -126, math.ldexp((1 << 24) - 1, 104), "inf")
F16 = _Grid(10, -14, 65504.0, "inf")
BF16 = _Grid(7, -126, math.ldexp((1 << 8) - 1, 120), "inf")
RESULT_GRIDS = {"f32": F32, "f16": F16, "bf16": BF16}


def f32_from_ratio(num, den):
    """fp32(num / den) for integers num, den (den > 0); an exact 0 is +0."""
    mag = F32.round_ratio(abs(num), den)
    return -mag if num < 0 else mag


def f32_mul(a, b):
    """fp32(a * b) for binary32 a, b. Their binary64 product is exact (24 + 24
    significant bits, exponents within binary64 range), so one rounding."""
    return to_f32(a * b)


_TWO149 = float(1 << 149)


def f32_add(a, b):
    """fp32(a + b) for binary32 a, b (IEEE, RNE; x + (-x) = +0)."""
    if not (math.isfinite(a) and math.isfinite(b)):
        return a + b                          # Inf/NaN rules as in binary64
    if a == 0.0 and b == 0.0:
        return -0.0 if (is_neg(a) and is_neg(b)) else 0.0
    # Both are integer multiples of 2^-149: add them exactly as integers.
    n = int(a * _TWO149) + int(b * _TWO149)
    return f32_from_ratio(n, 1 << 149)


def f32_div(a, b):
    """fp32(a / b) for binary32 a, b (IEEE, true division)."""
    if a != a or b != b:
        return NAN
    neg = is_neg(a) != is_neg(b)
    if b == 0.0:
        if a == 0.0:
            return NAN
        return -INF if neg else INF
    if a in (INF, -INF):
        if b in (INF, -INF):
            return NAN
        return -INF if neg else INF
    if b in (INF, -INF) or a == 0.0:
        return -0.0 if neg else 0.0
    na, da = abs(a).as_integer_ratio()
    nb, db = abs(b).as_integer_ratio()
    mag = F32.round_ratio(na * db, da * nb)
    return -mag if neg else mag


def round_to_type(x, type_name):
    """A binary32 value converted to f32 / f16 / bf16 (IEEE RNE, overflow to
    +-Inf); the result is returned as a float holding that value."""
    if type_name == "f32" or x != x:
        return x
    return RESULT_GRIDS[type_name].round_value(x)


def result_bits(x, type_name):
    """Bit pattern of a value of a result type (NaN canonical)."""
    if type_name == "f32":
        return f32_bits(x)
    if type_name == "bf16":
        return 0x7FC0 if x != x else f32_bits(x) >> 16
    if x != x:
        return 0x7E00
    return struct.unpack("<H", struct.pack("<e", x))[0]


# ===----------------------------------------------------------------------===
# element and scale formats (Spec §1)
# ===----------------------------------------------------------------------===


class ElementFormat:
    """One element (or FP8 scale) format with its complete code table."""

    def __init__(self, mlir_name, bits, exp_bits=None, man_bits=None,
                 nan_rule="none", even_bits=None):
        self.mlir_name = mlir_name
        self.bits = bits
        self.num_codes = 1 << bits
        self.is_int = exp_bits is None
        self.exp_bits, self.man_bits = exp_bits, man_bits
        self.nan_rule = nan_rule      # 'none', 'fn' (S.1..1.1..1), 'ieee'
        self.values = [self._code_value(c) for c in range(self.num_codes)]
        finite = [v for v in self.values if math.isfinite(v)]
        self.max_value = max(finite)
        self.emax = math.frexp(self.max_value)[1] - 1   # emax_elem (Spec §1.1)
        # t of the `even` rule (Spec §2.3): mantissa bits, 6 for INT8
        self.even_bits = 6 if self.is_int else man_bits
        if self.is_int:
            self.grid = _Grid(None, -6, self.max_value, "saturate")
        else:
            bias = (1 << (exp_bits - 1)) - 1
            self.grid = _Grid(man_bits, 1 - bias, self.max_value, "saturate")
        # value (with its sign) -> code; the first code wins (INT8 0 -> 0x00)
        self._codes = {}
        for c, v in enumerate(self.values):
            if math.isfinite(v):
                self._codes.setdefault((v, is_neg(v) and not self.is_int), c)

    def _code_value(self, code):
        if self.is_int:
            return (code - 256 if code >= 128 else code) / 64.0
        m_mask = (1 << self.man_bits) - 1
        e_mask = (1 << self.exp_bits) - 1
        sign = (code >> (self.bits - 1)) & 1
        ef = (code >> self.man_bits) & e_mask
        mf = code & m_mask
        if ef == e_mask and self.nan_rule == "ieee":
            mag = INF if mf == 0 else NAN
        elif ef == e_mask and mf == m_mask and self.nan_rule == "fn":
            mag = NAN
        else:
            bias = (1 << (self.exp_bits - 1)) - 1
            if ef == 0:
                mag = math.ldexp(mf, 1 - bias - self.man_bits)
            else:
                mag = math.ldexp((1 << self.man_bits) | mf,
                                 ef - bias - self.man_bits)
        if mag != mag:
            return NAN
        return -mag if sign else mag

    def decode(self, code):
        return self.values[code]

    def encode(self, value):
        """The code of a representable value (signed zero kept, INT8: +0)."""
        return self._codes[(value + 0.0 if self.is_int and value == 0 else value,
                            is_neg(value) and not self.is_int)]

    def round(self, x, mode):
        """round_F(x, mode) of Spec §1.7: saturating; signed zero kept for
        the FP formats, INT8 zero is +0."""
        r = self.grid.round_value(x, mode)
        if self.is_int and r == 0.0:
            return 0.0
        return r


E2M1 = ElementFormat("f4E2M1FN", 4, 2, 1)
E2M3 = ElementFormat("f6E2M3FN", 6, 2, 3)
E3M2 = ElementFormat("f6E3M2FN", 6, 3, 2)
E4M3 = ElementFormat("f8E4M3FN", 8, 4, 3, "fn")
E5M2 = ElementFormat("f8E5M2", 8, 5, 2, "ieee")
INT8 = ElementFormat("i8", 8)
ELEMENTS = {f.mlir_name: f for f in (E2M1, E2M3, E3M2, E4M3, E5M2, INT8)}


def e8m0_decode(code):
    """f8E8M0FNU: 2^(code-127); 0xFF is NaN (Spec §1.6)."""
    return NAN if code == 0xFF else math.ldexp(1.0, code - 127)


def scale_decode(scale_type, code):
    if scale_type == "f8E8M0FNU":
        return e8m0_decode(code)
    return ELEMENTS[scale_type].decode(code)


# ===----------------------------------------------------------------------===
# presets (Spec §3)
# ===----------------------------------------------------------------------===

# preset: element type, block size, scale type, asymmetric, tensor scale,
# scale rule (None: FP8-valued scale), rounding
_PRESET_TABLE = {
    "mxfp4":      ("f4E2M1FN", 32, "f8E8M0FNU", False, False, "floor", "rne"),
    "amxfp4":     ("f4E2M1FN", 32, "f8E5M2", True, False, None, "rna"),
    "amxfp4-pot": ("f4E2M1FN", 32, "f8E8M0FNU", True, False, "floor", "rna"),
    "nvfp4":      ("f4E2M1FN", 16, "f8E4M3FN", False, True, None, "rne"),
    "mxfp6-e2m3": ("f6E2M3FN", 32, "f8E8M0FNU", False, False, "floor", "rne"),
    "mxfp6-e3m2": ("f6E3M2FN", 32, "f8E8M0FNU", False, False, "floor", "rne"),
    "mxfp8-e4m3": ("f8E4M3FN", 32, "f8E8M0FNU", False, False, "floor", "rne"),
    "mxfp8-e5m2": ("f8E5M2", 32, "f8E8M0FNU", False, False, "floor", "rne"),
    "mxint8":     ("i8", 32, "f8E8M0FNU", False, False, "floor", "rne"),
}
PRESETS = tuple(_PRESET_TABLE)

NVFP4_G_DIVISOR = 2688.0           # 448 * 6 (Spec §2.6)
NVFP4_S8_MIN = math.ldexp(1.0, -6)  # smallest normal E4M3FN


class Scheme:
    """A preset with its overrides applied (Spec §3, §3.1)."""

    def __init__(self, preset, overrides=None):
        if preset not in _PRESET_TABLE:
            raise ValueError("unknown preset %r" % preset)
        (elem, bs, st, asym, two, rule, rnd) = _PRESET_TABLE[preset]
        self.preset = preset
        self.element = ELEMENTS[elem]
        self.block_size = bs
        self.scale_type = st
        self.asymmetric = asym
        self.tensor_scaled = two
        self.scale_rule = rule
        self.rounding = rnd
        for key, val in (overrides or {}).items():
            key = key.replace("_", "-")
            if key == "rounding" and val in ("rne", "rna"):
                self.rounding = val
            elif key == "scale-rule" and val in ("floor", "even", "ceil", "rceil"):
                if st != "f8E8M0FNU":
                    raise ValueError("scale-rule needs E8M0 scales (%s)" % preset)
                self.scale_rule = val
            elif key == "block-size" and int(val) in (8, 16, 32, 64, 128, 256):
                self.block_size = int(val)
            else:
                raise ValueError("bad override %s=%r" % (key, val))

    @property
    def num_scale_arrays(self):
        return 2 if self.asymmetric else 1


def as_scheme(preset, overrides=None):
    return preset if isinstance(preset, Scheme) else Scheme(preset, overrides)


# ===----------------------------------------------------------------------===
# scales (Spec §2.3 - §2.6)
# ===----------------------------------------------------------------------===


def e8m0_scale_code(m, elem, rule):
    """E8M0 code for a finite block statistic m >= 0 (Spec §2.3)."""
    if m == 0.0:
        return 0
    frac, exp = math.frexp(m)             # m = frac * 2^exp, frac in [0.5, 1)
    e = exp - 1                           # floor(log2(m)), exact
    exact_pow2 = frac == 0.5
    if rule == "floor":
        E = e - elem.emax
    elif rule == "ceil":
        E = (e if exact_pow2 else e + 1) - elem.emax
    elif rule == "even":
        sig = 2.0 * frac                  # m / 2^e, in [1, 2)
        bump = sig >= 2.0 - math.ldexp(1.0, -(elem.even_bits + 1))
        E = (e + 1 if bump else e) - elem.emax
    elif rule == "rceil":
        d = f32_div(m, elem.max_value)
        if d == 0.0:
            E = -127
        else:
            dfrac, dexp = math.frexp(d)
            E = dexp - 1 if dfrac == 0.5 else dexp
    else:
        raise ValueError("unknown scale rule %r" % rule)
    return min(127, max(-127, E)) + 127


def fp8_scale(m, elem, scale_type, mode):
    """FP8-valued scale from a block statistic m (Spec §2.4): (code, value)."""
    fmt = ELEMENTS[scale_type]
    s = f32_div(m, elem.max_value)
    if s == 0.0:
        s = 1.0
    s = fmt.round(s, mode)
    return fmt.encode(s), s


def nvfp4_g(values):
    """The NVFP4 tensor scale g of Spec §2.6 (with its fallbacks to 1)."""
    amax = 0.0
    for x in values:
        if not math.isfinite(x):
            return 1.0
        if abs(x) > amax:
            amax = abs(x)
    if amax == 0.0:
        return 1.0
    g = f32_div(amax, NVFP4_G_DIVISOR)
    return g if g != 0.0 else 1.0


# ===----------------------------------------------------------------------===
# quantization of one blocked line (Spec §2, §4)
# ===----------------------------------------------------------------------===


def _element_code(scheme, x, s):
    """Code of binary32 x divided by the (non-negative) scale value s."""
    elem = scheme.element
    if s == 0.0:                          # zero-scale rule (Spec §2.5)
        return elem.encode(0.0 if elem.is_int or not is_neg(x) else -0.0)
    return elem.encode(elem.round(f32_div(x, s), scheme.rounding))


def quantize_line(xs, scheme, g=None):
    """Quantize one line of binary32 values blocked by scheme.block_size.

    Returns (codes, scale_arrays): one list of scale codes per scale array
    (positive first for asymmetric presets)."""
    elem, bs = scheme.element, scheme.block_size
    codes = []
    arrays = [[] for _ in range(scheme.num_scale_arrays)]
    for start in range(0, len(xs), bs):
        block = xs[start:start + bs]
        if not all(math.isfinite(x) for x in block):      # Spec §2.2
            for arr in arrays:
                arr.append(0xFF)
            codes += [0] * len(block)
            continue
        if scheme.asymmetric:
            pos = max([0.0] + [x for x in block if x > 0.0])
            neg = max([0.0] + [-x for x in block if x < 0.0])
            picked = []
            for stat in (pos, neg):
                if scheme.scale_type == "f8E8M0FNU":
                    c = e8m0_scale_code(stat, elem, scheme.scale_rule)
                    picked.append((c, e8m0_decode(c)))
                else:
                    picked.append(fp8_scale(stat, elem, scheme.scale_type,
                                            scheme.rounding))
            arrays[0].append(picked[0][0])
            arrays[1].append(picked[1][0])
            for x in block:
                s = picked[0][1] if x > 0.0 else picked[1][1]
                codes.append(_element_code(scheme, x, s))
            continue
        amax = max(abs(x) for x in block)
        if scheme.tensor_scaled:                           # Spec §2.6
            sb = f32_div(amax, elem.max_value)
            v = f32_div(sb, g)
            v = min(max(v, NVFP4_S8_MIN), E4M3.max_value)
            s8 = E4M3.round(v, scheme.rounding)
            code = E4M3.encode(s8)
            s = f32_mul(g, s8)
        elif scheme.scale_type == "f8E8M0FNU":
            code = e8m0_scale_code(amax, elem, scheme.scale_rule)
            s = e8m0_decode(code)
        else:
            code, s = fp8_scale(amax, elem, scheme.scale_type, scheme.rounding)
        arrays[0].append(code)
        codes += [_element_code(scheme, x, s) for x in block]
    return codes, arrays


def dequantize_line(codes, arrays, scheme, g=None):
    """Consumer-view dequantization of stored codes (Spec §2.7)."""
    elem, bs = scheme.element, scheme.block_size
    out = []
    for i, code in enumerate(codes):
        q = elem.decode(code)
        which = 0 if (not scheme.asymmetric or q > 0.0) else 1
        s = scale_decode(scheme.scale_type, arrays[which][i // bs])
        if s != s:
            out.append(NAN)
            continue
        if scheme.tensor_scaled:
            s = f32_mul(g, s)
        out.append(f32_mul(q, s))
    return out


class Quantized1D:
    """Result of quantize(): codes, scales, tensor_scale, dequant."""

    def __init__(self, scheme, codes, scales, tensor_scale, dequant):
        self.scheme, self.codes, self.scales = scheme, codes, scales
        self.tensor_scale, self.dequant = tensor_scale, dequant


def quantize(values, preset, overrides=None, tensor_scale=None):
    """Quantize a 1-D tensor; inputs are first rounded to binary32 (Spec §0)."""
    scheme = as_scheme(preset, overrides)
    xs = [to_f32(float(v)) for v in values]
    g = None
    if scheme.tensor_scaled:
        g = nvfp4_g(xs) if tensor_scale is None else to_f32(tensor_scale)
    codes, scales = quantize_line(xs, scheme, g)
    return Quantized1D(scheme, codes, scales, g,
                       dequantize_line(codes, scales, scheme, g))


class QuantizedMatrix:
    """A 2-D operand: codes [R][C] in the operand's layout; scales per array
    [R][nb] (axis 1, lhs A[M,K]) or [nb][C] (axis 0, rhs B[K,N]) (Spec §5)."""

    def __init__(self, scheme, axis, codes, scales, tensor_scale):
        self.scheme, self.axis = scheme, axis
        self.codes, self.scales = codes, scales
        self.tensor_scale = tensor_scale
        self.rows = len(codes)
        self.cols = len(codes[0]) if codes else 0

    def line(self, i):
        """(codes, scale arrays) of blocked line i (row or column)."""
        if self.axis == 1:
            return self.codes[i], [arr[i] for arr in self.scales]
        return ([row[i] for row in self.codes],
                [[blk[i] for blk in arr] for arr in self.scales])

    def dequantize(self):
        if self.axis == 1:
            return [dequantize_line(*self.line(r), self.scheme, self.tensor_scale)
                    for r in range(self.rows)]
        cols = [dequantize_line(*self.line(c), self.scheme, self.tensor_scale)
                for c in range(self.cols)]
        return [[cols[c][r] for c in range(self.cols)] for r in range(self.rows)]


def quantize_matrix(mat, preset, overrides=None, axis=1, tensor_scale=None):
    """Quantize a list of rows blocked along `axis` (1: rows, 0: columns).
    NVFP4: g over the whole matrix unless given."""
    scheme = as_scheme(preset, overrides)
    xs = [[to_f32(float(v)) for v in row] for row in mat]
    R, C = len(xs), (len(xs[0]) if xs else 0)
    g = None
    if scheme.tensor_scaled:
        g = (nvfp4_g([v for row in xs for v in row]) if tensor_scale is None
             else to_f32(tensor_scale))
    if axis == 1:
        done = [quantize_line(row, scheme, g) for row in xs]
        codes = [d[0] for d in done]
        scales = [[d[1][a] for d in done] for a in range(scheme.num_scale_arrays)]
    else:
        done = [quantize_line([xs[r][c] for r in range(R)], scheme, g)
                for c in range(C)]
        codes = [[done[c][0][r] for c in range(C)] for r in range(R)]
        nb = len(done[0][1][0]) if C else 0
        scales = [[[done[c][1][a][b] for c in range(C)] for b in range(nb)]
                  for a in range(scheme.num_scale_arrays)]
    return QuantizedMatrix(scheme, axis, codes, scales, g)


# ===----------------------------------------------------------------------===
# packing (Spec §7)
# ===----------------------------------------------------------------------===


def pack(codes, element):
    """Pack one innermost row of codes: FP4 two per byte, element 2j in the
    low nibble, a zero high nibble for odd lengths; others one per byte."""
    name = element.mlir_name if isinstance(element, ElementFormat) else element
    if name == "f4E2M1FN":
        out = bytearray((len(codes) + 1) // 2)
        for i, c in enumerate(codes):
            out[i // 2] |= (c & 0xF) << (0 if i % 2 == 0 else 4)
        return bytes(out)
    mask = 0x3F if name.startswith("f6") else 0xFF
    return bytes(c & mask for c in codes)


def unpack(data, length, element):
    name = element.mlir_name if isinstance(element, ElementFormat) else element
    if name == "f4E2M1FN":
        return [(data[i // 2] >> (0 if i % 2 == 0 else 4)) & 0xF
                for i in range(length)]
    mask = 0x3F if name.startswith("f6") else 0xFF
    return [b & mask for b in data[:length]]


# ===----------------------------------------------------------------------===
# matmul (Spec §6)
# ===----------------------------------------------------------------------===

_UNIT = 16     # every element value is an integer multiple of 2^-16


def _to_units(v):
    n, d = v.as_integer_ratio()
    return n * ((1 << _UNIT) // d)


def _groups(scheme):
    # (scale-array index of each group); the + group comes first (Spec §6.1)
    return (0, 1) if scheme.asymmetric else (0,)


def _exact_block(ua, ub, ga, gb, sa, sb, groups_a, groups_b):
    """c_b of one block pair (Spec §6.2), given the element units, their
    groups and the decoded scales (no NaN among them)."""
    sums = {}
    for x, y, gx, gy in zip(ua, ub, ga, gb):
        if x and y:
            sums[(gx, gy)] = sums.get((gx, gy), 0) + x * y
    c = None
    for gx in groups_a:
        for gy in groups_b:
            s32 = f32_from_ratio(sums.get((gx, gy), 0), 1 << (2 * _UNIT))
            term = f32_mul(f32_mul(s32, sa[gx]), sb[gy])
            c = term if c is None else f32_add(c, term)
    return c


def matmul(qa, qb, init=None, mode="exact", result_type="f32",
           contributions=None):
    """C = init + A x B for quantized A (axis 1) and B (axis 0).

    init: M x N binary32 values (None: +0). Returns the M x N result values
    (floats holding values of `result_type`). If `contributions` is a list,
    the c_b of every (m, n) are appended to it as [M][N][nb] (mode exact)."""
    sa_, sb_ = qa.scheme, qb.scheme
    if sa_.block_size != sb_.block_size:
        raise ValueError("operands must use the same block size (Spec §5)")
    M, K, N = qa.rows, qa.cols, qb.cols
    if qb.rows != K:
        raise ValueError("K of A and B differ")
    init = init or [[0.0] * N for _ in range(M)]
    out = [[0.0] * N for _ in range(M)]
    if mode == "emulate":                 # Spec §6.5
        da, db = qa.dequantize(), qb.dequantize()
        for m in range(M):
            for n in range(N):
                acc = 0.0
                for k in range(K):
                    acc = f32_add(acc, f32_mul(da[m][k], db[k][n]))
                out[m][n] = round_to_type(f32_add(to_f32(init[m][n]), acc),
                                          result_type)
        return out
    if mode != "exact":
        raise ValueError("mode must be exact or emulate")
    bs = sa_.block_size
    nb = -(-K // bs)
    va = [[sa_.element.decode(c) for c in row] for row in qa.codes]
    vb = [[sb_.element.decode(c) for c in row] for row in qb.codes]
    fa = [[math.isfinite(v) for v in row] for row in va]
    fb = [[math.isfinite(v) for v in row] for row in vb]
    ua = [[_to_units(v) if ok else 0 for v, ok in zip(r, f)]
          for r, f in zip(va, fa)]
    ub = [[_to_units(v) if ok else 0 for v, ok in zip(r, f)]
          for r, f in zip(vb, fb)]
    # group of each element: 0 (+ or the single group), 1 (-)
    gra = [[0 if (not sa_.asymmetric or v > 0.0) else 1 for v in row]
           for row in va]
    grb = [[0 if (not sb_.asymmetric or v > 0.0) else 1 for v in row]
           for row in vb]
    scale_a = [[[scale_decode(sa_.scale_type, arr[m][b]) for arr in qa.scales]
                for b in range(nb)] for m in range(M)]
    scale_b = [[[scale_decode(sb_.scale_type, arr[b][n]) for arr in qb.scales]
                for b in range(nb)] for n in range(N)]
    groups_a, groups_b = _groups(sa_), _groups(sb_)
    for n in range(N):
        col_u = [ub[k][n] for k in range(K)]
        col_g = [grb[k][n] for k in range(K)]
        col_f = [fb[k][n] for k in range(K)]
        for m in range(M):
            acc = 0.0
            cbs = []
            for b in range(nb):
                lo, hi = b * bs, min(K, (b + 1) * bs)
                sa, sb = scale_a[m][b], scale_b[n][b]
                if (any(s != s for s in sa) or any(s != s for s in sb)
                        or not all(fa[m][lo:hi]) or not all(col_f[lo:hi])):
                    c = NAN
                else:
                    c = _exact_block(ua[m][lo:hi], col_u[lo:hi], gra[m][lo:hi],
                                     col_g[lo:hi], sa, sb, groups_a, groups_b)
                cbs.append(c)
                acc = f32_add(acc, c)
            r = acc
            if qa.tensor_scale is not None:
                r = f32_mul(r, qa.tensor_scale)
            if qb.tensor_scale is not None:
                r = f32_mul(r, qb.tensor_scale)
            out[m][n] = round_to_type(f32_add(to_f32(init[m][n]), r), result_type)
            if contributions is not None:
                while len(contributions) <= m:
                    contributions.append([None] * N)
                contributions[m][n] = cbs
    return out


# ===----------------------------------------------------------------------===
# deterministic random data
# ===----------------------------------------------------------------------===

_M64 = (1 << 64) - 1


class SplitMix64:
    """splitmix64 (Steele, Lea, Flood 2014). Every derived value is a dyadic
    rational computed exactly, so the streams do not depend on libm."""

    def __init__(self, seed):
        self.state = seed & _M64

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & _M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
        return z ^ (z >> 31)

    def uniform(self):
        """[0, 1) in steps of 2^-24 (the top 24 bits)."""
        return math.ldexp(self.next() >> 40, -24)

    def randint(self, lo, hi):
        """An integer in [lo, hi] (inclusive)."""
        return lo + self.next() % (hi - lo + 1)

    def choice(self, seq):
        return seq[self.next() % len(seq)]

    def sign(self):
        return -1.0 if self.next() & 1 else 1.0

    def normal(self):
        """Approximately N(0, 1): the Irwin-Hall sum of 12 uniforms minus 6
        (exact: the partial sums are multiples of 2^-24 below 12)."""
        total = 0.0
        for _ in range(12):
            total += self.uniform()
        return total - 6.0


# ===----------------------------------------------------------------------===
# golden vectors: recompute every field (check-vectors)
# ===----------------------------------------------------------------------===


def _same_bits(expected_hex, got):
    """Any NaN matches any NaN; everything else bit for bit."""
    e = int(expected_hex, 16)
    e_nan = (e & 0x7F800000) == 0x7F800000 and (e & 0x7FFFFF) != 0
    if e_nan or got != got:
        return e_nan and got != got
    return e == f32_bits(got)


class _Checker:
    def __init__(self, verbose_limit=20):
        self.values = 0
        self.mismatches = 0
        self.limit = verbose_limit

    def _report(self, where, field, idx, expected, got):
        self.mismatches += 1
        if self.mismatches <= self.limit:
            print("MISMATCH %s %s%s: expected %s, got %s"
                  % (where, field, "".join("[%d]" % i for i in idx),
                     expected, got))

    def equal(self, where, field, expected, got, idx=()):
        """Compare nested lists of ints / strings exactly."""
        if isinstance(expected, list) and isinstance(got, list) \
                and len(expected) == len(got):
            for i, (e, g) in enumerate(zip(expected, got)):
                self.equal(where, field, e, g, idx + (i,))
            return
        self.values += 1
        if expected != got:
            self._report(where, field, idx, expected, got)

    def floats(self, where, field, expected, got, idx=()):
        """Compare nested lists of hex binary32 patterns with float values."""
        if isinstance(expected, list):
            if not isinstance(got, list) or len(expected) != len(got):
                self.values += 1
                self._report(where, field, idx, "%d values" % len(expected),
                             got)
                return
            for i, (e, g) in enumerate(zip(expected, got)):
                self.floats(where, field, e, g, idx + (i,))
            return
        self.values += 1
        if expected is None or got is None:
            if not (expected is None and got is None):
                self._report(where, field, idx, expected,
                             None if got is None else hex_f32(got))
            return
        if not _same_bits(expected, got):
            self._report(where, field, idx, expected, hex_f32(got))


def _check_quantize_case(case, chk, where):
    scheme = Scheme(case["preset"], case["overrides"])
    xs = [from_hex(h) for h in case["input"]]
    chk.equal(where, "element_type", case["element_type"], scheme.element.mlir_name)
    chk.equal(where, "scale_type", case["scale_type"], scheme.scale_type)
    chk.equal(where, "block_size", case["block_size"], scheme.block_size)
    chk.equal(where, "length", case["length"], len(xs))
    q = quantize(xs, scheme)
    chk.equal(where, "codes", case["codes"], q.codes)
    chk.equal(where, "packed", case["packed"], pack(q.codes, scheme.element).hex())
    chk.equal(where, "scales", case["scales"], q.scales)
    chk.floats(where, "tensor_scale", case["tensor_scale"], q.tensor_scale)
    chk.floats(where, "dequant", case["dequant"], q.dequant)
    # consumer view: the stored codes, scales and g give the stored dequant
    g = None if case["tensor_scale"] is None else from_hex(case["tensor_scale"])
    stored = unpack(bytes.fromhex(case["packed"]), len(xs), scheme.element)
    chk.equal(where, "unpack(packed)", case["codes"], stored)
    chk.floats(where, "dequant(stored codes)", case["dequant"],
               dequantize_line(case["codes"], case["scales"], scheme, g))


def _check_matmul_case(case, chk, where):
    sa = Scheme(case["lhs_preset"], case["lhs_overrides"])
    sb = Scheme(case["rhs_preset"], case["rhs_overrides"])
    chk.equal(where, "block_size", case["block_size"], sa.block_size)
    chk.equal(where, "block_size(rhs)", case["block_size"], sb.block_size)
    rt = case.get("result_type", "f32")
    A = [[from_hex(h) for h in row] for row in case["a"]]
    B = [[from_hex(h) for h in row] for row in case["b"]]
    init = [[from_hex(h) for h in row] for row in case["init"]]
    chk.equal(where, "shape", [case["M"], case["K"], case["N"]],
              [len(A), len(B), len(init[0]) if init else 0])
    qa = quantize_matrix(A, sa, axis=1)
    qb = quantize_matrix(B, sb, axis=0)
    chk.equal(where, "a_codes", case["a_codes"], qa.codes)
    chk.equal(where, "a_scales", case["a_scales"], qa.scales)
    chk.floats(where, "a_tensor_scale", case["a_tensor_scale"], qa.tensor_scale)
    chk.equal(where, "b_codes", case["b_codes"], qb.codes)
    chk.equal(where, "b_scales", case["b_scales"], qb.scales)
    chk.floats(where, "b_tensor_scale", case["b_tensor_scale"], qb.tensor_scale)
    contrib = []
    out = matmul(qa, qb, init, "exact", rt, contrib)
    chk.floats(where, "block_contributions", case["block_contributions"], contrib)
    chk.floats(where, "out", case["out"], out)
    chk.floats(where, "out_emulate", case["out_emulate"],
               matmul(qa, qb, init, "emulate", rt))
    # the MAC alone, from the stored codes, scales and tensor scales
    ga, gb = (None if case[k] is None else from_hex(case[k])
              for k in ("a_tensor_scale", "b_tensor_scale"))
    sqa = QuantizedMatrix(sa, 1, case["a_codes"], case["a_scales"], ga)
    sqb = QuantizedMatrix(sb, 0, case["b_codes"], case["b_scales"], gb)
    chk.floats(where, "out(stored operands)", case["out"],
               matmul(sqa, sqb, init, "exact", rt))


def check_vectors(directory):
    """Recompute every golden vector file of `directory`. Returns 0 if every
    field of every case matches, else 1."""
    files = sorted(glob.glob(os.path.join(directory, "*.json")))
    chk = _Checker()
    cases = 0
    for path in files:
        with open(path) as fh:
            doc = json.load(fh)
        schema = doc.get("schema", "")
        name = os.path.basename(path)
        for case in doc["cases"]:
            cases += 1
            where = "%s %s" % (name, case["id"])
            if schema.startswith("mx-mlir-vectors/quantize/"):
                _check_quantize_case(case, chk, where)
            elif schema.startswith("mx-mlir-vectors/matmul/"):
                _check_matmul_case(case, chk, where)
            else:
                chk._report(name, "schema", (), "a known schema", schema)
                break
    print("check-vectors: %d files, %d cases, %d values, %d mismatches"
          % (len(files), cases, chk.values, chk.mismatches))
    return 0 if (files and chk.mismatches == 0) else 1


# ===----------------------------------------------------------------------===
# selftest: worked examples of Spec §9
# ===----------------------------------------------------------------------===


def selftest():
    fails = []

    def expect(what, got, want):
        if got != want:
            fails.append("%s: got %r, want %r" % (what, got, want))

    # Example 1: mxfp4 rne and rna
    x = [1.25, -2.5, 5.0, 0.3, -0.1, 3.7, -6.9, 0.0]
    q = quantize(x, "mxfp4")
    expect("ex1 rne codes", q.codes, [2, 12, 6, 1, 8, 6, 15, 0])
    expect("ex1 scale", q.scales, [[127]])
    expect("ex1 packed", pack(q.codes, E2M1).hex(), "c216680f")
    q = quantize(x, "mxfp4", {"rounding": "rna"})
    expect("ex1 rna codes", q.codes, [3, 13, 7, 1, 8, 6, 15, 0])
    # Example 2: small magnitudes
    q = quantize([0.0123, -0.07, 0.031, 0.0009, -0.0155, 0.05, 0, -0.0468], "mxfp4")
    expect("ex2 codes", (q.scales, q.codes), ([[121]], [2, 14, 4, 0, 10, 5, 0, 13]))
    # Example 3: one asymmetric block in three presets
    x = [0.9, 0.7, 0.2, -0.05, -0.11, 0.45, 0.33, -0.08]
    q = quantize(x, "amxfp4-pot")
    expect("ex3 pot", (q.scales, q.codes),
           ([[124], [121]], [7, 7, 3, 13, 15, 6, 5, 15]))
    q = quantize(x, "amxfp4")
    expect("ex3 amxfp4", (q.scales, q.codes, pack(q.codes, E2M1).hex()),
           ([[0x31], [0x25]], [7, 6, 3, 13, 15, 5, 4, 14], "67d35fe4"))
    expect("ex3 amxfp4 y", q.dequant, [0.9375, 0.625, 0.234375, -0.05859375,
                                       -0.1171875, 0.46875, 0.3125, -0.078125])
    # Example 4: overshoot
    q = quantize([7, -0.4, 1.1, 2.9, -3.3, 0.6, 6.1, -5.5], "amxfp4")
    expect("ex4", (q.scales, q.codes, q.dequant[0]),
           ([[0x3D], [0x3B]], [7, 9, 2, 4, 14, 1, 6, 15], 7.5))
    # Example 5: nvfp4 two-level
    blk0 = [0.5, -1.75, 3, 2.25, -0.3, 0.05, 1, -4.4, 0.8, -0.9, 0, 2.6, -2.6,
            0.12, 5.5, -0.02]
    q = quantize(blk0 + [20.0] + [0.0] * 15, "nvfp4")
    expect("ex5 g", hex_f32(q.tensor_scale), "0x3bf3cf3d")
    expect("ex5 s8", q.scales, [[0x6F, 0x7E]])
    expect("ex5 codes", q.codes[:16],
           [1, 12, 5, 5, 9, 0, 2, 14, 2, 10, 0, 5, 13, 0, 7, 8])
    expect("ex5 y", (hex_f32(q.dequant[14]), q.dequant[16]), ("0x40ab6db7", 20.0))
    # Example 6: zero and tiny blocks
    expect("ex6 a", quantize([0, -0.0, 0, 0], "mxfp4").codes, [0, 8, 0, 0])
    q = quantize([1e-6, -2e-6, 0, 3e-6], "amxfp4")
    expect("ex6 b", (q.scales, q.codes), ([[0], [0]], [0, 8, 0, 0]))
    t = math.ldexp(3.0, -16)
    expect("ex6 c", quantize([t, -t], "amxfp4").codes, [5, 13])
    expect("ex6 d", quantize([t, -t], "amxfp4", {"rounding": "rne"}).codes, [0, 8])
    # Example 7: NaN and Inf
    q = quantize([1.0, NAN] + [0.5] * 14 + [2.0] * 16, "nvfp4")
    expect("ex7", (q.scales, q.tensor_scale, q.codes[16], q.dequant[16]),
           ([[0xFF, 0x2B]], 1.0, 7, 2.0625))
    # Example 8: E8M0 rules for E2M1
    table = {4.0: (127, 127, 127, 127), 5.0: (127, 127, 128, 127),
             6.0: (127, 127, 128, 127), 6.5: (127, 127, 128, 128),
             7.0: (127, 128, 128, 128), 7.5: (127, 128, 128, 128),
             12.0: (128, 128, 129, 128)}
    for amax, codes in table.items():
        got = tuple(e8m0_scale_code(amax, E2M1, r)
                    for r in ("floor", "even", "ceil", "rceil"))
        expect("ex8 %g" % amax, got, codes)
    # Examples 10-12: asymmetric matmuls

    def mm(a, w, lp, rp, init):
        qa = quantize_matrix([a], lp, axis=1)
        qb = quantize_matrix([[v] for v in w], rp, axis=0)
        return hex_f32(matmul(qa, qb, [[init]])[0][0])
    expect("ex10", mm([0.9, -0.11, 0.45, -0.05], [-0.3, 0.2, 0.6, -0.9],
                      "amxfp4", "amxfp4", 0.0), hex_f32(0.003662109375))
    a3 = [0.9, 0.7, 0.2, -0.05, -0.11, 0.45, 0.33, -0.08]
    w = [-0.3, 0.2, 0.6, -0.9, 0.5, -0.25, 0.1, 0.75]
    expect("ex11", mm(a3, w, "amxfp4", "mxfp4", 0.5), "0x3eb28000")
    expect("ex12", mm(a3, w, "amxfp4", "amxfp4", 0.5), "0x3e9de000")
    # E2M1 ties (Spec §1.7)
    for v, rne, rna in ((0.25, 0, 0.5), (0.75, 1, 1), (1.25, 1, 1.5),
                        (1.75, 2, 2), (2.5, 2, 3), (3.5, 4, 4), (5, 4, 6),
                        (7, 6, 6)):
        expect("tie %g" % v, (E2M1.round(v, "rne"), E2M1.round(v, "rna")),
               (rne, rna))
    expect("e4m3 sat", E4M3.round(464.0, "rne"), 448.0)
    expect("e5m2 sat", E5M2.round(61440.0, "rne"), 57344.0)
    expect("int8 -0", INT8.encode(INT8.round(-0.001, "rne")), 0)
    for f in fails:
        print("FAIL", f)
    print("selftest: %d failures" % len(fails))
    return 1 if fails else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "check-vectors":
        return check_vectors(argv[2])
    if len(argv) == 2 and argv[1] == "selftest":
        return selftest()
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
