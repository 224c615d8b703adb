#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Turn a golden-vector file of shared/spec/vectors into an executable test.

Writes an MLIR module (with FileCheck lines) whose `main` runs every case of
the file through mx ops and prints the results as i32 bit patterns:

  quantize_<preset>.json: the packed element bytes, every scale array, the
    NVFP4 tensor scale and the dequantized values of `mx.quantize` /
    `mx.dequantize` on the case input;
  matmul_<a>_x_<b>.json: `mx.matmul` (modes exact and emulate) on the
    quantized inputs, and `mx.matmul` on the stored codes and scales fed in
    through `mx.pack` (the MAC alone).

NaN results are printed as 0x7fc00000 (any NaN matches any NaN). Standard
library only.

usage: gen_vector_test.py VECTOR_FILE OUT.mlir [--cases N]
"""
import json
import struct
import sys

PRESET_DEFAULTS = {
    "mxfp4": ("rne", "floor", 32), "amxfp4": ("rna", None, 32),
    "amxfp4-pot": ("rna", "floor", 32), "nvfp4": ("rne", None, 16),
    "mxfp6-e2m3": ("rne", "floor", 32), "mxfp6-e3m2": ("rne", "floor", 32),
    "mxfp8-e4m3": ("rne", "floor", 32), "mxfp8-e5m2": ("rne", "floor", 32),
    "mxint8": ("rne", "floor", 32),
}
SCALE_TYPE = {"mxfp4": "f8E8M0FNU", "amxfp4": "f8E5M2",
              "amxfp4-pot": "f8E8M0FNU", "nvfp4": "f8E4M3FN"}
ELEM_FP4 = {"mxfp4", "amxfp4", "amxfp4-pot", "nvfp4"}


def fmt_attr(preset, overrides):
    r, rule, bs = PRESET_DEFAULTS[preset]
    parts = [preset]
    ov = dict(overrides or {})
    if "rounding" in ov and ov["rounding"] != r:
        parts.append("rounding = %s" % ov["rounding"])
    if "scale-rule" in ov and ov["scale-rule"] != rule:
        parts.append("scale_rule = %s" % ov["scale-rule"])
    if "block-size" in ov and int(ov["block-size"]) != bs:
        parts.append("block_size = %d" % int(ov["block-size"]))
    return "#mx.format<%s>" % ", ".join(parts)


def block_size(preset, overrides):
    return int((overrides or {}).get("block-size", PRESET_DEFAULTS[preset][2]))


def scale_type(preset):
    return SCALE_TYPE.get(preset, "f8E8M0FNU")


def i32(h):
    """A hex bit pattern as a signed i32 literal."""
    v = int(h, 16) if isinstance(h, str) else h
    return v - (1 << 32) if v & 0x80000000 else v


def canon(h):
    """Expected printed value: NaN patterns become 0x7fc00000."""
    v = int(h, 16)
    if (v & 0x7F800000) == 0x7F800000 and (v & 0x7FFFFF):
        v = 0x7FC00000
    return i32(v)


def pack_rows(codes, shape, fp4):
    """Pack a row-major code list of `shape` along the innermost dim."""
    if not fp4:
        return list(codes)
    inner = shape[-1]
    rows = len(codes) // inner if inner else 0
    out = []
    for r in range(rows):
        row = codes[r * inner:(r + 1) * inner]
        for j in range(0, inner, 2):
            lo = row[j] & 0xF
            hi = (row[j + 1] & 0xF) if j + 1 < inner else 0
            out.append(lo | (hi << 4))
    return out


def s8(v):
    return v - 256 if v >= 128 else v


def dense(vals, shape, ty):
    """A dense literal for `shape` (nested lists flattened row-major)."""
    def nest(v, dims):
        if len(dims) == 1:
            return "[%s]" % ", ".join(str(x) for x in v)
        step = len(v) // dims[0] if dims[0] else 0
        return "[%s]" % ", ".join(nest(v[i * step:(i + 1) * step], dims[1:])
                                  for i in range(dims[0]))
    return "dense<%s> : tensor<%sx%s>" % (nest(list(vals), shape),
                                          "x".join(map(str, shape)), ty)


def tshape(shape):
    return "x".join(map(str, shape))


class Emitter:
    def __init__(self):
        self.lines = []
        self.checks = []
        self.n = 0

    def tmp(self):
        self.n += 1
        return "%%v%d" % self.n

    def op(self, text):
        self.lines.append("  " + text)

    def const_f32(self, bits, shape):
        c, f = self.tmp(), self.tmp()
        self.op("%s = arith.constant %s" % (c, dense([i32(h) for h in bits],
                                                       shape, "i32")))
        self.op("%s = arith.bitcast %s : tensor<%sxi32> to tensor<%sxf32>"
                % (f, c, tshape(shape), tshape(shape)))
        return f

    def print_i32(self, value, shape):
        c = self.tmp()
        self.op("%s = tensor.cast %s : tensor<%sxi32> to tensor<*xi32>"
                % (c, value, tshape(shape)))
        self.op("call @printMemrefI32(%s) : (tensor<*xi32>) -> ()" % c)

    def print_f32_bits(self, value, shape, expected):
        """Print f32 values as bits with NaN canonicalized."""
        t = tshape(shape)
        b, nan, isn, sel = self.tmp(), self.tmp(), self.tmp(), self.tmp()
        self.op("%s = arith.bitcast %s : tensor<%sxf32> to tensor<%sxi32>"
                % (b, value, t, t))
        self.op("%s = arith.constant dense<2143289344> : tensor<%sxi32>"
                % (nan, t))
        self.op("%s = arith.cmpf uno, %s, %s : tensor<%sxf32>"
                % (isn, value, value, t))
        self.op("%s = arith.select %s, %s, %s : tensor<%sxi1>, tensor<%sxi32>"
                % (sel, isn, nan, b, t, t))
        if len(shape) == 2:
            flat1 = self.tmp()
            self.op("%s = tensor.collapse_shape %s [[0, 1]] : tensor<%sxi32> "
                    "into tensor<%dxi32>" % (flat1, sel, t, shape[0] * shape[1]))
            sel, shape = flat1, [shape[0] * shape[1]]
        self.print_i32(sel, shape)
        self.expect(expected)

    def print_bytes(self, value, shape, elem, expected):
        """Print an i8 (or f8) tensor zero-extended to i32."""
        t = tshape(shape)
        if elem != "i8":
            b = self.tmp()
            self.op("%s = arith.bitcast %s : tensor<%sx%s> to tensor<%sxi8>"
                    % (b, value, t, elem, t))
            value = b
        e = self.tmp()
        self.op("%s = arith.extui %s : tensor<%sxi8> to tensor<%sxi32>"
                % (e, value, t, t))
        self.print_i32(e, shape)
        self.expect(expected)

    def expect(self, values):
        self.checks.append("[%s]" % ", ".join(str(v) for v in values))


def quantize_cases(doc, emit, limit):
    for case in doc["cases"][:limit]:
        preset, ov = case["preset"], case["overrides"]
        L = case["length"]
        fmt = fmt_attr(preset, ov)
        qt = "!mx.qtensor<%d, %s, axis = 0>" % (L, fmt)
        fp4 = preset in ELEM_FP4
        emit.op("// case %s" % case["id"])
        x = emit.const_f32(case["input"], [L])
        q = emit.tmp()
        emit.op("%s = mx.quantize %s : tensor<%dxf32> -> %s" % (q, x, L, qt))
        nbytes = (L + 1) // 2 if fp4 else L
        nb = -(-L // block_size(preset, ov))
        st = scale_type(preset)
        asym = preset in ("amxfp4", "amxfp4-pot")
        ts = preset == "nvfp4"
        res = [emit.tmp() for _ in range(2 + asym + ts)]
        types = "tensor<%dxi8>, tensor<%dx%s>" % (nbytes, nb, st)
        emit.op("%s = mx.unpack %s : %s" % (", ".join(res), q, qt))
        packed = bytes.fromhex(case["packed"])
        emit.print_bytes(res[0], [nbytes], "i8", list(packed))
        for a, arr in enumerate(case["scales"]):
            emit.print_bytes(res[1 + a], [nb], st, arr)
        if ts:
            t = emit.tmp()
            emit.op("%s = tensor.from_elements %s : tensor<1xf32>"
                    % (t, res[-1]))
            emit.print_f32_bits(t, [1], [canon(case["tensor_scale"])])
        y = emit.tmp()
        emit.op("%s = mx.dequantize %s : %s -> tensor<%dxf32>" % (y, q, qt, L))
        emit.print_f32_bits(y, [L], [canon(h) for h in case["dequant"]])
        del types


def flat(m):
    return [v for row in m for v in row]


def matmul_cases(doc, emit, limit):
    for case in doc["cases"][:limit]:
        lp, rp = case["lhs_preset"], case["rhs_preset"]
        lo, ro = case["lhs_overrides"], case["rhs_overrides"]
        M, N, K = case["M"], case["N"], case["K"]
        fa, fb = fmt_attr(lp, lo), fmt_attr(rp, ro)
        qa = "!mx.qtensor<%dx%d, %s, axis = 1>" % (M, K, fa)
        qb = "!mx.qtensor<%dx%d, %s, axis = 0>" % (K, N, fb)
        emit.op("// case %s" % case["id"])
        a = emit.const_f32(flat(case["a"]), [M, K])
        b = emit.const_f32(flat(case["b"]), [K, N])
        init = emit.const_f32(flat(case["init"]), [M, N])
        xa, xb = emit.tmp(), emit.tmp()
        emit.op("%s = mx.quantize %s : tensor<%dx%dxf32> -> %s" % (xa, a, M, K, qa))
        emit.op("%s = mx.quantize %s : tensor<%dx%dxf32> -> %s" % (xb, b, K, N, qb))
        out = [canon(h) for h in flat(case["out"])]
        emu = [canon(h) for h in flat(case["out_emulate"])]
        r = emit.tmp()
        emit.op("%s = mx.matmul %s, %s, %s : %s, %s -> tensor<%dx%dxf32>"
                % (r, xa, xb, init, qa, qb, M, N))
        emit.print_f32_bits(r, [M, N], out)
        r = emit.tmp()
        emit.op("%s = mx.matmul %s, %s, %s {mode = #mx.matmul_mode<emulate>} "
                ": %s, %s -> tensor<%dx%dxf32>" % (r, xa, xb, init, qa, qb, M, N))
        emit.print_f32_bits(r, [M, N], emu)
        # The MAC alone, from the stored codes and scales.
        pa = pack_and_build(emit, case, "a", lp, lo, [M, K], qa)
        pb = pack_and_build(emit, case, "b", rp, ro, [K, N], qb)
        r = emit.tmp()
        emit.op("%s = mx.matmul %s, %s, %s : %s, %s -> tensor<%dx%dxf32>"
                % (r, pa, pb, init, qa, qb, M, N))
        emit.print_f32_bits(r, [M, N], out)


def pack_and_build(emit, case, side, preset, ov, shape, qtype):
    fp4 = preset in ELEM_FP4
    codes = flat(case[side + "_codes"])
    data = pack_rows(codes, shape, fp4)
    dshape = list(shape)
    if fp4:
        dshape[-1] = (dshape[-1] + 1) // 2
    d = emit.tmp()
    emit.op("%s = arith.constant %s" % (d, dense([s8(v) for v in data], dshape,
                                                 "i8")))
    st = scale_type(preset)
    arrays = []
    for arr in case[side + "_scales"]:
        vals = flat(arr)
        sshape = [len(arr), len(arr[0])]
        c, f = emit.tmp(), emit.tmp()
        emit.op("%s = arith.constant %s" % (c, dense([s8(v) for v in vals],
                                                     sshape, "i8")))
        emit.op("%s = arith.bitcast %s : tensor<%sxi8> to tensor<%sx%s>"
                % (f, c, tshape(sshape), tshape(sshape), st))
        arrays.append((f, sshape))
    q = emit.tmp()
    sty = "tensor<%sx%s>" % (tshape(arrays[0][1]), st)
    extra = ""
    if len(arrays) == 2:
        extra += " neg_scales(%s : %s)" % (arrays[1][0], sty)
    ts = case[side + "_tensor_scale"]
    if ts is not None:
        g = emit.tmp()
        emit.op("%s = arith.constant %d : i32" % (g, i32(ts)))
        gf = emit.tmp()
        emit.op("%s = arith.bitcast %s : i32 to f32" % (gf, g))
        extra += " tensor_scale(%s)" % gf
    emit.op("%s = mx.pack %s, %s%s : tensor<%sxi8>, %s -> %s"
            % (q, d, arrays[0][0], extra, tshape(dshape), sty, qtype))
    return q


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    limit = 10 ** 9
    if "--cases" in argv:
        limit = int(argv[argv.index("--cases") + 1])
    with open(argv[1]) as fh:
        doc = json.load(fh)
    emit = Emitter()
    if doc["schema"].startswith("mx-mlir-vectors/quantize"):
        quantize_cases(doc, emit, limit)
    else:
        matmul_cases(doc, emit, limit)
    out = ["// Generated by gen_vector_test.py from %s; do not edit."
           % argv[1].split("/")[-1],
           "func.func private @printMemrefI32(tensor<*xi32> {bufferization.access = \"read\"})",
           "func.func @main() {"]
    out += emit.lines
    out += ["  return", "}"]
    # The printed data lines, in order; --match-full-lines is not used
    # because printMemrefI32 prints a header line before each.
    for c in emit.checks:
        out.append("// CHECK: {{^}}%s{{$}}" % c)
    with open(argv[2], "w") as fh:
        fh.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
