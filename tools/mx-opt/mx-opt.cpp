//===- mx-opt.cpp - The mx-mlir optimizer driver --------------------------===//
//
// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
//
//===----------------------------------------------------------------------===//
//
// mlir-opt with every upstream dialect, extension and pass, plus the mx
// dialect and passes.
//
//===----------------------------------------------------------------------===//

#include "mx/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/Compiler.h"
#include "llvm/Support/thread.h"

/// Stack for parsing: 1 GiB (committed only as used). Under AddressSanitizer,
/// whose runtime cannot map that much shadow and fake stack for a thread,
/// 64 MiB: still enough for 8 KiB inputs of pure nesting (the fuzzer's
/// limit), with ASan's larger frames.
#if LLVM_ADDRESS_SANITIZER_BUILD
static constexpr unsigned kParseStackBytes = 64u << 20;
#else
static constexpr unsigned kParseStackBytes = 1u << 30;
#endif

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates GPU modules to LLVM IR and PTX/ISA.
  mlir::registerAllToLLVMIRTranslations(registry);
  mlir::registerAllPasses();
  mlir::mx::registerAllDialects(registry);
  mlir::mx::registerAllPasses();
  // MLIR's recursive-descent parser needs stack in proportion to the
  // nesting of its input: 100 000 nested `[` overflow the default 8 MiB main
  // stack (the stock mlir-opt crashes; found by mx-fuzz). Run on a 1 GiB
  // stack, committed only as far as it is used.
  int rc = 0;
  llvm::thread worker(std::optional<unsigned>(kParseStackBytes), [&] {
    rc = mlir::asMainReturnCode(mlir::MlirOptMain(
        argc, argv, "mx-mlir optimizer driver\n", registry));
  });
  worker.join();
  return rc;
}
