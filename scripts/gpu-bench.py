#!/usr/bin/env python3
"""The GPU benchmark driver (scripts/gpu-bench.sh runs it).

  gpu-bench.py gen DIR            write DIR/bench.mlir and DIR/cases.json
  gpu-bench.py run DIR OUT        on the GPU machine: check, then time
  gpu-bench.py report OUT         print the table of OUT/results.jsonl

Every case is a decode step C = quantize(x) x W with the weight resident on
the device in the NVIDIA GEMV layout (packed once by the module's pack
function). `run` checks our output bit for bit against the expected bits
that the reference library computed on the CPU machine (mx-gpu-bench-ref),
stops on a mismatch, then times our call (activation quantization +
matmul) and, on the same inputs, torch.matmul in bf16 (cuBLAS) and
torch._scaled_mm in fp8 where it runs: CUDA events, L2 flushed before every
repetition, the median of REPS repetitions after warm-up.
"""
import json
import os
import sys

FORMATS = {  # name: (scale kind, MLIR scale type, block size, groups, g)
    "mxfp4": ("e8m0", "f8E8M0FNU", 32, 1, False),
    "nvfp4": ("e4m3", "f8E4M3FN", 16, 1, True),
    "amxfp4": ("e5m2", "f8E5M2", 32, 2, False),
    "amxfp4-pot": ("e8m0", "f8E8M0FNU", 32, 2, False),
}
PAIRS = [("mxfp4", "mxfp4"), ("nvfp4", "nvfp4"), ("amxfp4", "mxfp4"),
         ("amxfp4", "amxfp4"), ("amxfp4-pot", "amxfp4-pot")]
SHAPES = [(4096, 4096), (4096, 14336), (14336, 4096)]
MS = [1, 16]
SEED = 2026
QUANTIZE = [("mxfp4", 4096, 14336), ("amxfp4", 4096, 14336),
            ("nvfp4", 4096, 14336), ("mxfp4", 1, 4096)]


def layout_bytes(k, n, block, groups):
    """Sizes of the GEMV layout (include/mx/Dialect/MXNVVM/Utils/GEMVLayout.h)."""
    kp = (k + 127) // 128 * 128
    np_ = (n + 7) // 8 * 8
    bpl = 128 // block
    return np_ * kp // 2, groups * (np_ // 8) * (kp // 128) * 8 * bpl


def ident(s):
    return s.replace("-", "_")


def gen(out_dir):
    funcs, cases = [], []
    packs = set()
    for lhs, rhs in PAIRS:
        for k, n in SHAPES:
            packs.add((rhs, k, n))
            for m in MS:
                cases.append({"m": m, "k": k, "n": n, "lhs_format": lhs,
                              "rhs_format": rhs,
                              "fn": "decode_%s_%s_%dx%dx%d" % (
                                  ident(lhs), ident(rhs), m, k, n)})
    for rhs, k, n in sorted(packs):
        kind, st, bs, groups, g = FORMATS[rhs]
        nb = (k + bs - 1) // bs
        cb, sb = layout_bytes(k, n, bs, groups)
        fmt = "#mx.format<%s>" % rhs
        qt = "!mx.qtensor<%dx%d, %s, axis = 0>" % (k, n, fmt)
        args = ["%%codes: tensor<%dx%dxi8>" % (k, (n + 1) // 2),
                "%%s: tensor<%dx%dx%s>" % (nb, n, st)]
        pack = "mx.pack %codes, %s"
        if groups == 2:
            args.append("%%sn: tensor<%dx%dx%s>" % (nb, n, st))
            pack += " neg_scales(%%sn : tensor<%dx%dx%s>)" % (nb, n, st)
        body = ""
        if g:
            body += "    %g = arith.constant 0.5 : f32\n"
            pack += " tensor_scale(%g)"
        body += ("    %%q = %s : tensor<%dx%dxi8>, tensor<%dx%dx%s> -> %s\n" %
                 (pack, k, (n + 1) // 2, nb, n, st, qt))
        body += ("    %%c, %%sc = mx_nvvm.to_gemv_layout %%q : %s -> "
                 "tensor<%dxi8>, tensor<%dxi8>\n" % (qt, cb, sb))
        body += "    return %%c, %%sc : tensor<%dxi8>, tensor<%dxi8>\n" % (cb, sb)
        funcs.append("  func.func @pack_%s_%dx%d(%s) -> (tensor<%dxi8>, "
                     "tensor<%dxi8>) {\n%s  }\n" % (
                         ident(rhs), k, n, ", ".join(args), cb, sb, body))
    for c in cases:
        m, k, n, lhs, rhs = c["m"], c["k"], c["n"], c["lhs_format"], c["rhs_format"]
        kind, st, bs, groups, g = FORMATS[rhs]
        cb, sb = layout_bytes(k, n, bs, groups)
        qt = "!mx.qtensor<%dx%d, #mx.format<%s>, axis = 0>" % (k, n, rhs)
        at = "!mx.qtensor<%dx%d, #mx.format<%s>, axis = 1>" % (m, k, lhs)
        body = ""
        gw = ""
        if g:
            body += "    %g = arith.constant 0.5 : f32\n"
            gw = " tensor_scale(%g)"
        body += ("    %%w = mx_nvvm.gemv_weight %%wc, %%ws%s : tensor<%dxi8>, "
                 "tensor<%dxi8> -> %s\n" % (gw, cb, sb, qt))
        body += "    %%a = mx.quantize %%x : tensor<%dx%dxf32> -> %s\n" % (m, k, at)
        body += ("    %%r = mx.matmul %%a, %%w, %%acc : %s, %s -> "
                 "tensor<%dx%dxf32>\n" % (at, qt, m, n))
        body += "    return %%r : tensor<%dx%dxf32>\n" % (m, n)
        funcs.append("  func.func @%s(%%x: tensor<%dx%dxf32>, %%wc: "
                     "tensor<%dxi8>, %%ws: tensor<%dxi8>, %%acc: "
                     "tensor<%dx%dxf32>) -> tensor<%dx%dxf32> {\n%s  }\n" % (
                         c["fn"], m, k, cb, sb, m, n, m, n, body))
    qcases = []
    for fmt, r, l in QUANTIZE:
        kind, st, bs, groups, g = FORMATS[fmt]
        fn = "quantize_%s_%dx%d" % (ident(fmt), r, l)
        qt = "!mx.qtensor<%dx%d, #mx.format<%s>, axis = 1>" % (r, l, fmt)
        res = ["tensor<%dx%dxi8>" % (r, (l + 1) // 2)] + [
            "tensor<%dx%dx%s>" % (r, (l + bs - 1) // bs, st)] * groups
        names = ["%d", "%s", "%n"][:1 + groups]
        if g:
            res.append("f32")
            names.append("%g")
        body = "    %%q = mx.quantize %%x : tensor<%dx%dxf32> -> %s\n" % (r, l, qt)
        body += "    %s = mx.unpack %%q : %s\n" % (", ".join(names), qt)
        body += "    return %s : %s\n" % (", ".join(names), ", ".join(res))
        funcs.append("  func.func @%s(%%x: tensor<%dx%dxf32>) -> (%s) {\n%s  }\n"
                     % (fn, r, l, ", ".join(res), body))
        qcases.append({"fn": fn, "format": fmt, "r": r, "l": l,
                       "groups": groups, "tensor_scale": g, "block": bs})
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "bench.mlir"), "w") as f:
        f.write("module {\n" + "".join(funcs) + "}\n")
    with open(os.path.join(out_dir, "cases.json"), "w") as f:
        json.dump({"seed": SEED, "cases": cases, "quantize": qcases}, f,
                  indent=1)


def run(bundle, out):
    import statistics
    import torch
    sys.path.insert(0, os.path.join(bundle, "torch"))
    import mx_bench_inputs as inputs
    import mx_torch

    os.makedirs(out, exist_ok=True)
    meta = json.load(open(os.path.join(bundle, "cases.json")))
    seed, cases = meta["seed"], meta["cases"]
    reps = int(os.environ.get("REPS", "30"))
    mod = mx_torch.Module(os.path.join(bundle, "libmxbench.so"))
    mod.use_current_stream()
    flush = torch.empty(512 << 20, dtype=torch.uint8, device="cuda")
    dev = torch.cuda.get_device_name()

    def timeit(fn):
        for _ in range(5):
            fn()
        times = []
        for _ in range(reps):
            flush.zero_()
            s, e = torch.cuda.Event(True), torch.cuda.Event(True)
            s.record()
            fn()
            e.record()
            e.synchronize()
            times.append(s.elapsed_time(e) * 1000.0)
        return statistics.median(times)

    weights = {}
    rows = []
    mismatches = []
    results = open(os.path.join(out, "results.jsonl"), "w")
    skip = [w for w in os.environ.get("SKIP", "").split(",") if w]
    for c in cases:
        m, k, n, lhs, rhs = c["m"], c["k"], c["n"], c["lhs_format"], c["rhs_format"]
        if any(w in c["fn"] for w in skip):
            continue
        kind, _, bs, groups, _ = FORMATS[rhs]
        key = (rhs, k, n)
        if key not in weights:
            codes, scales = inputs.weight(seed, k, n, kind, bs, groups)
            packed = mod.call("pack_%s_%dx%d" % (ident(rhs), k, n), [1, 1],
                              codes, *scales)
            torch.cuda.synchronize()
            wc = mod.to_torch(packed[0], (packed[0].sizes[0],), torch.uint8)
            ws = mod.to_torch(packed[1], (packed[1].sizes[0],), torch.uint8)
            # bf16 / fp8 versions of the same weight values for cuBLAS: a
            # random matrix of the same shape (the time does not depend on
            # the values).
            wb = torch.randn(k, n, device="cuda", dtype=torch.bfloat16)
            weights[key] = (wc, ws, wb)
        wc, ws, wb = weights[key]
        x = inputs.activations(seed, m, k)
        acc = torch.zeros(m, n, device="cuda", dtype=torch.float32)
        # Bit check first.
        (r,) = mod.call(c["fn"], [2], x, wc, ws, acc)
        got = mod.to_torch(r, (m, n), torch.float32).view(torch.int32).cpu()
        exp = torch.frombuffer(bytearray(open(os.path.join(
            bundle, "expected", c["fn"] + ".bin"), "rb").read()),
            dtype=torch.int32).reshape(m, n)
        nan_g = ((got & 0x7FFFFFFF) > 0x7F800000)
        nan_e = ((exp & 0x7FFFFFFF) > 0x7F800000)
        same = bool(((got == exp) | (nan_g & nan_e)).all())
        if not same:
            bad = int((~((got == exp) | (nan_g & nan_e))).sum())
            print("MISMATCH %s: %d of %d outputs differ" % (c["fn"], bad, m * n))
            idx = (~((got == exp) | (nan_g & nan_e))).nonzero()[:5]
            for i, j in idx.tolist():
                print("  [%d,%d] got %08x expected %08x" % (
                    i, j, got[i, j] & 0xFFFFFFFF, exp[i, j] & 0xFFFFFFFF))
            # Timed anyway (the row says bit_exact false); the run fails at
            # the end.
            mismatches.append(c["fn"])

        def ours():
            (r,) = mod.call(c["fn"], [2], x, wc, ws, acc)
            mod.free(r)
        t_mx = timeit(ours)
        mod.check()
        xb = x.to(torch.bfloat16)
        t_bf16 = timeit(lambda: torch.matmul(xb, wb))
        t_fp8 = None
        try:
            x8 = x.to(torch.float8_e4m3fn)
            w8 = wb.to(torch.float8_e4m3fn).t().contiguous().t()
            one = torch.ones((), device="cuda")
            mp = max(m, 16)
            x8p = torch.zeros(mp, k, device="cuda", dtype=torch.float8_e4m3fn)
            x8p[:m] = x8
            torch._scaled_mm(x8p, w8, scale_a=one, scale_b=one,
                             out_dtype=torch.bfloat16)
            t_fp8 = timeit(lambda: torch._scaled_mm(
                x8p, w8, scale_a=one, scale_b=one, out_dtype=torch.bfloat16))
        except Exception as e:  # noqa: BLE001 - report and go on
            print("cublas-fp8 unavailable for %s: %s" % (c["fn"], e))
        flops = 2.0 * m * k * n
        wbytes = {"mx": wc.numel() + ws.numel(), "cublas-bf16": 2 * k * n,
                  "cublas-fp8": k * n}
        for impl, t in (("mx", t_mx), ("cublas-bf16", t_bf16),
                        ("cublas-fp8", t_fp8)):
            if t is None:
                continue
            row = dict(m=m, k=k, n=n, lhs_format=lhs, rhs_format=rhs, impl=impl,
                       median_us=round(t, 2), tflops=round(flops / t / 1e6, 3),
                       weight_gbps=round(wbytes[impl] / t / 1e3, 1),
                       bit_exact=same if impl == "mx" else None, device=dev)
            if impl == "mx":
                row["speedup_vs_cublas_bf16"] = round(t_bf16 / t_mx, 3)
            results.write(json.dumps(row) + "\n")
            rows.append(row)
        print("%-40s mx %8.1f us  bf16 %8.1f us  fp8 %s  speedup %.2fx" % (
            c["fn"], t_mx, t_bf16, "%8.1f us" % t_fp8 if t_fp8 else "   -   ",
            t_bf16 / t_mx), flush=True)
    # Quantization rows: checksums against the reference, then GB/s moved.
    expected = json.load(open(os.path.join(bundle, "expected",
                                           "quantize.json")))
    wcache = {}
    for q in meta.get("quantize", []):
        r, l, fn = q["r"], q["l"], q["fn"]
        if any(w in fn for w in skip):
            continue
        ranks = [2] * (1 + q["groups"]) + (["f32"] if q["tensor_scale"] else [])
        x = inputs.activations(seed, r, l)
        outs = mod.call(fn, ranks, x)
        got = []
        for d in outs[:1 + q["groups"]]:
            t = mod.to_torch(d, (d.sizes[0] * d.sizes[1],), torch.uint8)
            n = t.numel()
            if n not in wcache:
                wcache[n] = inputs.hash32(7, 9, torch.arange(
                    n, dtype=torch.int64, device="cuda")) & 0xFFFF
            got.append(int((t.to(torch.int64) * wcache[n]).sum().item()))
        exp = expected[fn]
        same = got == [exp["codes"]] + exp["scales"]
        if not same:
            print("MISMATCH %s: checksums %s, expected %s" % (fn, got, exp))
            mismatches.append(fn)

        def quant():
            for d in mod.call(fn, ranks, x)[:1 + q["groups"]]:
                mod.free(d)
        t = timeit(quant)
        moved = r * l * 4 + r * ((l + 1) // 2) + q["groups"] * r * (
            (l + q["block"] - 1) // q["block"])
        row = dict(m=r, k=l, n=None, lhs_format=q["format"], rhs_format=None,
                   impl="mx-quantize", median_us=round(t, 2),
                   gbps=round(moved / t / 1e3, 1), bit_exact=same, device=dev)
        results.write(json.dumps(row) + "\n")
        print("%-40s %8.1f us  %7.1f GB/s  (bytes read + written)" % (
            fn, t, moved / t / 1e3), flush=True)
    results.close()
    if mismatches:
        sys.exit("not bit-exact: " + ", ".join(mismatches))


def report(out):
    rows = [json.loads(l) for l in open(os.path.join(out, "results.jsonl"))]
    print("%-11s %-11s %5s %6s %6s %10s %10s %10s %8s %6s" % (
        "lhs", "rhs", "M", "K", "N", "mx us", "bf16 us", "fp8 us",
        "x bf16", "exact"))
    by = {}
    for r in rows:
        by.setdefault((r["lhs_format"], r["rhs_format"], r["m"], r["k"], r["n"]),
                      {})[r["impl"]] = r
    for r in rows:
        if r["impl"] == "mx-quantize":
            print("quantize %-11s %5d x %-6d %10s us %8s GB/s  exact %s" % (
                r["lhs_format"], r["m"], r["k"], r["median_us"], r["gbps"],
                r["bit_exact"]))
    for (lhs, rhs, m, k, n), d in by.items():
        if rhs is None:
            continue
        mx = d.get("mx", {})
        print("%-11s %-11s %5d %6d %6d %10s %10s %10s %8s %6s" % (
            lhs, rhs, m, k, n, mx.get("median_us", "-"),
            d.get("cublas-bf16", {}).get("median_us", "-"),
            d.get("cublas-fp8", {}).get("median_us", "-"),
            mx.get("speedup_vs_cublas_bf16", "-"), mx.get("bit_exact", "-")))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "gen" and len(sys.argv) == 3:
        gen(sys.argv[2])
    elif cmd == "run" and len(sys.argv) == 4:
        run(sys.argv[2], sys.argv[3])
    elif cmd == "report" and len(sys.argv) == 3:
        report(sys.argv[2])
    else:
        sys.exit(__doc__)
