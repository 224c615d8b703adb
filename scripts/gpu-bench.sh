#!/usr/bin/env bash
##===- scripts/gpu-bench.sh - GPU matmul kernels side by side -------------===//
##
## SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception
##
##===----------------------------------------------------------------------===//
#
# Usage:
#   scripts/gpu-bench.sh build DIR      (CPU machine, after scripts/setup.sh)
#   scripts/gpu-bench.sh run DIR OUT    (GPU machine: needs only the driver)
#   scripts/gpu-bench.sh report DIR OUT (either machine)
#
# build writes, for every format and shape, one module (a linalg.matmul of
# generated data, rewritten by --mx-quantize-matmul) compiled twice with
# scripts/mx-gpu-aot.sh: with matmul-kernels=simt (one thread per output,
# the baseline) and with matmul-kernels=mma (integer tensor cores). run
# executes every pair under MX_GPU_TIMING=1 (the runtime times every kernel
# with CUDA events), REPS times each, alternating the two variants. report
# prints, per case, the GPU time of the matmul kernel (the longest kernel of
# the run) of each variant, their ratio, and whether the two printed
# results (per-row XOR of the output bit patterns) are identical, which
# they must be: both paths are bit-exact.
# Environment: MX_BENCH_CHIP (default sm_90a), REPS (default 3).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cmd="${1:-}"; DIR="${2:-}"
[[ -n "$cmd" && -n "$DIR" ]] || { sed -n '/^# Usage/,/^# Environment/p' "$0" >&2; exit 2; }
CASES=(
  "mxfp4 1 4096 4096"
  "mxfp4 512 4096 4096"
  "nvfp4 512 4096 4096"
  "amxfp4 512 4096 4096"
)

gen() { # format M N K file
  python3 - "$@" <<'EOF'
import sys
fmt, m, n, k, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
def fill(name, rows, cols, a, b):
    # Deterministic data in [-5, 5): ((i*a + j*b + 17) mod 2003 - 1001) / 200.
    return f"""  %{name}0 = tensor.empty() : tensor<{rows}x{cols}xf32>
  %{name} = linalg.generic {{indexing_maps = [affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}} outs(%{name}0 : tensor<{rows}x{cols}xf32>) {{
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %ca = arith.constant {a} : index
    %cb = arith.constant {b} : index
    %c17 = arith.constant 17 : index
    %cm = arith.constant 2003 : index
    %ia = arith.muli %i, %ca : index
    %jb = arith.muli %j, %cb : index
    %s0 = arith.addi %ia, %jb : index
    %s1 = arith.addi %s0, %c17 : index
    %h = arith.remui %s1, %cm : index
    %hi = arith.index_cast %h : index to i32
    %hf = arith.sitofp %hi : i32 to f32
    %off = arith.constant 1001.0 : f32
    %sc = arith.constant 0.005 : f32
    %d = arith.subf %hf, %off : f32
    %v = arith.mulf %d, %sc : f32
    linalg.yield %v : f32
  }} -> tensor<{rows}x{cols}xf32>
"""
src = f"""func.func private @printMemrefI32(tensor<*xi32>)
func.func @main() -> i32 {{
{fill("a", m, k, 7919, 104729)}{fill("b", k, n, 6007, 15401)}  %zero = arith.constant 0.0 : f32
  %c0 = tensor.empty() : tensor<{m}x{n}xf32>
  %c = linalg.fill ins(%zero : f32) outs(%c0 : tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>
  %r = linalg.matmul ins(%a, %b : tensor<{m}x{k}xf32>, tensor<{k}x{n}xf32>) outs(%c : tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>
  %bits = arith.bitcast %r : tensor<{m}x{n}xf32> to tensor<{m}x{n}xi32>
  %z = arith.constant 0 : i32
  %x0 = tensor.empty() : tensor<{m}xi32>
  %x1 = linalg.fill ins(%z : i32) outs(%x0 : tensor<{m}xi32>) -> tensor<{m}xi32>
  %x = linalg.generic {{indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]}} ins(%bits : tensor<{m}x{n}xi32>) outs(%x1 : tensor<{m}xi32>) {{
  ^bb0(%v: i32, %acc: i32):
    %y = arith.xori %acc, %v : i32
    linalg.yield %y : i32
  }} -> tensor<{m}xi32>
  %u = tensor.cast %x : tensor<{m}xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  %ret = arith.constant 0 : i32
  return %ret : i32
}}
"""
open(path, "w").write(src)
EOF
}

case "$cmd" in
build)
  mkdir -p "$DIR/bin" "$DIR/src"
  for c in "${CASES[@]}"; do
    read -r fmt m n k <<<"$c"
    name="${fmt}_${m}x${n}x${k}"
    gen "$fmt" "$m" "$n" "$k" "$DIR/src/$name.mlir"
    for v in simt mma; do
      echo "== build $name $v"
      MX_NVVM_OPTIONS="chip=${MX_BENCH_CHIP:-sm_90a} matmul-kernels=$v" \
        bash "$ROOT/scripts/mx-gpu-aot.sh" "$DIR/src/$name.mlir" \
        "$DIR/bin/${name}_$v" \
        "--mx-quantize-matmul=lhs-format=$fmt rhs-format=$fmt"
    done
  done
  ;;
run)
  OUT="${3:?output folder}"
  mkdir -p "$OUT"
  for c in "${CASES[@]}"; do
    read -r fmt m n k <<<"$c"
    name="${fmt}_${m}x${n}x${k}"
    for ((r = 0; r < ${REPS:-3}; ++r)); do
      for v in simt mma; do
        MX_GPU_TIMING=1 "$DIR/bin/${name}_$v" > "$OUT/${name}_$v.$r.out" \
          2> "$OUT/${name}_$v.$r.err"
        echo "$name $v rep $r rc=$?"
      done
    done
  done
  ;;
report)
  OUT="${3:?output folder}"
  printf "%-24s %14s %14s %8s  %s\n" case "simt ms" "mma ms" ratio "results"
  for c in "${CASES[@]}"; do
    read -r fmt m n k <<<"$c"
    name="${fmt}_${m}x${n}x${k}"
    # The matmul kernel: for simt the longest kernel of the run; for mma the
    # one launched with the tensor-core kernel's shape (grid ceil(N/32) x
    # ceil(M/16), 128 threads). The best (smallest) time over the reps.
    grid="$(( (n + 31) / 32 ))x$(( (m + 15) / 16 ))x1"
    best() {
      for f in "$OUT/${name}_$1".*.err; do
        awk -v want="$2" '/mx-gpu-timing/ {
            t = $(NF - 1)
            if (want == "") { if (t > best) best = t }
            else if ($5 == want && $7 == "128x1x1") best = t
          } END { print best + 0 }' "$f"
      done | sort -g | head -1
    }
    s="$(best simt "")"; t="$(best mma "$grid")"
    same=identical
    for f in "$OUT/${name}_mma".*.out "$OUT/${name}_simt".*.out; do
      cmp -s <(sed 1d "$f") <(sed 1d "$OUT/${name}_simt.0.out") || same=DIFFERENT
    done
    printf "%-24s %14.3f %14.3f %7.1fx  %s\n" "$name" "$s" "$t" \
      "$(awk -v a="$s" -v b="$t" 'BEGIN { print (b > 0 ? a / b : 0) }')" "$same"
  done
  ;;
*) echo "unknown command $cmd" >&2; exit 2 ;;
esac
