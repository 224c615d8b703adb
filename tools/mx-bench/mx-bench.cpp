//===- mx-bench.cpp - Side-by-side CPU benchmark of mx matmuls ------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Compiles `mx.quantize` (activations, at run time) + `mx.matmul` against
// pre-quantized packed weights through the real pipeline (--mx-lower-to-llvm,
// JIT with MLIR's ExecutionEngine), checks the result bit for bit against the
// reference library, and times it next to its baselines in the same run on
// the same inputs:
//   openblas  cblas_sgemv / cblas_sgemm on the dequantized f32 weights
//             (libopenblas loaded with dlopen after OPENBLAS_CORETYPE is set;
//             the kernel in use is reported);
//   mlir-f32  the same linalg.matmul in f32 through the same pipeline;
//   floor     a streaming read of the packed weight and scale bytes.
// Each with 1 and 2 threads (our kernels: cpu-threads=1|2). Medians over
// repeated runs; "cold" rotates through more than --cold-gib of weight
// copies (the L3 cache is 260 MB), "hot" reuses one copy.
//
//===----------------------------------------------------------------------===//

#include "mx/InitAll.h"
#include "mx/Pipelines/Pipelines.h"
#include "mx/Reference/MXReference.h"

#include "mlir/ExecutionEngine/CRunnerUtils.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <string>
#include <thread>
#include <vector>

using namespace mlir;
namespace ref = ::mx::ref;

namespace {

llvm::cl::OptionCategory benchCategory("mx-bench options");

llvm::cl::opt<bool> quick("quick", llvm::cl::cat(benchCategory), llvm::cl::desc("A subset that runs in "
                                                   "under a minute"));
llvm::cl::opt<bool> smoke("smoke", llvm::cl::cat(benchCategory), llvm::cl::desc("One tiny case (tests)"));
llvm::cl::opt<bool> json("json", llvm::cl::cat(benchCategory), llvm::cl::desc("One JSON object per line"));
llvm::cl::opt<unsigned> reps("reps", llvm::cl::cat(benchCategory), llvm::cl::desc("Timed runs per row"),
                             llvm::cl::init(9));
llvm::cl::list<std::string> formatsOpt(
    "formats", llvm::cl::CommaSeparated, llvm::cl::cat(benchCategory),
    llvm::cl::desc("Only these formats (default: mxfp4, amxfp4, nvfp4)"));
llvm::cl::list<std::string> shapesOpt(
    "shapes", llvm::cl::CommaSeparated, llvm::cl::cat(benchCategory),
    llvm::cl::desc("Only these MxKxN shapes, e.g. 1x4096x14336 (default: "
                   "the full set, or the --quick subset)"));
llvm::cl::opt<double> coldGiB("cold-gib", llvm::cl::cat(benchCategory),
                              llvm::cl::desc("Weight bytes rotated through for "
                                             "cold runs, GiB"),
                              llvm::cl::init(1.1));

// ---------------------------------------------------------------------------
// Data and timing
// ---------------------------------------------------------------------------

struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  float normal() {
    float t = 0;
    for (int i = 0; i < 4; ++i)
      t += (float)(next() >> 40) * 0x1p-24f;
    return (t - 2.0f) * 1.7f;
  }
};

double nowMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// ---------------------------------------------------------------------------
// OpenBLAS through dlopen
// ---------------------------------------------------------------------------

struct OpenBLAS {
  void *lib = nullptr;
  void (*sgemm)(int, int, int, int, int, int, float, const float *, int,
                const float *, int, float, float *, int) = nullptr;
  void (*sgemv)(int, int, int, int, float, const float *, int, const float *,
                int, float, float *, int) = nullptr;
  void (*setThreads)(int) = nullptr;
  char *(*coreName)() = nullptr;
  bool load() {
    // OpenBLAS 0.3.21 takes this CPU for Prescott unless told otherwise; the
    // variable must be set before the library initializes.
    setenv("OPENBLAS_CORETYPE", "SKYLAKEX", 0);
    for (const char *n : {"libopenblas.so.0", "libopenblas.so"})
      if ((lib = dlopen(n, RTLD_NOW)))
        break;
    if (!lib)
      return false;
    sgemm = (decltype(sgemm))dlsym(lib, "cblas_sgemm");
    sgemv = (decltype(sgemv))dlsym(lib, "cblas_sgemv");
    setThreads = (decltype(setThreads))dlsym(lib, "openblas_set_num_threads");
    coreName = (decltype(coreName))dlsym(lib, "openblas_get_corename");
    return sgemm && sgemv && setThreads && coreName;
  }
};

// ---------------------------------------------------------------------------
// JIT kernels
// ---------------------------------------------------------------------------

template <typename T, int N> StridedMemRefType<T, N> view(T *p, const int64_t (&sizes)[N]) {
  StridedMemRefType<T, N> m;
  m.basePtr = m.data = p;
  m.offset = 0;
  int64_t stride = 1;
  for (int i = N - 1; i >= 0; --i) {
    m.sizes[i] = sizes[i];
    m.strides[i] = stride;
    stride *= sizes[i];
  }
  return m;
}

struct Kernel {
  std::unique_ptr<ExecutionEngine> engine;
  void *fn = nullptr;
  double compileMs = 0;
};

#ifdef MX_LIBOMP_PATH
constexpr const char *kLibOmp = MX_LIBOMP_PATH;
#else
constexpr const char *kLibOmp = nullptr;
#endif

/// Compiles `src` with mx-lower-to-llvm (cpu-threads=`threads`; above 1 the
/// kernels run on OpenMP threads and libomp is loaded into the JIT).
bool compile(MLIRContext &ctx, const std::string &src, const char *name,
             Kernel &k, unsigned threads = 1) {
  double t0 = nowMs();
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(src, &ctx);
  if (!module)
    return false;
  PassManager pm(&ctx);
  mlir::mx::MXLowerToLLVMOptions lower;
  lower.cpuThreads = threads;
  mlir::mx::buildMXLowerToLLVMPipeline(pm, lower);
  if (failed(pm.run(*module))) {
    llvm::errs() << "mx-bench: the mx-lower-to-llvm pipeline failed\n";
    return false;
  }
  ExecutionEngineOptions opts;
  SmallVector<StringRef> libs;
  if (threads > 1 && kLibOmp)
    libs.push_back(kLibOmp);
  opts.sharedLibPaths = libs;
  // `transformer` is a function_ref: the std::function must outlive create().
  std::function<llvm::Error(llvm::Module *)> transformer =
      makeOptimizingTransformer(/*optLevel=*/3, 0, nullptr);
  opts.transformer = transformer;
  auto e = ExecutionEngine::create(*module, opts);
  if (!e) {
    llvm::errs() << "mx-bench: JIT failed: " << llvm::toString(e.takeError())
                 << "\n";
    return false;
  }
  k.engine = std::move(*e);
  auto sym = k.engine->lookup(std::string("_mlir_ciface_") + name);
  if (!sym) {
    llvm::errs() << "mx-bench: JIT lookup failed: "
                 << llvm::toString(sym.takeError()) << "\n";
    return false;
  }
  k.fn = *sym;
  k.compileMs = nowMs() - t0;
  return true;
}

/// The kernel: activations quantized at run time, packed weights fed in
/// through mx.pack, mx.matmul into a zero accumulator.
std::string mxKernel(const std::string &faName, const std::string &fbName,
                     const ref::Format &fb, int64_t M, int64_t K, int64_t N) {
  int64_t nb = (K + fb.blockSize - 1) / fb.blockSize;
  std::string st = ref::getScaleTypeName(fb.scale);
  std::string packedN = std::to_string(fb.elem == ref::ElemKind::E2M1 ? (N + 1) / 2 : N);
  std::string a = std::to_string(M) + "x" + std::to_string(K);
  std::string c = std::to_string(M) + "x" + std::to_string(N);
  std::string qb = "!mx.qtensor<" + std::to_string(K) + "x" + std::to_string(N) +
                   ", #mx.format<" + fbName + ">, axis = 0>";
  std::string qa = "!mx.qtensor<" + a + ", #mx.format<" + faName + ">, axis = 1>";
  std::string sty = "tensor<" + std::to_string(nb) + "x" + std::to_string(N) + "x" + st + ">";
  std::string s = "func.func @mx_kernel(%x: tensor<" + a + "xf32>, %d: tensor<" +
                  std::to_string(K) + "x" + packedN + "xi8>, %s: " + sty;
  if (fb.asymmetric)
    s += ", %n: " + sty;
  if (fb.tensorScale)
    s += ", %g: f32";
  s += ") -> tensor<" + c + "xf32> attributes {llvm.emit_c_interface} {\n";
  s += "  %z = arith.constant 0.0 : f32\n  %e = tensor.empty() : tensor<" + c +
       "xf32>\n  %c = linalg.fill ins(%z : f32) outs(%e : tensor<" + c +
       "xf32>) -> tensor<" + c + "xf32>\n";
  s += "  %qa = mx.quantize %x : tensor<" + a + "xf32> -> " + qa + "\n";
  s += "  %qb = mx.pack %d, %s";
  if (fb.asymmetric)
    s += " neg_scales(%n : " + sty + ")";
  if (fb.tensorScale)
    s += " tensor_scale(%g)";
  s += " : tensor<" + std::to_string(K) + "x" + packedN + "xi8>, " + sty + " -> " + qb + "\n";
  s += "  %r = mx.matmul %qa, %qb, %c : " + qa + ", " + qb + " -> tensor<" + c +
       "xf32>\n  return %r : tensor<" + c + "xf32>\n}\n";
  return s;
}

std::string f32Kernel(int64_t M, int64_t K, int64_t N) {
  std::string a = std::to_string(M) + "x" + std::to_string(K);
  std::string b = std::to_string(K) + "x" + std::to_string(N);
  std::string c = std::to_string(M) + "x" + std::to_string(N);
  return "func.func @f32_kernel(%x: tensor<" + a + "xf32>, %w: tensor<" + b +
         "xf32>) -> tensor<" + c +
         "xf32> attributes {llvm.emit_c_interface} {\n"
         "  %z = arith.constant 0.0 : f32\n  %e = tensor.empty() : tensor<" +
         c + "xf32>\n  %c = linalg.fill ins(%z : f32) outs(%e : tensor<" + c +
         "xf32>) -> tensor<" + c + "xf32>\n  %r = linalg.matmul ins(%x, %w : tensor<" +
         a + "xf32>, tensor<" + b + "xf32>) outs(%c : tensor<" + c +
         "xf32>) -> tensor<" + c + "xf32>\n  return %r : tensor<" + c +
         "xf32>\n}\n";
}

// ---------------------------------------------------------------------------
// One benchmark case
// ---------------------------------------------------------------------------

struct Case {
  std::string format;
  int64_t M, K, N;
  bool runF32;
};

struct Row {
  std::string impl, cache;
  double ms;
};

void report(const Case &c, unsigned threads, const Row &r, double packedBytes,
            double blasMs, double floorMs, const std::string &note) {
  double flops = 2.0 * c.M * c.K * c.N;
  double gbps = packedBytes / (r.ms * 1e6);
  double gflops = flops / (r.ms * 1e6);
  if (json) {
    llvm::outs() << "{\"m\": " << c.M << ", \"n\": " << c.N << ", \"k\": " << c.K
                 << ", \"format\": \"" << c.format << "\", \"threads\": " << threads
                 << ", \"cache\": \"" << r.cache << "\", \"impl\": \"" << r.impl
                 << "\", \"median_ms\": " << llvm::format("%.4f", r.ms)
                 << ", \"gbps\": " << llvm::format("%.3f", gbps)
                 << ", \"gflops\": " << llvm::format("%.3f", gflops);
    if (r.impl == "mx") {
      llvm::outs() << ", \"speedup_vs_openblas\": "
                   << llvm::format("%.4f", blasMs > 0 ? blasMs / r.ms : 0.0)
                   << ", \"fraction_of_floor\": "
                   << llvm::format("%.4f", floorMs > 0 ? floorMs / r.ms : 0.0);
    }
    if (!note.empty())
      llvm::outs() << ", \"note\": \"" << note << "\"";
    llvm::outs() << "}\n";
    return;
  }
  llvm::outs() << llvm::format("%-8s %5lld %6lld %6lld %2u %-4s %-9s %11.3f ms %8.2f GB/s %9.2f GFLOP/s",
                               c.format.c_str(), (long long)c.M, (long long)c.K,
                               (long long)c.N, threads, r.cache.c_str(),
                               r.impl.c_str(), r.ms, gbps, gflops);
  if (r.impl == "mx")
    llvm::outs() << llvm::format("  x%.4f openblas  %.4f of floor",
                                 blasMs > 0 ? blasMs / r.ms : 0.0,
                                 floorMs > 0 ? floorMs / r.ms : 0.0);
  if (!note.empty())
    llvm::outs() << "  (" << note << ")";
  llvm::outs() << "\n";
}

bool runCase(MLIRContext &ctx, OpenBLAS &blas, const Case &c) {
  std::optional<ref::Format> f = ref::getPreset(c.format);
  if (!f)
    return false;
  const int64_t M = c.M, K = c.K, N = c.N;
  Rng rng{0x5eed0000ull + (uint64_t)(M * 31 + K * 7 + N)};
  std::vector<float> x(M * K), w(K * N);
  for (float &v : x)
    v = rng.normal();
  for (float &v : w)
    v = 0.05f * rng.normal();

  // Pre-quantized, packed weights (B[K,N] blocked along K, packed along N).
  ref::QuantizedTensor qw = ref::quantize(*f, {K, N}, 0, w.data());
  std::vector<uint8_t> data = ref::packCodes(f->elem, {K, N}, qw.codes);
  std::vector<uint8_t> s0 = qw.scales[0], s1 = qw.scales[1];
  std::vector<float> wDeq = ref::dequantize(qw);
  double packedBytes = (double)(data.size() + s0.size() + s1.size());
  int64_t nb = (K + f->blockSize - 1) / f->blockSize;
  int64_t packedN = f->elem == ref::ElemKind::E2M1 ? (N + 1) / 2 : N;

  // One kernel per thread count (cpu-threads=2 needs libomp).
  Kernel mxKernels[2];
  std::string src = mxKernel(c.format, c.format, *f, M, K, N);
  for (unsigned t : {1u, 2u}) {
    if (t == 2 && !kLibOmp)
      continue;
    if (!compile(ctx, src, "mx_kernel", mxKernels[t - 1], t)) {
      llvm::errs() << "mx-bench: cannot compile the " << c.format
                   << " kernel (cpu-threads=" << t << ")\n";
      return false;
    }
  }

  // Cold runs rotate through copies of the weights.
  size_t copies = 1;
  if (!smoke)
    copies = std::max<size_t>(2, (size_t)std::ceil(coldGiB * (1ull << 30) / packedBytes));
  std::vector<std::vector<uint8_t>> dCopies(copies, data), s0Copies(copies, s0),
      s1Copies(copies, s1.empty() ? std::vector<uint8_t>(1) : s1);
  std::vector<std::vector<float>> fCopies;

  std::vector<float> out(M * N);
  Kernel *active = &mxKernels[0];
  auto runMx = [&](size_t i) {
    StridedMemRefType<float, 2> res;
    auto xm = view(x.data(), {M, K});
    auto dm = view(dCopies[i].data(), {K, packedN});
    auto sm = view(s0Copies[i].data(), {nb, N});
    auto nm = view(s1Copies[i].data(), {nb, N});
    float g = qw.tensorScale;
    using R = StridedMemRefType<float, 2>;
    if (f->asymmetric)
      reinterpret_cast<void (*)(R *, void *, void *, void *, void *)>(active->fn)(
          &res, &xm, &dm, &sm, &nm);
    else if (f->tensorScale)
      reinterpret_cast<void (*)(R *, void *, void *, void *, float)>(active->fn)(
          &res, &xm, &dm, &sm, g);
    else
      reinterpret_cast<void (*)(R *, void *, void *, void *)>(active->fn)(
          &res, &xm, &dm, &sm);
    std::memcpy(out.data(), res.data, sizeof(float) * M * N);
    free(res.basePtr);
  };

  // Correctness first: every element of the first rows, bit for bit, for
  // every kernel.
  int64_t checkRows = std::min<int64_t>(M, 2);
  // NVFP4's tensor scale g comes from the whole activation matrix, not from
  // the rows that are checked.
  std::optional<float> gA;
  if (f->tensorScale)
    gA = ref::quantize(*f, {M, K}, 1, x.data()).tensorScale;
  ref::QuantizedTensor qa =
      ref::quantize(*f, {checkRows, K}, 1, x.data(), gA);
  std::vector<float> expect = ref::matmul(qa, qw, nullptr);
  for (Kernel &kern : mxKernels) {
    if (!kern.fn)
      continue;
    active = &kern;
    std::fill(out.begin(), out.end(), 0.0f);
    runMx(0);
    for (int64_t i = 0; i < checkRows * N; ++i)
      if (ref::floatToBits(expect[i]) != ref::floatToBits(out[i]) &&
          !(std::isnan(expect[i]) && std::isnan(out[i]))) {
        llvm::errs() << "mx-bench: " << c.format << " result " << i
                     << " differs from the reference library\n";
        return false;
      }
  }

  // Cold runs take the next copy of a rotation through more than
  // --cold-gib of weights, so a copy comes back only after the whole set has
  // gone through the (260 MB) L3; hot runs reuse copy 0.
  size_t nextCopy = 1;
  auto time = [&](auto fnRun, bool cold, unsigned n) {
    std::vector<double> t;
    for (unsigned r = 0; r < n; ++r) {
      size_t i = 0;
      if (cold) {
        i = nextCopy;
        nextCopy = nextCopy + 1 < copies ? nextCopy + 1 : 1;
      }
      double t0 = nowMs();
      fnRun(i);
      t.push_back(nowMs() - t0);
    }
    return median(t);
  };

  // Baselines: OpenBLAS on dequantized f32 weights, the streaming floor.
  for (unsigned threads : {1u, 2u}) {
    for (bool cold : {false, true}) {
      if (smoke && cold)
        continue;
      const char *cache = cold ? "cold" : "hot";
      double blasMs = 0, floorMs = 0;
      if (blas.lib) {
        blas.setThreads((int)threads);
        if (fCopies.empty()) {
          size_t fc = smoke ? 1 : std::max<size_t>(2, (size_t)std::ceil(coldGiB * (1ull << 30) / (4.0 * K * N)));
          fc = std::min<size_t>(fc, 40);
          fCopies.assign(fc, wDeq);
        }
        std::vector<float> y(M * N);
        // Rotate the f32 copies independently of the packed ones.
        size_t nextF = 1;
        auto runBlas = [&](size_t i) {
          const float *wb = fCopies[0].data();
          if (i) {
            wb = fCopies[nextF].data();
            nextF = nextF + 1 < fCopies.size() ? nextF + 1 : 1;
          }
          if (M == 1)
            blas.sgemv(101, 112, (int)K, (int)N, 1.0f, wb, (int)N, x.data(), 1,
                       0.0f, y.data(), 1); // y = W^T x with W[K,N]
          else
            blas.sgemm(101, 111, 111, (int)M, (int)N, (int)K, 1.0f, x.data(),
                       (int)K, wb, (int)N, 0.0f, y.data(), (int)N);
        };
        runBlas(0);
        blasMs = time(runBlas, cold, reps);
        // OpenBLAS's worker threads keep polling for work for a while after
        // a call; let them go to sleep before the next rows are timed.
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        report(c, threads, {"openblas", cache, blasMs}, packedBytes, 0, 0,
               std::string("kernel ") + blas.coreName());
      }
      // The floor reads the packed weights (and scales) with `threads`
      // threads: the calling one and spinning helpers, so no thread start-up
      // is timed.
      volatile uint64_t sink = 0;
      auto readRange = [](const std::vector<uint8_t> &v, unsigned part,
                          unsigned parts) {
        const uint64_t *p = reinterpret_cast<const uint64_t *>(v.data());
        size_t n = v.size() / 8, lo = n * part / parts,
               hi = n * (part + 1) / parts;
        uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        size_t j = lo;
        for (; j + 4 <= hi; j += 4) {
          a0 += p[j];
          a1 += p[j + 1];
          a2 += p[j + 2];
          a3 += p[j + 3];
        }
        for (; j < hi; ++j)
          a0 += p[j];
        return a0 + a1 + a2 + a3;
      };
      std::atomic<uint64_t> job{0}, done{0};
      std::atomic<size_t> jobCopy{0};
      std::atomic<bool> stop{false};
      std::vector<std::thread> helpers;
      for (unsigned h = 1; h < threads; ++h)
        helpers.emplace_back([&, h] {
          uint64_t seen = 0, local = 0;
          while (!stop.load(std::memory_order_acquire)) {
            uint64_t j = job.load(std::memory_order_acquire);
            if (j == seen)
              continue;
            seen = j;
            size_t i = jobCopy.load(std::memory_order_relaxed);
            local += readRange(dCopies[i], h, threads) +
                     readRange(s0Copies[i], h, threads) +
                     readRange(s1Copies[i], h, threads);
            done.fetch_add(1, std::memory_order_acq_rel);
          }
          sink = sink + local;
        });
      auto runFloor = [&](size_t i) {
        done.store(0, std::memory_order_relaxed);
        jobCopy.store(i, std::memory_order_relaxed);
        job.fetch_add(1, std::memory_order_acq_rel);
        uint64_t acc = readRange(dCopies[i], 0, threads) +
                       readRange(s0Copies[i], 0, threads) +
                       readRange(s1Copies[i], 0, threads);
        while (done.load(std::memory_order_acquire) + 1 < threads) {
        }
        sink = sink + acc;
      };
      floorMs = time(runFloor, cold, reps);
      stop.store(true, std::memory_order_release);
      for (std::thread &t : helpers)
        t.join();
      report(c, threads, {"floor", cache, floorMs}, packedBytes, 0, 0,
             std::to_string(threads) + " thread" + (threads > 1 ? "s" : ""));
      Kernel &kern = mxKernels[threads - 1];
      if (kern.fn) {
        active = &kern;
        double mxMs = time(runMx, cold, (unsigned)reps);
        report(c, threads, {"mx", cache, mxMs}, packedBytes, blasMs, floorMs,
               std::string("cpu-threads=") + std::to_string(threads) +
                   ", compile " + std::to_string((int)kern.compileMs) +
                   " ms");
      } else if (!cold) {
        llvm::errs() << "mx-bench: no 2-thread mx rows: built without "
                        "libomp (install libomp-22-dev)\n";
      }
      if (c.runF32 && threads == 1 && !cold) {
        Kernel fk;
        if (!compile(ctx, f32Kernel(M, K, N), "f32_kernel", fk))
          return false;
        auto runF = [&](size_t) {
          StridedMemRefType<float, 2> res;
          auto xm = view(x.data(), {M, K});
          auto wm = view(fCopies[0].data(), {K, N});
          using Sym = void (*)(StridedMemRefType<float, 2> *, void *, void *);
          reinterpret_cast<Sym>(fk.fn)(&res, &xm, &wm);
          free(res.basePtr);
        };
        report(c, threads, {"mlir-f32", cache, time(runF, false, std::min(3u, (unsigned)reps))},
               packedBytes, 0, 0, "linalg.matmul, same pipeline");
      }
    }
  }
  return true;
}

} // namespace

int main(int argc, char **argv) {
  llvm::cl::HideUnrelatedOptions(benchCategory);
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "mx-bench: mx matmuls next to OpenBLAS, MLIR f32 and a streaming "
      "floor\n");
  // OpenMP worker threads of the 2-thread kernels spin for KMP_BLOCKTIME
  // after each call (200 ms by default), which would take a core from the
  // baselines timed next; 1 ms keeps back-to-back calls fast.
  setenv("KMP_BLOCKTIME", "1", /*overwrite=*/0);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  mlir::mx::registerAllDialects(registry);
  MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();

  OpenBLAS blas;
  if (!blas.load())
    llvm::errs() << "mx-bench: libopenblas not found; OpenBLAS rows skipped "
                    "(install libopenblas0-pthread)\n";

  std::vector<Case> cases;
  if (smoke) {
    cases = {{"mxfp4", 1, 256, 64, true}, {"amxfp4", 1, 256, 64, false},
             {"nvfp4", 2, 256, 64, false}};
  } else if (quick) {
    cases = {{"mxfp4", 1, 4096, 4096, true}, {"amxfp4", 1, 4096, 4096, false}};
  } else {
    for (const char *fm : {"mxfp4", "amxfp4", "nvfp4"}) {
      cases.push_back({fm, 1, 4096, 4096, true});
      cases.push_back({fm, 1, 4096, 14336, false});
      cases.push_back({fm, 1, 14336, 4096, false});
      cases.push_back({fm, 128, 4096, 4096, false});
      cases.push_back({fm, 512, 4096, 4096, false});
    }
  }
  if (!formatsOpt.empty() || !shapesOpt.empty()) {
    std::vector<std::string> formats(formatsOpt.begin(), formatsOpt.end());
    if (formats.empty())
      formats = {"mxfp4", "amxfp4", "nvfp4"};
    std::vector<Case> picked;
    for (const std::string &fm : formats) {
      if (!ref::getPreset(fm) ||
          ref::getPreset(fm)->elem != ref::ElemKind::E2M1) {
        llvm::errs() << "mx-bench: --formats takes FP4 presets (mxfp4, "
                        "amxfp4, amxfp4-pot, nvfp4), got '"
                     << fm << "'\n";
        return 2;
      }
      if (shapesOpt.empty()) {
        for (const Case &c : cases)
          if (c.format == cases.front().format)
            picked.push_back({fm, c.M, c.K, c.N, c.runF32});
        continue;
      }
      for (const std::string &sh : shapesOpt) {
        long long m = 0, k = 0, n = 0;
        char tail = 0;
        if (sscanf(sh.c_str(), "%lldx%lldx%lld%c", &m, &k, &n, &tail) != 3 ||
            m < 1 || k < 1 || n < 1) {
          llvm::errs() << "mx-bench: --shapes takes MxKxN, got '" << sh
                       << "'\n";
          return 2;
        }
        picked.push_back({fm, m, k, n, false});
      }
    }
    cases = picked;
  }
  if (!json)
    llvm::outs() << "format       M      K      N th mem  impl         median"
                    "       throughput         compute\n";
  int rc = 0;
  for (const Case &c : cases)
    if (!runCase(ctx, blas, c)) {
      rc = 1;
      break;
    }
  // Stop libomp's worker threads (loaded for the 2-thread kernels) before
  // exit: LeakSanitizer's exit-time scan stops every thread and fails on
  // them otherwise.
  if (kLibOmp)
    if (void *omp = dlopen(kLibOmp, RTLD_NOW | RTLD_NOLOAD)) {
      using PauseFn = int (*)(int);
      if (auto pause = (PauseFn)dlsym(omp, "omp_pause_resource_all"))
        pause(/*omp_pause_hard=*/2);
      dlclose(omp);
    }
  return rc;
}
