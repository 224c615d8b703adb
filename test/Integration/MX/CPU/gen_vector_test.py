#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""Turn a golden-vector file of test/vectors into an executable test.

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

usage:
  gen_vector_test.py VECTOR_FILE OUT.mlir [--cases N] [--mode mx|linalg|const]
                     [--dynamic] [--transpose-b] [--main-i32]
  gen_vector_test.py --synth LHS RHS OUT.mlir [--shape M,N,K]
                     [--batch B] [--kind matmul|matvec|vecmat]
                     [--overrides key=value,...] [--result-type f32|f16|bf16]
                     [--seed S] [--cases N] [--dynamic] [--input-type f16|bf16]
  gen_vector_test.py --stress PRESET OUT.mlir [--seed S]

Modes for matmul cases: `mx` (default) uses mx ops directly and also feeds the
stored codes through mx.pack; `linalg` calls a function holding a
linalg.matmul (run it with --mx-quantize-matmul); `const` makes B a constant
of that function (quantized at compile time). --synth makes random cases
(with outliers, zeros and sign-skewed rows) and --stress quantize stress
cases, with expected values from mxoracle.py (test/lib, the project's
executable model of docs/Spec.md).
"""
import json
import math
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "lib"))
import mxoracle  # noqa: E402

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

    def const_f32(self, bits, shape, ty="f32"):
        """A float tensor constant from binary32 bit patterns (for f16/bf16
        the values must be representable; they are given as 16-bit
        patterns then)."""
        c, f = self.tmp(), self.tmp()
        ity = "i32" if ty == "f32" else "i16"
        conv = (lambda h: i32(h)) if ty == "f32" else (lambda h: h)
        self.op("%s = arith.constant %s" % (c, dense([conv(h) for h in bits],
                                                       shape, ity)))
        self.op("%s = arith.bitcast %s : tensor<%sx%s> to tensor<%sx%s>"
                % (f, c, tshape(shape), ity, tshape(shape), ty))
        return f

    CHUNK = 512

    def print_i32(self, value, shape):
        """Print a rank-1 i32 tensor; long ones in chunks of CHUNK values
        (FileCheck is slow on very long lines)."""
        n = shape[0] if len(shape) == 1 else None
        if n is None or n <= self.CHUNK:
            c = self.tmp()
            self.op("%s = tensor.cast %s : tensor<%sxi32> to tensor<*xi32>"
                    % (c, value, tshape(shape)))
            self.op("call @printMemrefI32(%s) : (tensor<*xi32>) -> ()" % c)
            return
        for off in range(0, n, self.CHUNK):
            m = min(self.CHUNK, n - off)
            sl, c = self.tmp(), self.tmp()
            self.op("%s = tensor.extract_slice %s[%d] [%d] [1] : "
                    "tensor<%dxi32> to tensor<%dxi32>" % (sl, value, off, m, n, m))
            self.op("%s = tensor.cast %s : tensor<%dxi32> to tensor<*xi32>"
                    % (c, sl, m))
            self.op("call @printMemrefI32(%s) : (tensor<*xi32>) -> ()" % c)

    def expect(self, values):
        for off in range(0, max(len(values), 1), self.CHUNK):
            chunk = values[off:off + self.CHUNK]
            self.checks.append("[%s]" % ", ".join(str(v) for v in chunk))

    def print_float_bits(self, value, shape, ty, expected):
        """Print f32/f16/bf16 values as their bit patterns (zero-extended to
        i32), NaN canonicalized, flattened to rank 1."""
        t = tshape(shape)
        ity, canon_nan = {"f32": ("i32", 0x7FC00000), "f16": ("i16", 0x7E00),
                          "bf16": ("i16", 0x7FC0)}[ty]
        b, nan, isn, sel = (self.tmp() for _ in range(4))
        self.op("%s = arith.bitcast %s : tensor<%sx%s> to tensor<%sx%s>"
                % (b, value, t, ty, t, ity))
        self.op("%s = arith.constant dense<%d> : tensor<%sx%s>"
                % (nan, i32(canon_nan), t, ity))
        self.op("%s = arith.cmpf uno, %s, %s : tensor<%sx%s>"
                % (isn, value, value, t, ty))
        self.op("%s = arith.select %s, %s, %s : tensor<%sxi1>, tensor<%sx%s>"
                % (sel, isn, nan, b, t, t, ity))
        if ity != "i32":
            ext = self.tmp()
            self.op("%s = arith.extui %s : tensor<%sxi16> to tensor<%sxi32>"
                    % (ext, sel, t, t))
            sel = ext
        if len(shape) > 1:
            n = 1
            for d in shape:
                n *= d
            flat1 = self.tmp()
            self.op("%s = tensor.collapse_shape %s [%s] : tensor<%sxi32> "
                    "into tensor<%dxi32>" % (flat1, sel, "[%s]" % ", ".join(
                        str(i) for i in range(len(shape))), t, n))
            sel, shape = flat1, [n]
        self.print_i32(sel, shape)
        self.expect(expected)

    def print_f32_bits(self, value, shape, expected):
        self.print_float_bits(value, shape, "f32", expected)

    def print_result(self, value, shape, ty, expected):
        self.print_float_bits(value, shape, ty, expected)

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


def quantize_cases(doc, emit, limit, dynamic=False):
    for case in doc["cases"][:limit]:
        preset, ov = case["preset"], case["overrides"]
        L = case["length"]
        fmt = fmt_attr(preset, ov)
        qt = "!mx.qtensor<%s, %s, axis = 0>" % ("?" if dynamic else L, fmt)
        fp4 = preset in ELEM_FP4
        emit.op("// case %s" % case["id"])
        x = emit.const_f32(case["input"], [L])
        xt = "tensor<%dxf32>" % L
        if dynamic:
            d = emit.tmp()
            emit.op("%s = tensor.cast %s : %s to tensor<?xf32>" % (d, x, xt))
            x, xt = d, "tensor<?xf32>"
        q = emit.tmp()
        emit.op("%s = mx.quantize %s : %s -> %s" % (q, x, xt, qt))
        nbytes = (L + 1) // 2 if fp4 else L
        nb = -(-L // block_size(preset, ov))
        st = scale_type(preset)
        asym = preset in ("amxfp4", "amxfp4-pot")
        ts = preset == "nvfp4"
        res = [emit.tmp() for _ in range(2 + asym + ts)]
        emit.op("%s = mx.unpack %s : %s" % (", ".join(res), q, qt))

        def static(v, n, ty):
            if not dynamic:
                return v
            c = emit.tmp()
            emit.op("%s = tensor.cast %s : tensor<?x%s> to tensor<%dx%s>"
                    % (c, v, ty, n, ty))
            return c
        packed = bytes.fromhex(case["packed"])
        emit.print_bytes(static(res[0], nbytes, "i8"), [nbytes], "i8",
                         list(packed))
        for a, arr in enumerate(case["scales"]):
            emit.print_bytes(static(res[1 + a], nb, st), [nb], st, arr)
        if ts:
            t = emit.tmp()
            emit.op("%s = tensor.from_elements %s : tensor<1xf32>"
                    % (t, res[-1]))
            emit.print_f32_bits(t, [1], [canon(case["tensor_scale"])])
        y = emit.tmp()
        emit.op("%s = mx.dequantize %s : %s -> tensor<%sxf32>"
                % (y, q, qt, "?" if dynamic else L))
        emit.print_f32_bits(static(y, L, "f32"), [L],
                            [canon(h) for h in case["dequant"]])


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


def hexlit(h):
    """A float bit pattern as an MLIR hexadecimal float literal."""
    return "0x%08X" % (int(h, 16) if isinstance(h, str) else h)


def hexlit16(h):
    return "0x%04X" % h


def float_const(emit, vals, shape, ty, lit):
    c = emit.tmp()
    emit.op("%s = arith.constant %s" % (c, dense([lit(v) for v in vals], shape,
                                                 ty)))
    return c


def ttype(shape, ty, dynamic=False):
    dims = ["?" if dynamic else str(d) for d in shape]
    return "tensor<%sx%s>" % ("x".join(dims), ty)


def linalg_cases(cases, emit, mode, dynamic, transpose_b):
    """Each case becomes a function @case_<i> holding one linalg contraction,
    called from main with the case data."""
    for i, case in enumerate(cases):
        kind = case.get("kind", "matmul")
        M, N, K, Bt = case["M"], case["N"], case["K"], case.get("batch")
        rt = case.get("result_type", "f32")
        it = case.get("input_type", "f32")
        lit_i = hexlit if it == "f32" else hexlit16
        emit.op("// case %s" % case["id"])
        pre = [Bt] if Bt else []
        if kind == "matvec":
            sa, sb, sc = [M, K], [K], [M]
        elif kind == "vecmat":
            sa, sb, sc = [K], [K, N], [N]
        else:
            sa, sb, sc = pre + [M, K], pre + [K, N], pre + [M, N]
        if transpose_b:
            sb = [N, K]
        a_vals = case["a_flat"]
        b_vals = case["bt_flat"] if transpose_b else case["b_flat"]
        init_vals = case["init_flat"]
        lit_c = hexlit if rt == "f32" else hexlit16
        # main: constants and the call
        av = float_const(emit, a_vals, sa, it, lit_i)
        bv = float_const(emit, b_vals, sb, it, lit_i)
        cv = float_const(emit, init_vals, sc, rt, lit_c)
        args = [(av, sa, it), (bv, sb, it), (cv, sc, rt)]
        if mode == "const":
            args = [args[0], args[2]]
        call_args = []
        for v, shp, ty in args:
            if dynamic:
                d = emit.tmp()
                emit.op("%s = tensor.cast %s : %s to %s" % (
                    d, v, ttype(shp, ty), ttype(shp, ty, True)))
                v = d
            call_args.append((v, ttype(shp, ty, dynamic)))
        r = emit.tmp()
        emit.op("%s = call @case_%d(%s) : (%s) -> %s" % (
            r, i, ", ".join(v for v, _ in call_args),
            ", ".join(t for _, t in call_args), ttype(sc, rt, dynamic)))
        if dynamic:
            d = emit.tmp()
            emit.op("%s = tensor.cast %s : %s to %s" % (
                d, r, ttype(sc, rt, True), ttype(sc, rt)))
            r = d
        emit.print_result(r, sc, rt, case["expected"])
        # the function
        ta, tb, tc = (ttype(sa, it, dynamic), ttype(sb, it, dynamic),
                      ttype(sc, rt, dynamic))
        body = []
        if mode == "const":
            sig = "%%a: %s, %%c: %s" % (ta, tc)
            body.append("  %%b = arith.constant %s" % dense(
                [lit_i(v) for v in b_vals], sb, it))
            if dynamic:
                body.append("  %%bd = tensor.cast %%b : %s to %s" % (
                    ttype(sb, it), tb))
                bname = "%bd"
            else:
                bname = "%b"
        else:
            sig = "%%a: %s, %%b: %s, %%c: %s" % (ta, tb, tc)
            bname = "%b"
        op = {"matvec": "linalg.matvec", "vecmat": "linalg.vecmat"}.get(
            kind, "linalg.batch_matmul" if Bt else "linalg.matmul")
        maps = ""
        if transpose_b:
            maps = (" indexing_maps = [affine_map<(m, n, k) -> (m, k)>, "
                    "affine_map<(m, n, k) -> (n, k)>, "
                    "affine_map<(m, n, k) -> (m, n)>]")
        body.append("  %%r = %s%s ins(%%a, %s : %s, %s) outs(%%c : %s) -> %s"
                    % (op, maps, bname, ta, tb, tc, tc))
        body.append("  return %%r : %s" % tc)
        emit.funcs.append("func.func @case_%d(%s) -> %s {\n%s\n}" % (
            i, sig, tc, "\n".join(body)))


def vector_matmul_cases(doc, limit):
    out = []
    for case in doc["cases"][:limit]:
        c = dict(case)
        c["a_flat"] = flat(case["a"])
        c["b_flat"] = flat(case["b"])
        K, N = case["K"], case["N"]
        c["bt_flat"] = [case["b"][k][n] for n in range(N) for k in range(K)]
        c["init_flat"] = flat(case["init"])
        c["expected"] = [canon(h) for h in flat(case["out"])]
        out.append(c)
    return out


def synth_cases(args, limit):
    """Random cases, expected values from mxoracle.py."""
    lhs, rhs = args["lhs"], args["rhs"]
    M, N, K = (int(x) for x in args.get("--shape", "3,4,70").split(","))
    kind = args.get("--kind", "matmul")
    if kind == "matvec":
        N = 1
    if kind == "vecmat":
        M = 1
    Bt = int(args["--batch"]) if "--batch" in args else None
    rt = args.get("--result-type", "f32")
    ov = {}
    if args.get("--overrides"):
        for kv in args["--overrides"].split(","):
            k, v = kv.split("=")
            ov[k] = int(v) if k == "block-size" else v
    rng = mxoracle.SplitMix64(int(args.get("--seed", "1")))
    cases = []
    for ci in range(limit if limit < 10 ** 9 else 2):
        nb = Bt or 1
        outlier = [rng.randint(0, K - 1) for _ in range(2)]

        def act(m, k):
            v = rng.normal() * 0.5
            if k in outlier:
                v *= 40.0
            if m % 3 == 1:
                v = abs(v) if k % 2 else -abs(v) * 0.05   # sign-skewed row
            if rng.randint(0, 15) == 0:
                v = 0.0 if rng.randint(0, 1) else -0.0
            return mxoracle.to_f32(v)

        def wgt(k, n):
            return mxoracle.to_f32(rng.normal() * 0.02)

        if args.get("--data") == "stress":
            # Alternating signs, magnitudes from binary32 denormals to
            # 2^120 by row/column (products overflow to Inf, sums cancel to
            # NaN), a NaN element and an all-NaN-free row of -0.
            def act(m, k):  # noqa: F811
                e = [-140, -60, 0, 60, 120][m % 5]
                v = (1.0 + rng.uniform()) * 2.0 ** (e + rng.randint(-3, 3))
                if m == 2 and k == K // 2:
                    return float("nan")
                if m == 3:
                    return -0.0
                return mxoracle.to_f32(-v if (k + m) % 2 else v)

            def wgt(k, n):  # noqa: F811
                e = [-20, 0, 100][n % 3]
                v = (1.0 + rng.uniform()) * 2.0 ** (e + rng.randint(-2, 2))
                return mxoracle.to_f32(-v if k % 3 == 0 else v)
        A = [[[act(m, k) for k in range(K)] for m in range(M)] for _ in range(nb)]
        B = [[[wgt(k, n) for n in range(N)] for k in range(K)] for _ in range(nb)]
        I = [[[mxoracle.to_f32(rng.normal() * 0.1) for n in range(N)]
              for m in range(M)] for _ in range(nb)]
        it = args.get("--input-type", "f32")
        if it != "f32":
            A = [[[mxoracle.round_to_type(v, it) for v in r] for r in mat]
                 for mat in A]
            B = [[[mxoracle.round_to_type(v, it) for v in r] for r in mat]
                 for mat in B]
        if rt != "f32":
            I = [[[mxoracle.round_to_type(v, rt) for v in row] for row in mat]
                 for mat in I]
        ga = gb = None
        if mxoracle.Scheme(lhs, ov).tensor_scaled:
            ga = mxoracle.nvfp4_g([v for mat in A for r in mat for v in r])
        if mxoracle.Scheme(rhs, ov).tensor_scaled:
            gb = mxoracle.nvfp4_g([v for mat in B for r in mat for v in r])
        outs = []
        for bi in range(nb):
            qa = mxoracle.quantize_matrix(A[bi], lhs, ov, axis=1,
                                          tensor_scale=ga)
            qb = mxoracle.quantize_matrix(B[bi], rhs, ov, axis=0,
                                          tensor_scale=gb)
            outs.append(mxoracle.matmul(qa, qb, I[bi], result_type=rt))

        def bits32(v):
            return mxoracle.f32_bits(v)

        def bits16(v):
            if v != v:
                return 0x7E00 if rt == "f16" else 0x7FC0
            if rt == "f16":
                return struct.unpack("<H", struct.pack("<e", v))[0]
            return mxoracle.f32_bits(v) >> 16

        c = {"id": "%s_x_%s/%s/%d" % (lhs, rhs, kind, ci), "kind": kind,
             "M": M, "N": N, "K": K, "batch": Bt, "result_type": rt,
             "input_type": it}
        ib = bits32 if it == "f32" else (
            (lambda v: struct.unpack("<H", struct.pack("<e", v))[0])
            if it == "f16" else (lambda v: mxoracle.f32_bits(v) >> 16))
        c["a_flat"] = [ib(v) for mat in A for r in mat for v in r]
        c["b_flat"] = [ib(v) for mat in B for r in mat for v in r]
        c["bt_flat"] = [ib(B[0][k][n]) for n in range(N) for k in range(K)]
        if rt == "f32":
            c["init_flat"] = [bits32(v) for mat in I for r in mat for v in r]
            c["expected"] = [i32(bits32(v)) for mat in outs for r in mat
                             for v in r]
        else:
            c["init_flat"] = [bits16(v) for mat in I for r in mat for v in r]
            c["expected"] = [bits16(v) for mat in outs for r in mat for v in r]
        cases.append(c)
    return cases


def stress_quantize_cases(args):
    """Quantize stress cases for one preset, expected values from mxoracle.py:
    every element code in every block position (as far as the code space
    allows), magnitudes from binary32 denormals to 3e38, NaN/Inf blocks and
    alternating signs."""
    preset = args["--stress"]
    scheme = mxoracle.Scheme(preset, {})
    bs, fmt = scheme.block_size, scheme.element
    rng = mxoracle.SplitMix64(int(args.get("--seed", "5")))
    # Codes that quantization can produce (not NaN/Inf, not MXINT8 0x80).
    finite = [c for c in range(fmt.num_codes) if math.isfinite(fmt.decode(c))
              and not (fmt.is_int and c == 0x80)]
    maxcode = max(finite, key=lambda c: abs(fmt.decode(c)))
    groups = {}
    # 1. Codes: block j holds code (i + j) mod n at position i, except for
    #    one anchor position holding the largest code, so the scale stays
    #    2^0 (E8M0) or close to it. Two anchor schedules make every code
    #    appear at every position.
    vals = []
    n = len(finite)
    for sched in (0, 1):
        for j in range(n):
            blk = [fmt.decode(finite[(i + j) % n]) for i in range(bs)]
            blk[(7 * j + sched) % bs] = fmt.decode(maxcode)
            vals.extend(blk)
    groups["codes"] = vals
    # 2. Magnitudes from the smallest denormal to 3e38, block by block.
    vals = []
    for b in range(48):
        e = -149 + (b * 277) // 47
        for i in range(bs):
            m = 1.0 + rng.uniform()
            v = mxoracle.to_f32(m * 2.0 ** min(e + rng.randint(0, 3), 127))
            if b == 47 and i == 0:
                v = 3.0e38
            vals.append(mxoracle.to_f32(rng.sign() * v))
    groups["magnitudes"] = vals
    # 3. Non-finite blocks: all NaN, one NaN, +Inf, -Inf, next to finite ones.
    nan, inf = float("nan"), float("inf")
    vals = []
    vals += [nan] * bs
    vals += [0.5 * (i + 1) for i in range(bs)]
    vals += [nan if i == 3 else 1.0 for i in range(bs)]
    vals += [inf if i == bs - 1 else -2.0 for i in range(bs)]
    vals += [-inf if i == 0 else 0.25 for i in range(bs)]
    vals += [mxoracle.to_f32(rng.normal()) for i in range(bs)]
    groups["nonfinite"] = vals
    # 4. Alternating signs, including -0 and denormal pairs.
    vals = []
    for i in range(4 * bs):
        v = abs(rng.normal()) * (2.0 ** rng.randint(-20, 20))
        if i % 7 == 0:
            v = 0.0
        if i % 11 == 0:
            v = 2.0 ** -140
        vals.append(mxoracle.to_f32(-v if i % 2 else v))
    groups["alternating"] = vals
    cases = []
    for name, xs in groups.items():
        r = mxoracle.quantize(xs, scheme)
        codes = r.codes
        cases.append({
            "id": "%s/stress_%s" % (preset, name), "preset": preset,
            "overrides": {}, "length": len(xs),
            "input": [mxoracle.hex_f32(x) for x in xs],
            "codes": codes,
            "packed": mxoracle.pack(codes, fmt).hex(),
            "scales": r.scales,
            "tensor_scale": (mxoracle.hex_f32(r.tensor_scale)
                             if r.tensor_scale is not None else None),
            "dequant": [mxoracle.hex_f32(v) for v in r.dequant]})
    return {"schema": "mx-mlir-vectors/quantize/1", "cases": cases}


def parse_args(argv):
    args, pos, i = {}, [], 1
    flags = {"--dynamic", "--transpose-b", "--main-i32"}
    while i < len(argv):
        if argv[i] in flags:
            args[argv[i]] = True
            i += 1
        elif argv[i] == "--synth":
            args["lhs"], args["rhs"] = argv[i + 1], argv[i + 2]
            args["--synth"] = True
            i += 3
        elif argv[i].startswith("--"):
            args[argv[i]] = argv[i + 1]
            i += 2
        else:
            pos.append(argv[i])
            i += 1
    return args, pos


def main(argv):
    args, pos = parse_args(argv)
    if not pos:
        print(__doc__, file=sys.stderr)
        return 2
    limit = int(args.get("--cases", 10 ** 9))
    mode = args.get("--mode", "mx")
    emit = Emitter()
    emit.funcs = []
    if "--stress" in args:
        out_path = pos[0]
        src = "mxoracle.py --stress %s" % args["--stress"]
        quantize_cases(stress_quantize_cases(args), emit, limit,
                       "--dynamic" in args)
    elif "--synth" in args:
        out_path = pos[0]
        src = "mxoracle.py --synth %s %s" % (args["lhs"], args["rhs"])
        linalg_cases(synth_cases(args, limit), emit,
                     "const" if mode == "const" else "linalg",
                     "--dynamic" in args, "--transpose-b" in args)
    else:
        vec_path, out_path = pos[0], pos[1]
        src = vec_path.split("/")[-1]
        with open(vec_path) as fh:
            doc = json.load(fh)
        if doc["schema"].startswith("mx-mlir-vectors/quantize"):
            quantize_cases(doc, emit, limit, "--dynamic" in args)
        elif mode == "mx":
            matmul_cases(doc, emit, limit)
        else:
            linalg_cases(vector_matmul_cases(doc, limit), emit, mode,
                         "--dynamic" in args, "--transpose-b" in args)
    out = ["// Generated by gen_vector_test.py from %s; do not edit." % src,
           "func.func private @printMemrefI32(tensor<*xi32>)"]
    out += emit.funcs
    if "--main-i32" in args:   # ahead-of-time executables: int main()
        out += ["func.func @main() -> i32 {"]
        out += emit.lines
        out += ["  %ret = arith.constant 0 : i32", "  return %ret : i32", "}"]
    else:
        out += ["func.func @main() {"]
        out += emit.lines
        out += ["  return", "}"]
    # The printed data lines, in order (printMemrefI32 prints a header line
    # before each).
    for c in emit.checks:
        out.append("// CHECK: {{^}}%s{{$}}" % c)
    with open(out_path, "w") as fh:
        fh.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
