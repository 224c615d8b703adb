# -*- Python -*-
# SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
"""lit configuration of the mx-mlir regression tests."""

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "MX"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".c"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mx_obj_root, "test")
config.excludes = ["Unit", "lib", "Inputs", "CMakeLists.txt", "README.md", "lit.cfg.py",
                   "lit.site.cfg.py"]

config.environment["FILECHECK_OPTS"] = (
    "-enable-var-scope --allow-unused-prefixes=false")

llvm_config.use_default_substitutions()
# `not`, `count` and `split-file` are plain binaries of the LLVM packages.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%mx_src_root", config.mx_src_root))
config.substitutions.append(("%mx_obj_root", config.mx_obj_root))
config.substitutions.append(
    ("%mx_plugin", os.path.join(config.mx_obj_root, "lib", "libMXPlugin.so")))
config.substitutions.append(("%mlir_include_dir", config.mlir_include_dir))
config.substitutions.append(
    ("%mlir_c_runner_utils",
     os.path.join(config.llvm_lib_dir, "libmlir_c_runner_utils.so")))
config.substitutions.append(
    ("%mlir_runner_utils",
     os.path.join(config.llvm_lib_dir, "libmlir_runner_utils.so")))

import sys
config.substitutions.append(("%python", sys.executable))
# The golden vectors (data; schema in test/vectors/README.md).
config.substitutions.append(("%vectors",
                             os.path.join(config.mx_src_root, "test", "vectors")))
# Run the `main` of a module lowered by --mx-lower-to-llvm.
config.substitutions.append(
    ("%mx_run",
     "mlir-runner -e main -entry-point-result=void -shared-libs=%s,%s" % (
         os.path.join(config.llvm_lib_dir, "libmlir_c_runner_utils.so"),
         os.path.join(config.llvm_lib_dir, "libmlir_runner_utils.so"))))

tool_dirs = [config.mx_tools_dir, config.llvm_tools_dir]
tools = [
    "mx-opt",
    "mx-lsp-server",
    "mx-capi-test",
    "mx-bench",
    "mx-gpu-bench-ref",
    "mlir-opt",
    "mlir-runner",
    ToolSubst("mlir-tblgen", config.mlir_tblgen, unresolved="fatal"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# ptxas validates generated PTX where the CUDA toolkit is installed; the
# tests that need it are UNSUPPORTED (and this note says why) elsewhere.
ptxas = None
for cand in [os.environ.get("MX_PTXAS", ""), "/usr/local/cuda/bin/ptxas"]:
    if cand and os.path.isfile(cand) and os.access(cand, os.X_OK):
        ptxas = cand
        break
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
else:
    lit_config.note("ptxas not found (set MX_PTXAS or install the CUDA "
                    "toolkit in /usr/local/cuda): PTX validation tests are "
                    "skipped")
config.substitutions.append(
    ("%check_ptx", "%s %s" % (sys.executable,
                              os.path.join(config.mx_src_root, "test", "lib",
                                           "check_ptx.py"))))

# The AVX-512 kernels (convert-mx-matmul-to-avx512) run where the CPU has
# every feature they use; elsewhere their execution tests are UNSUPPORTED.
cpu_flags = set()
try:
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                cpu_flags = set(line.split(":", 1)[1].split())
                break
except OSError:
    pass
if {"avx512f", "avx512bw", "avx512vl", "avx512_vnni",
        "avx512vbmi"} <= cpu_flags:
    config.available_features.add("avx512-kernels")
else:
    lit_config.note("the CPU lacks AVX-512 F/BW/VL/VBMI/VNNI: the execution "
                    "tests of the AVX-512 kernels are skipped")

# The multi-threaded kernels (cpu-threads > 1) run on LLVM's OpenMP runtime.
libomp = os.path.join(config.llvm_lib_dir, "libomp.so")
if os.path.exists(libomp):
    config.available_features.add("libomp")
    config.substitutions.append(
        ("%mx_omp_run",
         "mlir-runner -e main -entry-point-result=void -shared-libs=%s,%s,%s"
         % (os.path.join(config.llvm_lib_dir, "libmlir_c_runner_utils.so"),
            os.path.join(config.llvm_lib_dir, "libmlir_runner_utils.so"),
            libomp)))
else:
    lit_config.note("libomp.so not found (install libomp-22-dev): the "
                    "multi-threaded kernel tests are skipped")

import ctypes
try:
    ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-driver")
except OSError:
    pass

# Under sanitizers our tools carry the ASan runtime; the stock mlir-opt
# cannot load an instrumented plugin.
if getattr(config, "mx_sanitizers", False):
    config.available_features.add("sanitizers")
    # allow_user_poisoning=0: see scripts/fuzz.sh (LLVM allocators shared
    # between instrumented and uninstrumented code). use_sigaltstack=0:
    # LLVM's crash handling installs its own alternate signal stack in
    # mx-opt's parse thread, which ASan would try to unmap as its own.
    config.environment["ASAN_OPTIONS"] = (
        "detect_leaks=1:abort_on_error=1:allow_user_poisoning=0:"
        "use_sigaltstack=0")
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
