//===- mx-fuzz.cpp - libFuzzer target: parser, verifier and passes --------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// Each input is MLIR text. It is parsed with the mx dialect and the upstream
// dialects our passes work on, verified, and, if valid, run through
// canonicalize, mx-quantize-matmul (with fold-constants) and
// convert-mx-to-linalg with the verifier after each pass. Diagnostics are
// expected and ignored; a crash, a sanitizer report or a verifier failure
// after a pass that succeeded is a finding.
//
//===----------------------------------------------------------------------===//

#include "mx/Conversion/Passes.h"
#include "mx/Dialect/MX/IR/MXDialect.h"
#include "mx/Dialect/MX/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/thread.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace mlir;

static DialectRegistry &getRegistry() {
  static DialectRegistry registry = [] {
    DialectRegistry r;
    r.insert<mlir::mx::MXDialect, arith::ArithDialect, func::FuncDialect,
             linalg::LinalgDialect, math::MathDialect, scf::SCFDialect,
             tensor::TensorDialect>();
    return r;
  }();
  return registry;
}

/// Stack for parsing: 1 GiB (committed only as used). Under AddressSanitizer,
/// whose runtime cannot map that much shadow and fake stack for a thread,
/// 64 MiB: still enough for 8 KiB inputs of pure nesting (the fuzzer's
/// limit), with ASan's larger frames.
#if LLVM_ADDRESS_SANITIZER_BUILD
static constexpr unsigned kParseStackBytes = 64u << 20;
#else
static constexpr unsigned kParseStackBytes = 1u << 30;
#endif

static void fuzzOne(const uint8_t *data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Parsing needs stack in proportion to nesting (see tools/mx-opt): run on a
  // 1 GiB stack, as mx-opt does.
  llvm::thread worker(std::optional<unsigned>(kParseStackBytes), [&] { fuzzOne(data, size); });
  worker.join();
  return 0;
}

static void fuzzOne(const uint8_t *data, size_t size) {
  MLIRContext context(getRegistry(), MLIRContext::Threading::DISABLED);
  context.allowUnregisteredDialects(false);
  ScopedDiagnosticHandler quiet(&context,
                                [](Diagnostic &) { return success(); });
  // The MLIR lexer needs a null-terminated buffer.
  std::string text(reinterpret_cast<const char *>(data), size);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(StringRef(text.c_str(), size), &context);
  if (!module || failed(verify(*module)))
    return;
  PassManager pm(&context);
  pm.enableVerifier(true);
  pm.addPass(createCanonicalizerPass());
  mlir::mx::MXQuantizeMatmulPassOptions options;
  options.lhsFormat = "amxfp4";
  options.rhsFormat = "mxfp4";
  pm.addPass(mlir::mx::createMXQuantizeMatmulPass(options));
  pm.addPass(mlir::mx::createConvertMXToLinalgPass());
  (void)pm.run(*module);
}
